package errcodegrpc

import (
	"errors"
	"fmt"
	"log/slog"
	"reflect"

	"github.com/cockroachdb/errors/errbase"
	"github.com/cockroachdb/redact"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/errcode/errcode"
)

// statusError is the error a client interceptor returns for a failed
// call: a thin layer over the error the status carries (the decoded
// errcode detail, or what a status without one says; see fromStatus)
// that keeps the status as it came, for status.FromError and
// status.Code.
//
// It is transparent to errcode's wire forms (its ErrcodeTransparent
// method): errcode.Encode and errcode.EncodeJSON encode wire in its
// place, so passing the error on sends the bytes that came. The queries
// see view: wire, with the status's code as an errcode.WithGRPCCode
// override where wire's codes map to another, so that errcode.GRPCCodeOf
// reports the code the server sent.
type statusError struct {
	st   *status.Status
	wire error
	view error
}

var (
	_ errbase.SafeFormatter = (*statusError)(nil)
	_ slog.LogValuer        = (*statusError)(nil)
)

// newStatusError returns the layer for the status st over wire.
func newStatusError(st *status.Status, wire error) *statusError {
	return &statusError{st: st, wire: wire, view: withServerCode(wire, st.Code())}
}

// withServerCode returns err with the gRPC code c as the code that
// errcode.GRPCCodeOf reports: err itself when its codes already map to
// c, else a WithGRPCCode override.
func withServerCode(err error, c codes.Code) error {
	if errcode.GRPCCodeOf(err) == c {
		return err
	}
	return errcode.WithGRPCCode(err, c)
}

func (e *statusError) Error() string { return e.wire.Error() }

func (e *statusError) Unwrap() error { return e.view }

// GRPCStatus returns the status the call failed with, details and all,
// for status.FromError and status.Code.
func (e *statusError) GRPCStatus() *status.Status { return e.st }

// ErrcodeTransparent returns the error that errcode's wire forms encode
// in the layer's place.
func (e *statusError) ErrcodeTransparent() error { return e.wire }

func (e *statusError) Format(s fmt.State, verb rune) { errbase.FormatError(e, s, verb) }

// SafeFormatError prints, in the detail that %+v shows, the code of the
// status the error came in; the layer's message is that of what it
// wraps.
func (e *statusError) SafeFormatError(p errbase.Printer) error {
	if p.Detail() {
		p.Printf("received in a gRPC status: %s", redact.Safe(e.st.Code().String()))
	}
	return e.view
}

// LogValue logs the layer as errcode's errors log; see errcode.LogValue.
func (e *statusError) LogValue() slog.Value { return errcode.LogValue(e) }

// ErrorType returns what semconv.ErrorType gives for what the layer wraps.
func (e *statusError) ErrorType() string {
	var et interface{ ErrorType() string }
	if errors.As(e.view, &et) {
		if s := et.ErrorType(); s != "" {
			return s
		}
	}
	t := reflect.TypeOf(e.wire)
	if t.PkgPath() != "" && t.Name() != "" {
		return t.PkgPath() + "." + t.Name()
	}
	return t.String()
}

// DecodeError is the error a client interceptor returns for a status whose
// errcode detail does not decode. It carries the status, so that
// status.Code and status.FromError answer as they would without the
// interceptor, and what was wrong with the detail.
type DecodeError struct {
	// Status is the status the call failed with.
	Status *status.Status
	// Err says why its errcode detail did not decode.
	Err error

	// view is what Unwrap returns: the status read as one without the
	// errcode detail.
	view error
}

// Error returns the status's error text followed by what was wrong with
// its errcode detail.
func (e *DecodeError) Error() string {
	return fmt.Sprintf("%s (errcodegrpc: the status's errcode detail does not decode: %v)", e.Status.Err(), e.Err)
}

// GRPCStatus returns e.Status, for status.FromError and status.Code.
func (e *DecodeError) GRPCStatus() *status.Status { return e.Status }

