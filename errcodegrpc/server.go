package errcodegrpc

import (
	"context"

	"google.golang.org/grpc"
)

// UnaryServerInterceptor returns a server interceptor that turns the
// error of a unary handler into a gRPC status carrying the error in
// errcode's wire form; see the package documentation. It has no options
// yet; opts are accepted for those to come.
func UnaryServerInterceptor(opts ...Option) grpc.UnaryServerInterceptor {
	_ = newConfig(opts)
	return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		resp, err := handler(ctx, req)
		if err != nil {
			return nil, toStatus(err)
		}
		return resp, nil
	}
}

// StreamServerInterceptor returns a server interceptor that turns the
// error a streaming handler returns into a gRPC status carrying the error
// in errcode's wire form, as [UnaryServerInterceptor] does.
//
// The handler's stream is passed on unwrapped: the errors its RecvMsg and
// SendMsg return come from this side's transport, not from the peer, so
// there is nothing to decode; and converting them would break a
// handler's `err == io.EOF` test for the end of the client's messages. If
// the handler returns such an error, it is converted with the rest.
func StreamServerInterceptor(opts ...Option) grpc.StreamServerInterceptor {
	_ = newConfig(opts)
	return func(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		return toStatus(handler(srv, ss))
	}
}
