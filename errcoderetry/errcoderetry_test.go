package errcoderetry_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/cenkalti/backoff/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcoderetry"
)

// fakeClock records the waits asked of it and fires each at once,
// advancing its time by the wait. If blockAt is n > 0, the n-th wait
// instead calls onBlock and never fires (fires at once if fireOnBlock).
type fakeClock struct {
	blockAt     int
	onBlock     func()
	fireOnBlock bool

	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	if len(c.waits) == c.blockAt {
		c.onBlock()
		if !c.fireOnBlock {
			return make(chan time.Time)
		}
	}
	c.now = c.now.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

func (c *fakeClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

// sequence returns an operation that returns errs one per call, then nil,
// and a counter of its calls.
func sequence(errs ...error) (func(context.Context) error, *int) {
	calls := new(int)
	return func(context.Context) error {
		*calls++
		if *calls <= len(errs) {
			return errs[*calls-1]
		}
		return nil
	}, calls
}

// repeat returns n errors made by newErr.
func repeat(n int, newErr func() error) []error {
	out := make([]error, n)
	for i := range out {
		out[i] = newErr()
	}
	return out
}

func capacity() error    { return errcode.VmCapacityError.New("pool full") }
func bootTimeout() error { return errcode.VmBootTimeoutError.New("agent not ready") }

func TestDo(t *testing.T) {
	t.Parallel()

	const step = 10 * time.Millisecond
	permanent := errcode.VmConfigError.New("bad vcpu count")
	plain := errors.New("plain")
	capacityFor3s := errcode.WithRetryAfter(capacity(), 3*time.Second)
	bootFor2s := errcode.WithRetryAfter(bootTimeout(), 2*time.Second)
	timeouts := repeat(5, bootTimeout)
	capacities := repeat(5, capacity)

	tests := []struct {
		desc         string
		giveErrs     []error
		giveOpts     []errcoderetry.Option // step is the backoff, with no jitter, unless these set one
		wantAttempts int
		wantErr      error // compared by identity: Do must not wrap it
		wantWaits    []time.Duration
	}{
		{
			desc:         "success on first try",
			wantAttempts: 1,
		},
		{
			desc:         "transient without hint waits the backoff",
			giveErrs:     timeouts[:2],
			wantAttempts: 3,
			wantWaits:    []time.Duration{step, step},
		},
		{
			desc:         "code's retry-after is the minimum wait",
			giveErrs:     capacities[:2],
			wantAttempts: 3,
			wantWaits:    []time.Duration{time.Second, time.Second},
		},
		{
			desc:         "per-error retry-after overrides the code's",
			giveErrs:     []error{capacityFor3s, capacityFor3s},
			wantAttempts: 3,
			wantWaits:    []time.Duration{3 * time.Second, 3 * time.Second},
		},
		{
			desc:         "per-error retry-after on a code without one",
			giveErrs:     []error{bootFor2s, timeouts[0]},
			wantAttempts: 3,
			wantWaits:    []time.Duration{2 * time.Second, step},
		},
		{
			desc:         "backoff longer than the hint wins",
			giveErrs:     capacities[:2],
			giveOpts:     []errcoderetry.Option{errcoderetry.WithBackOff(backoff.NewConstantBackOff(5 * time.Second))},
			wantAttempts: 3,
			wantWaits:    []time.Duration{5 * time.Second, 5 * time.Second},
		},
		{
			desc:         "permanent error is returned at once",
			giveErrs:     []error{permanent},
			wantAttempts: 1,
			wantErr:      permanent,
		},
		{
			desc:         "unspecified plain error is not retried",
			giveErrs:     []error{plain},
			wantAttempts: 1,
			wantErr:      plain,
		},
		{
			desc:         "plain error overridden to transient is retried",
			giveErrs:     []error{errcode.WithRetry(plain, errcode.Transient)},
			wantAttempts: 2,
			wantWaits:    []time.Duration{step},
		},
		{
			desc:         "transient then permanent",
			giveErrs:     []error{timeouts[0], permanent},
			wantAttempts: 2,
			wantErr:      permanent,
			wantWaits:    []time.Duration{step},
		},
		{
			desc:         "max attempts returns the last error",
			giveErrs:     timeouts,
			giveOpts:     []errcoderetry.Option{errcoderetry.WithMaxAttempts(3)},
			wantAttempts: 3,
			wantErr:      timeouts[2],
			wantWaits:    []time.Duration{step, step},
		},
		{
			desc:         "max attempts of 1 never waits",
			giveErrs:     timeouts,
			giveOpts:     []errcoderetry.Option{errcoderetry.WithMaxAttempts(1)},
			wantAttempts: 1,
			wantErr:      timeouts[0],
		},
		{
			desc:         "max elapsed stops before a wait that would pass it",
			giveErrs:     capacities,
			giveOpts:     []errcoderetry.Option{errcoderetry.WithMaxElapsed(2500 * time.Millisecond)},
			wantAttempts: 3,
			wantErr:      capacities[2],
			wantWaits:    []time.Duration{time.Second, time.Second},
		},
		{
			desc:         "backoff Stop ends the run",
			giveErrs:     timeouts,
			giveOpts:     []errcoderetry.Option{errcoderetry.WithBackOff(&backoff.StopBackOff{})},
			wantAttempts: 1,
			wantErr:      timeouts[0],
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
				errcoderetry.WithRetryAfterJitter(0), // TestDoWaits tests the jitter
			}, tt.giveOpts...)

			attempts, err := errcoderetry.Do(context.Background(), op, opts...)

			assert.Equalf(t, tt.wantAttempts, attempts, "Do() attempts = %d; want %d", attempts, tt.wantAttempts)
			assert.Equal(t, tt.wantAttempts, *calls, "op calls")
			assert.Truef(t, err == tt.wantErr, "Do() err = %v; want %v unchanged", err, tt.wantErr)
			assert.Equal(t, tt.wantWaits, clk.Waits(), "waits")
		})
	}
}

