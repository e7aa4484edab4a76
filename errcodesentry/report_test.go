package errcodesentry_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cockroachdb/errors"
	"github.com/getsentry/sentry-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcodesentry"
)

// recorder is a sentry.Transport that keeps the events it is given.
type recorder struct {
	mu     sync.Mutex
	events []*sentry.Event
}

func (r *recorder) Flush(time.Duration) bool              { return true }
func (r *recorder) FlushWithContext(context.Context) bool { return true }
func (r *recorder) Configure(sentry.ClientOptions)        {}
func (r *recorder) Close()                                {}
func (r *recorder) SendEvent(e *sentry.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

// capture sends err with CaptureException through a hub of sentry-go's
// own client and returns the event its transport got.
func capture(t *testing.T, err error) *sentry.Event {
	t.Helper()
	rec := &recorder{}
	client, cerr := sentry.NewClient(sentry.ClientOptions{Transport: rec})
	require.NoError(t, cerr)
	hub := sentry.NewHub(client, sentry.NewScope())
	id := errcodesentry.CaptureException(hub, err)
	require.NotNil(t, id, "CaptureException(%v) sent nothing", err)
	require.Len(t, rec.events, 1)
	assert.Equal(t, *id, rec.events[0].EventID)
	return rec.events[0]
}

// Unsafe text: a Newf argument, an unmarked field value, messages.
const (
	secretArg   = "ARG-SECRET-7"
	secretField = "FIELD-SECRET-9"
	safeField   = "pool-safe-3"
)

// startVM and bootSandbox make the errors of the tests, so that their
// frames have names the tests can look for.
func startVM() error {
	return errcode.VmOverlayError.Newf("qemu-img failed: %s", secretArg)
}

func bootSandbox() error {
	err := errcode.SandboxError.Wrap(startVM(), "starting sandbox",
		"stderr", secretField, "pool", errcode.Safe(safeField))
	return errors.Wrap(err, "boot")
}

// peerCodes registers, in a registry of its own, a code that Default
// lacks under Default's names for its ancestors, and one under a root
// Default does not know.
func peerCodes() (restore, peerOnly errcode.Code) {
	r := errcode.NewRegistry()
	sandbox := r.MustRegister("SandboxError", errcode.Code{})
	transient := r.MustRegister("TransientError", sandbox, errcode.Transient)
	vmTransient := r.MustRegister("VmTransientError", transient)
	restore = r.MustRegister("VmSnapshotRestoreError", vmTransient)
	peerOnly = r.MustRegister("PeerOnlyError", r.MustRegister("PeerRootError", errcode.Code{}))
	return restore, peerOnly
}

// wrapForeign wraps, with a code, a layer with a stack that is not
// errcode's.
func wrapForeign() error {
	return errcode.SandboxError.Wrap(errors.WithStack(fmt.Errorf("disk %s", secretArg)), "")
}

// A layer with a stack that is not a coded layer is an exception named by
// its Go type, valued by its message, redacted.
func TestForeignStackLayer(t *testing.T) {
	t.Parallel()
	ev := capture(t, wrapForeign())
	assert.Equal(t, []string{"*withstack.withStack", "SandboxError"}, types(ev))
	assert.Equal(t, "×", ev.Exception[0].Value)
	for _, exc := range ev.Exception {
		require.NotNil(t, exc.Stacktrace)
		fs := exc.Stacktrace.Frames
		assert.Equal(t, "wrapForeign", fs[len(fs)-1].Function)
	}
	assertNoLeak(t, ev)
}

func restoreSnapshot(c errcode.Code) error {
	return c.New("restore failed", "snapshot", secretField)
}

func roundTrip(t *testing.T, err error) error {
	t.Helper()
	data, eerr := errcode.Encode(err)
	require.NoError(t, eerr)
	dec, derr := errcode.Decode(data)
	require.NoError(t, derr)
	return dec
}

func roundTripJSON(t *testing.T, err error) error {
	t.Helper()
	data, eerr := errcode.EncodeJSON(err)
	require.NoError(t, eerr)
	dec, derr := errcode.DecodeJSON(data)
	require.NoError(t, derr)
	return dec
}

// types returns the exceptions' types, in the event's order.
func types(ev *sentry.Event) []string {
	var out []string
	for _, e := range ev.Exception {
		out = append(out, e.Type)
	}
	return out
}

func TestCaptureException(t *testing.T) {
	t.Parallel()
	restore, peerOnly := peerCodes()
	live := bootSandbox()
	join := errors.Join(startVM(), errcode.VmConfigError.New("bad config", "path", secretField))

	tests := []struct {
		desc            string
		giveErr         func(*testing.T) error
		wantTypes       []string // innermost first; the last is the title
		wantFingerprint []string
		wantTags        map[string]string
		wantFrom        []string // functions that made layers: the newest frame of each exception, in order
	}{
		{
			desc:            "live: New, Wrap, cockroachdb Wrap",
			giveErr:         func(*testing.T) error { return live },
			wantTypes:       []string{"VmOverlayError", "SandboxError", "SandboxError"},
			wantFingerprint: []string{"errcode", "SandboxError"},
			wantTags:        map[string]string{"errcode.code": "SandboxError", "errcode.retry": "transient"},
			wantFrom:        []string{"startVM", "bootSandbox", "bootSandbox"},
		},
		{
			desc:            "decoded: Encode, Decode",
			giveErr:         func(t *testing.T) error { return roundTrip(t, live) },
			wantTypes:       []string{"VmOverlayError", "SandboxError", "SandboxError"},
			wantFingerprint: []string{"errcode", "SandboxError"},
			wantTags:        map[string]string{"errcode.code": "SandboxError", "errcode.retry": "transient"},
			wantFrom:        []string{"startVM", "bootSandbox", "bootSandbox"},
		},
		{
			desc:            "decoded: EncodeJSON, DecodeJSON",
			giveErr:         func(t *testing.T) error { return roundTripJSON(t, live) },
			wantTypes:       []string{"VmOverlayError", "SandboxError", "SandboxError"},
			wantFingerprint: []string{"errcode", "SandboxError"},
			wantTags:        map[string]string{"errcode.code": "SandboxError", "errcode.retry": "transient"},
			wantFrom:        []string{"startVM", "bootSandbox", "bootSandbox"},
		},
		{
			desc:            "decoded: a code unknown here, under a known ancestor",
			giveErr:         func(t *testing.T) error { return roundTrip(t, restoreSnapshot(restore)) },
			wantTypes:       []string{"VmTransientError"},
			wantFingerprint: []string{"errcode", "VmTransientError"},
			wantTags: map[string]string{"errcode.code": "VmTransientError", "errcode.retry": "transient",
				"errcode.sent_code": "VmSnapshotRestoreError"},
			wantFrom: []string{"restoreSnapshot"},
		},
		{
			desc:      "decoded: a code unknown here, with no known ancestor",
			giveErr:   func(t *testing.T) error { return roundTripJSON(t, restoreSnapshot(peerOnly)) },
			wantTypes: []string{"PeerOnlyError"},
			wantTags:  map[string]string{"errcode.retry": "unspecified", "errcode.sent_code": "PeerOnlyError"},
			wantFrom:  []string{"restoreSnapshot"},
		},
		{
			desc:            "errors.Join",
			giveErr:         func(*testing.T) error { return join },
			wantTypes:       []string{"VmConfigError", "VmOverlayError", "VmOverlayError"},
			wantFingerprint: []string{"errcode", "VmOverlayError"},
			wantTags:        map[string]string{"errcode.code": "VmOverlayError", "errcode.retry": "permanent"},
			wantFrom:        []string{"TestCaptureException", "startVM", "TestCaptureException"},
		},
		{
			desc:            "decoded errors.Join",
			giveErr:         func(t *testing.T) error { return roundTrip(t, join) },
			wantTypes:       []string{"VmConfigError", "VmOverlayError", "VmOverlayError"},
			wantFingerprint: []string{"errcode", "VmOverlayError"},
			wantTags:        map[string]string{"errcode.code": "VmOverlayError", "errcode.retry": "permanent"},
			wantFrom:        []string{"TestCaptureException", "startVM", "TestCaptureException"},
		},
		{
			desc:            "stackless code",
			giveErr:         func(*testing.T) error { return errcode.VmCapacityError.New("pool full", "pool", secretField) },
			wantTypes:       []string{"VmCapacityError"},
			wantFingerprint: []string{"errcode", "VmCapacityError"},
			wantTags:        map[string]string{"errcode.code": "VmCapacityError", "errcode.retry": "transient"},
			wantFrom:        []string{""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			err := tt.giveErr(t)
			ev := capture(t, err)

			assert.Equal(t, tt.wantTypes, types(ev), "exception types")
			assert.Equal(t, tt.wantFingerprint, ev.Fingerprint, "fingerprint")
			for k, v := range tt.wantTags {
				assert.Equal(t, v, ev.Tags[k], "tag %s", k)
			}
			for _, k := range []string{"errcode.code", "errcode.sent_code"} {
				if _, ok := tt.wantTags[k]; !ok {
					assert.NotContains(t, ev.Tags, k)
				}
			}
			assert.Equal(t, sentry.LevelError, ev.Level)
			require.Len(t, ev.Exception, len(tt.wantFrom))
			for i, exc := range ev.Exception {
				if tt.wantFrom[i] == "" {
					assert.Nil(t, exc.Stacktrace, "exception %d has frames", i)
					continue
				}
				require.NotNil(t, exc.Stacktrace, "exception %d (%s) has no frames", i, exc.Type)
				fs := exc.Stacktrace.Frames
				require.NotEmpty(t, fs)
				// Oldest first: the newest frame, last, is the function that
				// made the layer; the test runner comes before it.
				newest := fs[len(fs)-1]
				assert.Equal(t, tt.wantFrom[i], newest.Function, "exception %d (%s): newest frame", i, exc.Type)
				assert.Equal(t, "github.com/errcode/errcode/errcodesentry_test", newest.Module)
				assert.True(t, strings.HasSuffix(newest.AbsPath, "errcodesentry/report_test.go"), "AbsPath %q", newest.AbsPath)
				assert.Positive(t, newest.Lineno)
				runner := slices.IndexFunc(fs, func(f sentry.Frame) bool { return f.Function == "tRunner" })
				assert.True(t, runner >= 0 && runner < len(fs)-1, "exception %d: the test runner's frame is not before the newest: %+v", i, fs)
			}
			assertNoLeak(t, ev)
		})
	}
}

// assertNoLeak checks that the event, as sent, holds no unsafe text and
// does hold the code names and Safe field values.
func assertNoLeak(t *testing.T, ev *sentry.Event) {
	t.Helper()
	b, err := json.Marshal(ev)
	require.NoError(t, err)
	s := string(b)
	for _, secret := range []string{secretArg, secretField} {
		assert.NotContains(t, s, secret)
	}
	if strings.Contains(ev.Message, "SandboxError") && strings.Contains(ev.Message, "stderr") {
		assert.Contains(t, s, safeField, "a Safe field is not shown")
	}
}

// The event's message and title show the code names, ancestry, retry
// decision and Safe fields, and nothing unsafe.
func TestBuildReportShowsSafeDetails(t *testing.T) {
	t.Parallel()
	for _, give := range []struct {
		desc string
		err  error
	}{
		{"live", bootSandbox()},
		{"decoded", roundTrip(t, bootSandbox())},
		{"decoded JSON", roundTripJSON(t, bootSandbox())},
	} {
		t.Run(give.desc, func(t *testing.T) {
			t.Parallel()
			ev, extras := errcodesentry.BuildReport(give.err)
			require.NotNil(t, ev)
			require.Contains(t, extras, "error types")
			for _, want := range []string{"SandboxError", "VmOverlayError", "VmTransientError TransientError SandboxError", "retry: transient", "pool: " + safeField} {
				assert.Contains(t, ev.Message, want)
			}
			assertNoLeak(t, ev)
			title := ev.Exception[len(ev.Exception)-1]
			assert.NotContains(t, title.Value, secretArg)
			assert.Equal(t, map[string]any{"code": "SandboxError", "sent_code": "SandboxError", "retry": "transient"},
				map[string]any(ev.Contexts["errcode"]))
		})
	}
}

// A decoded error gives the same exceptions, frames included, as the
// live one: the sender's frames, read from the stack that travelled.
// cockroachdb's own report of it has no frames for errcode's layers.
func TestDecodedFramesAreTheSenders(t *testing.T) {
	t.Parallel()
	live := errcode.SandboxError.Wrap(startVM(), "starting sandbox")
	liveEv, _ := errcodesentry.BuildReport(live)
	for _, dec := range []error{roundTrip(t, live), roundTripJSON(t, live)} {
		ev, _ := errcodesentry.BuildReport(dec)
		require.Len(t, ev.Exception, len(liveEv.Exception))
		for i, exc := range ev.Exception {
			assert.Equal(t, liveEv.Exception[i].Type, exc.Type)
			assert.Equal(t, liveEv.Exception[i].Stacktrace, exc.Stacktrace)
		}

		crdb, _ := errors.BuildSentryReport(dec)
		require.Len(t, crdb.Exception, 1)
		assert.Nil(t, crdb.Exception[0].Stacktrace, "errors.BuildSentryReport now finds decoded frames: this package may not need to")
	}
}

// Codes unknown here group under their nearest known ancestor, so a
// peer's new names do not make new issues; the context keeps the names
// as sent.
func TestUnknownCodesGroupUnderKnownAncestor(t *testing.T) {
	t.Parallel()
	restore, _ := peerCodes()
	r := errcode.NewRegistry()
	other := r.MustRegister("VmResumeError", r.MustRegister("VmTransientError", r.MustRegister("TransientError",
		r.MustRegister("SandboxError", errcode.Code{}), errcode.Transient)))

	a, _ := errcodesentry.BuildReport(roundTrip(t, restoreSnapshot(restore)))
	b, _ := errcodesentry.BuildReport(roundTrip(t, restoreSnapshot(other)))
	assert.Equal(t, a.Fingerprint, b.Fingerprint)
	assert.Equal(t, []string{"errcode", "VmTransientError"}, a.Fingerprint)
	assert.Equal(t, "VmResumeError", b.Tags["errcode.sent_code"])
	assert.Equal(t, sentry.Context{
		"code": "VmTransientError", "sent_code": "VmSnapshotRestoreError", "retry": "transient",
		"ancestors": []string{"VmTransientError", "TransientError", "SandboxError"},
	}, a.Contexts["errcode"])
}

// An error with no code gets errors.BuildSentryReport's event, at level
// error.
func TestNoCode(t *testing.T) {
	t.Parallel()
	for _, err := range []error{
		errors.Newf("plain %s", secretArg),
		fmt.Errorf("plain %s", secretArg),
	} {
		built, _ := errcodesentry.BuildReport(err)
		want, _ := errors.BuildSentryReport(err)
		want.Level = sentry.LevelError
		want.Timestamp = built.Timestamp
		assert.Equal(t, want, built)

		ev := capture(t, err)
		assert.Empty(t, ev.Fingerprint)
		assert.NotContains(t, ev.Tags, "errcode.code")
		assert.NotContains(t, ev.Tags, "errcode.retry")
		assert.NotContains(t, ev.Contexts, "errcode")
		assert.Equal(t, sentry.LevelError, ev.Level)
		assertNoLeak(t, ev)
	}
}

func TestNil(t *testing.T) {
	t.Parallel()
	ev, extras := errcodesentry.BuildReport(nil)
	assert.Nil(t, ev)
	assert.Nil(t, extras)

	rec := &recorder{}
	client, err := sentry.NewClient(sentry.ClientOptions{Transport: rec})
	require.NoError(t, err)
	assert.Nil(t, errcodesentry.CaptureException(sentry.NewHub(client, sentry.NewScope()), nil))
	assert.Empty(t, rec.events)
}

// CaptureException puts the extra details in contexts and gives
// BeforeSend the original error.
func TestCaptureExceptionContextsAndHint(t *testing.T) {
	t.Parallel()
	err := bootSandbox()
	var hinted error
	rec := &recorder{}
	client, cerr := sentry.NewClient(sentry.ClientOptions{Transport: rec,
		BeforeSend: func(ev *sentry.Event, hint *sentry.EventHint) *sentry.Event {
			hinted = hint.OriginalException
			return ev
		}})
	require.NoError(t, cerr)
	errcodesentry.CaptureException(sentry.NewHub(client, sentry.NewScope()), err)
	require.Len(t, rec.events, 1)
	assert.Equal(t, err, hinted)
	_, extras := errcodesentry.BuildReport(err)
	assert.Equal(t, sentry.Context{"value": extras["error types"]}, rec.events[0].Contexts["error types"])
}

// A nil hub is sentry.CurrentHub(); an event BeforeSend drops gives a nil
// ID.
func TestCaptureExceptionHub(t *testing.T) {
	rec := &recorder{}
	client, err := sentry.NewClient(sentry.ClientOptions{Transport: rec})
	require.NoError(t, err)
	prev := sentry.CurrentHub().Client()
	sentry.CurrentHub().BindClient(client)
	t.Cleanup(func() { sentry.CurrentHub().BindClient(prev) })
	assert.NotNil(t, errcodesentry.CaptureException(nil, startVM()))
	require.Len(t, rec.events, 1)
	assert.Equal(t, []string{"errcode", "VmOverlayError"}, rec.events[0].Fingerprint)

	dropping, err := sentry.NewClient(sentry.ClientOptions{Transport: rec,
		BeforeSend: func(*sentry.Event, *sentry.EventHint) *sentry.Event { return nil }})
	require.NoError(t, err)
	assert.Nil(t, errcodesentry.CaptureException(sentry.NewHub(dropping, sentry.NewScope()), startVM()))
	assert.Len(t, rec.events, 1)
}