// Unwrap returns the status as an error. For a DecodeError that a client
// interceptor made, that error is read as a status without the errcode
// detail is (see the package documentation): it answers errcode's
// queries with what the status's other details and code say.
func (e *DecodeError) Unwrap() error {
	if e.view != nil {
		return e.view
	}
	return e.Status.Err()
}

// fromStatus returns the error that a client interceptor returns for the
// error err of a call; see the package documentation.
func (c *config) fromStatus(err error) error {
	if err == nil {
		return nil
	}
	switch err.(type) {
	case *statusError, *DecodeError:
		return err // an inner interceptor of ours has been here
	}
	st, ok := status.FromError(err)
	if !ok || st.Code() == codes.OK {
		return err
	}
	b, found := encodedDetail(st)
	if !found {
		return newStatusError(st, c.fromDetails(st, err))
	}
	// The bytes come from the peer: Decode refuses input over
	// MaxEncodedSize or nested past MaxDepth, and malformed input, with an
	// error, and recovers from what a crafted payload could make
	// cockroachdb's decoders do.
	decoded, derr := c.registry.Decode(b)
	if derr != nil {
		return &DecodeError{Status: st, Err: derr, view: withServerCode(c.fromDetails(st, st.Err()), st.Code())}
	}
	return newStatusError(st, decoded)
}

// encodedDetail returns the bytes of the first errcode detail of st.
func encodedDetail(st *status.Status) ([]byte, bool) {
	for _, d := range st.Proto().GetDetails() {
		if isErrcodeDetail(d) {
			return d.GetValue(), true
		}
	}
	return nil, false
}

// fromDetails returns err, the error of a call that failed with st, a
// status without an errcode detail (from a server that knows nothing of
// errcode, in any language), with what st's standard details say:
//
//   - the first google.rpc.ErrorInfo whose reason, in the registry's
//     domain, or whose metadata["code"] names a code the registry knows:
//     that code's Wrap of err, with no message of its own;
//   - the retry decision: that code's, when it decides one; else
//     Transient when st has a google.rpc.RetryInfo; else, when no code
//     is named, errcode.GRPCCodeRetry of st's code (Transient for
//     Unavailable); a WithRetry override where one of these decides;
//   - the first RetryInfo's retry_delay, when over 0: a WithRetryAfter
//     hint.
func (c *config) fromDetails(st *status.Status, err error) error {
	var (
		retryInfo *errdetails.RetryInfo
		code      errcode.Code
	)
	for _, d := range st.Details() {
		switch m := d.(type) {
		case *errdetails.ErrorInfo:
			if code.IsZero() {
				code, _ = c.codeOf(m)
			}
		case *errdetails.RetryInfo:
			if retryInfo == nil {
				retryInfo = m
			}
		}
	}
	if !code.IsZero() {
		// The stack starts in the interceptor, above fromStatus.
		err = code.WrapWithDepth(2, err, "")
	}
	switch {
	case errcode.RetryOf(err) != errcode.Unspecified:
		// The code decides.
	case retryInfo != nil || code.IsZero():
		if r := errcode.GRPCCodeRetry(st.Code(), retryInfo != nil); r != errcode.Unspecified {
			err = errcode.WithRetry(err, r)
		}
	}
	if d := retryInfo.GetRetryDelay(); d.IsValid() && d.AsDuration() > 0 {
		err = errcode.WithRetryAfter(err, d.AsDuration())
	}
	return err
}

// codeOf returns the code of the registry that the ErrorInfo info names:
// by its reason when its domain is the registry's, else by
// metadata["code"].
func (c *config) codeOf(info *errdetails.ErrorInfo) (errcode.Code, bool) {
	if info.GetDomain() == c.registry.Domain() {
		if code, ok := c.registry.LookupReason(info.GetReason()); ok {
			return code, true
		}
	}
	if name, ok := info.GetMetadata()["code"]; ok {
		return c.registry.Lookup(name)
	}
	return errcode.Code{}, false
}