func TestDoErrorKeepsItsCode(t *testing.T) {
	t.Parallel()
	permanent := errcode.VmConfigError.New("bad vcpu count")
	op, _ := sequence(permanent)

	_, err := errcoderetry.Do(context.Background(), op, errcoderetry.WithClock(&fakeClock{}))

	assert.True(t, errcode.Is(err, errcode.VmConfigError), "errcode.Is(err, VmConfigError)")
	assert.True(t, errors.Is(err, errcode.PermanentError), "errors.Is(err, PermanentError)")
	assert.Equal(t, errcode.VmConfigError, errcode.CodeOf(err))
	assert.Equal(t, errcode.Permanent, errcode.RetryOf(err))
}

func TestDoDefaultBackOff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc     string
		giveErrs []error
		wantMin  time.Duration
		wantMax  time.Duration // of the first wait
	}{
		{
			// ExponentialBackOff defaults: 500ms ± 50%.
			desc:     "jittered around 500ms",
			giveErrs: repeat(5, bootTimeout),
			wantMin:  250 * time.Millisecond,
			wantMax:  750*time.Millisecond + time.Nanosecond,
		},
		{
			// The hint, plus up to DefaultRetryAfterJitter of it.
			desc:     "never below the 1s hint",
			giveErrs: repeat(5, capacity),
			wantMin:  time.Second,
			wantMax:  1200*time.Millisecond - time.Nanosecond,
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			op, _ := sequence(tt.giveErrs...)
			clk := &fakeClock{}

			attempts, err := errcoderetry.Do(context.Background(), op, errcoderetry.WithClock(clk))

			require.NoError(t, err)
			assert.Equal(t, len(tt.giveErrs)+1, attempts)
			waits := clk.Waits()
			require.Len(t, waits, len(tt.giveErrs))
			assert.GreaterOrEqual(t, waits[0], tt.wantMin, "first wait")
			assert.LessOrEqual(t, waits[0], tt.wantMax, "first wait")
			for i, w := range waits {
				assert.GreaterOrEqualf(t, w, errcode.RetryAfterOf(tt.giveErrs[i]), "wait %d = %v; want >= the hint", i, w)
			}
		})
	}
}

func TestDoNotify(t *testing.T) {
	t.Parallel()
	type call struct {
		err     error
		wait    time.Duration
		attempt int
	}
	errs := []error{capacity(), bootTimeout(), capacity()}
	op, _ := sequence(errs...)
	clk := &fakeClock{}
	var got []call

	attempts, err := errcoderetry.Do(context.Background(), op,
		errcoderetry.WithClock(clk),
		errcoderetry.WithBackOff(backoff.NewConstantBackOff(100*time.Millisecond)),
		errcoderetry.WithRetryAfterJitter(0),
		errcoderetry.WithNotify(func(err error, wait time.Duration, attempt int) {
			got = append(got, call{err, wait, attempt})
		}))

	require.NoError(t, err)
	assert.Equal(t, 4, attempts)
	want := []call{
		{errs[0], time.Second, 1},
		{errs[1], 100 * time.Millisecond, 2},
		{errs[2], time.Second, 3},
	}
	assert.Equal(t, want, got)
	assert.Equal(t, []time.Duration{time.Second, 100 * time.Millisecond, time.Second}, clk.Waits(),
		"the clock waits what notify was told")
}

