package main

import (
	"context"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/errcode/errcode/internal/testpeer"
)

// foreignPeer is the server that knows nothing of errcode: it fails with
// the statuses of testpeer.ForeignStatus.
type foreignPeer struct{}

func (foreignPeer) Fail(_ context.Context, name string) error { return foreignErr(name) }

func (foreignPeer) FailStream(_ context.Context, name string, send func(string) error) error {
	for _, m := range []string{"one", "two"} {
		if err := send(m); err != nil {
			return err
		}
	}
	return foreignErr(name)
}

func (foreignPeer) CheckHop(context.Context, []byte) (string, error) {
	return "", status.Error(codes.Unimplemented, "the foreign server checks nothing")
}

func foreignErr(name string) error {
	st, ok := testpeer.ForeignStatus(name)
	if !ok {
		return status.Errorf(codes.NotFound, "testpeer: no foreign case %q", name)
	}
	return st.Err()
}
