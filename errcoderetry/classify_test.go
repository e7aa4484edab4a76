package errcoderetry_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/url"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/cenkalti/backoff/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcodegrpc"
	"github.com/errcode/errcode/errcoderetry"
)

// grpcErr returns a status error of code c; with a RetryInfo detail whose
// retry_delay is delay when delay is non-nil.
func grpcErr(tb testing.TB, c codes.Code, delay *durationpb.Duration) error {
	tb.Helper()
	st := status.New(c, "from a server without errcode")
	if delay != nil {
		var err error
		st, err = st.WithDetails(&errdetails.RetryInfo{RetryDelay: delay})
		require.NoError(tb, err)
	}
	return st.Err()
}

// timeoutErr is a net.Error of its own, neither from package net nor a
// context error.
type timeoutErr struct{ timeout bool }

func (e timeoutErr) Error() string   { return fmt.Sprintf("timeout=%t", e.timeout) }
func (e timeoutErr) Timeout() bool   { return e.timeout }
func (e timeoutErr) Temporary() bool { return false }

func dialErr(errno syscall.Errno) error {
	return &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", errno)}
}

func TestDefaultClassifier(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc      string
		giveErr   error
		wantRetry errcode.Retry
		wantAfter time.Duration
	}{
		{desc: "nil", giveErr: nil, wantRetry: errcode.Unspecified},
		{desc: "plain error", giveErr: errors.New("plain"), wantRetry: errcode.Unspecified},

		{desc: "gRPC Unavailable", giveErr: grpcErr(t, codes.Unavailable, nil), wantRetry: errcode.Transient},
		{desc: "gRPC InvalidArgument", giveErr: grpcErr(t, codes.InvalidArgument, nil), wantRetry: errcode.Unspecified},
		{desc: "gRPC DeadlineExceeded", giveErr: grpcErr(t, codes.DeadlineExceeded, nil), wantRetry: errcode.Unspecified},
		{desc: "gRPC ResourceExhausted", giveErr: grpcErr(t, codes.ResourceExhausted, nil), wantRetry: errcode.Unspecified},
		{
			desc:      "gRPC ResourceExhausted with RetryInfo",
			giveErr:   grpcErr(t, codes.ResourceExhausted, durationpb.New(2*time.Second)),
			wantRetry: errcode.Transient,
			wantAfter: 2 * time.Second,
		},
		{
			desc:      "gRPC Aborted with RetryInfo without a delay",
			giveErr:   grpcErr(t, codes.Aborted, &durationpb.Duration{}),
			wantRetry: errcode.Transient,
		},
		{
			desc:      "gRPC Unavailable with a RetryInfo delay",
			giveErr:   grpcErr(t, codes.Unavailable, durationpb.New(1500*time.Millisecond)),
			wantRetry: errcode.Transient,
			wantAfter: 1500 * time.Millisecond,
		},
		{
			desc:      "negative retry_delay counts as 0",
			giveErr:   grpcErr(t, codes.Unavailable, durationpb.New(-time.Second)),
			wantRetry: errcode.Transient,
		},
		{
			desc:      "largest retry_delay saturates",
			giveErr:   grpcErr(t, codes.Unavailable, &durationpb.Duration{Seconds: math.MaxInt64}),
			wantRetry: errcode.Transient,
			wantAfter: math.MaxInt64,
		},
		{
			desc:      "gRPC status wrapped",
			giveErr:   fmt.Errorf("calling guest: %w", grpcErr(t, codes.Unavailable, nil)),
			wantRetry: errcode.Transient,
		},
		{
			desc:      "gRPC status under a code that decides nothing",
			giveErr:   errcode.CommunicationError.Wrap(grpcErr(t, codes.Unavailable, nil), "calling guest"),
			wantRetry: errcode.Transient,
		},
		{
			desc:      "errcodegrpc.DecodeError of an Unavailable status",
			giveErr:   &errcodegrpc.DecodeError{Status: status.New(codes.Unavailable, "x"), Err: errors.New("bad detail")},
			wantRetry: errcode.Transient,
		},
		{
			desc:      "a gRPC status decides alone",
			giveErr:   errors.Join(grpcErr(t, codes.InvalidArgument, nil), syscall.ECONNREFUSED),
			wantRetry: errcode.Unspecified,
		},

		{desc: "context.DeadlineExceeded", giveErr: context.DeadlineExceeded, wantRetry: errcode.Transient},
		{desc: "wrapped context.DeadlineExceeded", giveErr: fmt.Errorf("attempt: %w", context.DeadlineExceeded), wantRetry: errcode.Transient},
		{desc: "context.Canceled", giveErr: context.Canceled, wantRetry: errcode.Unspecified},
		{desc: "connection refused", giveErr: dialErr(syscall.ECONNREFUSED), wantRetry: errcode.Transient},
		{desc: "connection reset", giveErr: &url.Error{Op: "Get", URL: "http://x", Err: dialErr(syscall.ECONNRESET)}, wantRetry: errcode.Transient},
		{desc: "broken pipe", giveErr: dialErr(syscall.EPIPE), wantRetry: errcode.Unspecified},
		{desc: "net.Error timeout", giveErr: timeoutErr{timeout: true}, wantRetry: errcode.Transient},
		{desc: "net.Error not a timeout", giveErr: timeoutErr{}, wantRetry: errcode.Unspecified},
		{desc: "os.ErrDeadlineExceeded", giveErr: &net.OpError{Op: "read", Err: os.ErrDeadlineExceeded}, wantRetry: errcode.Transient},
		{desc: "DNS timeout", giveErr: &net.DNSError{Err: "timeout", IsTimeout: true}, wantRetry: errcode.Transient},
		{desc: "DNS not found", giveErr: &net.DNSError{Err: "no such host", IsNotFound: true}, wantRetry: errcode.Unspecified},
		{desc: "io.EOF", giveErr: io.EOF, wantRetry: errcode.Unspecified},
		{desc: "io.ErrUnexpectedEOF", giveErr: io.ErrUnexpectedEOF, wantRetry: errcode.Unspecified},
		{
			desc:      "io.ErrUnexpectedEOF of an HTTP client",
			giveErr:   &url.Error{Op: "Get", URL: "http://x", Err: io.ErrUnexpectedEOF},
			wantRetry: errcode.Unspecified,
		},
		{
			desc:      "errcode's decision is not the classifier's business",
			giveErr:   errcode.VmCapacityError.New("full"),
			wantRetry: errcode.Unspecified,
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			retry, after := errcoderetry.DefaultClassifier(tt.giveErr)
			assert.Equalf(t, tt.wantRetry, retry, "DefaultClassifier(%v) retry = %v; want %v", tt.giveErr, retry, tt.wantRetry)
			assert.Equalf(t, tt.wantAfter, after, "DefaultClassifier(%v) after = %v; want %v", tt.giveErr, after, tt.wantAfter)
		})
	}
}

