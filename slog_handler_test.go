package errcode_test

import (
	"bytes"
	"context"
	"encoding/json"
	stderrors "errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"testing/slogtest"
	"time"

	"github.com/cockroachdb/errors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
)

func TestSafeHandlerIsAHandler(t *testing.T) {
	var buf *bytes.Buffer
	slogtest.Run(t, func(*testing.T) slog.Handler {
		buf = new(bytes.Buffer)
		return errcode.NewSafeHandler(slog.NewJSONHandler(buf, nil))
	}, func(t *testing.T) map[string]any {
		var m map[string]any
		require.NoError(t, json.Unmarshal(buf.Bytes(), &m), buf.String())
		return m
	})
}

func TestNewSafeHandler(t *testing.T) {
	t.Parallel()
	assert.PanicsWithValue(t, "errcode: NewSafeHandler called with a nil Handler", func() { errcode.NewSafeHandler(nil) })
	h := errcode.NewSafeHandler(slog.DiscardHandler)
	assert.Same(t, h, errcode.NewSafeHandler(h), "NewSafeHandler of a safe handler is not that handler")
}

// errValuer is a LogValuer whose value is an error, or a group holding
// one; it counts its calls.
type errValuer struct {
	err   error
	group bool
	calls *atomic.Int32
}

func (v errValuer) LogValue() slog.Value {
	v.calls.Add(1)
	if v.group {
		return slog.GroupValue(slog.Int("id", 7), slog.Any("err", v.err))
	}
	return slog.AnyValue(v.err)
}

// secretErr returns an errcode error whose message, Newf argument,
// fields and wrapping texts hold "secret", wrapped as desc says, and two
// fields marked safe.
func secretErrs() map[string]error {
	leaf := errcode.VmBootTimeoutError.Newf("boot of %s timed out", "secret-vm")
	// A New or Wrap message is a safe literal: the secret is a Wrapf
	// argument.
	coded := errcode.WithFields(errcode.SandboxError.Wrapf(leaf, "start %s", "secret-vm"),
		"tenant", "secret-tenant", "vcpus", errcode.Safe(4), "attempt", errcode.Safe(2))
	return map[string]error{
		"errcode's own":      coded,
		"fmt.Errorf":         fmt.Errorf("request of secret-user: %w", coded),
		"cockroachdb's Wrap": errors.Wrapf(coded, "request of %s", "secret-user"),
		"errors.Join":        stderrors.Join(coded, stderrors.New("secret-other")),
		"plain error":        stderrors.New("secret-plain"),
		"WithFields":         errcode.WithFields(stderrors.New("secret-plain"), "vcpus", errcode.Safe(4), "tenant", "secret-tenant"),
	}
}

// safeRoutes log err as the attribute or inside the group "err" in every
// way a program can.
var safeRoutes = map[string]func(l *slog.Logger, err error, calls *atomic.Int32){
	"attribute": func(l *slog.Logger, err error, _ *atomic.Int32) { l.Error("failed", "user", "alice", "err", err) },
	"slog.Any":  func(l *slog.Logger, err error, _ *atomic.Int32) { l.Error("failed", slog.Any("err", err)) },
	"in a group": func(l *slog.Logger, err error, _ *atomic.Int32) {
		l.Error("failed", slog.Group("req", "id", 7, "err", err))
	},
	"With": func(l *slog.Logger, err error, _ *atomic.Int32) { l.With("err", err).Error("failed") },
	"With in a group": func(l *slog.Logger, err error, _ *atomic.Int32) {
		l.With(slog.Group("req", "err", err)).Error("failed")
	},
	"WithGroup": func(l *slog.Logger, err error, _ *atomic.Int32) { l.WithGroup("g").Error("failed", "err", err) },
	"LogValuer": func(l *slog.Logger, err error, calls *atomic.Int32) {
		l.Error("failed", "v", errValuer{err: err, calls: calls})
	},
	"LogValuer of a group": func(l *slog.Logger, err error, calls *atomic.Int32) {
		l.Error("failed", "v", errValuer{err: err, group: true, calls: calls})
	},
}

func TestSafeHandlerLogsNothingUnsafe(t *testing.T) {
	t.Parallel()
	inners := map[string]func(*bytes.Buffer) slog.Handler{
		"JSON": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		"Text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	}
	for errName, err := range secretErrs() {
		for route, log := range safeRoutes {
			for inner, newInner := range inners {
				t.Run(errName+"/"+route+"/"+inner, func(t *testing.T) {
					t.Parallel()
					var buf bytes.Buffer
					var calls atomic.Int32
					log(slog.New(errcode.NewSafeHandler(newInner(&buf))), err, &calls)
					out := buf.String()
					assert.NotContains(t, out, "secret", "unsafe text reached the output")
					assert.Contains(t, out, "‹×›", "the redaction mark is missing")
					assert.Contains(t, out, "retry", "the error did not log as the group")
					if errcode.CodeOf(err) == errcode.SandboxError {
						assert.Contains(t, out, "SandboxError")
						assert.Contains(t, out, "VmBootTimeoutError")
					}
					if len(errcode.Fields(err)) > 0 {
						assert.Contains(t, out, "vcpus")
					}
					if strings.HasPrefix(route, "LogValuer") {
						assert.Equal(t, int32(1), calls.Load(), "LogValue called %d times; want once", calls.Load())
					}
				})
			}
		}
	}
}

// logSafe logs kv through NewSafeHandler over slog's JSON handler and
// returns the record, parsed, without time and level.
func logSafe(t *testing.T, kv ...any) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	slog.New(errcode.NewSafeHandler(slog.NewJSONHandler(&buf, nil))).Error("failed", kv...)
	var rec map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &rec), buf.String())
	delete(rec, slog.TimeKey)
	delete(rec, slog.LevelKey)
	return rec
}

