package errcodegrpc_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/protoadapt"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcodegrpc"
	"github.com/errcode/errcode/internal/testpeer"
)

// serveTCP starts a gRPC server on 127.0.0.1 that fails with errs, with
// the errcodegrpc server interceptors when withInterceptors, and returns
// a plain client of it and one with the client interceptors configured
// by clientOpts.
func serveTCP(t *testing.T, withInterceptors bool, errs map[string]error, clientOpts ...errcodegrpc.Option) (plain, coded *testpeer.Client) {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var opts []grpc.ServerOption
	if withInterceptors {
		opts = append(opts,
			grpc.ChainUnaryInterceptor(errcodegrpc.UnaryServerInterceptor()),
			grpc.ChainStreamInterceptor(errcodegrpc.StreamServerInterceptor()))
	}
	srv := grpc.NewServer(opts...)
	testpeer.Register(srv, &peer{errs: errs})
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)

	dial := func(opts ...grpc.DialOption) *testpeer.Client {
		cc, err := grpc.NewClient(lis.Addr().String(), append(opts, grpc.WithTransportCredentials(insecure.NewCredentials()))...)
		require.NoError(t, err)
		t.Cleanup(func() { _ = cc.Close() })
		return testpeer.NewClient(cc)
	}
	return dial(), dial(
		grpc.WithChainUnaryInterceptor(errcodegrpc.UnaryClientInterceptor(clientOpts...)),
		grpc.WithChainStreamInterceptor(errcodegrpc.StreamClientInterceptor(clientOpts...)))
}

// withDetails returns a status error of code c and message msg with the
// details ds.
func withDetails(t *testing.T, c codes.Code, msg string, ds ...protoadapt.MessageV1) error {
	t.Helper()
	st, err := status.New(c, msg).WithDetails(ds...)
	require.NoError(t, err)
	return st.Err()
}

// equalDetails reports whether a and b hold equal details in the same
// order.
func equalDetails(a, b []*anypb.Any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !proto.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// TestClientKeepsStatus checks that the error a client interceptor
// returns keeps the status the server sent — code, message and every
// detail, foreign ones too — also through fmt.Errorf, and answers
// errcode.GRPCCodeOf with the server's code.
func TestClientKeepsStatus(t *testing.T) {
	t.Parallel()
	badRequest := &errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: "vcpus", Description: "must be 1-64"}}}
	sandboxOverStatus := errcode.SandboxError.Wrap(status.Error(codes.NotFound, "no vm"), "lookup")
	tests := []struct {
		desc     string
		giveErr  error
		wantCode codes.Code
	}{
		{"coded", errcode.VmCapacityError.New("pool full", "pool", "default"), codes.Unavailable},
		{"coded over a status with a foreign detail",
			errcode.VmConfigError.Wrap(withDetails(t, codes.InvalidArgument, "bad request", badRequest), "create vm"), codes.InvalidArgument},
		{"a handler's context.Canceled", fmt.Errorf("boot: %w", context.Canceled), codes.Canceled},
		{"a code without mapping over a NotFound status", sandboxOverStatus, codes.NotFound},
		{"an override", errcode.WithGRPCCode(errcode.VmCapacityError.New("pool full"), codes.ResourceExhausted), codes.ResourceExhausted},
	}
	errs := make(map[string]error)
	for _, tt := range tests {
		errs[tt.desc] = tt.giveErr
	}
	plain, coded := serveTCP(t, true, errs)
	for _, c := range calls {
		for _, tt := range tests {
			t.Run(c.name+"/"+tt.desc, func(t *testing.T) {
				t.Parallel()
				want := status.Convert(c.do(ctxT(t), plain, tt.desc))
				require.Equal(t, tt.wantCode, want.Code(), "the plain client's code")
				got := c.do(ctxT(t), coded, tt.desc)

				st, ok := status.FromError(got)
				require.True(t, ok, "status.FromError(%v) is not ok", got)
				assert.True(t, proto.Equal(want.Proto(), st.Proto()), "status.FromError = %v; want %v", st.Proto(), want.Proto())
				assert.Equal(t, tt.wantCode, status.Code(got), "status.Code")
				assert.Equal(t, tt.wantCode, errcode.GRPCCodeOf(got), "GRPCCodeOf")
				assert.Equal(t, tt.giveErr.Error(), got.Error(), "Error()")
				assert.Contains(t, fmt.Sprintf("%+v", got), "received in a gRPC status: "+tt.wantCode.String(), "%+v")

				wrapped := fmt.Errorf("call pool: %w", got)
				wst, ok := status.FromError(wrapped)
				require.True(t, ok, "status.FromError through fmt.Errorf")
				assert.Equal(t, tt.wantCode, wst.Code(), "status.Code through fmt.Errorf")
				assert.Equal(t, wrapped.Error(), wst.Message(), "grpc-go gives a wrapped status the wrapper's message")
				assert.True(t, equalDetails(want.Proto().GetDetails(), wst.Proto().GetDetails()), "details through fmt.Errorf")
				assert.Equal(t, tt.wantCode, errcode.GRPCCodeOf(wrapped), "GRPCCodeOf through fmt.Errorf")
			})
		}
	}

	t.Run("logs and error.type as the decoded error", func(t *testing.T) {
		t.Parallel()
		got := coded.Fail(ctxT(t), "coded")
		lv, ok := got.(slog.LogValuer)
		require.True(t, ok, "%T is not a slog.LogValuer", got)
		assert.Equal(t, errcode.LogValue(got).String(), lv.LogValue().String())
		assert.Contains(t, lv.LogValue().String(), "VmCapacityError")
		et, ok := got.(interface{ ErrorType() string })
		require.True(t, ok, "%T has no ErrorType method", got)
		assert.Equal(t, "VmCapacityError", et.ErrorType())
	})

	t.Run("foreign detail", func(t *testing.T) {
		t.Parallel()
		got := coded.Fail(ctxT(t), "coded over a status with a foreign detail")
		var br *errdetails.BadRequest
		for _, d := range status.Convert(got).Details() {
			if m, ok := d.(*errdetails.BadRequest); ok {
				br = m
			}
		}
		require.NotNil(t, br, "the BadRequest detail is kept")
		assert.Equal(t, "vcpus", br.GetFieldViolations()[0].GetField())
		assert.True(t, errcode.Is(got, errcode.VmConfigError))
	})
}

