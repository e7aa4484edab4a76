// Package grpcimpl has gRPC servers that embed no Unimplemented…Server
// but implement a …Server interface of a *_grpc.pb.go file.
package grpcimpl

import (
	"context"
	"errors"

	"github.com/errcode/errcode/errcodelint/testdata/src/boundary/pb"
)

// unsafeServer opts out of forward compatibility.
type unsafeServer struct {
	pb.UnsafeFooServer
}

func (*unsafeServer) Get(context.Context, *pb.GetRequest) (*pb.GetReply, error) {
	return nil, errors.New("x") // want `\(errors.New\) crosses the gRPC boundary`
}

func (*unsafeServer) Watch(*pb.GetRequest, pb.Foo_WatchServer) error {
	return nil
}

// barServer implements BarServer, which has no mustEmbed method.
type barServer struct{}

func (barServer) Put(context.Context, *pb.GetRequest) (*pb.GetReply, error) {
	return nil, errors.New("x") // want `\(errors.New\) crosses the gRPC boundary`
}

// Get is not a method of service Bar.
func (barServer) Get(context.Context, *pb.GetRequest) (*pb.GetReply, error) {
	return nil, errors.New("x")
}
