// Package errcoderetry retries operations whose errors errcode classifies
// as transient, waiting between attempts with the jittered exponential
// backoff of github.com/cenkalti/backoff/v5.
//
// It lives in a subpackage so that users of errcode who do not retry do
// not pull in the backoff module.
//
// # Deciding
//
// After a failed attempt [Do] asks [errcode.RetryOf] of the error, and
// errcode's decision always wins: an [errcode.Transient] error is retried,
// an [errcode.Permanent] one is returned at once. An error that errcode
// decides nothing about ([errcode.Unspecified]) — a raw gRPC status from a
// server without errcode, a refused connection, a timeout — goes to a
// [Classifier], by default [DefaultClassifier]:
//
//	a gRPC status (status.FromError)       errcode.GRPCCodeRetry(code, has RetryInfo): Transient for
//	                                       Unavailable, and for any code with google.rpc.RetryInfo;
//	                                       RetryInfo's retry_delay is the hint
//	context.DeadlineExceeded               Transient
//	syscall.ECONNREFUSED, ECONNRESET       Transient
//	a net.Error whose Timeout() is true    Transient
//	anything else                          Unspecified: not retried
//
// The first row that matches decides. Only a Transient answer is retried;
// any other error is returned at once, unchanged, so that the caller can
// still ask [errcode.CodeOf] or [errcode.Is] of it. An HTTP error from
// [errcode.ErrorFromResponse] carries errcode's decision already. io.EOF
// and io.ErrUnexpectedEOF are not retried, since a file gives them too;
// [WithClassifier] replaces the default or extends it.
//
// # Waiting
//
// Between attempts Do waits for the longer of the backoff's next interval
// and the error's retry-after hint h with jitter on top:
//
//	wait = max(backoff, h + rand[0, h×0.2))   h = min(hint, 5m)
//
// The hint — set per code with [errcode.RetryAfter], per error with
// [errcode.WithRetryAfter], or by a gRPC status's RetryInfo — is a
// minimum, never a replacement: a VmCapacityError, whose code asks for
// 1s, is retried no sooner than 1s later, and later still once the
// backoff has grown past that. The jitter ([DefaultRetryAfterJitter],
// [WithRetryAfterJitter]) keeps clients told the same hint from retrying
// in lock-step. Every hint is capped ([DefaultMaxRetryAfter],
// [WithMaxRetryAfter]), whoever sent it: Do cannot tell a peer's hint from
// a local one. A negative hint counts as none. Waits saturate rather than
// overflow: a hint of math.MaxInt64 is as long a wait as there is, never
// a negative one.
//
// # Stopping
//
// Do stops at the first success; at an error that is not transient; when
// [WithMaxAttempts] attempts have been made; when the next wait would take
// the run past [WithMaxElapsed]; when the next wait would not end before
// the context's deadline; when the [backoff.BackOff] returns
// [backoff.Stop]; and when the context ends. In every case but the last it
// returns the operation's last error as it was. When the context ends,
// the error returned is an [errors.Join] of the context's error and the
// last operation error: errors.Is(err, ctx.Err()) holds, and errcode's
// queries still answer for the last operation error.
//
// # Example
//
//	attempts, err := errcoderetry.Do(ctx, func(ctx context.Context) error {
//		return pool.Acquire(ctx) // may fail with errcode.VmCapacityError
//	}, errcoderetry.WithMaxAttempts(5))
//	if err != nil {
//		return fmt.Errorf("acquire after %d attempts: %w", attempts, err)
//	}
//
// Tests inject a [Clock] with [WithClock] so that they need not sleep.
package errcoderetry
