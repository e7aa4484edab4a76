package errcodegrpc_test

import (
	"context"
	stderrors "errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/cockroachdb/errors/errorspb"
	"github.com/gogo/protobuf/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"
	"google.golang.org/protobuf/types/known/anypb"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcodegrpc"
	"github.com/errcode/errcode/internal/testpeer"
)

// peer serves the errors of errs, by case name. errs is not changed once
// the peer serves.
type peer struct {
	errs map[string]error
}

func (p *peer) Fail(_ context.Context, name string) error { return p.errs[name] }

func (p *peer) FailStream(_ context.Context, name string, send func(string) error) error {
	for _, m := range []string{"one", "two"} {
		if err := send(m); err != nil {
			return err
		}
	}
	return p.errs[name]
}

func (p *peer) CheckHop(context.Context, []byte) (string, error) {
	return "", status.Error(codes.Unimplemented, "no hops here")
}

// clients are clients of one in-process server that has the errcodegrpc
// interceptors: plain has none, coded has the client interceptors.
type clients struct {
	plain, coded *testpeer.Client
}

// serve starts a server with the errcodegrpc interceptors that fails with
// errs over bufconn, and returns clients of it; clientOpts configure the
// coded client's interceptors.
func serve(t *testing.T, errs map[string]error, clientOpts ...errcodegrpc.Option) clients {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	srv := grpc.NewServer(
		grpc.ChainUnaryInterceptor(errcodegrpc.UnaryServerInterceptor()),
		grpc.ChainStreamInterceptor(errcodegrpc.StreamServerInterceptor()),
	)
	testpeer.Register(srv, &peer{errs: errs})
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)

	dial := func(opts ...grpc.DialOption) *testpeer.Client {
		opts = append(opts,
			grpc.WithTransportCredentials(insecure.NewCredentials()),
			grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }))
		cc, err := grpc.NewClient("passthrough:///bufconn", opts...)
		require.NoError(t, err)
		t.Cleanup(func() { _ = cc.Close() })
		return testpeer.NewClient(cc)
	}
	return clients{
		plain: dial(),
		coded: dial(
			grpc.WithChainUnaryInterceptor(errcodegrpc.UnaryClientInterceptor(clientOpts...)),
			grpc.WithChainStreamInterceptor(errcodegrpc.StreamClientInterceptor(clientOpts...))),
	}
}

// call is a way to get a case's error: a unary call or a stream.
type call struct {
	name string
	do   func(ctx context.Context, c *testpeer.Client, name string) error
}

var calls = []call{
	{"unary", func(ctx context.Context, c *testpeer.Client, name string) error { return c.Fail(ctx, name) }},
	{"stream", func(ctx context.Context, c *testpeer.Client, name string) error {
		got, err := c.FailStream(ctx, name)
		if err == nil || len(got) != 2 {
			return fmt.Errorf("FailStream(%q) = %q, %v; want two messages and an error", name, got, err)
		}
		return err
	}},
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestCodeMapping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc     string
		giveErr  error
		wantCode codes.Code
	}{
		{"VmCapacityError", errcode.VmCapacityError.New("pool full"), codes.Unavailable},
		{"VmConfigError", errcode.VmConfigError.New("vcpus must be 1-64", "vcpus", 128), codes.InvalidArgument},
		{"AssetNotFoundError", errcode.AssetNotFoundError.Wrap(io.ErrUnexpectedEOF, "fetch rootfs"), codes.NotFound},
		{"VmBootTimeoutError", errcode.VmBootTimeoutError.Newf("guest agent silent after %ds", 30), codes.DeadlineExceeded},
		{"PackageNotAllowedError", crdberrors.Wrap(errcode.PackageNotAllowedError.New("numpy"), "install"), codes.PermissionDenied},
		{"uncoded", stderrors.New("plain failure"), codes.Unknown},
		{"code without mapping", errcode.SandboxError.New("sandbox"), codes.Unknown},
		{"uncoded context error", fmt.Errorf("boot: %w", context.DeadlineExceeded), codes.DeadlineExceeded},
		{"code without mapping over a status", errcode.SandboxError.Wrap(status.Error(codes.NotFound, "no vm"), "lookup"), codes.NotFound},
		{"mapped code over a status", errcode.VmConfigError.Wrap(status.Error(codes.NotFound, "no vm"), "lookup"), codes.InvalidArgument},
	}
	errs := make(map[string]error)
	for _, tt := range tests {
		errs[tt.desc] = tt.giveErr
	}
	cl := serve(t, errs)
	for _, c := range calls {
		for _, tt := range tests {
			t.Run(c.name+"/"+tt.desc, func(t *testing.T) {
				t.Parallel()
				ctx := ctxT(t)

				plain := c.do(ctx, cl.plain, tt.desc)
				st, ok := status.FromError(plain)
				require.True(t, ok, "plain client: %v is not a status", plain)
				assert.Equal(t, tt.wantCode, st.Code(), "plain client: status.Code(%v) = %v; want %v", plain, st.Code(), tt.wantCode)
				assert.Equal(t, tt.giveErr.Error(), st.Message(), "plain client: message")

				coded := c.do(ctx, cl.coded, tt.desc)
				require.Error(t, coded)
				assert.Equal(t, tt.giveErr.Error(), coded.Error(), "coded client: message")
				assert.Equal(t, errcode.NameOf(tt.giveErr), errcode.NameOf(coded), "coded client: NameOf")
				// The code the server sent, also where no code in the
				// chain maps to one.
				assert.Equal(t, tt.wantCode, errcode.GRPCCodeOf(coded), "coded client: GRPCCodeOf")
				assert.Equal(t, tt.wantCode, status.Code(coded), "coded client: status.Code")
				assert.Equal(t, tt.wantCode, status.Code(fmt.Errorf("call: %w", coded)), "coded client: status.Code through fmt.Errorf")
			})
		}
	}
}

