package errcodegrpc

import (
	"context"
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

// isErrcodeDetail reports whether d carries an error in errcode's wire
// form.
func isErrcodeDetail(d *anypb.Any) bool {
	url := d.GetTypeUrl()
	return url == DetailTypeURL || strings.HasSuffix(url, "/"+detailMessageName)
}
