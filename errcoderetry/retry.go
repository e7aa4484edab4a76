package errcoderetry

import (
	"context"
	"errors"
	"time"

	"github.com/cenkalti/backoff/v5"

	"github.com/errcode/errcode"
)

// DefaultMaxElapsed is the limit on a run's total duration unless
// [WithMaxElapsed] sets another: that of backoff.Retry.
const DefaultMaxElapsed = backoff.DefaultMaxElapsedTime

// Clock is the time source [Do] waits on. The zero configuration uses
// the real clock; tests inject a fake with [WithClock] that records the
// waits asked for and fires at once.
type Clock interface {
	// Now returns the current time; Do measures [WithMaxElapsed] and
	// what is left before ctx's deadline with it.
	Now() time.Time
	// After returns a channel that receives once d has passed, as
	// [time.After] does. Do stops listening when the context ends.
	After(d time.Duration) <-chan time.Time
}

// realClock is the Clock of package time.
type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// An Option configures one call of [Do] or [DoValue]. Options apply in
// order, so a later one overrides an earlier one; a nil Option is
// ignored.
type Option interface {
	apply(*config)
}

// optionFunc adapts a function to an Option.
type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	maxAttempts int
	maxElapsed  time.Duration
	backOff     backoff.BackOff
	notify      func(err error, wait time.Duration, attempt int)
	clock       Clock
	classify    Classifier
	// maxRetryAfter caps hints; jitter is the fraction of a hint added at
	// random, drawn from rand.
	maxRetryAfter time.Duration
	jitter        float64
	rand          func(n int64) int64
}

// WithMaxAttempts returns an Option that stops after n attempts, the
// first included, returning the last error. n <= 0 means no limit on the
// count, which is the default.
func WithMaxAttempts(n int) Option {
	return optionFunc(func(c *config) { c.maxAttempts = max(n, 0) })
}

// WithMaxElapsed returns an Option that stops, returning the last error,
// rather than start a wait that would end more than d after the first
// attempt began. d <= 0 means no limit. The default is [DefaultMaxElapsed].
func WithMaxElapsed(d time.Duration) Option {
	return optionFunc(func(c *config) { c.maxElapsed = max(d, 0) })
}

// WithBackOff returns an Option that takes the waits between attempts
// from b instead of a new [backoff.ExponentialBackOff] with its defaults
// (500ms growing by 1.5 up to 60s, each ±50% jitter). Do calls b.Reset
// before the first attempt, and stops when b returns [backoff.Stop]. A
// BackOff keeps state, so b must not be shared by concurrent calls.
// WithBackOff(nil) restores the default.
func WithBackOff(b backoff.BackOff) Option {
	return optionFunc(func(c *config) { c.backOff = b })
}

// WithNotify returns an Option that calls f before each wait with the
// error that caused it, the wait, and the number of the attempt that
// failed (1 for the first). f is not called for the error that ends the
// run. WithNotify(nil) calls nothing.
func WithNotify(f func(err error, wait time.Duration, attempt int)) Option {
	return optionFunc(func(c *config) { c.notify = f })
}

// WithClock returns an Option that waits on, and measures time with, clk
// instead of package time. WithClock(nil) restores the real clock.
func WithClock(clk Clock) Option {
	return optionFunc(func(c *config) { c.clock = clk })
}

