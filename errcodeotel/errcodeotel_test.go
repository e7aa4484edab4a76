package errcodeotel_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/cockroachdb/redact"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcodeotel"
)

// record returns the span that RecordError(span, err, opts...) left, as
// the SDK's in-memory recorder saw it end.
func record(tb testing.TB, err error, opts ...errcodeotel.Option) sdktrace.ReadOnlySpan {
	tb.Helper()
	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
	_, span := tp.Tracer("errcodeotel_test").Start(context.Background(), "op")
	errcodeotel.RecordError(span, err, opts...)
	span.End()
	ended := sr.Ended()
	require.Len(tb, ended, 1)
	return ended[0]
}

// attrs returns a span's or an event's attributes by key.
func attrs(kvs []attribute.KeyValue) map[attribute.Key]attribute.Value {
	m := make(map[attribute.Key]attribute.Value, len(kvs))
	for _, kv := range kvs {
		m[kv.Key] = kv.Value
	}
	return m
}

// everything returns all the text a span carries to a backend.
func everything(s sdktrace.ReadOnlySpan) string {
	out := fmt.Sprint(s.Name(), s.Status(), s.Attributes())
	for _, e := range s.Events() {
		out += fmt.Sprint(e.Name, e.Attributes)
	}
	return out
}

// roundTrip returns err after errcode.Encode and errcode.Decode.
func roundTrip(tb testing.TB, err error) error {
	tb.Helper()
	b, eerr := errcode.Encode(err)
	require.NoError(tb, eerr, "Encode(%v)", err)
	dec, derr := errcode.Decode(b)
	require.NoError(tb, derr, "Decode(Encode(%v))", err)
	return dec
}

func TestRecordError(t *testing.T) {
	t.Parallel()
	peer := errcode.NewRegistry()
	peerSandbox := peer.MustRegister("SandboxError", errcode.Code{})
	peerTransient := peer.MustRegister("TransientError", peerSandbox, errcode.Transient)
	peerRestore := peer.MustRegister("VmSnapshotRestoreError", peerTransient)
	peerOnly := peer.MustRegister("PeerOnlyError", errcode.Code{})
	peerOnlyChild := peer.MustRegister("PeerOnlyChildError", peerOnly, errcode.Permanent)

	capacity := func() error {
		return errcode.SandboxError.Wrap(
			errcode.VmCapacityError.New("pool full", "tenant", "secret-field", "pool", errcode.Safe("pool-a")),
			"start")
	}
	tests := []struct {
		desc           string
		giveErr        error
		wantType       string
		wantCode       string   // "": no errcode.code attribute
		wantAncestors  []string // nil: no errcode.ancestors attribute
		wantRetry      string
		wantRetryAfter float64 // 0: no errcode.retry_after attribute
		wantNotIn      []string
	}{
		{
			desc:          "live leaf with a Newf argument",
			giveErr:       errcode.VmConfigError.Newf("vcpus for %s", "secret-arg"),
			wantType:      "VmConfigError",
			wantCode:      "VmConfigError",
			wantAncestors: []string{"VmPermanentError", "PermanentError", "SandboxError"},
			wantRetry:     "permanent",
			wantNotIn:     []string{"secret-arg"},
		},
		{
			desc:           "live wrapper with an unmarked field: the outermost code",
			giveErr:        capacity(),
			wantType:       "SandboxError",
			wantCode:       "SandboxError",
			wantRetry:      "transient",
			wantRetryAfter: 1,
			wantNotIn:      []string{"secret-field"},
		},
		{
			desc:           "decoded wrapper",
			giveErr:        roundTrip(t, capacity()),
			wantType:       "SandboxError",
			wantCode:       "SandboxError",
			wantRetry:      "transient",
			wantRetryAfter: 1,
			wantNotIn:      []string{"secret-field"},
		},
		{
			desc:          "fmt.Errorf-wrapped",
			giveErr:       fmt.Errorf("rpc %s: %w", "secret-prefix", errcode.VmBootTimeoutError.New("boot")),
			wantType:      "VmBootTimeoutError",
			wantCode:      "VmBootTimeoutError",
			wantAncestors: []string{"VmTransientError", "TransientError", "SandboxError"},
			wantRetry:     "transient",
			wantNotIn:     []string{"secret-prefix"},
		},
		{
			desc: "overrides",
			giveErr: errcode.WithRetryAfter(errcode.WithRetry(
				errcode.WithFields(errcode.VmConfigError.New("bad"), "vm", "secret-vm"), errcode.Transient), 2500*time.Millisecond),
			wantType:       "VmConfigError",
			wantCode:       "VmConfigError",
			wantAncestors:  []string{"VmPermanentError", "PermanentError", "SandboxError"},
			wantRetry:      "transient",
			wantRetryAfter: 2.5,
			wantNotIn:      []string{"secret-vm"},
		},
		{
			desc:          "decoded code this process lacks entirely: _OTHER, the sender's names",
			giveErr:       roundTrip(t, peerOnlyChild.Newf("lost %s", "secret-peer")),
			wantType:      "_OTHER",
			wantCode:      "PeerOnlyChildError",
			wantAncestors: []string{"PeerOnlyError"},
			wantRetry:     "permanent",
			wantNotIn:     []string{"secret-peer"},
		},
		{
			desc:          "decoded code this process lacks: its nearest known ancestor, the sender's names",
			giveErr:       roundTrip(t, peerRestore.New("restore")),
			wantType:      "TransientError",
			wantCode:      "VmSnapshotRestoreError",
			wantAncestors: []string{"TransientError", "SandboxError"},
			wantRetry:     "transient",
		},
		{
			desc:      "plain error",
			giveErr:   errors.New("secret-plain"),
			wantType:  "*errors.errorString",
			wantRetry: "unspecified",
			wantNotIn: []string{"secret-plain"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			s := record(t, tt.giveErr)
			got := attrs(s.Attributes())

			assert.Equal(t, tt.wantType, got[semconv.ErrorTypeKey].AsString(), "error.type")
			assert.Equal(t, semconv.ErrorType(tt.giveErr).Value, got[semconv.ErrorTypeKey], "error.type is semconv.ErrorType(err)")
			if tt.wantCode == "" {
				assert.NotContains(t, got, errcodeotel.CodeKey)
			} else {
				assert.Equal(t, tt.wantCode, got[errcodeotel.CodeKey].AsString(), "errcode.code")
			}
			if tt.wantAncestors == nil {
				assert.NotContains(t, got, errcodeotel.AncestorsKey)
			} else {
				assert.Equal(t, tt.wantAncestors, got[errcodeotel.AncestorsKey].AsStringSlice(), "errcode.ancestors")
			}
			assert.Equal(t, tt.wantRetry, got[errcodeotel.RetryKey].AsString(), "errcode.retry")
			if tt.wantRetryAfter == 0 {
				assert.NotContains(t, got, errcodeotel.RetryAfterKey)
			} else {
				assert.Equal(t, attribute.FLOAT64, got[errcodeotel.RetryAfterKey].Type())
				assert.Equal(t, tt.wantRetryAfter, got[errcodeotel.RetryAfterKey].AsFloat64(), "errcode.retry_after")
			}

			wantMsg := string(redact.Sprint(tt.giveErr).Redact())
			assert.Equal(t, codes.Error, s.Status().Code)
			assert.Equal(t, wantMsg, s.Status().Description, "status description")

			require.Len(t, s.Events(), 1)
			ev := s.Events()[0]
			assert.Equal(t, semconv.ExceptionEventName, ev.Name)
			evAttrs := attrs(ev.Attributes)
			assert.Equal(t, tt.wantType, evAttrs[semconv.ExceptionTypeKey].AsString(), "exception.type")
			assert.Equal(t, wantMsg, evAttrs[semconv.ExceptionMessageKey].AsString(), "exception.message")

			all := everything(s)
			for _, secret := range tt.wantNotIn {
				assert.NotContains(t, all, secret, "unsafe text on the span")
			}
			if tt.wantCode != "" {
				assert.Contains(t, all, tt.wantCode, "the code's name on the span")
			}
		})
	}
}