// TestForeignStatus checks what the client interceptors make of a status
// from a server that knows nothing of errcode: the code an ErrorInfo
// names, the hint a RetryInfo gives, AIP-194's retry decision, and the
// status itself unchanged.
func TestForeignStatus(t *testing.T) {
	t.Parallel()
	info := func(domain, reason string, md map[string]string) *errdetails.ErrorInfo {
		return &errdetails.ErrorInfo{Domain: domain, Reason: reason, Metadata: md}
	}
	retryIn := func(d time.Duration) *errdetails.RetryInfo {
		return &errdetails.RetryInfo{RetryDelay: durationpb.New(d)}
	}
	const domain = errcode.DefaultDomain
	tests := []struct {
		desc      string
		giveErr   error
		wantCode  errcode.Code // the zero Code for none
		wantRetry errcode.Retry
		wantAfter time.Duration
	}{
		{"reason in the registry's domain", withDetails(t, codes.Unavailable, "pool full", info(domain, "VM_CAPACITY_ERROR", nil)),
			errcode.VmCapacityError, errcode.Transient, time.Second},
		{"metadata code in another domain", withDetails(t, codes.InvalidArgument, "bad vcpus", info("sandbox.example.com", "BAD_VCPUS", map[string]string{"code": "VmConfigError"})),
			errcode.VmConfigError, errcode.Permanent, 0},
		{"metadata code by an alias", withDetails(t, codes.DeadlineExceeded, "slow", info("x", "Y", map[string]string{"code": "VmTimeoutError"})),
			errcode.VmBootTimeoutError, errcode.Transient, 0},
		{"reason in another domain", withDetails(t, codes.InvalidArgument, "bad", info("sandbox.example.com", "VM_CONFIG_ERROR", nil)),
			errcode.Code{}, errcode.Unspecified, 0},
		{"unknown reason and code", withDetails(t, codes.Unavailable, "later", info(domain, "NO_SUCH_CODE", map[string]string{"code": "NoSuchCode"})),
			errcode.Code{}, errcode.Transient, 0},
		{"the first ErrorInfo that names a code", withDetails(t, codes.Internal, "x", info("other", "OTHER", nil), info(domain, "VM_CONFIG_ERROR", nil), info(domain, "VM_CAPACITY_ERROR", nil)),
			errcode.VmConfigError, errcode.Permanent, 0},
		{"RetryInfo gives the hint", withDetails(t, codes.Unavailable, "later", retryIn(2*time.Second)),
			errcode.Code{}, errcode.Transient, 2 * time.Second},
		{"RetryInfo makes ResourceExhausted transient", withDetails(t, codes.ResourceExhausted, "quota", retryIn(time.Minute)),
			errcode.Code{}, errcode.Transient, time.Minute},
		{"ResourceExhausted alone", status.Error(codes.ResourceExhausted, "quota"), errcode.Code{}, errcode.Unspecified, 0},
		{"Aborted alone", status.Error(codes.Aborted, "conflict"), errcode.Code{}, errcode.Unspecified, 0},
		{"Unavailable alone", status.Error(codes.Unavailable, "down"), errcode.Code{}, errcode.Transient, 0},
		{"NotFound alone", status.Error(codes.NotFound, "no vm"), errcode.Code{}, errcode.Unspecified, 0},
		{"a code's decision wins over the status code", withDetails(t, codes.DeadlineExceeded, "slow", info(domain, "VM_BOOT_TIMEOUT_ERROR", nil)),
			errcode.VmBootTimeoutError, errcode.Transient, 0},
		{"a code that decides nothing, without RetryInfo", withDetails(t, codes.Unavailable, "socket", info(domain, "COMMUNICATION_ERROR", nil)),
			errcode.CommunicationError, errcode.Unspecified, 0},
		{"a code that decides nothing, with RetryInfo", withDetails(t, codes.Unavailable, "socket", info(domain, "COMMUNICATION_ERROR", nil), retryIn(3*time.Second)),
			errcode.CommunicationError, errcode.Transient, 3 * time.Second},
		{"a Permanent code keeps its decision with RetryInfo", withDetails(t, codes.InvalidArgument, "bad", info(domain, "VM_CONFIG_ERROR", nil), retryIn(time.Second)),
			errcode.VmConfigError, errcode.Permanent, time.Second},
		{"a zero retry delay is no hint", withDetails(t, codes.Aborted, "conflict", retryIn(0)),
			errcode.Code{}, errcode.Transient, 0},
	}
	errs := make(map[string]error)
	for _, tt := range tests {
		errs[tt.desc] = tt.giveErr
	}
	_, coded := serveTCP(t, false, errs)
	for _, c := range calls {
		for _, tt := range tests {
			t.Run(c.name+"/"+tt.desc, func(t *testing.T) {
				t.Parallel()
				got := c.do(ctxT(t), coded, tt.desc)
				want := status.Convert(tt.giveErr)
				assert.True(t, proto.Equal(want.Proto(), status.Convert(got).Proto()), "status.FromError = %v; want %v", status.Convert(got).Proto(), want.Proto())
				assert.Equal(t, want.Code(), status.Code(got), "status.Code")
				assert.Equal(t, want.Code(), errcode.GRPCCodeOf(got), "GRPCCodeOf")
				assert.Equal(t, tt.giveErr.Error(), got.Error(), "Error() is the status error's")
				assert.Equal(t, tt.wantCode, errcode.CodeOf(got), "CodeOf")
				assert.Equal(t, tt.wantRetry, errcode.RetryOf(got), "RetryOf")
				assert.Equal(t, tt.wantAfter, errcode.RetryAfterOf(got), "RetryAfterOf")
			})
		}
	}
}