// TestRoundTrip checks that the client interceptors give back an error
// that answers as the server's did, and encodes to the same bytes.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	when := time.Date(2025, 3, 1, 12, 30, 0, 123456789, time.UTC)
	overlay := errcode.NewVmOverlayError("create overlay for vm-7", "qemu-img: No space left on device", "GenericError",
		"vm_id", int32(7), "deadline", when, "digest", []byte{0xde, 0xad}, "meta", map[string]any{"host": "node-3", "ratio": 0.5})
	tests := []struct {
		desc      string
		giveErr   error
		wantIs    []errcode.Code
		wantRetry errcode.Retry
	}{
		{"typed fields", overlay, []errcode.Code{errcode.VmOverlayError, errcode.VmTransientError, errcode.TransientError}, errcode.Transient},
		{"retry override", errcode.WithRetry(overlay, errcode.Permanent), []errcode.Code{errcode.VmOverlayError}, errcode.Permanent},
		{"wrapped by cockroachdb and fields", errcode.WithFields(crdberrors.Wrap(overlay, "provision"), "attempt", 3),
			[]errcode.Code{errcode.VmOverlayError}, errcode.Transient},
		{"retry override of a status", errcode.WithRetry(status.Error(codes.Aborted, "conflict"), errcode.Transient), nil, errcode.Transient},
	}
	errs := make(map[string]error)
	for _, tt := range tests {
		errs[tt.desc] = tt.giveErr
	}
	cl := serve(t, errs)
	for _, c := range calls {
		for _, tt := range tests {
			t.Run(c.name+"/"+tt.desc, func(t *testing.T) {
				t.Parallel()
				got := c.do(ctxT(t), cl.coded, tt.desc)
				require.Error(t, got)
				st, isStatus := status.FromError(got)
				assert.True(t, isStatus, "the decoded error keeps the status it came in: %v", got)
				plain := status.Convert(c.do(ctxT(t), cl.plain, tt.desc))
				assert.Equal(t, plain.Code(), st.Code(), "status.Code is the one a plain client gets")
				assert.Equal(t, plain.Code(), errcode.GRPCCodeOf(got), "GRPCCodeOf")
				assert.Equal(t, tt.giveErr.Error(), st.Message(), "status message")

				for _, code := range tt.wantIs {
					assert.True(t, errcode.Is(got, code), "Is(err, %v) = false; want true", code)
					assert.True(t, stderrors.Is(got, code), "errors.Is(err, %v) = false; want true", code)
				}
				assert.False(t, errcode.Is(got, errcode.PermanentError), "Is(err, PermanentError)")
				assert.Equal(t, tt.wantRetry, errcode.RetryOf(got), "RetryOf")
				assert.Equal(t, tt.giveErr.Error(), got.Error(), "Error()")
				assert.Equal(t, errcode.Fields(tt.giveErr), errcode.Fields(got), "Fields")
				if errcode.Is(tt.giveErr, errcode.VmOverlayError) {
					vm, ok := errcode.Field[int32](got, "vm_id")
					assert.True(t, ok && vm == 7, "Field[int32](vm_id) = %v, %v; want 7, true", vm, ok)
					at, ok := errcode.Field[time.Time](got, "deadline")
					assert.True(t, ok && at.Equal(when), "Field[time.Time](deadline) = %v, %v; want %v, true", at, ok, when)
					stderr, _ := errcode.Field[string](got, errcode.KeyStderr)
					assert.Equal(t, "qemu-img: No space left on device", stderr)
					assert.Contains(t, fmt.Sprintf("%+v", got), "errcodegrpc/errcodegrpc_test.go", "%+v keeps the server's stack")
				}

				want, err := errcode.Encode(tt.giveErr)
				require.NoError(t, err)
				again, err := errcode.Encode(got)
				require.NoError(t, err)
				assert.Equal(t, want, again, "the decoded error encodes to the bytes the server sent")
				want, err = errcode.Encode(fmt.Errorf("call: %w", tt.giveErr))
				require.NoError(t, err)
				again, err = errcode.Encode(fmt.Errorf("call: %w", got))
				require.NoError(t, err)
				assert.Equal(t, want, again, "the decoded error encodes as the server's, also wrapped")
				wantJSON, err := errcode.EncodeJSON(tt.giveErr)
				require.NoError(t, err)
				againJSON, err := errcode.EncodeJSON(got)
				require.NoError(t, err)
				assert.Equal(t, string(wantJSON), string(againJSON), "EncodeJSON as the server's")
			})
		}
	}
}