// TestDoClassifies runs Do over errors errcode decides nothing about, and
// over errcode's decisions on top of them.
func TestDoClassifies(t *testing.T) {
	t.Parallel()
	const step = 10 * time.Millisecond
	unavailable := grpcErr(t, codes.Unavailable, nil)
	invalid := grpcErr(t, codes.InvalidArgument, nil)
	exhausted3s := grpcErr(t, codes.ResourceExhausted, durationpb.New(3*time.Second))
	http503 := errcode.WithHTTPStatus(errcode.WithRetry(errors.New("HTTP 503"), errcode.Transient), 503)
	http400 := errcode.WithHTTPStatus(errors.New("HTTP 400"), 400)
	unavailablePermanent := errcode.WithRetry(unavailable, errcode.Permanent)
	unavailableConfig := errcode.VmConfigError.Wrap(unavailable, "boot")
	refused := dialErr(syscall.ECONNREFUSED)
	unexpectedEOF := fmt.Errorf("reading reply: %w", io.ErrUnexpectedEOF)

	tests := []struct {
		desc         string
		giveErrs     []error
		giveOpts     []errcoderetry.Option
		wantAttempts int
		wantErr      error // compared by identity
		wantWaits    []time.Duration
	}{
		{desc: "raw gRPC Unavailable is retried", giveErrs: []error{unavailable}, wantAttempts: 2, wantWaits: []time.Duration{step}},
		{desc: "raw gRPC InvalidArgument is not", giveErrs: []error{invalid}, wantAttempts: 1, wantErr: invalid},
		{
			desc:         "RetryInfo's delay is the minimum wait",
			giveErrs:     []error{exhausted3s},
			wantAttempts: 2,
			wantWaits:    []time.Duration{3 * time.Second},
		},
		{
			desc:         "errcode's hint wins over RetryInfo's",
			giveErrs:     []error{errcode.WithRetryAfter(exhausted3s, time.Second)},
			wantAttempts: 2,
			wantWaits:    []time.Duration{time.Second},
		},
		{desc: "errcode's Permanent override wins", giveErrs: []error{unavailablePermanent}, wantAttempts: 1, wantErr: unavailablePermanent},
		{desc: "errcode's Permanent code wins", giveErrs: []error{unavailableConfig}, wantAttempts: 1, wantErr: unavailableConfig},
		{
			desc:         "errcode's Transient override wins",
			giveErrs:     []error{errcode.WithRetry(invalid, errcode.Transient)},
			wantAttempts: 2,
			wantWaits:    []time.Duration{step},
		},
		{desc: "HTTP 503 that carries errcode's decision", giveErrs: []error{http503}, wantAttempts: 2, wantWaits: []time.Duration{step}},
		{desc: "HTTP 400 without a decision", giveErrs: []error{http400}, wantAttempts: 1, wantErr: http400},
		{desc: "connection refused", giveErrs: []error{refused, refused}, wantAttempts: 3, wantWaits: []time.Duration{step, step}},
		{desc: "the attempt's deadline", giveErrs: []error{context.DeadlineExceeded}, wantAttempts: 2, wantWaits: []time.Duration{step}},
		{desc: "unexpected EOF", giveErrs: []error{unexpectedEOF}, wantAttempts: 1, wantErr: unexpectedEOF},
		{
			desc:     "a classifier that extends the default",
			giveErrs: []error{unexpectedEOF, unavailable, invalid},
			giveOpts: []errcoderetry.Option{errcoderetry.WithClassifier(func(err error) (errcode.Retry, time.Duration) {
				if errors.Is(err, io.ErrUnexpectedEOF) {
					return errcode.Transient, 0
				}
				return errcoderetry.DefaultClassifier(err)
			})},
			wantAttempts: 3,
			wantErr:      invalid,
			wantWaits:    []time.Duration{step, step},
		},
		{
			desc:     "a classifier that decides nothing leaves errcode alone",
			giveErrs: []error{capacity(), unavailable},
			giveOpts: []errcoderetry.Option{errcoderetry.WithClassifier(func(error) (errcode.Retry, time.Duration) {
				return errcode.Unspecified, 0
			})},
			wantAttempts: 2,
			wantErr:      unavailable,
			wantWaits:    []time.Duration{time.Second},
		},
		{
			desc:     "a classifier cannot overrule errcode",
			giveErrs: []error{unavailablePermanent},
			giveOpts: []errcoderetry.Option{errcoderetry.WithClassifier(func(error) (errcode.Retry, time.Duration) {
				return errcode.Transient, 0
			})},
			wantAttempts: 1,
			wantErr:      unavailablePermanent,
		},
		{
			desc:     "a classifier's hint",
			giveErrs: []error{invalid},
			giveOpts: []errcoderetry.Option{errcoderetry.WithClassifier(func(error) (errcode.Retry, time.Duration) {
				return errcode.Transient, 2 * time.Second
			})},
			wantAttempts: 2,
			wantWaits:    []time.Duration{2 * time.Second},
		},
		{
			desc:     "a classifier's negative hint is no hint",
			giveErrs: []error{invalid},
			giveOpts: []errcoderetry.Option{errcoderetry.WithClassifier(func(error) (errcode.Retry, time.Duration) {
				return errcode.Transient, -time.Hour
			})},
			wantAttempts: 2,
			wantWaits:    []time.Duration{step},
		},
		{
			desc:     "WithClassifier(nil) restores the default",
			giveErrs: []error{unavailable},
			giveOpts: []errcoderetry.Option{
				errcoderetry.WithClassifier(func(error) (errcode.Retry, time.Duration) { return errcode.Unspecified, 0 }),
				errcoderetry.WithClassifier(nil),
			},
			wantAttempts: 2,
			wantWaits:    []time.Duration{step},
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			op, calls := sequence(tt.giveErrs...)
			clk := &fakeClock{}
			opts := append([]errcoderetry.Option{
				errcoderetry.WithBackOff(backoff.NewConstantBackOff(step)),
				errcoderetry.WithClock(clk),
				errcoderetry.WithRetryAfterJitter(0),
			}, tt.giveOpts...)

			attempts, err := errcoderetry.Do(context.Background(), op, opts...)

			assert.Equalf(t, tt.wantAttempts, attempts, "Do() attempts = %d; want %d", attempts, tt.wantAttempts)
			assert.Equal(t, tt.wantAttempts, *calls, "op calls")
			assert.Truef(t, err == tt.wantErr, "Do() err = %v; want %v unchanged", err, tt.wantErr)
			assert.Equal(t, tt.wantWaits, clk.Waits(), "waits")
		})
	}
}

