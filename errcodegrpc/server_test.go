package errcodegrpc_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcodegrpc"
	"github.com/errcode/errcode/internal/testpeer"
)

// trailerPeer fails with errs, and first sets the trailers of trailers
// for the same case name.
type trailerPeer struct {
	peer
	trailers map[string]metadata.MD
}

func (p *trailerPeer) Fail(ctx context.Context, name string) error {
	if md := p.trailers[name]; md != nil {
		if err := grpc.SetTrailer(ctx, md); err != nil {
			return err
		}
	}
	return p.errs[name]
}

// limitedClients are clients over TCP on 127.0.0.1 of a server with the
// server interceptors configured by opts; both advertise a header list
// limit of 8192 bytes, as grpc-java's default does.
func serveTrailerPeer(t *testing.T, p *trailerPeer, opts ...errcodegrpc.Option) clients {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := grpc.NewServer(
		grpc.ChainUnaryInterceptor(errcodegrpc.UnaryServerInterceptor(opts...)),
		grpc.ChainStreamInterceptor(errcodegrpc.StreamServerInterceptor(opts...)),
	)
	testpeer.Register(srv, p)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	dial := func(extra ...grpc.DialOption) *testpeer.Client {
		extra = append(extra, grpc.WithTransportCredentials(insecure.NewCredentials()), grpc.WithMaxHeaderListSize(8192))
		cc, err := grpc.NewClient(lis.Addr().String(), extra...)
		require.NoError(t, err)
		t.Cleanup(func() { _ = cc.Close() })
		return testpeer.NewClient(cc)
	}
	return clients{
		plain: dial(),
		coded: dial(grpc.WithChainUnaryInterceptor(errcodegrpc.UnaryClientInterceptor()),
			grpc.WithChainStreamInterceptor(errcodegrpc.StreamClientInterceptor())),
	}
}

// deepStack returns err made n calls deep, so that its stack is full.
func deepStack(n int, f func() error) error {
	if n == 0 {
		return f()
	}
	return deepStack(n-1, f)
}

// invalidUTF8 is a message with bytes that are not UTF-8.
const invalidUTF8 = "bad \xff\xfe bytes"

// budgetCases are errors that would not fit in 8 KiB as they are.
func budgetCases() map[string]error {
	huge := strings.Repeat("m", 1<<20)
	layers := error(errcode.VmCapacityError.New("pool full", "pool", "default"))
	for i := 1; i < 100; i++ {
		layers = errcode.SandboxError.Wrap(layers, fmt.Sprintf("layer %d", i), "i", i)
	}
	return map[string]error{
		"huge message": errcode.VmBootTimeoutError.New(huge),
		"huge Newf":    errcode.SandboxError.Wrapf(errcode.VmBootTimeoutError.New("slow"), "boot %s", huge),
		"100 layers":   layers,
		"megabyte fields": errcode.VmConfigError.New("bad config",
			"alpha", strings.Repeat("a", 60<<10), "beta", errcode.Safe(strings.Repeat("b", 60<<10)),
			"gamma", []byte(strings.Repeat("c", 40<<10)), "huge", huge),
		"deep stacks": deepStack(200, func() error {
			var err error = errcode.VmBootTimeoutError.New("slow")
			for i := 0; i < 30; i++ {
				err = deepStack(i, func() error { return crdberrors.Wrap(errcode.SandboxError.Wrap(err, "boot"), "retry") })
			}
			return err
		}),
		"invalid UTF-8": errcode.WithRetryAfter(errcode.VmConfigError.New(invalidUTF8, "vcpus", errcode.Safe(128)), time.Minute),
		"overrides under layers": errcode.WithGRPCCode(errcode.WithRetry(
			errcode.SandboxError.Wrap(errcode.WithRetryAfter(layers, 5*time.Second), "outer"), errcode.Permanent), codes.Aborted),
	}
}