func TestDoNotifyNotCalledForFinalError(t *testing.T) {
	t.Parallel()
	op, _ := sequence(repeat(3, capacity)...)
	notified := 0

	attempts, err := errcoderetry.Do(context.Background(), op,
		errcoderetry.WithClock(&fakeClock{}),
		errcoderetry.WithMaxAttempts(2),
		errcoderetry.WithNotify(func(error, time.Duration, int) { notified++ }))

	require.Error(t, err)
	assert.Equal(t, 2, attempts)
	assert.Equal(t, 1, notified, "notify calls")
}

func TestDoContext(t *testing.T) {
	t.Parallel()
	errCause := errors.New("shutting down")
	tests := []struct {
		desc         string
		giveCancel   func(context.CancelCauseFunc) // how the second wait ends ctx
		giveFire     bool                          // the second wait also ends
		wantAttempts int
		wantIs       []error
	}{
		{
			desc:         "cancelled during the wait",
			giveCancel:   func(cancel context.CancelCauseFunc) { cancel(nil) },
			wantAttempts: 2,
			wantIs:       []error{context.Canceled},
		},
		{
			desc:         "cancelled with a cause",
			giveCancel:   func(cancel context.CancelCauseFunc) { cancel(errCause) },
			wantAttempts: 2,
			wantIs:       []error{context.Canceled, errCause},
		},
		{
			desc:         "cancelled as the wait ends",
			giveCancel:   func(cancel context.CancelCauseFunc) { cancel(nil) },
			giveFire:     true,
			wantAttempts: 2,
			wantIs:       []error{context.Canceled},
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			last := capacity()
			op, _ := sequence(bootTimeout(), last, capacity())
			clk := &fakeClock{blockAt: 2, onBlock: func() { tt.giveCancel(cancel) }, fireOnBlock: tt.giveFire}

			attempts, err := errcoderetry.Do(ctx, op, errcoderetry.WithClock(clk))

			assert.Equal(t, tt.wantAttempts, attempts)
			require.Error(t, err)
			assert.ErrorIs(t, err, ctx.Err())
			for _, target := range tt.wantIs {
				assert.ErrorIs(t, err, target)
			}
			assert.ErrorIs(t, err, last, "the last operation error")
			assert.True(t, errcode.Is(err, errcode.VmCapacityError), "errcode.Is(err, VmCapacityError)")
			assert.Equal(t, errcode.VmCapacityError, errcode.CodeOf(err))
			assert.Len(t, clk.Waits(), 2)
		})
	}
}

func TestDoContextDoneBeforeFirstAttempt(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	op, calls := sequence()

	attempts, err := errcoderetry.Do(ctx, op, errcoderetry.WithClock(&fakeClock{}))

	assert.Equal(t, 0, attempts)
	assert.Equal(t, 0, *calls, "op calls")
	assert.ErrorIs(t, err, context.Canceled)
}

func TestDoContextDoneAfterAttempt(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	last := bootTimeout()
	clk := &fakeClock{}

	attempts, err := errcoderetry.Do(ctx, func(context.Context) error {
		cancel() // the operation fails as its context ends
		return last
	}, errcoderetry.WithClock(clk))

	assert.Equal(t, 1, attempts)
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, last)
	assert.Empty(t, clk.Waits(), "no wait once ctx has ended")
}

// TestDoContextDeadlineRealClock waits on the real clock: a wait that
// would outlast ctx's deadline is not started, and Do returns op's error
// itself, not ctx's.
func TestDoContextDeadlineRealClock(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	last := errcode.WithRetryAfter(capacity(), 2*time.Minute)
	op, _ := sequence(last)

	attempts, err := errcoderetry.Do(ctx, op)

	assert.Equal(t, 1, attempts)
	assert.Truef(t, err == last, "Do() err = %v; want op's error unchanged", err)
	assert.NoError(t, ctx.Err(), "Do returned before ctx ended")
}

func TestDoValue(t *testing.T) {
	t.Parallel()
	permanent := errcode.VmConfigError.New("bad")
	tests := []struct {
		desc         string
		giveErrs     []error
		wantValue    int
		wantAttempts int
		wantErr      error
	}{
		{desc: "first try", wantValue: 1, wantAttempts: 1},
		{desc: "after retries", giveErrs: repeat(2, capacity), wantValue: 3, wantAttempts: 3},
		{desc: "permanent", giveErrs: []error{permanent}, wantValue: -1, wantAttempts: 1, wantErr: permanent},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			calls := 0
			op := func(context.Context) (int, error) {
				calls++
				if calls <= len(tt.giveErrs) {
					return -1, tt.giveErrs[calls-1]
				}
				return calls, nil
			}

			v, attempts, err := errcoderetry.DoValue(context.Background(), op, errcoderetry.WithClock(&fakeClock{}))

			assert.Equalf(t, tt.wantValue, v, "DoValue() value = %d; want %d", v, tt.wantValue)
			assert.Equal(t, tt.wantAttempts, attempts)
			assert.Truef(t, err == tt.wantErr, "DoValue() err = %v; want %v unchanged", err, tt.wantErr)
		})
	}
}