// TestForeignStatusRegistry checks that ErrorInfo names codes of the
// registry given with WithRegistry, in its domain.
func TestForeignStatusRegistry(t *testing.T) {
	t.Parallel()
	reg := errcode.NewRegistry(errcode.Domain("sandbox.example.com"))
	full := reg.MustRegister("PoolFull", errcode.Code{}, errcode.Transient)
	give := withDetails(t, codes.ResourceExhausted, "pool full", &errdetails.ErrorInfo{Domain: "sandbox.example.com", Reason: "POOL_FULL"})
	got := interceptUnary(t, give, errcodegrpc.WithRegistry(reg))
	assert.Equal(t, full, errcode.CodeOf(got))
	assert.Equal(t, errcode.Transient, errcode.RetryOf(got))

	got = interceptUnary(t, give)
	assert.True(t, errcode.CodeOf(got).IsZero(), "Default's domain is not sandbox.example.com")
}

// TestDecodeErrorReadsDetails checks that a status whose errcode detail
// does not decode still answers as one without it.
func TestDecodeErrorReadsDetails(t *testing.T) {
	t.Parallel()
	st, err := status.New(codes.Unavailable, "pool full").WithDetails(
		&errdetails.ErrorInfo{Domain: errcode.DefaultDomain, Reason: "VM_CAPACITY_ERROR"},
		&errdetails.RetryInfo{RetryDelay: durationpb.New(5 * time.Second)})
	require.NoError(t, err)
	p := st.Proto()
	p.Details = append(p.Details, &anypb.Any{TypeUrl: errcodegrpc.DetailTypeURL, Value: []byte("junk")})
	got := interceptUnary(t, status.FromProto(p).Err())
	var de *errcodegrpc.DecodeError
	require.ErrorAs(t, got, &de)
	assert.True(t, errcode.Is(got, errcode.VmCapacityError))
	assert.Equal(t, 5*time.Second, errcode.RetryAfterOf(got))
	assert.Equal(t, codes.Unavailable, errcode.GRPCCodeOf(got))
	assert.Equal(t, codes.Unavailable, status.Code(got))

	plain := interceptUnary(t, status.FromProto(&spb.Status{Code: int32(codes.NotFound), Message: "no vm",
		Details: []*anypb.Any{{TypeUrl: errcodegrpc.DetailTypeURL, Value: []byte("junk")}}}).Err())
	require.ErrorAs(t, plain, &de)
	assert.Equal(t, codes.NotFound, errcode.GRPCCodeOf(plain), "GRPCCodeOf is the sent code")
	assert.Equal(t, errcode.Unspecified, errcode.RetryOf(plain))
}