// TestBudget checks that whatever the error, a client that takes at most
// 8192 bytes of trailers gets the mapped code, the outermost code's name
// and ancestry, ErrorInfo, and the retry answers.
func TestBudget(t *testing.T) {
	t.Parallel()
	cases := budgetCases()
	cl := serveTrailerPeer(t, &trailerPeer{peer: peer{errs: cases}})
	for name, giveErr := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := ctxT(t)
			plain := cl.plain.Fail(ctx, name)
			st := status.Convert(plain)
			require.Equal(t, errcode.GRPCCodeOf(giveErr), st.Code(), "status %v", st.Message())
			info, retry := statusInfos(st)
			require.NotNil(t, info, "ErrorInfo")
			assert.Equal(t, errcode.ReasonOf(giveErr), info.GetReason())
			assert.Equal(t, errcode.NameOf(giveErr), info.GetMetadata()["code"])
			assert.Equal(t, strings.Join(errcode.AncestorNamesOf(giveErr), " "), info.GetMetadata()["ancestors"])
			assert.Equal(t, errcode.RetryOf(giveErr).String(), info.GetMetadata()["retry"])
			assert.Equal(t, errcode.RetryOf(giveErr) == errcode.Transient, retry != nil, "RetryInfo exactly when transient")
			if retry != nil {
				assert.Equal(t, errcode.RetryAfterOf(giveErr), retry.GetRetryDelay().AsDuration())
			}

			coded := cl.coded.Fail(ctx, name)
			assert.Equal(t, errcode.NameOf(giveErr), errcode.NameOf(coded), "%v", coded)
			assert.Equal(t, errcode.AncestorNamesOf(giveErr), errcode.AncestorNamesOf(coded))
			assert.Equal(t, errcode.RetryOf(giveErr), errcode.RetryOf(coded))
			assert.Equal(t, errcode.RetryAfterOf(giveErr), errcode.RetryAfterOf(coded))
			assert.Equal(t, errcode.GRPCCodeOf(giveErr), errcode.GRPCCodeOf(coded))
		})
	}
}

// statusInfos returns st's ErrorInfo and RetryInfo, nil when absent; it
// fails if there are more than one of either.
func statusInfos(st *status.Status) (*errdetails.ErrorInfo, *errdetails.RetryInfo) {
	var info *errdetails.ErrorInfo
	var retry *errdetails.RetryInfo
	for _, d := range st.Details() {
		switch d := d.(type) {
		case *errdetails.ErrorInfo:
			if info != nil {
				panic("two ErrorInfo")
			}
			info = d
		case *errdetails.RetryInfo:
			if retry != nil {
				panic("two RetryInfo")
			}
			retry = d
		}
	}
	return info, retry
}

// TestBudgetDegradesInOrder checks what each case loses, as ErrorInfo's
// dropped says.
func TestBudgetDegradesInOrder(t *testing.T) {
	t.Parallel()
	cases := budgetCases()
	cl := serveTrailerPeer(t, &trailerPeer{peer: peer{errs: cases}})
	tests := []struct {
		name        string
		wantDropped string
	}{
		{"huge message", "messages"},
		{"huge Newf", "messages"},
		{"100 layers", "shared-frames stacks field-values fields layers"},
		{"megabyte fields", "field-values fields"},
		{"deep stacks", "shared-frames stacks layers"},
		{"invalid UTF-8", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			info, _ := statusInfos(status.Convert(cl.plain.Fail(ctxT(t), tt.name)))
			require.NotNil(t, info)
			got := info.GetMetadata()["dropped"]
			assert.True(t, strings.HasSuffix(got, tt.wantDropped), "dropped = %q; want it to end in %q", got, tt.wantDropped)
			if tt.wantDropped == "" {
				assert.Empty(t, got)
			}
		})
	}
}

// TestInvalidUTF8 checks that a message with invalid bytes keeps its
// code, fields and retry decision: grpc-message is made valid, errcode's
// detail keeps the bytes.
func TestInvalidUTF8(t *testing.T) {
	t.Parallel()
	giveErr := budgetCases()["invalid UTF-8"]
	cl := serveTrailerPeer(t, &trailerPeer{peer: peer{errs: map[string]error{"utf8": giveErr}}})
	st := status.Convert(cl.plain.Fail(ctxT(t), "utf8"))
	assert.Equal(t, codes.InvalidArgument, st.Code())
	assert.Equal(t, strings.ToValidUTF8(invalidUTF8, "\uFFFD"), st.Message())
	info, _ := statusInfos(st)
	require.NotNil(t, info)
	assert.Equal(t, "128", info.GetMetadata()["vcpus"], "a Safe field")

	coded := cl.coded.Fail(ctxT(t), "utf8")
	assert.Equal(t, invalidUTF8, coded.Error(), "the exact bytes")
	v, _ := errcode.Field[int](coded, "vcpus")
	assert.Equal(t, 128, v)
	assert.Equal(t, errcode.Permanent, errcode.RetryOf(coded))
	assert.Equal(t, time.Minute, errcode.RetryAfterOf(coded))
}