func TestDoResetsBackOff(t *testing.T) {
	t.Parallel()
	b := &backoff.ExponentialBackOff{
		InitialInterval: time.Millisecond,
		Multiplier:      2,
		MaxInterval:     time.Second,
	}
	for run := range 2 {
		op, _ := sequence(repeat(3, bootTimeout)...)
		clk := &fakeClock{}

		_, err := errcoderetry.Do(context.Background(), op, errcoderetry.WithBackOff(b), errcoderetry.WithClock(clk))

		require.NoError(t, err)
		assert.Equalf(t, []time.Duration{time.Millisecond, 2 * time.Millisecond, 4 * time.Millisecond}, clk.Waits(),
			"run %d waits", run)
	}
}

// TestOptionsOverride checks that options apply in order, that the nil
// forms restore the defaults, and that a nil Option is ignored.
func TestOptionsOverride(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc         string
		giveOpts     func(clk *fakeClock, notify func(error, time.Duration, int)) []errcoderetry.Option
		wantAttempts int
		wantWaits    int // on the fake clock
		wantNotified int
	}{
		{
			desc: "later max attempts wins",
			giveOpts: func(clk *fakeClock, _ func(error, time.Duration, int)) []errcoderetry.Option {
				return []errcoderetry.Option{errcoderetry.WithClock(clk), errcoderetry.WithMaxAttempts(1), errcoderetry.WithMaxAttempts(0)}
			},
			wantAttempts: 3,
			wantWaits:    2,
		},
		{
			desc: "WithClock(nil) restores the real clock",
			giveOpts: func(clk *fakeClock, _ func(error, time.Duration, int)) []errcoderetry.Option {
				return []errcoderetry.Option{errcoderetry.WithClock(clk), errcoderetry.WithClock(nil),
					errcoderetry.WithBackOff(backoff.NewConstantBackOff(time.Millisecond))}
			},
			wantAttempts: 3,
		},
		{
			desc: "WithNotify(nil) calls nothing",
			giveOpts: func(clk *fakeClock, notify func(error, time.Duration, int)) []errcoderetry.Option {
				return []errcoderetry.Option{errcoderetry.WithClock(clk), errcoderetry.WithNotify(notify), errcoderetry.WithNotify(nil)}
			},
			wantAttempts: 3,
			wantWaits:    2,
		},
		{
			desc: "nil Option is ignored",
			giveOpts: func(clk *fakeClock, notify func(error, time.Duration, int)) []errcoderetry.Option {
				return []errcoderetry.Option{nil, errcoderetry.WithClock(clk), nil, errcoderetry.WithNotify(notify)}
			},
			wantAttempts: 3,
			wantWaits:    2,
			wantNotified: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			op, _ := sequence(repeat(2, bootTimeout)...)
			clk := &fakeClock{}
			notified := 0
			notify := func(error, time.Duration, int) { notified++ }

			attempts, err := errcoderetry.Do(context.Background(), op, tt.giveOpts(clk, notify)...)

			require.NoError(t, err)
			assert.Equalf(t, tt.wantAttempts, attempts, "Do() attempts = %d; want %d", attempts, tt.wantAttempts)
			assert.Len(t, clk.Waits(), tt.wantWaits, "waits on the fake clock")
			assert.Equal(t, tt.wantNotified, notified, "notify calls")
		})
	}
}

// TestWithBackOffNil checks that WithBackOff(nil) restores the default
// exponential backoff: its first wait is 500ms ± 50%.
func TestWithBackOffNil(t *testing.T) {
	t.Parallel()
	op, _ := sequence(bootTimeout())
	clk := &fakeClock{}

	_, err := errcoderetry.Do(context.Background(), op, errcoderetry.WithClock(clk),
		errcoderetry.WithBackOff(backoff.NewConstantBackOff(time.Hour)), errcoderetry.WithBackOff(nil))

	require.NoError(t, err)
	waits := clk.Waits()
	require.Len(t, waits, 1)
	assert.Less(t, waits[0], time.Second, "first wait")
}
