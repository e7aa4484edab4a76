package pb

import (
	"context"
	"errors"
)

// localServer implements FooServer in the package that declares it.
type localServer struct{}

func (localServer) Get(context.Context, *GetRequest) (*GetReply, error) {
	return nil, errors.New("no") // want `error without a code \(errors.New\) crosses the gRPC boundary`
}

func (localServer) Watch(*GetRequest, Foo_WatchServer) error {
	return errors.New("no") // want `error without a code \(errors.New\) crosses the gRPC boundary`
}

func (localServer) mustEmbedUnimplementedFooServer() {}
