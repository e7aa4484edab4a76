package errcode

import (
	"fmt"
	"time"

	"google.golang.org/grpc/codes"
)

// An Option configures a code at registration. A [Retry] value is itself
// an Option:
//
//	errcode.MustRegister("TransientError", SandboxError, errcode.Transient, errcode.Doc("may succeed on retry"))
type Option interface {
	apply(*spec)
}

// spec is everything the options of one registration say. It is
// comparable, so an identical re-registration is recognised with ==.
type spec struct {
	retry      Retry
	doc        string
	grpc       codes.Code
	hasGRPC    bool
	http       int
	retryAfter time.Duration
	stackless  bool
	reason     string
	python     string // PythonInit's parameters, encoded by encodePythonParams; "" for none
	bad        string // the first invalid option, reported by Register
}

func (s *spec) setBad(msg string) {
	if s.bad == "" {
		s.bad = msg
	}
}

type optionFunc func(*spec)

func (f optionFunc) apply(s *spec) { f(s) }

// Doc returns an Option that sets the code's one-line documentation.
func Doc(text string) Option {
	return optionFunc(func(s *spec) { s.doc = text })
}

// Stackless returns an Option for codes whose errors are made on hot
// paths: [Code.New], [Code.Newf], [Code.Wrap] and [Code.Wrapf] of such a
// code capture no stack trace, which makes them an order of magnitude
// cheaper. It is not inherited by descendants.
func Stackless() Option {
	return optionFunc(func(s *spec) { s.stackless = true })
}

// GRPCCode returns an Option that maps the code, and its descendants that
// set no mapping of their own, to a gRPC status code. Register refuses
// codes.OK and values past codes.Unauthenticated: an error must not
// travel as a success. See [GRPCCodeOf].
func GRPCCode(c codes.Code) Option {
	return optionFunc(func(s *spec) {
		if !validGRPCCode(c) {
			s.setBad(fmt.Sprintf("invalid gRPC code %d (%v): an error's code is one of gRPC's, not OK", uint32(c), c))
			return
		}
		s.grpc, s.hasGRPC = c, true
	})
}

// HTTPStatus returns an Option that maps the code, and its descendants
// that set no mapping of their own, to an HTTP status. Register refuses a
// status outside 400–599: an error must not be written as a success or a
// redirect. See [HTTPStatusOf].
func HTTPStatus(status int) Option {
	return optionFunc(func(s *spec) {
		if !validHTTPStatus(status) {
			s.setBad(fmt.Sprintf("invalid HTTP status %d: an error's status is from 400 to 599", status))
			return
		}
		s.http = status
	})
}

// RetryAfter returns an Option giving the code's errors, and its
// descendants' that set none of their own, a minimum wait before a retry.
// See [RetryAfterOf].
func RetryAfter(d time.Duration) Option {
	return optionFunc(func(s *spec) {
		if d < 0 {
			s.setBad(fmt.Sprintf("negative retry-after %v", d))
			return
		}
		s.retryAfter = d
	})
}
