package errcoderetry

import (
	"context"
	"errors"
	"net"
	"syscall"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/status"

	"github.com/errcode/errcode"
)

// A Classifier returns the retry decision and the retry-after hint for an
// error that errcode decides nothing about: one whose [errcode.RetryOf] is
// [errcode.Unspecified], such as a raw gRPC status from a server without
// errcode or an error of package net. Only [errcode.Transient] is retried.
// A hint of 0 means none; see [Do] for how hints are capped and jittered.
type Classifier func(err error) (retry errcode.Retry, after time.Duration)

// WithClassifier returns an Option that classifies errors with f instead
// of [DefaultClassifier]. f is asked only about an error whose
// [errcode.RetryOf] is [errcode.Unspecified]: errcode's decision always
// wins. To extend the default rather than replace it, fall back on it:
//
//	errcoderetry.WithClassifier(func(err error) (errcode.Retry, time.Duration) {
//		if errors.Is(err, io.ErrUnexpectedEOF) { // op reads only from the network
//			return errcode.Transient, 0
//		}
//		return errcoderetry.DefaultClassifier(err)
//	})
//
// A Classifier that returns Unspecified for every error retries only what
// errcode calls transient. WithClassifier(nil) restores the default.
func WithClassifier(f Classifier) Option {
	return optionFunc(func(c *config) { c.classify = f })
}

// DefaultClassifier is the [Classifier] [Do] uses unless [WithClassifier]
// sets another. It looks only at err's transport, not at errcode's
// decision, and the first rule that matches err's chain decides:
//
//	a gRPC status (status.FromError)       errcode.GRPCCodeRetry(code, has RetryInfo): Transient for
//	                                       Unavailable, and for any code with google.rpc.RetryInfo;
//	                                       RetryInfo's retry_delay is the hint
//	context.DeadlineExceeded               Transient
//	syscall.ECONNREFUSED, ECONNRESET       Transient
//	a net.Error whose Timeout() is true    Transient
//	anything else                          Unspecified: not retried
//
// A gRPC status decides alone: DeadlineExceeded, ResourceExhausted and
// Aborted without RetryInfo are not retried, as AIP-194 asks. A
// context.DeadlineExceeded is retried because [Do] checks its own context
// first: when Do's context has ended, Do stops whatever the Classifier
// says, so what is retried is the deadline of one attempt. io.EOF and
// io.ErrUnexpectedEOF are not retried: they say that a stream ended, not
// that the stream was a connection (a truncated file gives them too).
// A negative retry_delay counts as 0. DefaultClassifier(nil) is
// Unspecified.
func DefaultClassifier(err error) (retry errcode.Retry, after time.Duration) {
	if err == nil {
		return errcode.Unspecified, 0
	}
	if st, ok := status.FromError(err); ok {
		after, hasInfo := retryInfo(st)
		return errcode.GRPCCodeRetry(st.Code(), hasInfo), max(after, 0)
	}
	if errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) {
		return errcode.Transient, 0
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return errcode.Transient, 0
	}
	return errcode.Unspecified, 0
}

// retryInfo returns the retry_delay of st's first google.rpc.RetryInfo
// detail, and whether st has one.
func retryInfo(st *status.Status) (time.Duration, bool) {
	for _, d := range st.Details() {
		if ri, ok := d.(*errdetails.RetryInfo); ok {
			return ri.GetRetryDelay().AsDuration(), true
		}
	}
	return 0, false
}

// decide returns the retry decision and hint Do acts on for err:
// errcode's, and the classifier's when errcode decides nothing. errcode's
// hint, when err has one, wins over the classifier's.
func (c *config) decide(err error) (errcode.Retry, time.Duration) {
	r, after := errcode.RetryOf(err), errcode.RetryAfterOf(err)
	if r != errcode.Unspecified {
		return r, after
	}
	r, cAfter := c.classify(err)
	if after == 0 {
		after = cAfter
	}
	return r, after
}
