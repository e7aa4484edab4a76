package errcode_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/internal/testpeer"
)

// TestCrossProcessForeignServer calls, with errcode's client
// interceptors, the peer's gRPC server that has none of errcode's: its
// statuses are built by hand with AIP-193/194 details, as a server in
// another language would send them. The error must answer errcode's
// queries as ErrorInfo, RetryInfo and the status code say, and keep the
// status as it came.
func TestCrossProcessForeignServer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a peer process")
	}
	require.Equal(t, "VM_CAPACITY_ERROR", errcode.VmCapacityError.Reason(), "the reason the foreign server sends")
	require.Equal(t, "COMMUNICATION_ERROR", errcode.CommunicationError.Reason(), "the reason the foreign server sends")
	tp := startTestPeer(t)
	coded := dialPeer(t, tp.grpcForeign, codedDialOptions()...)

	tests := []struct {
		give           string
		wantGRPC       codes.Code
		wantCode       errcode.Code // zero: no code named
		wantIs         []errcode.Code
		wantRetry      errcode.Retry
		wantRetryAfter time.Duration
	}{
		{
			give: testpeer.ForeignCapacity, wantGRPC: codes.ResourceExhausted,
			wantCode:  errcode.VmCapacityError, // by reason, in errcode's domain
			wantIs:    []errcode.Code{errcode.VmCapacityError, errcode.VmTransientError, errcode.TransientError},
			wantRetry: errcode.Transient, wantRetryAfter: 7 * time.Second, // RetryInfo's, not the code's 1s
		},
		{
			give: testpeer.ForeignMetadataCode, wantGRPC: codes.FailedPrecondition,
			wantCode:  errcode.VmConfigError, // by metadata["code"], from another domain
			wantIs:    []errcode.Code{errcode.VmConfigError, errcode.PermanentError},
			wantRetry: errcode.Permanent,
		},
		{
			give: testpeer.ForeignCommunication, wantGRPC: codes.Unavailable,
			wantCode: errcode.CommunicationError,
			wantIs:   []errcode.Code{errcode.CommunicationError, errcode.SandboxError},
			// A code is named and decides nothing; no RetryInfo: the
			// status code does not decide either.
			wantRetry: errcode.Unspecified,
		},
		{
			// A reason of errcode's in another domain names nothing.
			give: testpeer.ForeignOtherDomain, wantGRPC: codes.Internal,
			wantRetry: errcode.Unspecified,
		},
		{
			give: testpeer.ForeignRetryInfo, wantGRPC: codes.Aborted,
			wantRetry: errcode.Transient, wantRetryAfter: 2 * time.Second,
		},
		{
			give: testpeer.ForeignUnavailable, wantGRPC: codes.Unavailable,
			wantRetry: errcode.Transient, // GRPCCodeRetry(Unavailable, false)
		},
		{
			give: testpeer.ForeignInvalidArgument, wantGRPC: codes.InvalidArgument,
			wantRetry: errcode.Unspecified,
		},
	}
	for _, tt := range tests {
		sent, ok := testpeer.ForeignStatus(tt.give)
		require.True(t, ok, "ForeignStatus(%q)", tt.give)
		for _, call := range []struct {
			desc string
			call func(t *testing.T) error
		}{
			{"unary", func(t *testing.T) error { return coded.Fail(crossCtx(t), tt.give) }},
			{"stream", func(t *testing.T) error { return streamErr(t, coded, tt.give) }},
		} {
			t.Run(call.desc+"/"+tt.give, func(t *testing.T) {
				t.Parallel()
				err := call.call(t)
				require.Error(t, err)
				assert.Equal(t, tt.wantGRPC, status.Code(err), "status.Code")
				st, ok := status.FromError(err)
				require.True(t, ok, "status.FromError(%v)", err)
				assert.True(t, proto.Equal(sent.Proto(), st.Proto()), "status.FromError = %v; want %v", st.Proto(), sent.Proto())
				assert.Equal(t, tt.wantGRPC, errcode.GRPCCodeOf(err), "GRPCCodeOf")

				assert.Equal(t, tt.wantCode, errcode.CodeOf(err), "CodeOf")
				if tt.wantCode.IsZero() {
					assert.Empty(t, errcode.NameOf(err), "NameOf")
				}
				for _, c := range tt.wantIs {
					assert.True(t, errcode.Is(err, c), "Is(err, %v) = false; want true", c)
				}
				assert.Equal(t, tt.wantRetry, errcode.RetryOf(err), "RetryOf")
				assert.Equal(t, tt.wantRetryAfter, errcode.RetryAfterOf(err), "RetryAfterOf")
				assert.Contains(t, err.Error(), sent.Message(), "Error()")
			})
		}
	}

	// The BadRequest a client of errcode knows nothing of is there.
	st := status.Convert(coded.Fail(crossCtx(t), testpeer.ForeignCapacity))
	var bad *errdetails.BadRequest
	for _, d := range st.Details() {
		if b, ok := d.(*errdetails.BadRequest); ok {
			bad = b
		}
	}
	require.NotNil(t, bad, "BadRequest among %v", st.Details())
	require.Len(t, bad.GetFieldViolations(), 1)
	assert.Equal(t, "vcpus", bad.GetFieldViolations()[0].GetField())
}
