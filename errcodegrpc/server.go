package errcodegrpc

import (
	"context"

	"github.com/errcode/errcode"
	"google.golang.org/grpc"
)

// UnaryServerInterceptor returns a server interceptor that turns the
// error of a unary handler into a gRPC status carrying the error in
// errcode's wire form, google.rpc.ErrorInfo and google.rpc.RetryInfo,
// within the trailer budget; see the package documentation. Put it first
// in grpc.ChainUnaryInterceptor, so that the trailers every other
// interceptor sets are counted.
func UnaryServerInterceptor(opts ...Option) grpc.UnaryServerInterceptor {
	c := newConfig(opts)
	return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		resp, err := handler(ctx, req)
		if err != nil {
			return nil, c.toStatus(ctx, err)
		}
		return resp, nil
	}
}

// StreamServerInterceptor returns a server interceptor that turns the
// error a streaming handler returns into a gRPC status, as
// [UnaryServerInterceptor] does.
//
// The handler's stream is passed on unwrapped: the errors its RecvMsg and
// SendMsg return come from this side's transport, not from the peer, so
// there is nothing to decode; and converting them would break a
// handler's `err == io.EOF` test for the end of the client's messages. If
// the handler returns such an error, it is converted with the rest.
func StreamServerInterceptor(opts ...Option) grpc.StreamServerInterceptor {
	c := newConfig(opts)
	return func(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		err := handler(srv, ss)
		if err == nil {
			return nil
		}
		return c.toStatus(ss.Context(), err)
	}
}

// DefaultTrailerBudget is the trailer budget of the server interceptors
// unless [WithTrailerBudget] sets another: 8 KiB, the smallest limit on a
// header list in common use (grpc-java's default maximum inbound metadata
// size; a grpc-go client's grpc.WithMaxHeaderListSize(8192)).
const DefaultTrailerBudget = 8 << 10

type serverConfig struct {
	budget     int
	disclosure errcode.Disclosure
}

var defaultServerConfig = serverConfig{budget: DefaultTrailerBudget, disclosure: errcode.DiscloseFull}

// WithTrailerBudget returns an Option that makes the server interceptors
// fit the whole trailer block of a failed RPC in n bytes, counted as
// HTTP/2 and grpc-go count a header list; see the package documentation.
// An n of 0 or less means [DefaultTrailerBudget]. The client interceptors
// ignore it.
func WithTrailerBudget(n int) Option {
	return optionFunc(func(c *config) {
		if n <= 0 {
			n = DefaultTrailerBudget
		}
		c.server.budget = n
	})
}

// WithDisclosure returns an Option that makes the server interceptors send
// as much of an error as d says — the policy errcode.WriteHTTPErrorWith
// takes too: [errcode.DiscloseFull] (the default) sends the whole error,
// messages, fields and stack traces (with the file paths of the server's
// build) within the trailer budget, for peers the server trusts with its
// internals; [errcode.DisclosePublic] sends [errcode.Public](err): codes,
// ancestry, retry decisions and retry-after hints, messages with their
// unsafe parts redacted, and the fields marked [errcode.Safe] — no stack
// trace, no file path, no unsafe field value. A d out of range means
// DisclosePublic. The client interceptors ignore it.
func WithDisclosure(d errcode.Disclosure) Option {
	return optionFunc(func(c *config) {
		if d != errcode.DiscloseFull {
			d = errcode.DisclosePublic
		}
		c.server.disclosure = d
	})
}
