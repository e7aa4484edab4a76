package errcodegrpc_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcodegrpc"
	"github.com/errcode/errcode/internal/testpeer"
)

// typicalError is the README tour's error: a VmOverlayError with qemu-img's
// stderr and the VM's id, wrapped by SandboxError.
func typicalError() error {
	err := errcode.VmOverlayError.New("qemu-img failed",
		"stderr", "qemu-img: Could not open '/var/lib/vms/base.qcow2': Permission denied", "vm", "vm-7f3a")
	return errcode.SandboxError.Wrap(err, "starting sandbox")
}

// benchServer returns a client over loopback TCP of a server whose Fail
// returns err, with the errcodegrpc interceptors when opts is not nil.
func benchServer(tb testing.TB, err error, opts []errcodegrpc.Option) *testpeer.Client {
	tb.Helper()
	lis, lerr := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(tb, lerr)
	var sopts []grpc.ServerOption
	if opts != nil {
		sopts = append(sopts, grpc.ChainUnaryInterceptor(errcodegrpc.UnaryServerInterceptor(opts...)))
	}
	srv := grpc.NewServer(sopts...)
	testpeer.Register(srv, &peer{errs: map[string]error{"e": err}})
	go func() { _ = srv.Serve(lis) }()
	tb.Cleanup(srv.Stop)
	cc, cerr := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(tb, cerr)
	tb.Cleanup(func() { _ = cc.Close() })
	return testpeer.NewClient(cc)
}

// BenchmarkErrorPath measures a failing unary RPC on loopback: a plain
// status.Error against errcode's interceptors with the README's typical
// error, under each disclosure policy.
func BenchmarkErrorPath(b *testing.B) {
	typical := typicalError()
	for _, bc := range []struct {
		name string
		err  error
		opts []errcodegrpc.Option
	}{
		{"plain status.Error", status.Error(codes.Unknown, typical.Error()), nil},
		{"errcode Full", typical, []errcodegrpc.Option{}},
		{"errcode Public", typical, []errcodegrpc.Option{errcodegrpc.WithDisclosure(errcode.DisclosePublic)}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c := benchServer(b, bc.err, bc.opts)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if err := c.Fail(ctx, "e"); err == nil {
					b.Fatal("no error")
				}
			}
		})
	}
}

// trailerBytes returns the size of the trailer block the client got for
// err: grpc-status, grpc-message and grpc-status-details-bin as HTTP/2
// counts them (the :status and content-type of a trailers-only response
// add 102 bytes).
func trailerBytes(tb testing.TB, err error, opts ...errcodegrpc.Option) (int, string) {
	tb.Helper()
	st := status.Convert(benchServer(tb, err, append([]errcodegrpc.Option{}, opts...)).Fail(context.Background(), "e"))
	raw, merr := proto.Marshal(st.Proto())
	require.NoError(tb, merr)
	n := len("grpc-status") + len(fmt.Sprint(int(st.Code()))) + 32 +
		len("grpc-message") + len(st.Message()) + 32 + // ASCII messages: no percent-encoding
		len("grpc-status-details-bin") + (len(raw)*8+5)/6 + 32
	info, _ := statusInfos(st)
	return n, info.GetMetadata()["dropped"]
}

// TestTypicalTrailer reports the trailer bytes of the README's typical
// error under each policy, and at how many layers it starts losing stack
// traces under the default budget (run with -v).
func TestTypicalTrailer(t *testing.T) {
	full, _ := trailerBytes(t, typicalError())
	public, _ := trailerBytes(t, typicalError(), errcodegrpc.WithDisclosure(errcode.DisclosePublic))
	t.Logf("typical error: %d trailer bytes Full, %d Public", full, public)
	require.Less(t, public, full)
	err := typicalError()
	elided := false
	for layers := 2; layers < 100; layers++ {
		_, dropped := trailerBytes(t, err)
		if dropped != "" && !elided {
			elided = true
			t.Logf("typical error wrapped to %d coded layers: dropped %q", layers, dropped)
		}
		// Under the default policy a big error loses stack frames before
		// anything else.
		require.Contains(t, []string{"", "shared-frames", "stacks", "shared-frames stacks"}, dropped,
			"%d coded layers: dropped %q before its stacks were gone", layers, dropped)
		if strings.Contains(dropped, "stacks") {
			t.Logf("typical error wrapped to %d coded layers: dropped %q", layers, dropped)
			return
		}
		err = errcode.SandboxError.Wrap(err, "retry")
	}
	t.Fatal("never lost a stack")
}
