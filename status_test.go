package errcode_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	"github.com/errcode/errcode"
)

func TestStatusOverrides(t *testing.T) {
	t.Parallel()
	capacity := errcode.VmCapacityError.New("full") // Unavailable, 503
	tests := []struct {
		desc     string
		give     error
		wantGRPC codes.Code
		wantHTTP int
	}{
		{"no override: the code's mapping", capacity, codes.Unavailable, 503},
		{"gRPC override", errcode.WithGRPCCode(capacity, codes.ResourceExhausted), codes.ResourceExhausted, 503},
		{"HTTP override", errcode.WithHTTPStatus(capacity, 429), codes.Unavailable, 429},
		{"both", errcode.WithHTTPStatus(errcode.WithGRPCCode(capacity, codes.Aborted), 409), codes.Aborted, 409},
		{"the outermost override decides",
			errcode.WithGRPCCode(errcode.WithGRPCCode(capacity, codes.Aborted), codes.NotFound), codes.NotFound, 503},
		{"an override inside an outer code's mapping loses",
			errcode.VmConfigError.Wrap(errcode.WithGRPCCode(capacity, codes.Aborted), "bad"), codes.InvalidArgument, 400},
		{"an outer override wins over an outer code's mapping",
			errcode.WithGRPCCode(errcode.VmConfigError.Wrap(capacity, "bad"), codes.Aborted), codes.Aborted, 400},
		{"an override of a plain error", errcode.WithHTTPStatus(io.EOF, 404), codes.Unknown, 404},
		{"through fmt.Errorf", fmt.Errorf("x: %w", errcode.WithGRPCCode(io.EOF, codes.NotFound)), codes.NotFound, 500},
		{"codes.OK is ignored", errcode.WithGRPCCode(io.EOF, codes.OK), codes.Unknown, 500},
		{"a code past Unauthenticated is ignored", errcode.WithGRPCCode(io.EOF, codes.Code(17)), codes.Unknown, 500},
		{"HTTP 200 is ignored", errcode.WithHTTPStatus(io.EOF, 200), codes.Unknown, 500},
		{"HTTP 302 is ignored", errcode.WithHTTPStatus(capacity, 302), codes.Unavailable, 503},
		{"HTTP 600 is ignored", errcode.WithHTTPStatus(capacity, 600), codes.Unavailable, 503},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			forms := map[string]error{"live": tt.give}
			for _, form := range wireForms {
				forms[form.name] = wireRoundTrip(t, form, errcode.Default, tt.give)
			}
			for name, err := range forms {
				assert.Equal(t, tt.wantGRPC, errcode.GRPCCodeOf(err), "%s: GRPCCodeOf(%+v)", name, err)
				assert.Equal(t, tt.wantHTTP, errcode.HTTPStatusOf(err), "%s: HTTPStatusOf(%+v)", name, err)
				assert.Equal(t, tt.give.Error(), err.Error(), "%s: Error()", name)
				assert.Equal(t, errcode.CodeOf(tt.give), errcode.CodeOf(err), "%s: CodeOf", name)
				assert.Equal(t, errcode.RetryOf(tt.give), errcode.RetryOf(err), "%s: RetryOf", name)
			}
		})
	}

	assert.Nil(t, errcode.WithGRPCCode(nil, codes.NotFound))
	assert.Nil(t, errcode.WithHTTPStatus(nil, 404))
	plain := io.EOF
	assert.True(t, errcode.WithGRPCCode(plain, codes.OK) == plain, "an ignored override returns err itself")
	assert.True(t, crdberrors.Is(errcode.WithHTTPStatus(plain, 404), io.EOF), "the override hides its cause")

	detail := fmt.Sprintf("%+v", errcode.WithHTTPStatus(errcode.WithGRPCCode(plain, codes.NotFound), 404))
	assert.Contains(t, detail, "gRPC code override: NotFound")
	assert.Contains(t, detail, "HTTP status override: 404")
}

func TestDecodeBadStatusOverride(t *testing.T) {
	t.Parallel()
	for _, give := range []string{
		`{"version":1,"message":"x","chain":[{"kind":"status","grpc_code":17},{"message":"x"}]}`,
		`{"version":1,"message":"x","chain":[{"kind":"status","grpc_code":-1},{"message":"x"}]}`,
		`{"version":1,"message":"x","chain":[{"kind":"status","http_status":200},{"message":"x"}]}`,
		`{"version":1,"message":"x","chain":[{"kind":"status"},{"message":"x"}]}`,
		`{"version":1,"message":"x","chain":[{"kind":"status","http_status":404}]}`,
	} {
		got, err := errcode.DecodeJSON([]byte(give))
		require.Error(t, err, "DecodeJSON(%s) = %v; want an error", give, got)
		assert.Nil(t, got)
	}
	got, err := errcode.DecodeJSON([]byte(`{"version":1,"message":"x","chain":[{"grpc_code":5,"http_status":404},{"message":"x"}]}`))
	require.NoError(t, err, "a status layer whose kind is left out")
	assert.Equal(t, codes.NotFound, errcode.GRPCCodeOf(got))
	assert.Equal(t, 404, errcode.HTTPStatusOf(got))

	// cockroachdb's decoder path: a crafted status layer with a bad code
	// is refused by Decode.
	bad := crdberrors.EncodeError(context.Background(), errcode.WithGRPCCode(io.EOF, codes.NotFound))
	bad.GetWrapper().Details.ReportablePayload = []string{"grpc-code=0"}
	b, merr := bad.Marshal()
	require.NoError(t, merr)
	_, derr := errcode.Decode(b)
	require.Error(t, derr)
	assert.Contains(t, derr.Error(), "gRPC code override")
}

func TestGRPCCodeRetry(t *testing.T) {
	t.Parallel()
	for c := codes.OK; c <= codes.Unauthenticated; c++ {
		want := errcode.Unspecified
		if c == codes.Unavailable {
			want = errcode.Transient
		}
		assert.Equal(t, want, errcode.GRPCCodeRetry(c, false), "GRPCCodeRetry(%v, no RetryInfo)", c)
		assert.Equal(t, errcode.Transient, errcode.GRPCCodeRetry(c, true), "GRPCCodeRetry(%v, RetryInfo)", c)
	}
}

func TestHTTPStatusRetry(t *testing.T) {
	t.Parallel()
	transient := map[int]bool{408: true, 429: true, 502: true, 503: true, 504: true}
	for s := 100; s <= 599; s++ {
		want := errcode.Unspecified
		if transient[s] {
			want = errcode.Transient
		}
		assert.Equal(t, want, errcode.HTTPStatusRetry(s), "HTTPStatusRetry(%d)", s)
	}
	assert.Equal(t, errcode.Transient, errcode.HTTPStatusRetry(http.StatusServiceUnavailable))
}