// TestStatusPassesThrough checks that a handler's own status, details
// and all, reaches both clients unchanged.
func TestStatusPassesThrough(t *testing.T) {
	t.Parallel()
	st, err := status.New(codes.NotFound, "no such vm").WithDetails(&errdetails.ErrorInfo{Reason: "VM_NOT_FOUND", Domain: "sandbox"})
	require.NoError(t, err)
	wrapped := fmt.Errorf("lookup: %w", st.Err())
	cl := serve(t, map[string]error{"status": st.Err(), "wrapped": wrapped})
	for _, c := range calls {
		for _, client := range []struct {
			name string
			c    *testpeer.Client
		}{{"plain", cl.plain}, {"coded", cl.coded}} {
			t.Run(c.name+"/"+client.name, func(t *testing.T) {
				t.Parallel()
				for name, wantMsg := range map[string]string{"status": "no such vm", "wrapped": wrapped.Error()} {
					got := c.do(ctxT(t), client.c, name)
					gotSt, ok := status.FromError(got)
					require.True(t, ok, "%s: %v is not a status", name, got)
					assert.Equal(t, codes.NotFound, gotSt.Code(), name)
					assert.Equal(t, wantMsg, gotSt.Message(), name)
					require.Len(t, gotSt.Details(), 1, name)
					info, ok := gotSt.Details()[0].(*errdetails.ErrorInfo)
					require.True(t, ok, "%s: detail is a %T", name, gotSt.Details()[0])
					assert.Equal(t, "VM_NOT_FOUND", info.GetReason(), name)
				}
			})
		}
	}
}

