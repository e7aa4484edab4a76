// Package testpeer is a small gRPC service for testing errcode's transports
// without protoc: its ServiceDesc is written by hand and its messages are
// protobuf's well-known wrappers. The unit tests of errcodegrpc serve it
// in process; cmd/testpeer serves it, and HTTP, from a process of its own
// for the cross-process test of the errcode package.
package testpeer

import (
	"context"
	"errors"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// ServiceName is the full name of the service.
const ServiceName = "errcode.testpeer.v1.Peer"

// The full method names, as interceptors see them.
const (
	FailMethod       = "/" + ServiceName + "/Fail"
	FailStreamMethod = "/" + ServiceName + "/FailStream"
	CheckHopMethod   = "/" + ServiceName + "/CheckHop"
)

// Server is what a peer implements.
type Server interface {
	// Fail returns the error of the case named name (nil for success).
	Fail(ctx context.Context, name string) error
	// FailStream sends messages with send, then returns the error of the
	// case named name.
	FailStream(ctx context.Context, name string, send func(string) error) error
	// CheckHop is given an error the peer sent, encoded again by the
	// client, and returns "OK" or what is wrong with it.
	CheckHop(ctx context.Context, encoded []byte) (string, error)
}

// ServiceDesc describes the service to grpc-go: Fail and CheckHop are
// unary (StringValue → Empty, BytesValue → StringValue), FailStream is
// server-streaming (StringValue → stream of StringValue).
var ServiceDesc = grpc.ServiceDesc{
	ServiceName: ServiceName,
	HandlerType: (*Server)(nil),
	Methods: []grpc.MethodDesc{
		{MethodName: "Fail", Handler: failHandler},
		{MethodName: "CheckHop", Handler: checkHopHandler},
	},
	Streams: []grpc.StreamDesc{
		{StreamName: "FailStream", Handler: failStreamHandler, ServerStreams: true},
	},
	Metadata: "internal/testpeer/service.go",
}

// Register registers srv with s.
func Register(s grpc.ServiceRegistrar, srv Server) { s.RegisterService(&ServiceDesc, srv) }

func failHandler(srv any, ctx context.Context, dec func(any) error, interceptor grpc.UnaryServerInterceptor) (any, error) {
	in := new(wrapperspb.StringValue)
	if err := dec(in); err != nil {
		return nil, err
	}
	call := func(ctx context.Context, req any) (any, error) {
		if err := srv.(Server).Fail(ctx, req.(*wrapperspb.StringValue).GetValue()); err != nil {
			return nil, err
		}
		return &emptypb.Empty{}, nil
	}
	if interceptor == nil {
		return call(ctx, in)
	}
	return interceptor(ctx, in, &grpc.UnaryServerInfo{Server: srv, FullMethod: FailMethod}, call)
}

func checkHopHandler(srv any, ctx context.Context, dec func(any) error, interceptor grpc.UnaryServerInterceptor) (any, error) {
	in := new(wrapperspb.BytesValue)
	if err := dec(in); err != nil {
		return nil, err
	}
	call := func(ctx context.Context, req any) (any, error) {
		verdict, err := srv.(Server).CheckHop(ctx, req.(*wrapperspb.BytesValue).GetValue())
		if err != nil {
			return nil, err
		}
		return wrapperspb.String(verdict), nil
	}
	if interceptor == nil {
		return call(ctx, in)
	}
	return interceptor(ctx, in, &grpc.UnaryServerInfo{Server: srv, FullMethod: CheckHopMethod}, call)
}

func failStreamHandler(srv any, stream grpc.ServerStream) error {
	in := new(wrapperspb.StringValue)
	if err := stream.RecvMsg(in); err != nil {
		return err
	}
	send := func(s string) error { return stream.SendMsg(wrapperspb.String(s)) }
	return srv.(Server).FailStream(stream.Context(), in.GetValue(), send)
}

// Client calls the service.
type Client struct {
	cc grpc.ClientConnInterface
}

// NewClient returns a Client that calls through cc.
func NewClient(cc grpc.ClientConnInterface) *Client { return &Client{cc: cc} }

// Fail calls Fail for the case named name and returns the call's error.
func (c *Client) Fail(ctx context.Context, name string, opts ...grpc.CallOption) error {
	return c.cc.Invoke(ctx, FailMethod, wrapperspb.String(name), new(emptypb.Empty), opts...)
}

// FailStream calls FailStream for the case named name and returns the
// messages received and the error that ended the stream (nil when it
// ended with io.EOF).
func (c *Client) FailStream(ctx context.Context, name string, opts ...grpc.CallOption) ([]string, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := c.cc.NewStream(ctx, &ServiceDesc.Streams[0], FailStreamMethod, opts...)
	if err != nil {
		return nil, err
	}
	if err := stream.SendMsg(wrapperspb.String(name)); err != nil {
		if !errors.Is(err, io.EOF) {
			return nil, err
		}
		// The stream was aborted; RecvMsg below reports its status.
	}
	if err := stream.CloseSend(); err != nil {
		return nil, err
	}
	var got []string
	for {
		m := new(wrapperspb.StringValue)
		if err := stream.RecvMsg(m); err != nil {
			if err == io.EOF {
				return got, nil
			}
			return got, err
		}
		got = append(got, m.GetValue())
	}
}

// CheckHop calls CheckHop with encoded and returns the peer's verdict.
func (c *Client) CheckHop(ctx context.Context, encoded []byte, opts ...grpc.CallOption) (string, error) {
	out := new(wrapperspb.StringValue)
	if err := c.cc.Invoke(ctx, CheckHopMethod, wrapperspb.Bytes(encoded), out, opts...); err != nil {
		return "", err
	}
	return out.GetValue(), nil
}
