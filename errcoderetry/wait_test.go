package errcoderetry_test

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/cenkalti/backoff/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcoderetry"
)

// Stubs for the jitter's random source: a number in [0, n).
func randMax(n int64) int64 { return n - 1 }
func randMin(int64) int64   { return 0 }

// withHint returns a transient error with the retry-after hint d.
func withHint(d time.Duration) error { return errcode.WithRetryAfter(bootTimeout(), d) }

// classifiedHint returns an option whose classifier calls every error
// transient with the hint d, which errcode.WithRetryAfter could not carry
// if negative.
func classifiedHint(d time.Duration) errcoderetry.Option {
	return errcoderetry.WithClassifier(func(error) (errcode.Retry, time.Duration) { return errcode.Transient, d })
}

// TestDoWaits checks how a retry-after hint becomes a wait: capped,
// jittered, never below the backoff, and without overflow.
func TestDoWaits(t *testing.T) {
	t.Parallel()
	const step = 10 * time.Millisecond
	const maxWait = time.Duration(math.MaxInt64)
	hugeHint := withHint(maxWait)
	plain := errors.New("plain")
	tests := []struct {
		desc         string
		giveErr      error                 // returned once, then success
		giveOpts     []errcoderetry.Option // after: backoff step, randMax
		wantAttempts int                   // 2 unless set
		wantErr      error                 // with wantAttempts 1
		wantWait     time.Duration
	}{
		{desc: "no hint: the backoff", giveErr: bootTimeout(), wantWait: step},
		{desc: "hint plus 20% jitter at its most", giveErr: capacity(), wantWait: 1200*time.Millisecond - 1},
		{
			desc:     "hint plus 20% jitter at its least",
			giveErr:  capacity(),
			giveOpts: []errcoderetry.Option{errcoderetry.WithRand(randMin)},
			wantWait: time.Second,
		},
		{
			desc:     "backoff longer than hint and jitter",
			giveErr:  capacity(),
			giveOpts: []errcoderetry.Option{errcoderetry.WithBackOff(backoff.NewConstantBackOff(5 * time.Second))},
			wantWait: 5 * time.Second,
		},
		{
			desc:     "hint and jitter longer than backoff",
			giveErr:  capacity(),
			giveOpts: []errcoderetry.Option{errcoderetry.WithBackOff(backoff.NewConstantBackOff(1100 * time.Millisecond))},
			wantWait: 1200*time.Millisecond - 1,
		},
		{
			desc:     "jitter 0",
			giveErr:  capacity(),
			giveOpts: []errcoderetry.Option{errcoderetry.WithRetryAfterJitter(0)},
			wantWait: time.Second,
		},
		{
			desc:     "jitter 0.5",
			giveErr:  capacity(),
			giveOpts: []errcoderetry.Option{errcoderetry.WithRetryAfterJitter(0.5)},
			wantWait: 1500*time.Millisecond - 1,
		},
		{
			desc:     "jitter above 1 counts as 1",
			giveErr:  capacity(),
			giveOpts: []errcoderetry.Option{errcoderetry.WithRetryAfterJitter(5)},
			wantWait: 2*time.Second - 1,
		},
		{
			desc:     "negative jitter counts as 0",
			giveErr:  capacity(),
			giveOpts: []errcoderetry.Option{errcoderetry.WithRetryAfterJitter(-1)},
			wantWait: time.Second,
		},
		{
			desc:     "NaN jitter counts as 0",
			giveErr:  capacity(),
			giveOpts: []errcoderetry.Option{errcoderetry.WithRetryAfterJitter(math.NaN())},
			wantWait: time.Second,
		},
		{desc: "hint capped at 5m, jitter on top", giveErr: withHint(time.Hour), wantWait: 6*time.Minute - 1},
		{desc: "MaxInt64 hint capped", giveErr: hugeHint, wantWait: 6*time.Minute - 1},
		{
			desc:     "MaxInt64 RetryInfo delay capped",
			giveErr:  grpcErr(t, codes.Unavailable, &durationpb.Duration{Seconds: math.MaxInt64}),
			wantWait: 6*time.Minute - 1,
		},
		{
			desc:     "classifier's MaxInt64 hint capped",
			giveErr:  plain,
			giveOpts: []errcoderetry.Option{classifiedHint(maxWait)},
			wantWait: 6*time.Minute - 1,
		},
		{
			desc:     "a lower cap",
			giveErr:  withHint(time.Hour),
			giveOpts: []errcoderetry.Option{errcoderetry.WithMaxRetryAfter(2 * time.Second)},
			wantWait: 2400*time.Millisecond - 1,
		},
		{
			desc:     "a cap above the hint leaves it",
			giveErr:  withHint(time.Hour),
			giveOpts: []errcoderetry.Option{errcoderetry.WithMaxRetryAfter(2 * time.Hour), errcoderetry.WithMaxElapsed(0)},
			wantWait: 72*time.Minute - 1,
		},
		{
			desc:     "cap 0 ignores hints",
			giveErr:  capacity(),
			giveOpts: []errcoderetry.Option{errcoderetry.WithMaxRetryAfter(0)},
			wantWait: step,
		},
		{
			desc:     "negative cap ignores hints",
			giveErr:  capacity(),
			giveOpts: []errcoderetry.Option{errcoderetry.WithMaxRetryAfter(-time.Second)},
			wantWait: step,
		},
		{
			desc:     "negative hint is no hint",
			giveErr:  plain,
			giveOpts: []errcoderetry.Option{classifiedHint(-time.Hour)},
			wantWait: step,
		},
		{
			desc:     "MinInt64 hint is no hint",
			giveErr:  plain,
			giveOpts: []errcoderetry.Option{classifiedHint(math.MinInt64)},
			wantWait: step,
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			op, _ := sequence(tt.giveErr)
			clk := &fakeClock{}
			opts := append([]errcoderetry.Option{
				errcoderetry.WithBackOff(backoff.NewConstantBackOff(step)),
				errcoderetry.WithClock(clk),
				errcoderetry.WithRand(randMax),
			}, tt.giveOpts...)

			attempts, err := errcoderetry.Do(context.Background(), op, opts...)

			if tt.wantAttempts == 1 {
				assert.Equal(t, 1, attempts, "Do() attempts")
				assert.Truef(t, err == tt.giveErr, "Do() err = %v; want op's error unchanged", err)
				assert.Empty(t, clk.Waits(), "waits")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, 2, attempts, "Do() attempts")
			assert.Equal(t, []time.Duration{tt.wantWait}, clk.Waits(), "waits")
		})
	}
}