// TestWrappedStatusKeepsDetails checks that a coded error wrapping a
// status sends that status's details before its own, less its ErrorInfo
// and RetryInfo, which the outermost code's replace.
func TestWrappedStatusKeepsDetails(t *testing.T) {
	t.Parallel()
	st, err := status.New(codes.NotFound, "no such image").WithDetails(
		&errdetails.ErrorInfo{Reason: "IMAGE_NOT_FOUND"},
		&errdetails.ResourceInfo{ResourceType: "image", ResourceName: "rootfs"},
		&errdetails.RetryInfo{})
	require.NoError(t, err)
	giveErr := errcode.VmConfigError.Wrap(st.Err(), "image of vm-7")
	cl := serve(t, map[string]error{"wrapped": giveErr})
	ctx := ctxT(t)

	plain := cl.plain.Fail(ctx, "wrapped")
	gotSt := status.Convert(plain)
	assert.Equal(t, codes.InvalidArgument, gotSt.Code())
	assert.Equal(t, giveErr.Error(), gotSt.Message())
	details := gotSt.Proto().GetDetails()
	require.Len(t, details, 3)
	res, ok := gotSt.Details()[0].(*errdetails.ResourceInfo)
	require.True(t, ok, "first detail is a %T", gotSt.Details()[0])
	assert.Equal(t, "rootfs", res.GetResourceName())
	info, ok := gotSt.Details()[1].(*errdetails.ErrorInfo)
	require.True(t, ok, "second detail is a %T", gotSt.Details()[1])
	assert.Equal(t, "VM_CONFIG_ERROR", info.GetReason(), "the outermost code's ErrorInfo, not the inner one")
	assert.Equal(t, errcodegrpc.DetailTypeURL, details[2].GetTypeUrl(), "no RetryInfo: VmConfigError is permanent")
	_, unknown := gotSt.Details()[2].(error)
	assert.True(t, unknown, "a plain grpc-go client sees the errcode detail as a type it does not know, got %T", gotSt.Details()[2])

	coded := cl.coded.Fail(ctx, "wrapped")
	assert.True(t, errcode.Is(coded, errcode.VmConfigError), "Is(%v, VmConfigError)", coded)
	assert.Equal(t, giveErr.Error(), coded.Error())
}

// TestWrappedErrcodeStatus checks that a coded error wrapping a status
// that carries an errcode detail of its own (from a call made without
// the client interceptors) sends one errcode detail: its own.
func TestWrappedErrcodeStatus(t *testing.T) {
	t.Parallel()
	downstream := status.Convert(interceptServer(t, errcode.VmCapacityError.New("pool full")))
	require.Len(t, downstream.Proto().GetDetails(), 3, "ErrorInfo, RetryInfo, errcode")
	giveErr := errcode.VmConfigError.Wrap(downstream.Err(), "call the pool")
	cl := serve(t, map[string]error{"wrapped": giveErr})

	plain := status.Convert(cl.plain.Fail(ctxT(t), "wrapped"))
	assert.Equal(t, codes.InvalidArgument, plain.Code())
	var urls []string
	for _, d := range plain.Proto().GetDetails() {
		urls = append(urls, d.GetTypeUrl())
	}
	assert.Equal(t, []string{"type.googleapis.com/google.rpc.ErrorInfo", errcodegrpc.DetailTypeURL}, urls,
		"one ErrorInfo and one errcode detail, the outer error's; no RetryInfo: VmConfigError is permanent")

	coded := cl.coded.Fail(ctxT(t), "wrapped")
	assert.Equal(t, "VmConfigError", errcode.NameOf(coded))
	assert.Equal(t, giveErr.Error(), coded.Error())
}

// interceptServer returns what the unary server interceptor makes of a
// handler's error err.
func interceptServer(t *testing.T, err error) error {
	t.Helper()
	handler := func(context.Context, any) (any, error) { return nil, err }
	_, got := errcodegrpc.UnaryServerInterceptor()(context.Background(), nil, &grpc.UnaryServerInfo{FullMethod: "/x/y"}, handler)
	return got
}

// TestUndecodableDetail checks what the client interceptors make of a
// status whose errcode detail is not what it should be.
func TestUndecodableDetail(t *testing.T) {
	t.Parallel()
	valid, err := errcode.Encode(errcode.VmCapacityError.New("pool full"))
	require.NoError(t, err)
	tests := []struct {
		desc       string
		giveDetail []byte
		wantErr    string
	}{
		{"garbage", []byte("\xff\xfenot protobuf at all"), "malformed protobuf"},
		{"empty", nil, "empty input"},
		{"truncated", valid[:len(valid)/2], "malformed protobuf"},
		{"oversize", append(valid, make([]byte, errcode.MaxEncodedSize)...), "MaxEncodedSize"},
	}
	errs := make(map[string]error)
	for _, tt := range tests {
		p := status.New(codes.Unavailable, "pool full").Proto()
		p.Details = append(p.Details, &anypb.Any{TypeUrl: errcodegrpc.DetailTypeURL, Value: tt.giveDetail})
		// A status passes the server interceptor unchanged.
		errs[tt.desc] = status.FromProto(p).Err()
	}
	cl := serve(t, errs)
	for _, c := range calls {
		for _, tt := range tests {
			t.Run(c.name+"/"+tt.desc, func(t *testing.T) {
				t.Parallel()
				got := c.do(ctxT(t), cl.coded, tt.desc)
				require.Error(t, got)
				var de *errcodegrpc.DecodeError
				require.True(t, stderrors.As(got, &de), "%v (%T) is not a *DecodeError", got, got)
				assert.Contains(t, de.Err.Error(), tt.wantErr)
				assert.Contains(t, got.Error(), "errcode detail does not decode")
				assert.Contains(t, got.Error(), tt.wantErr)
				assert.Contains(t, got.Error(), "pool full")
				assert.Equal(t, codes.Unavailable, status.Code(got), "status.Code still works")
				st, ok := status.FromError(got)
				assert.True(t, ok)
				assert.Equal(t, "pool full", st.Message())
				assert.False(t, errcode.Is(got, errcode.VmCapacityError))
			})
		}
	}
}

