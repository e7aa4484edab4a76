package errcode_test

// The snippets of the README's "Using errcode in a service", compiled and
// run.

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/cenkalti/backoff/v5"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcodegrpc"
	"github.com/errcode/errcode/errcoderetry"
	"github.com/errcode/errcode/internal/testpeer"
)

// reply is the README's handler dispatch.
func reply(err error) string {
	switch c, _ := errcode.Match(err, errcode.VmCapacityError, errcode.TransientError, errcode.PermanentError); c {
	case errcode.VmCapacityError:
		return "busy, come back later"
	case errcode.TransientError:
		return "retrying"
	case errcode.PermanentError:
		return "failed"
	}
	return "unknown"
}

// Handler dispatch with Match: the candidate nearest to the error's code
// wins.
func Example_serviceDispatch() {
	fmt.Println(reply(errcode.VmCapacityError.New("pool full")))
	fmt.Println(reply(fmt.Errorf("boot: %w", errcode.VmBootTimeoutError.New("agent not ready"))))
	fmt.Println(reply(errcode.VmConfigError.New("two boot disks")))
	fmt.Println(reply(errcode.SnapshotError.New("snapshot corrupt")))
	// Output:
	// busy, come back later
	// retrying
	// failed
	// unknown
}

// HTTP: the handler writes the JSON form with the mapped status; the
// client turns the response back into the error.
func Example_serviceHTTP() {
	startVM := func(context.Context) error {
		return errcode.VmCapacityError.New("pool full", "pool", "default")
	}
	handle := func(w http.ResponseWriter, r *http.Request) {
		if err := startVM(r.Context()); err != nil {
			errcode.WriteHTTPError(w, err) // 503 for a VmCapacityError, JSON body
			return
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(handle))
	defer srv.Close()

	resp, err := http.Get(srv.URL)
	if err == nil {
		defer resp.Body.Close()
		err = errcode.ErrorFromResponse(resp) // nil for 2xx; the coded error otherwise
	}
	pool, _ := errcode.Field[string](err, "pool")
	fmt.Println(resp.StatusCode, errcode.CodeOf(err), errcode.IsRetryable(err), pool)
	// Output:
	// 503 VmCapacityError true default
}

// Logging: errcode's errors are slog.LogValuers.
func Example_serviceLogging() {
	logger := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // for a stable output
			}
			return a
		},
	}))
	err := errcode.VmCapacityError.New("pool full", "pool", "default")
	logger.Error("start failed", "err", err)
	// Output:
	// {"level":"ERROR","msg":"start failed","err":{"message":"pool full","code":"VmCapacityError","retry":"transient","retry_after":1000000000,"fields":{"pool":"default"}}}
}

// Retries with errcoderetry: transient errors are retried, waiting at
// least their retry-after hint.
func Example_serviceRetry() {
	ctx := context.Background()
	calls := 0
	startVM := func(context.Context) error {
		calls++
		if calls < 3 {
			return errcode.VmBootTimeoutError.New("agent not ready")
		}
		return nil
	}
	attempts, err := errcoderetry.Do(ctx, func(ctx context.Context) error {
		return startVM(ctx)
	}, errcoderetry.WithMaxAttempts(5),
		// Short waits, so that the example runs quickly.
		errcoderetry.WithBackOff(backoff.NewConstantBackOff(time.Millisecond)))
	fmt.Println(attempts, err)
	// Output:
	// 3 <nil>
}

// vmService is a gRPC service whose handler fails with a coded error.
type vmService struct{}

func (vmService) Fail(context.Context, string) error {
	return errcode.VmCapacityError.New("pool full", "pool", "default")
}
func (vmService) FailStream(context.Context, string, func(string) error) error { return nil }
func (vmService) CheckHop(context.Context, []byte) (string, error)             { return "", nil }

// gRPC: the server interceptors send a handler's coded error as a status
// with the mapped code and the encoded error in its details; the client
// interceptors turn it back into the coded error.
func Example_serviceGRPC() {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := grpc.NewServer(
		grpc.ChainUnaryInterceptor(errcodegrpc.UnaryServerInterceptor()),
		grpc.ChainStreamInterceptor(errcodegrpc.StreamServerInterceptor()))
	testpeer.Register(srv, vmService{})
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

	err = testpeer.NewClient(conn).Fail(context.Background(), "")
	pool, _ := errcode.Field[string](err, "pool")
	fmt.Println(err, errcode.CodeOf(err), errcode.IsRetryable(err), errcode.GRPCCodeOf(err), pool)
	// Output:
	// pool full VmCapacityError true Unavailable default
}