// seqBackOff returns its intervals in turn, then Stop.
type seqBackOff struct {
	intervals []time.Duration
	next      int
}

func (b *seqBackOff) Reset() { b.next = 0 }

func (b *seqBackOff) NextBackOff() time.Duration {
	if b.next >= len(b.intervals) {
		return backoff.Stop
	}
	b.next++
	return b.intervals[b.next-1]
}

// TestDoMaxElapsedNoOverflow checks that the elapsed-time limit holds for
// a wait of math.MaxInt64 once some time has passed, where elapsed + wait
// would overflow to a negative duration: Do returns op's error at once.
func TestDoMaxElapsedNoOverflow(t *testing.T) {
	t.Parallel()
	const step = 10 * time.Millisecond
	const maxWait = time.Duration(math.MaxInt64)
	hugeHint := withHint(maxWait)
	tests := []struct {
		desc     string
		giveErr  error // after a first error that waits step
		giveOpts []errcoderetry.Option
	}{
		{
			desc:     "uncapped MaxInt64 hint",
			giveErr:  hugeHint,
			giveOpts: []errcoderetry.Option{errcoderetry.WithMaxRetryAfter(maxWait), errcoderetry.WithRetryAfterJitter(0)},
		},
		{
			desc:     "uncapped MaxInt64 hint with jitter",
			giveErr:  hugeHint,
			giveOpts: []errcoderetry.Option{errcoderetry.WithMaxRetryAfter(maxWait)},
		},
		{
			desc:     "uncapped hint whose jitter would overflow",
			giveErr:  withHint(maxWait - time.Second),
			giveOpts: []errcoderetry.Option{errcoderetry.WithMaxRetryAfter(maxWait)},
		},
		{
			desc:     "MaxInt64 backoff",
			giveErr:  bootTimeout(),
			giveOpts: []errcoderetry.Option{errcoderetry.WithBackOff(&seqBackOff{intervals: []time.Duration{step, maxWait}})},
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			op, _ := sequence(bootTimeout(), tt.giveErr)
			clk := &fakeClock{}
			opts := append([]errcoderetry.Option{
				errcoderetry.WithBackOff(backoff.NewConstantBackOff(step)),
				errcoderetry.WithClock(clk),
				errcoderetry.WithRand(randMax),
			}, tt.giveOpts...)

			attempts, err := errcoderetry.Do(context.Background(), op, opts...)

			assert.Equal(t, 2, attempts, "Do() attempts")
			assert.Truef(t, err == tt.giveErr, "Do() err = %v; want op's error unchanged", err)
			assert.Equal(t, []time.Duration{step}, clk.Waits(), "waits")
		})
	}
}