// TestPastLimitsStillEncoded checks that an error past errcode's limits
// (here a field over MaxFieldSize, which Encode refuses) still travels
// whole, the value replaced by a string that says why, as cockroachdb's
// EncodeError sends it.
func TestPastLimitsStillEncoded(t *testing.T) {
	t.Parallel()
	giveErr := errcode.VmCapacityError.New("pool full", "blob", strings.Repeat("x", errcode.MaxFieldSize+1))
	_, err := errcode.Encode(giveErr)
	require.Error(t, err, "the test needs an error that does not encode")
	cl := serve(t, map[string]error{"big": giveErr})
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := c.do(ctxT(t), cl.coded, "big")
			assert.True(t, errcode.Is(got, errcode.VmCapacityError), "Is(%v, VmCapacityError)", got)
			assert.Equal(t, giveErr.Error(), got.Error())
			v, _ := errcode.Field[string](got, "blob")
			assert.Contains(t, v, "value not sent")
		})
	}
}

// TestWithRegistry checks that the client binds code names to the
// registry it is given.
func TestWithRegistry(t *testing.T) {
	t.Parallel()
	reg := errcode.NewRegistry()
	transient := reg.MustRegister("TransientError", errcode.Code{}, errcode.Transient)
	cl := serve(t, map[string]error{"capacity": errcode.VmCapacityError.New("pool full")}, errcodegrpc.WithRegistry(reg))
	got := cl.coded.Fail(ctxT(t), "capacity")
	assert.Equal(t, "VmCapacityError", errcode.NameOf(got))
	assert.Equal(t, transient, errcode.CodeOf(got), "CodeOf is the nearest ancestor reg knows")
	assert.True(t, errcode.Is(got, transient))
	assert.False(t, errcode.Is(got, errcode.TransientError), "Default's codes are not reg's")
	assert.Equal(t, errcode.Transient, errcode.RetryOf(got))
}

// TestCockroachDBInterop checks that the detail is what cockroachdb's grpc
// middleware sends and reads: an errorspb.EncodedError in a gogo Any.
func TestCockroachDBInterop(t *testing.T) {
	t.Parallel()
	giveErr := errcode.VmConfigError.New("vcpus must be 1-64", "vcpus", 128)
	cl := serve(t, map[string]error{"config": giveErr})

	t.Run("middleware client reads ours", func(t *testing.T) {
		t.Parallel()
		plain := cl.plain.Fail(ctxT(t), "config")
		d := status.Convert(plain).Proto().GetDetails()
		require.Len(t, d, 2, "ErrorInfo and the errcode detail")
		var enc errorspb.EncodedError
		require.NoError(t, types.UnmarshalAny(&types.Any{TypeUrl: d[1].GetTypeUrl(), Value: d[1].GetValue()}, &enc))
		got := crdberrors.DecodeError(context.Background(), enc)
		assert.True(t, errcode.Is(got, errcode.VmConfigError))
		assert.Equal(t, giveErr.Error(), got.Error())
	})
	t.Run("ours reads the middleware server's", func(t *testing.T) {
		t.Parallel()
		enc := crdberrors.EncodeError(context.Background(), giveErr)
		a, err := types.MarshalAny(&enc)
		require.NoError(t, err)
		p := status.New(codes.InvalidArgument, giveErr.Error()).Proto()
		p.Details = append(p.Details, &anypb.Any{TypeUrl: a.TypeUrl, Value: a.Value})
		got := interceptUnary(t, status.FromProto(p).Err())
		assert.True(t, errcode.Is(got, errcode.VmConfigError), "Is(%v, VmConfigError)", got)
		assert.Equal(t, giveErr.Error(), got.Error())
	})
}