// TestErrorInfo checks ErrorInfo and RetryInfo for every catalog code.
func TestErrorInfo(t *testing.T) {
	t.Parallel()
	errs := make(map[string]error)
	for _, c := range errcode.Default.Codes() {
		errs[c.Name()] = errcode.WithFields(c.New("failed"), "vm", errcode.Safe("vm-7"), "secret", "hunter2",
			"Bad", errcode.Safe("upper case key"), "code", errcode.Safe("collides"))
	}
	cl := serveTrailerPeer(t, &trailerPeer{peer: peer{errs: errs}})
	for _, c := range errcode.Default.Codes() {
		t.Run(c.Name(), func(t *testing.T) {
			t.Parallel()
			st := status.Convert(cl.plain.Fail(ctxT(t), c.Name()))
			info, retry := statusInfos(st)
			require.NotNil(t, info)
			assert.Equal(t, c.Reason(), info.GetReason())
			assert.Equal(t, errcode.DefaultDomain, info.GetDomain())
			var ancestors []string
			for _, a := range c.Ancestors() {
				ancestors = append(ancestors, a.Name())
			}
			assert.Equal(t, map[string]string{
				"code": c.Name(), "ancestors": strings.Join(ancestors, " "), "retry": c.Retry().String(), "vm": "vm-7",
			}, info.GetMetadata(), "Safe fields with valid keys that do not collide")
			assert.Equal(t, c.Retry() == errcode.Transient, retry != nil)
			if retry != nil {
				assert.Equal(t, c.RetryAfter(), retry.GetRetryDelay().AsDuration())
			}
		})
	}
}

// TestDeterministic checks that the same error gives the same trailer.
func TestDeterministic(t *testing.T) {
	t.Parallel()
	cases := budgetCases()
	cl := serveTrailerPeer(t, &trailerPeer{peer: peer{errs: cases}})
	for name := range cases {
		first, err := proto.Marshal(status.Convert(cl.plain.Fail(ctxT(t), name)).Proto())
		require.NoError(t, err)
		for range 3 {
			again, err := proto.Marshal(status.Convert(cl.plain.Fail(ctxT(t), name)).Proto())
			require.NoError(t, err)
			assert.Equal(t, first, again, name)
		}
	}
}

// TestHandlerTrailersCounted checks that the trailers a handler sets count
// against the budget: with 6000 bytes of them, the status still fits.
func TestHandlerTrailersCounted(t *testing.T) {
	t.Parallel()
	giveErr := budgetCases()["deep stacks"]
	p := &trailerPeer{peer: peer{errs: map[string]error{"t": giveErr}},
		trailers: map[string]metadata.MD{"t": metadata.Pairs("x-big", strings.Repeat("t", 6000), "x-bin", "\x00\x01")}}
	cl := serveTrailerPeer(t, p)
	var md metadata.MD
	st := status.Convert(cl.plain.Fail(ctxT(t), "t", grpc.Trailer(&md)))
	require.Equal(t, codes.DeadlineExceeded, st.Code(), "%v", st.Message())
	assert.Len(t, md.Get("x-big"), 1)
	info, _ := statusInfos(st)
	require.NotNil(t, info)
	assert.Contains(t, info.GetMetadata()["dropped"], "stacks")
}

// TestPublicLeaksNothing checks that a Public server sends no stack frame,
// file path or unsafe value, in any byte of the status.
func TestPublicLeaksNothing(t *testing.T) {
	t.Parallel()
	giveErr := errcode.SandboxError.Wrapf(
		crdberrors.Wrap(errcode.VmConfigError.New("bad config", "password", "hunter2", "vcpus", errcode.Safe(128)), "crdb"),
		"start %s", "secret-vm")
	cl := serveTrailerPeer(t, &trailerPeer{peer: peer{errs: map[string]error{"e": giveErr}}}, errcodegrpc.WithDisclosure(errcode.DisclosePublic))
	var md metadata.MD
	st := status.Convert(cl.plain.Fail(ctxT(t), "e", grpc.Trailer(&md)))
	raw, err := proto.Marshal(st.Proto())
	require.NoError(t, err)
	all := string(raw) + st.Message() + fmt.Sprint(md)
	wd, err := os.Getwd() // the checkout's path, which the stack frames of a Full error hold
	require.NoError(t, err)
	for _, leak := range []string{"hunter2", "secret-vm", ".go:", wd, "errcodegrpc_test", "testing.tRunner"} {
		assert.NotContains(t, all, leak)
	}
	assert.Equal(t, "start ×: crdb: bad config", st.Message(), "errors.Redact's text")
	coded := cl.coded.Fail(ctxT(t), "e")
	assert.Equal(t, errcode.SandboxError, errcode.CodeOf(coded))
	assert.True(t, errcode.Is(coded, errcode.VmConfigError))
	v, _ := errcode.Field[int](coded, "vcpus")
	assert.Equal(t, 128, v)
}
