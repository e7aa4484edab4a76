package errcodegrpc_test

import (
	"context"
	"fmt"
	"net"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcodegrpc"
)

// healthServer is a gRPC service whose handler fails with a coded error.
type healthServer struct {
	healthpb.UnimplementedHealthServer
}

func (healthServer) Check(context.Context, *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	return nil, errcode.VmCapacityError.New("pool full", "pool", "default")
}

// The server interceptors send a handler's coded error as a status with
// the mapped code, the message and the encoded error in its details; the
// client interceptors turn it back into the coded error. A client without
// them still gets the status code and message.
func Example() {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := grpc.NewServer(
		grpc.ChainUnaryInterceptor(errcodegrpc.UnaryServerInterceptor()),
		grpc.ChainStreamInterceptor(errcodegrpc.StreamServerInterceptor()))
	healthpb.RegisterHealthServer(srv, healthServer{})
	go srv.Serve(lis)
	defer srv.Stop()

	conn, err := grpc.NewClient(lis.Addr().String(),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithChainUnaryInterceptor(errcodegrpc.UnaryClientInterceptor()),
		grpc.WithChainStreamInterceptor(errcodegrpc.StreamClientInterceptor()))
	if err != nil {
		panic(err)
	}
	defer conn.Close()

	_, err = healthpb.NewHealthClient(conn).Check(context.Background(), &healthpb.HealthCheckRequest{})
	pool, _ := errcode.Field[string](err, "pool")
	fmt.Println(err)
	fmt.Println(errcode.CodeOf(err), errcode.Is(err, errcode.TransientError), errcode.IsRetryable(err))
	fmt.Println(errcode.GRPCCodeOf(err), errcode.RetryAfterOf(err), pool)
	// It keeps the status it came in, so status.Code and status.FromError
	// answer as they would without the interceptors.
	fmt.Println(status.Code(err), status.Convert(err).Message())

	// A client without the interceptors gets a plain status.
	plain, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		panic(err)
	}
	defer plain.Close()
	_, err = healthpb.NewHealthClient(plain).Check(context.Background(), &healthpb.HealthCheckRequest{})
	fmt.Println(status.Code(err), status.Convert(err).Message())
	// Output:
	// pool full
	// VmCapacityError true true
	// Unavailable 1s default
	// Unavailable pool full
	// Unavailable pool full
}