// interceptUnary returns what the unary client interceptor makes of a
// call that fails with err.
func interceptUnary(t *testing.T, err error, opts ...errcodegrpc.Option) error {
	t.Helper()
	invoker := func(context.Context, string, any, any, *grpc.ClientConn, ...grpc.CallOption) error { return err }
	return errcodegrpc.UnaryClientInterceptor(opts...)(context.Background(), "/x/y", nil, nil, nil, invoker)
}

// fakeStream is a client stream all of whose calls fail with err.
type fakeStream struct {
	grpc.ClientStream
	err error
}

func (s *fakeStream) RecvMsg(any) error { return s.err }
func (s *fakeStream) SendMsg(any) error { return s.err }
func (s *fakeStream) CloseSend() error  { return s.err }

func (s *fakeStream) Header() (metadata.MD, error) { return nil, s.err }

// TestClientStreamMethods checks each method of the wrapped client stream
// and the opening of a stream, against errors made in process.
func TestClientStreamMethods(t *testing.T) {
	t.Parallel()
	giveErr := errcode.VmBootTimeoutError.New("guest agent silent")
	b, err := errcode.Encode(giveErr)
	require.NoError(t, err)
	p := status.New(codes.DeadlineExceeded, giveErr.Error()).Proto()
	p.Details = append(p.Details, &anypb.Any{TypeUrl: errcodegrpc.DetailTypeURL, Value: b})
	coded := status.FromProto(p).Err()
	plain := status.Error(codes.Internal, "transport closing")

	open := func(err error, streamErr error) (grpc.ClientStream, error) {
		streamer := func(context.Context, *grpc.StreamDesc, *grpc.ClientConn, string, ...grpc.CallOption) (grpc.ClientStream, error) {
			if err != nil {
				return nil, err
			}
			return &fakeStream{err: streamErr}, nil
		}
		return errcodegrpc.StreamClientInterceptor()(context.Background(), &grpc.StreamDesc{}, nil, "/x/y", streamer)
	}
	methods := map[string]func(grpc.ClientStream) error{
		"RecvMsg":   func(s grpc.ClientStream) error { return s.RecvMsg(nil) },
		"SendMsg":   func(s grpc.ClientStream) error { return s.SendMsg(nil) },
		"CloseSend": func(s grpc.ClientStream) error { return s.CloseSend() },
		"Header":    func(s grpc.ClientStream) error { _, err := s.Header(); return err },
	}
	for name, m := range methods {
		s, err := open(nil, coded)
		require.NoError(t, err)
		got := m(s)
		assert.True(t, errcode.Is(got, errcode.VmBootTimeoutError), "%s: Is(%v, VmBootTimeoutError)", name, got)

		s, _ = open(nil, plain)
		got = m(s)
		assert.Equal(t, plain.Error(), got.Error(), "%s: a status without the detail reads the same", name)
		assert.Same(t, status.Convert(plain), status.Convert(got), "%s: the status is the one received", name)
		s, _ = open(nil, io.EOF)
		assert.Equal(t, io.EOF, m(s), "%s: io.EOF is unchanged", name)
		s, _ = open(nil, nil)
		assert.NoError(t, m(s), name)
	}
	_, err = open(coded, nil)
	assert.True(t, errcode.Is(err, errcode.VmBootTimeoutError), "opening the stream: Is(%v, VmBootTimeoutError)", err)
}

// TestClientInterceptorTwice checks that chaining the client interceptor
// twice changes nothing.
func TestClientInterceptorTwice(t *testing.T) {
	t.Parallel()
	p := status.New(codes.Unavailable, "pool full").Proto()
	p.Details = append(p.Details, &anypb.Any{TypeUrl: errcodegrpc.DetailTypeURL, Value: []byte("junk")})
	once := interceptUnary(t, status.FromProto(p).Err())
	twice := interceptUnary(t, once)
	assert.Same(t, once, twice)
	assert.Equal(t, codes.Unavailable, status.Code(twice))
}
