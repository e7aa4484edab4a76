// Package grpcembed has a gRPC server that embeds
// pb.UnimplementedFooServer.
package grpcembed

import (
	"context"
	"errors"
	"fmt"

	crdb "github.com/cockroachdb/errors"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcodelint/testdata/src/boundary/pb"
)

type server struct {
	pb.UnimplementedFooServer
	name string
}

func (s *server) Get(ctx context.Context, req *pb.GetRequest) (*pb.GetReply, error) {
	switch req.Name {
	case "std":
		return nil, errors.New("no such name") // want `error without a code \(errors.New\) crosses the gRPC boundary: make it with an errcode Code \(Code.New/Wrap\)`
	case "fmt":
		return nil, fmt.Errorf("no name %q", req.Name) // want `\(fmt.Errorf\) crosses the gRPC boundary`
	case "paren":
		return nil, (errors.New("x")) // want `\(errors.New\) crosses`
	case "crdb":
		return nil, crdb.New("x") // want `\(github.com/cockroachdb/errors.New\) crosses`
	case "coded":
		return nil, errcode.VmConfigError.New("no such name")
	case "wrapped":
		return nil, errcode.VmConfigError.Wrap(errors.New("x"), "get")
	case "call":
		return nil, s.lookup(req.Name)
	case "wrapverb":
		return nil, fmt.Errorf("get %s: %w", req.Name, s.lookup(req.Name))
	case "local":
		err := errors.New("x")
		return nil, err // want `\(err, from errors.New\) crosses the gRPC boundary`
	case "suppressed":
		//errcodelint:ignore boundary the client matches this message, see issue 7
		return nil, errors.New("legacy")
	case "suppressedsameline":
		return nil, errors.New("legacy") //errcodelint:ignore boundary the client matches this message
	case "othercheck":
		return nil, errors.New("legacy") //errcodelint:ignore textmatch not this check // want `\(errors.New\) crosses`
	}
	return &pb.GetReply{Value: s.name}, nil
}

func (s *server) Watch(req *pb.GetRequest, stream pb.Foo_WatchServer) error {
	send := func() error {
		// A closure's return does not leave the method.
		return errors.New("x")
	}
	if err := send(); err != nil {
		return err
	}
	return fmt.Errorf("watch %s ended", req.Name) // want `\(fmt.Errorf\) crosses the gRPC boundary`
}

// named is a service method with named results: a result may be set
// by a deferred function, so it is not followed.
type named struct {
	pb.UnimplementedFooServer
}

func (named) Get(context.Context, *pb.GetRequest) (reply *pb.GetReply, err error) {
	err = errors.New("x")
	return nil, err
}

// lookup is a helper, not a service method: what it returns goes back
// to the method, which may code it.
func (s *server) lookup(name string) error {
	return errors.New("not found: " + name)
}

// Close is exported but not a method of the service.
func (s *server) Close() error {
	return errors.New("x")
}

// valueServer embeds the Unimplemented struct by pointer.
type valueServer struct {
	*pb.UnimplementedFooServer
}

func (valueServer) Get(context.Context, *pb.GetRequest) (*pb.GetReply, error) {
	return nil, errors.New("x") // want `\(errors.New\) crosses the gRPC boundary`
}

// notAServer embeds no Unimplemented…Server and implements no …Server
// interface.
type notAServer struct{}

func (notAServer) Get(context.Context, *pb.GetRequest) (*pb.GetReply, error) {
	return nil, errors.New("x")
}

// fakeStream implements a stream's interface, Foo_WatchServer, which is
// not a service.
type fakeStream struct{ pb.Foo_WatchServer }

func (fakeStream) Send(*pb.GetReply) error { return errors.New("x") }

// fakeClient implements FooClient, which is not a service.
type fakeClient struct{}

func (fakeClient) Get(context.Context, *pb.GetRequest) (*pb.GetReply, error) {
	return nil, errors.New("x")
}

var _ pb.FooClient = fakeClient{}
