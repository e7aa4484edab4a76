package errcodegrpc_test

import (
	"context"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcodegrpc"
)

// FuzzClientStatus feeds the client interceptor the status a hostile or
// broken server could send — any google.rpc.Status, its details
// included — and checks that the interceptor never panics, that the
// error keeps the status it came in, and that every query answers.
func FuzzClientStatus(f *testing.F) {
	any1 := func(m proto.Message) *anypb.Any {
		a, err := anypb.New(m)
		if err != nil {
			f.Fatal(err)
		}
		return a
	}
	enc, err := errcode.Encode(errcode.VmCapacityError.New("pool full", "pool", "p1"))
	if err != nil {
		f.Fatal(err)
	}
	seeds := []*spb.Status{
		{Code: int32(codes.Unavailable), Message: "x"},
		{Code: int32(codes.Unavailable), Message: "full", Details: []*anypb.Any{
			any1(&errdetails.ErrorInfo{Reason: "VM_CAPACITY_ERROR", Domain: errcode.DefaultDomain,
				Metadata: map[string]string{"code": "VmCapacityError"}}),
			any1(&errdetails.RetryInfo{RetryDelay: durationpb.New(2 * time.Second)}),
			{TypeUrl: errcodegrpc.DetailTypeURL, Value: enc},
		}},
		{Code: int32(codes.Aborted), Details: []*anypb.Any{
			any1(&errdetails.RetryInfo{RetryDelay: durationpb.New(-time.Hour)}),
			{TypeUrl: errcodegrpc.DetailTypeURL, Value: []byte{0x0a, 0x02}},
			{TypeUrl: "type.googleapis.com/google.rpc.ErrorInfo", Value: []byte{0xff}},
		}},
		{Code: 99, Message: "not a known code"},
	}
	for _, s := range seeds {
		b, err := proto.Marshal(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	intercept := errcodegrpc.UnaryClientInterceptor()
	f.Fuzz(func(t *testing.T, data []byte) {
		var sp spb.Status
		if proto.Unmarshal(data, &sp) != nil || sp.GetCode() == 0 {
			return
		}
		sent := status.FromProto(&sp)
		got := intercept(context.Background(), "/s/m", nil, nil, nil,
			func(context.Context, string, any, any, *grpc.ClientConn, ...grpc.CallOption) error { return sent.Err() })
		if got == nil {
			t.Fatalf("status %v: the interceptor returned nil", sent)
		}
		if c := status.Code(got); c != sent.Code() {
			t.Fatalf("status.Code = %v; the server sent %v", c, sent.Code())
		}
		st, ok := status.FromError(got)
		if !ok || !proto.Equal(st.Proto(), sent.Proto()) {
			t.Fatalf("status.FromError does not give the status sent")
		}
		_ = got.Error()
		_, _ = errcode.CodeOf(got), errcode.NameOf(got)
		_, _ = errcode.RetryOf(got), errcode.RetryAfterOf(got)
		if d := errcode.RetryAfterOf(got); d < 0 {
			t.Fatalf("RetryAfterOf = %v, negative", d)
		}
		_ = errcode.GRPCCodeOf(got)
		_ = errcode.Fields(got)
	})
}