// panicValuer panics in LogValue with a secret.
type panicValuer struct{}

func (panicValuer) LogValue() slog.Value { panic("secret-panic") }

// loopValuer returns itself from LogValue.
type loopValuer struct{}

func (l loopValuer) LogValue() slog.Value { return slog.AnyValue(l) }

func TestSafeHandlerGroup(t *testing.T) {
	t.Parallel()
	leaf := errors.Newf("pool %s is full", "secret-pool")
	capacity := errcode.VmCapacityError.Wrap(leaf, "", "pool", "secret-pool", "waiting", errcode.Safe(3))
	var nilPtr *nilErr
	tests := []struct {
		desc string
		give []any
		want map[string]any
	}{
		{
			desc: "safe fields only",
			give: []any{"err", capacity},
			want: map[string]any{"msg": "failed", "err": map[string]any{
				"message": "pool ‹×› is full", "code": "VmCapacityError", "codes": []any{"VmCapacityError"},
				"retry": "transient", "retry_after": "1s", "fields": map[string]any{"waiting": float64(3)},
			}},
		},
		{
			desc: "an unsafe outer value hides a safe inner one",
			give: []any{"err", errcode.WithFields(capacity, "waiting", 4)},
			want: map[string]any{"msg": "failed", "err": map[string]any{
				"message": "pool ‹×› is full", "code": "VmCapacityError", "codes": []any{"VmCapacityError"},
				"retry": "transient", "retry_after": "1s",
			}},
		},
		{
			desc: "non-error attributes and the message are untouched",
			give: []any{"user", "alice", "n", 3, slog.Group("g", "s", "text")},
			want: map[string]any{"msg": "failed", "user": "alice", "n": float64(3), "g": map[string]any{"s": "text"}},
		},
		{
			desc: "nil and nil pointer",
			give: []any{"err", error(nil), "ptr", nilPtr},
			want: map[string]any{"msg": "failed", "err": nil, "ptr": "<nil>"},
		},
		{
			desc: "a LogValuer that panics",
			give: []any{"v", panicValuer{}},
			want: map[string]any{"msg": "failed", "v": "LogValue panicked: ‹×›"},
		},
		{
			desc: "a LogValuer that never ends",
			give: []any{"v", loopValuer{}},
			want: map[string]any{"msg": "failed", "v": "LogValue called too many times on Value of type errcode_test.loopValuer"},
		},
		{
			desc: "a group already made is not an error",
			give: []any{"err", errcode.LogValue(errcode.VmCapacityError.New("secret-pool full"))},
			want: map[string]any{"msg": "failed", "err": map[string]any{
				"message": "secret-pool full", "code": "VmCapacityError", "codes": []any{"VmCapacityError"},
				"retry": "transient", "retry_after": "1s",
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, logSafe(t, tt.give...))
		})
	}
}

// TestSafeHandlerREADME runs README's NewSafeHandler snippet.
func TestSafeHandlerREADME(t *testing.T) {
	t.Parallel()
	err := errcode.SandboxError.Wrap(errcode.VmCapacityError.New("pool full", "pool", "default"), "start vm")
	got := logSafe(t, "vm", 7, "err", fmt.Errorf("vm 7: %w", err))
	group, ok := got["err"].(map[string]any)
	require.True(t, ok, "err is not a group: %v", got)
	msg, _ := group["message"].(string)
	assert.True(t, strings.HasPrefix(msg, "‹×›: "), "message = %q; want the fmt.Errorf prefix redacted", msg)
	delete(group, "message")
	assert.Equal(t, map[string]any{
		"msg": "failed", "vm": float64(7), "err": map[string]any{
			"code": "SandboxError", "codes": []any{"SandboxError", "VmCapacityError"},
			"retry": "transient", "retry_after": "1s",
		},
	}, got)
}

// recorder is a Handler that keeps the last record it was handed.
type recorder struct {
	slog.Handler
	last slog.Record
}

func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	r.last = rec
	return nil
}

func TestSafeHandlerPassesRecordsWithoutErrors(t *testing.T) {
	t.Parallel()
	rec := &recorder{Handler: slog.DiscardHandler}
	h := errcode.NewSafeHandler(rec)
	r := slog.NewRecord(time.Now(), slog.LevelInfo, "m", 0)
	r.AddAttrs(slog.String("a", "b"), slog.Int("n", 1))
	require.NoError(t, h.Handle(context.Background(), r))
	assert.Equal(t, fmt.Sprint(r), fmt.Sprint(rec.last))

	r.AddAttrs(slog.Any("err", io.EOF))
	require.NoError(t, h.Handle(context.Background(), r))
	var got []string
	rec.last.Attrs(func(a slog.Attr) bool {
		got = append(got, a.String())
		return true
	})
	assert.Equal(t, []string{"a=b", "n=1", "err=[message=‹×› retry=unspecified]"}, got)
	assert.Equal(t, r.Time, rec.last.Time)
	assert.Equal(t, r.Level, rec.last.Level)
	assert.Equal(t, r.Message, rec.last.Message)
}