// TestDoClassifierNotAskedWhenErrcodeDecides checks that the classifier
// sees only errors whose errcode.RetryOf is Unspecified.
func TestDoClassifierNotAskedWhenErrcodeDecides(t *testing.T) {
	t.Parallel()
	plain := errors.New("plain")
	op, _ := sequence(capacity(), errcode.VmConfigError.New("bad"))
	var asked []error
	classify := func(err error) (errcode.Retry, time.Duration) {
		asked = append(asked, err)
		return errcode.Transient, 0
	}

	_, err := errcoderetry.Do(context.Background(), op, errcoderetry.WithClock(&fakeClock{}), errcoderetry.WithClassifier(classify))
	require.Error(t, err)
	assert.Empty(t, asked, "classifier calls for errors errcode decides")

	op, _ = sequence(plain)
	_, err = errcoderetry.Do(context.Background(), op, errcoderetry.WithClock(&fakeClock{}), errcoderetry.WithClassifier(classify))
	require.NoError(t, err)
	assert.Equal(t, []error{plain}, asked, "classifier calls")
}

// TestDoDeadlineOfDoNotRetried checks that a context.DeadlineExceeded,
// which the default classifier calls transient, is not retried once Do's
// own context has ended.
func TestDoDeadlineOfDoNotRetried(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	clk := &fakeClock{}

	attempts, err := errcoderetry.Do(ctx, func(context.Context) error {
		cancel(context.DeadlineExceeded)
		return context.DeadlineExceeded
	}, errcoderetry.WithClock(clk))

	assert.Equal(t, 1, attempts)
	assert.ErrorIs(t, err, context.Canceled, "ctx's error")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Empty(t, clk.Waits(), "no wait once ctx has ended")
}
