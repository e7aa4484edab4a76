package errcodegrpc

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
)

// UnaryClientInterceptor returns a client interceptor that gives back, for
// a failed call whose status carries an error in errcode's wire form,
// the decoded error, and for one whose status does not, the status error
// with what its ErrorInfo and RetryInfo details say; either keeps the
// status for status.FromError. See the package documentation. It never
// panics.
func UnaryClientInterceptor(opts ...Option) grpc.UnaryClientInterceptor {
	c := newConfig(opts)
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, callOpts ...grpc.CallOption) error {
		return c.fromStatus(invoker(ctx, method, req, reply, cc, callOpts...))
	}
}

// StreamClientInterceptor returns a client interceptor that decodes, as
// [UnaryClientInterceptor] does, the errors of opening a stream and those
// its RecvMsg, SendMsg, CloseSend and Header return. Errors that are not
// gRPC statuses, io.EOF among them, are returned unchanged.
func StreamClientInterceptor(opts ...Option) grpc.StreamClientInterceptor {
	c := newConfig(opts)
	return func(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, callOpts ...grpc.CallOption) (grpc.ClientStream, error) {
		cs, err := streamer(ctx, desc, cc, method, callOpts...)
		if err != nil {
			return nil, c.fromStatus(err)
		}
		return &clientStream{ClientStream: cs, c: c}, nil
	}
}

// clientStream decodes the errors of the stream it wraps.
type clientStream struct {
	grpc.ClientStream
	c *config
}

func (s *clientStream) RecvMsg(m any) error { return s.c.fromStatus(s.ClientStream.RecvMsg(m)) }
func (s *clientStream) SendMsg(m any) error { return s.c.fromStatus(s.ClientStream.SendMsg(m)) }
func (s *clientStream) CloseSend() error    { return s.c.fromStatus(s.ClientStream.CloseSend()) }

func (s *clientStream) Header() (metadata.MD, error) {
	md, err := s.ClientStream.Header()
	return md, s.c.fromStatus(err)
}