// TestRecordErrorRedactedForm checks that the message shows cockroachdb's
// redaction marker where a Newf argument or a plain error's text was, and
// holds no field value.
func TestRecordErrorRedactedForm(t *testing.T) {
	t.Parallel()
	for _, err := range []error{
		errcode.VmConfigError.Newf("vcpus for %s", "secret-arg"),
		errcode.VmConfigError.Wrap(errors.New("secret-plain"), ""),
	} {
		s := record(t, err)
		assert.Contains(t, s.Status().Description, "‹×›", "the redaction marker for %q", err)
		assert.NotContains(t, everything(s), "secret-", "unsafe text on the span for %q", err)
	}
	// A New message is a safe literal, as cockroachdb's errors.New's is;
	// an unmarked field value is still left out.
	s := record(t, errcode.VmConfigError.New("bad", "vm", "secret-field"))
	assert.Equal(t, "bad", s.Status().Description)
	assert.NotContains(t, everything(s), "secret-", "unsafe field on the span")
}

func TestRecordErrorUnredacted(t *testing.T) {
	t.Parallel()
	err := errcode.VmConfigError.Newf("vcpus for %s", "tenant-a")
	s := record(t, err, nil, errcodeotel.WithUnredactedMessage())
	assert.Equal(t, err.Error(), s.Status().Description)
	require.Len(t, s.Events(), 1)
	assert.Equal(t, err.Error(), attrs(s.Events()[0].Attributes)[semconv.ExceptionMessageKey].AsString())
	assert.Equal(t, "VmConfigError", attrs(s.Attributes())[semconv.ErrorTypeKey].AsString())
}

func TestRecordErrorNoOp(t *testing.T) {
	t.Parallel()
	s := record(t, nil)
	assert.Empty(t, s.Attributes(), "attributes for a nil err")
	assert.Empty(t, s.Events(), "events for a nil err")
	assert.Equal(t, codes.Unset, s.Status().Code, "status for a nil err")

	// Neither a nil span nor a span that is not recording panics.
	errcodeotel.RecordError(nil, errcode.VmConfigError.New("x"))
	errcodeotel.RecordError(trace.SpanFromContext(context.Background()), errcode.VmConfigError.New("x"))
}