// hopPeer fails each call with the error of the same call to next, as a
// service that passes on a downstream error does; names starting with
// "wrap" wrap it with fmt.Errorf first.
type hopPeer struct {
	peer
	next *testpeer.Client
}

func (p *hopPeer) Fail(ctx context.Context, name string) error {
	err := p.next.Fail(ctx, name)
	if len(name) >= 4 && name[:4] == "wrap" {
		return fmt.Errorf("call pool: %w", err)
	}
	return err
}

// TestHop checks that a service passing on the error its client
// interceptor returned sends the errcode detail it received, byte for
// byte, and the code it received.
func TestHop(t *testing.T) {
	t.Parallel()
	giveErr := errcode.SandboxError.Wrap(errcode.VmCapacityError.New("pool full", "pool", "default"), "start vm")
	downPlain, downCoded := serveTCP(t, true, map[string]error{"as is": giveErr, "wrapped": giveErr})

	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := grpc.NewServer(grpc.ChainUnaryInterceptor(errcodegrpc.UnaryServerInterceptor()))
	testpeer.Register(srv, &hopPeer{next: downCoded})
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	cc, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { _ = cc.Close() })
	hop := testpeer.NewClient(cc)

	detail := func(err error) []byte {
		for _, d := range status.Convert(err).Proto().GetDetails() {
			if d.GetTypeUrl() == errcodegrpc.DetailTypeURL {
				return d.GetValue()
			}
		}
		t.Fatalf("no errcode detail in %v", err)
		return nil
	}
	want := detail(downPlain.Fail(ctxT(t), "as is"))
	got := hop.Fail(ctxT(t), "as is")
	assert.Equal(t, want, detail(got), "the detail passed on as is")
	assert.Equal(t, codes.Unavailable, status.Code(got))

	want, err = errcode.Encode(fmt.Errorf("call pool: %w", giveErr))
	require.NoError(t, err)
	got = hop.Fail(ctxT(t), "wrapped")
	assert.Equal(t, want, detail(got), "the detail of the wrapped error")
	assert.Equal(t, codes.Unavailable, status.Code(got))
}

// TestStatusCodeAloneMisleads checks the package documentation's note: a
// gRPC status code read by AIP-194's table misjudges two of errcode's
// codes, which the client interceptors read right from an ErrorInfo.
func TestStatusCodeAloneMisleads(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code      errcode.Code
		wantGRPC  codes.Code
		wantRetry errcode.Retry
	}{
		{errcode.VmBootTimeoutError, codes.DeadlineExceeded, errcode.Transient},
		{errcode.CommunicationError, codes.Unavailable, errcode.Unspecified},
	}
	for _, tt := range tests {
		t.Run(tt.code.Name(), func(t *testing.T) {
			t.Parallel()
			g, _ := tt.code.GRPCCode()
			require.Equal(t, tt.wantGRPC, g)
			require.Equal(t, tt.wantRetry, tt.code.Retry())
			assert.NotEqual(t, tt.wantRetry, errcode.GRPCCodeRetry(g, false), "GRPCCodeRetry(%v, false) agrees with %v", g, tt.code)

			give := withDetails(t, g, "x", &errdetails.ErrorInfo{Domain: errcode.DefaultDomain, Reason: tt.code.Reason()})
			got := interceptUnary(t, give)
			assert.Equal(t, tt.wantRetry, errcode.RetryOf(got), "RetryOf of the status with its ErrorInfo")
		})
	}
}

// TestServerCodeWins checks that GRPCCodeOf reports the code the server
// sent where the client's registry maps the error's code to another.
func TestServerCodeWins(t *testing.T) {
	t.Parallel()
	reg := errcode.NewRegistry()
	capacity := reg.MustRegister("VmCapacityError", errcode.Code{}, errcode.GRPCCode(codes.ResourceExhausted))
	_, coded := serveTCP(t, true, map[string]error{"capacity": errcode.VmCapacityError.New("pool full")}, errcodegrpc.WithRegistry(reg))
	got := coded.Fail(ctxT(t), "capacity")
	require.Equal(t, capacity, errcode.CodeOf(got))
	own, _ := capacity.GRPCCode()
	require.Equal(t, codes.ResourceExhausted, own, "the client's mapping")
	assert.Equal(t, codes.Unavailable, errcode.GRPCCodeOf(got), "GRPCCodeOf is the server's")
	assert.Equal(t, codes.Unavailable, status.Code(got))
}
