package errcodegrpc

import (
	"context"
	"fmt"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/anypb"

	"github.com/errcode/errcode"
)

// DetailTypeURL is the type URL of the status detail that carries an
// error in errcode's wire form ([errcode.Encode]): the protobuf bytes of
// cockroachdb's errorspb.EncodedError, whose full name it names. The
// client interceptors accept any type URL whose last segment is that
// name.
const DetailTypeURL = "type.googleapis.com/" + detailMessageName

const detailMessageName = "cockroach.errorspb.EncodedError"

// An Option configures the interceptors.
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	registry *errcode.Registry
	server   serverConfig // the server interceptors' options: see server.go
}

func newConfig(opts []Option) *config {
	c := &config{registry: errcode.Default, server: defaultServerConfig}
	for _, o := range opts {
		if o != nil {
			o.apply(c)
		}
	}
	return c
}

// WithRegistry returns an Option that makes the client interceptors bind
// the code names of decoded errors to r instead of [errcode.Default], and
// the server interceptors write r's [errcode.Registry.Domain] as the
// domain of google.rpc.ErrorInfo. A nil r means Default.
func WithRegistry(r *errcode.Registry) Option {
	return optionFunc(func(c *config) {
		if r == nil {
			r = errcode.Default
		}
		c.registry = r
	})
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
}

// Error returns the status's error text followed by what was wrong with
// its errcode detail.
func (e *DecodeError) Error() string {
	return fmt.Sprintf("%s (errcodegrpc: the status's errcode detail does not decode: %v)", e.Status.Err(), e.Err)
}

// GRPCStatus returns e.Status, for status.FromError and status.Code.
func (e *DecodeError) GRPCStatus() *status.Status { return e.Status }

// Unwrap returns the status as an error.
func (e *DecodeError) Unwrap() error { return e.Status.Err() }

// toStatus returns the error that a server interceptor hands grpc-go for
// a handler's error err; ctx is the RPC's. See the package documentation.
func (c *config) toStatus(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	inner, isStatus := status.FromError(err)
	if isStatus && !carriesErrcode(err) {
		return err
	}

	code := errcode.GRPCCodeOf(err)
	if code == codes.Unknown {
		if isStatus {
			code = inner.Code()
		} else {
			// What grpc-go's server does with an error that is not a
			// status.
			code = status.FromContextError(err).Code()
		}
	}
	if code == codes.OK {
		// A wrapped status of code OK: an error must not travel as OK.
		code = codes.Unknown
	}
	var innerDetails []*anypb.Any
	if isStatus {
		innerDetails = inner.Proto().GetDetails()
	}
	return c.statusOf(ctx, err, code, innerDetails).Err()
}

// carriesErrcode reports whether err's chain has anything only errcode's
// wire form carries: a code, a retry decision, a retry-after hint or a
// field.
func carriesErrcode(err error) bool {
	return errcode.NameOf(err) != "" ||
		errcode.RetryOf(err) != errcode.Unspecified ||
		errcode.RetryAfterOf(err) != 0 ||
		errcode.Fields(err) != nil
}

// fromStatus returns the error that a client interceptor returns for the
// error err of a call; see the package documentation.
func (c *config) fromStatus(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(*DecodeError); ok {
		return err // an inner interceptor of ours has been here
	}
	st, ok := status.FromError(err)
	if !ok {
		return err
	}
	b, found := encodedDetail(st)
	if !found {
		return err
	}
	// The bytes come from the peer: Decode refuses input over
	// MaxEncodedSize or nested past MaxDepth, and malformed input, with an
	// error, and recovers from what a crafted payload could make
	// cockroachdb's decoders do.
	decoded, derr := c.registry.Decode(b)
	if derr != nil {
		return &DecodeError{Status: st, Err: derr}
	}
	return decoded
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

// isErrcodeDetail reports whether d carries an error in errcode's wire
// form.
func isErrcodeDetail(d *anypb.Any) bool {
	url := d.GetTypeUrl()
	return url == DetailTypeURL || strings.HasSuffix(url, "/"+detailMessageName)
}