// Do calls op, with ctx, until it returns nil, and returns the number of
// attempts made and op's last error (nil on success). It stops and
// returns op's error unchanged when that error is not transient, when the
// attempt or elapsed-time limit is reached, or when the backoff returns
// [backoff.Stop].
//
// An error is transient when [errcode.RetryOf] says [errcode.Transient],
// or, when RetryOf is [errcode.Unspecified], when the [Classifier] (see
// [DefaultClassifier] and [WithClassifier]) does. Its retry-after hint is
// [errcode.RetryAfterOf](err) when that is not 0, else the Classifier's.
//
// Between attempts it waits max(next backoff interval, h + jitter),
// where h is the hint capped at [WithMaxRetryAfter] (0 if negative) and
// the jitter a random wait in [0, h × [WithRetryAfterJitter]). It does
// not start a wait that would take the run past [WithMaxElapsed], or
// that would not end before ctx's deadline (as measured by the [Clock]):
// it returns op's error unchanged instead.
//
// When ctx ends, before an attempt or while waiting, Do returns an
// [errors.Join] of ctx's error and op's last error: errors.Is(err,
// ctx.Err()) and errors.Is(err, context.Cause(ctx)) hold, and
// [errcode.CodeOf] and [errcode.Is] still see op's error. [errcode.RetryOf]
// decides a joined error from its branches, so for a plain context error
// it is that of op's error. If ctx has ended before the first attempt, Do
// calls nothing and returns 0 and ctx's error.
func Do(ctx context.Context, op func(context.Context) error, opts ...Option) (attempts int, err error) {
	_, attempts, err = DoValue(ctx, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, op(ctx)
	}, opts...)
	return attempts, err
}

// DoValue is like [Do] for an operation that returns a value as well. It
// returns the value of op's last call (the zero T if op was never called)
// along with the attempts and the error.
func DoValue[T any](ctx context.Context, op func(context.Context) (T, error), opts ...Option) (T, int, error) {
	cfg := config{
		maxElapsed:    DefaultMaxElapsed,
		maxRetryAfter: DefaultMaxRetryAfter,
		jitter:        DefaultRetryAfterJitter,
		rand:          defaultRand,
	}
	for _, o := range opts {
		if o != nil {
			o.apply(&cfg)
		}
	}
	if cfg.backOff == nil {
		cfg.backOff = backoff.NewExponentialBackOff()
	}
	if cfg.clock == nil {
		cfg.clock = realClock{}
	}
	if cfg.classify == nil {
		cfg.classify = DefaultClassifier
	}

	var v T
	if ctx.Err() != nil {
		return v, 0, interrupted(ctx, nil)
	}
	start := cfg.clock.Now()
	cfg.backOff.Reset()
	for attempt := 1; ; attempt++ {
		var err error
		v, err = op(ctx)
		switch {
		case err == nil:
			return v, attempt, nil
		}
		retry, after := cfg.decide(err)
		switch {
		case retry != errcode.Transient,
			cfg.maxAttempts > 0 && attempt >= cfg.maxAttempts:
			return v, attempt, err
		case ctx.Err() != nil:
			return v, attempt, interrupted(ctx, err)
		}

		next := cfg.backOff.NextBackOff()
		if next == backoff.Stop {
			return v, attempt, err
		}
		wait := max(next, cfg.hintWait(after))
		if !cfg.mayWait(ctx, start, wait) {
			return v, attempt, err
		}
		if cfg.notify != nil {
			cfg.notify(err, wait, attempt)
		}
		select {
		case <-cfg.clock.After(wait):
		case <-ctx.Done():
			return v, attempt, interrupted(ctx, err)
		}
		if ctx.Err() != nil { // the wait and ctx ended together
			return v, attempt, interrupted(ctx, err)
		}
	}
}

// mayWait reports whether a wait of d, starting now, ends before ctx's
// deadline and within the run's elapsed-time limit. It compares d with
// what is left rather than add d to the elapsed time, which could
// overflow.
func (c *config) mayWait(ctx context.Context, start time.Time, d time.Duration) bool {
	now := c.clock.Now()
	if c.maxElapsed > 0 && d > c.maxElapsed-max(now.Sub(start), 0) {
		return false
	}
	// A wait that ends as ctx does would only lead to ctx's error.
	if deadline, ok := ctx.Deadline(); ok && d >= deadline.Sub(now) {
		return false
	}
	return true
}

// interrupted returns the error for a run that ctx ended after op failed
// with err (nil if op was never called): ctx's cause, preceded by
// ctx.Err() unless the cause already matches it, joined with err.
func interrupted(ctx context.Context, err error) error {
	ctxErr, cause := ctx.Err(), context.Cause(ctx)
	if cause == nil || errors.Is(cause, ctxErr) {
		return errors.Join(cause, err)
	}
	return errors.Join(ctxErr, cause, err)
}
