package errcode

import (
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/cockroachdb/errors/errbase"
	"github.com/cockroachdb/redact"
	"google.golang.org/grpc/codes"
)

// withStatus is the layer [WithGRPCCode] and [WithHTTPStatus] make: the
// transport status one error asks for, whatever its codes map to.
type withStatus struct {
	cause error
	skip  error      // below(cause)
	grpc  codes.Code // valid when hasGRPC
	http  int        // 0 when none
	// hasGRPC tells a gRPC code from none: codes.OK is never one.
	hasGRPC bool
}

var (
	_ errbase.SafeFormatter = (*withStatus)(nil)
	_ errbase.SafeDetailer  = (*withStatus)(nil)
	_ slog.LogValuer        = (*withStatus)(nil)
)

func (w *withStatus) Error() string                 { return w.cause.Error() }
func (w *withStatus) Cause() error                  { return w.cause }
func (w *withStatus) Unwrap() error                 { return w.cause }
func (w *withStatus) Format(s fmt.State, verb rune) { errbase.FormatError(w, s, verb) }
func (w *withStatus) LogValue() slog.Value          { return logValue(w, false) }

// ErrorType returns what semconv.ErrorType gives for the error the layer
// wraps: a transport status does not change error.type.
func (w *withStatus) ErrorType() string { return causeErrorType(w.cause) }

// SafeDetails returns "grpc-code=N" and "http-status=N" for the statuses
// the layer sets, as the wire carries them.
func (w *withStatus) SafeDetails() []string {
	d := make([]string, 0, 2)
	if w.hasGRPC {
		d = append(d, detailGRPCCode+strconv.Itoa(int(w.grpc)))
	}
	if w.http != 0 {
		d = append(d, detailHTTPStatus+strconv.Itoa(w.http))
	}
	return d
}

func (w *withStatus) SafeFormatError(p errbase.Printer) error {
	if p.Detail() {
		if w.hasGRPC {
			p.Printf("gRPC code override: %s", redact.Safe(w.grpc.String()))
		}
		if w.http != 0 {
			if w.hasGRPC {
				p.Printf("\n")
			}
			p.Printf("HTTP status override: %d", redact.Safe(w.http))
		}
	}
	return w.cause
}

// validGRPCCode reports whether c is a gRPC code an error may travel
// with: one of gRPC's codes, and not OK.
func validGRPCCode(c codes.Code) bool { return c != codes.OK && c <= codes.Unauthenticated }

// validHTTPStatus reports whether s is an HTTP status an error may be
// written with: a client or server error, 400 to 599.
func validHTTPStatus(s int) bool { return s >= 400 && s <= 599 }

// WithGRPCCode returns err with the gRPC status code c, which
// [GRPCCodeOf] reports and errcodegrpc sends whatever err's codes map to,
// as a handler chooses a status with status.Error. The outermost such
// override decides. WithGRPCCode(nil, c) returns nil; a c that an error
// cannot travel with — codes.OK or a value past codes.Unauthenticated —
// is ignored and err returned as it is, as [WithRetry] ignores an invalid
// Retry. The override travels on the wire.
func WithGRPCCode(err error, c codes.Code) error {
	if err == nil {
		return nil
	}
	if !validGRPCCode(c) {
		return err
	}
	return &withStatus{cause: err, skip: below(err), grpc: c, hasGRPC: true}
}

// WithHTTPStatus returns err with the HTTP status s, which
// [HTTPStatusOf] reports and [WriteHTTPError] writes whatever err's codes
// map to. The outermost such override decides. WithHTTPStatus(nil, s)
// returns nil; an s outside 400–599 (an error must not be written as a
// success or a redirect) is ignored and err returned as it is. The
// override travels on the wire.
func WithHTTPStatus(err error, s int) error {
	if err == nil {
		return nil
	}
	if !validHTTPStatus(s) {
		return err
	}
	return &withStatus{cause: err, skip: below(err), http: s}
}

// GRPCCodeOf returns the gRPC status code for err: that of the outermost
// layer that sets one — a [WithGRPCCode] override, or a code that maps to
// one (see [GRPCCode]) — or codes.Unknown when none does; codes.OK for a
// nil err. codes.Unknown is also what [Code.GRPCCode] reports for a code
// without a mapping. It does not allocate.
func GRPCCodeOf(err error) codes.Code {
	if err == nil {
		return codes.OK
	}
	g := codes.Unknown
	walk(err, func(l error) bool {
		if w, ok := l.(*withStatus); ok {
			if w.hasGRPC {
				g = w.grpc
				return true
			}
			return false
		}
		if k := layerCode(l); k != nil && k.hasGRPC {
			g = k.grpc
			return true
		}
		return false
	})
	return g
}

// HTTPStatusOf returns the HTTP status for err: that of the outermost
// layer that sets one — a [WithHTTPStatus] override, or a code that maps
// to one (see [HTTPStatus]) — or 500 when none does; 200 for a nil err.
// 500 is also what [Code.HTTPStatus] reports for a code without a
// mapping. It does not allocate.
func HTTPStatusOf(err error) int {
	if err == nil {
		return http.StatusOK
	}
	s := http.StatusInternalServerError
	walk(err, func(l error) bool {
		if w, ok := l.(*withStatus); ok {
			if w.http != 0 {
				s = w.http
				return true
			}
			return false
		}
		if k := layerCode(l); k != nil && k.http != 0 {
			s = k.http
			return true
		}
		return false
	})
	return s
}

// GRPCCodeRetry returns the retry decision for a gRPC status that carries
// no errcode detail — from a server that knows nothing of errcode — by
// AIP-194's rules:
//
//	a status with google.rpc.RetryInfo (retryInfo)   Transient: the server asks for a retry
//	codes.Unavailable                                Transient
//	codes.ResourceExhausted, codes.Aborted           Transient only with RetryInfo
//	any other code                                   Unspecified: not retryable
//
// A status code alone can mislead: errcode maps VmBootTimeoutError to
// DeadlineExceeded though it is transient, and CommunicationError to
// Unavailable though it decides nothing. errcodegrpc's servers send
// RetryInfo exactly when an error is transient, so a client that follows
// RetryInfo gets errcode's answer.
func GRPCCodeRetry(c codes.Code, retryInfo bool) Retry {
	if retryInfo || c == codes.Unavailable {
		return Transient
	}
	return Unspecified
}

// HTTPStatusRetry returns the retry decision for an HTTP error response
// that carries no errcode body — from a proxy or another API:
//
//	408 Request Timeout, 429 Too Many Requests,
//	502 Bad Gateway, 503 Service Unavailable, 504 Gateway Timeout   Transient
//	any other status                                                Unspecified: not retryable
func HTTPStatusRetry(status int) Retry {
	switch status {
	case http.StatusRequestTimeout, http.StatusTooManyRequests,
		http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return Transient
	}
	return Unspecified
}