// TestDoJitterBounds draws the jitter from math/rand/v2: every wait lies
// in [hint, hint×1.2), and the waits are not all the same.
func TestDoJitterBounds(t *testing.T) {
	t.Parallel()
	const runs = 50
	seen := map[time.Duration]bool{}
	for range runs {
		op, _ := sequence(capacity())
		clk := &fakeClock{}

		_, err := errcoderetry.Do(context.Background(), op, errcoderetry.WithClock(clk),
			errcoderetry.WithBackOff(backoff.NewConstantBackOff(time.Millisecond)))

		require.NoError(t, err)
		require.Len(t, clk.Waits(), 1)
		w := clk.Waits()[0]
		assert.GreaterOrEqual(t, w, time.Second)
		assert.Less(t, w, 1200*time.Millisecond)
		seen[w] = true
	}
	assert.Greater(t, len(seen), 1, "distinct waits in %d runs", runs)
}

// TestDoContextDeadline checks that a wait that would outlast ctx's
// deadline is not started: Do returns op's error as it is, not ctx's. The
// fake clock starts at the real time, since ctx's deadline is real; the
// deadline is hours away so that the real clock never reaches it.
func TestDoContextDeadline(t *testing.T) {
	t.Parallel()
	hours := repeat(5, func() error { return withHint(time.Hour) })
	tests := []struct {
		desc         string
		giveDeadline time.Duration // after the fake clock's start
		giveErrs     []error
		wantAttempts int
		wantErr      error // compared by identity; nil for success
		wantWaits    []time.Duration
	}{
		{
			desc:         "waits that end before the deadline",
			giveDeadline: 150 * time.Minute,
			giveErrs:     hours[:2],
			wantAttempts: 3,
			wantWaits:    []time.Duration{time.Hour, time.Hour},
		},
		{
			desc:         "a wait past the deadline is not started",
			giveDeadline: 150 * time.Minute,
			giveErrs:     hours[:3],
			wantAttempts: 3,
			wantErr:      hours[2],
			wantWaits:    []time.Duration{time.Hour, time.Hour},
		},
		{
			desc:         "a wait that ends at the deadline is not started",
			giveDeadline: time.Hour,
			giveErrs:     hours[:1],
			wantAttempts: 1,
			wantErr:      hours[0],
		},
		{
			desc:         "a wait that ends just before it is",
			giveDeadline: time.Hour + 1,
			giveErrs:     hours[:1],
			wantAttempts: 2,
			wantWaits:    []time.Duration{time.Hour},
		},
		{
			desc:         "an uncapped MaxInt64 hint",
			giveDeadline: time.Hour,
			giveErrs:     []error{withHint(math.MaxInt64)},
			wantAttempts: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			now := time.Now()
			ctx, cancel := context.WithDeadline(context.Background(), now.Add(tt.giveDeadline))
			defer cancel()
			op, _ := sequence(tt.giveErrs...)
			clk := &fakeClock{now: now}
			notified := 0

			attempts, err := errcoderetry.Do(ctx, op,
				errcoderetry.WithClock(clk),
				errcoderetry.WithBackOff(backoff.NewConstantBackOff(time.Millisecond)),
				errcoderetry.WithMaxRetryAfter(math.MaxInt64),
				errcoderetry.WithRetryAfterJitter(0),
				errcoderetry.WithMaxElapsed(0),
				errcoderetry.WithNotify(func(error, time.Duration, int) { notified++ }))

			assert.Equal(t, tt.wantAttempts, attempts, "Do() attempts")
			wantErr := tt.wantErr
			if tt.wantAttempts == 1 {
				wantErr = tt.giveErrs[0]
			}
			assert.Truef(t, err == wantErr, "Do() err = %v; want %v unchanged", err, wantErr)
			assert.Equal(t, tt.wantWaits, clk.Waits(), "waits")
			assert.Len(t, tt.wantWaits, notified, "notify calls")
		})
	}
}
