package errcodecli

import (
	"encoding/base64"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/errcode/errcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/durationpb"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// statusError is the error the status of statusBytes carries in its
// errcode detail: decoded from JSON, so it has no stack trace and the
// output holds no file path.
func statusError(tb testing.TB) error {
	tb.Helper()
	err, derr := errcode.DecodeJSON([]byte(`{"version":1,"chain":[{"kind":"coded","code":"VmCapacityError","message":"pool full","fields":{"pool":"default"}}]}`))
	require.NoError(tb, derr)
	return err
}

// statusBytes returns a google.rpc.Status with details ds, marshalled as
// grpc-go sends it in grpc-status-details-bin.
func statusBytes(tb testing.TB, c codes.Code, msg string, ds ...*anypb.Any) []byte {
	tb.Helper()
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(&spb.Status{Code: int32(c), Message: msg, Details: ds})
	require.NoError(tb, err)
	return b
}

func mustAny(tb testing.TB, m proto.Message) *anypb.Any {
	tb.Helper()
	a, err := anypb.New(m)
	require.NoError(tb, err)
	return a
}

// fullStatus returns a status with one detail of each kind decode
// describes.
func fullStatus(tb testing.TB) []byte {
	tb.Helper()
	enc, err := errcode.Encode(statusError(tb))
	require.NoError(tb, err)
	return statusBytes(tb, codes.Unavailable, "pool full",
		mustAny(tb, &errdetails.ErrorInfo{Reason: "VM_CAPACITY_ERROR", Domain: errcode.DefaultDomain,
			Metadata: map[string]string{"code": "VmCapacityError", "pool": "default"}}),
		mustAny(tb, &errdetails.RetryInfo{RetryDelay: durationpb.New(1500 * time.Millisecond)}),
		mustAny(tb, &errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{
			{Field: "vcpus", Description: "must be 1-64"}, {Field: "memory_mb", Description: "must be a multiple of 256"}}}),
		mustAny(tb, &errdetails.DebugInfo{Detail: "not shown"}),
		&anypb.Any{TypeUrl: "type.googleapis.com/acme.Thing", Value: []byte{1, 2, 3}},
		&anypb.Any{TypeUrl: "type.googleapis.com/" + errcodeDetailName, Value: enc},
	)
}

// TestDecodeStatus checks decode's description of a captured
// grpc-status-details-bin value, in each base64 form, against a golden
// file.
func TestDecodeStatus(t *testing.T) {
	t.Parallel()
	raw := fullStatus(t)
	golden := filepath.Join("testdata", "decode_status.golden")
	tests := []struct {
		desc      string
		giveInput string
		wantForm  string
	}{
		{"standard, padded", base64.StdEncoding.EncodeToString(raw) + "\n", "standard"},
		{"standard, unpadded", base64.RawStdEncoding.EncodeToString(raw), "standard"},
		{"URL, unpadded", base64.RawURLEncoding.EncodeToString(raw), "URL"},
		{"URL, padded, in lines", wrapLines(base64.URLEncoding.EncodeToString(raw), 76), "URL"},
	}
	if *update {
		stdout, _, _ := runCLIStdin(t, []byte(tests[0].giveInput), "decode")
		_, body, _ := strings.Cut(stdout, "\n")
		require.NoError(t, os.WriteFile(golden, []byte(body), 0o644))
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, status := runCLIStdin(t, []byte(tt.giveInput), "decode")
			require.Equal(t, 0, status, "stderr: %s", stderr)
			assert.Empty(t, stderr)
			form, body, _ := strings.Cut(stdout, "\n")
			assert.True(t, strings.HasPrefix(form, "form:        google.rpc.Status in base64 ("+tt.wantForm), "form line %q", form)
			assert.True(t, strings.HasSuffix(form, "), as in grpc-status-details-bin"), "form line %q", form)
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			assert.Equal(t, string(want), body)
		})
	}
}

func TestDecodeStatusCases(t *testing.T) {
	t.Parallel()
	b64 := func(b []byte) []byte { return []byte(base64.StdEncoding.EncodeToString(b)) }
	tests := []struct {
		desc      string
		giveInput []byte
		wantLines []string
	}{
		{"no details", b64(statusBytes(t, codes.NotFound, "no vm")),
			[]string{"status:      NotFound (5)", "message:     no vm", "details:     0"}},
		{"an errcode detail that does not decode",
			b64(statusBytes(t, codes.Internal, "x", &anypb.Any{TypeUrl: "type.googleapis.com/" + errcodeDetailName, Value: []byte("junk")})),
			[]string{"detail 1:    errcode error (cockroach.errorspb.EncodedError, 4 bytes)", "  invalid:   malformed protobuf: unexpected EOF"}},
		{"an ErrorInfo by metadata code in another domain",
			b64(statusBytes(t, codes.InvalidArgument, "bad", mustAny(t, &errdetails.ErrorInfo{Reason: "BAD", Domain: "example.com", Metadata: map[string]string{"code": "VmConfigError"}}))),
			[]string{"  names:     VmConfigError (by metadata code)"}},
		{"an ErrorInfo naming an unknown code",
			b64(statusBytes(t, codes.InvalidArgument, "bad", mustAny(t, &errdetails.ErrorInfo{Reason: "BAD", Domain: "example.com", Metadata: map[string]string{"code": "NoSuchCode"}}))),
			[]string{"  names:     no code: metadata code NoSuchCode is not in this build"}},
		{"an ErrorInfo of another domain",
			b64(statusBytes(t, codes.InvalidArgument, "bad", mustAny(t, &errdetails.ErrorInfo{Reason: "VM_CONFIG_ERROR", Domain: "example.com"}))),
			[]string{"  names:     no code of this build"}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, status := runCLIStdin(t, tt.giveInput, "decode")
			require.Equal(t, 0, status, "stderr: %s", stderr)
			lines := strings.Split(stdout, "\n")
			for _, want := range tt.wantLines {
				assert.Contains(t, lines, want, "output:\n%s", stdout)
			}
		})
	}
}

// TestDecodeStatusJSON checks --json for a status: errcode's JSON form of
// its errcode detail, or a usage error when it has none.
func TestDecodeStatusJSON(t *testing.T) {
	t.Parallel()
	stdout, stderr, status := runCLIStdin(t, []byte(base64.StdEncoding.EncodeToString(fullStatus(t))), "decode", "--json")
	require.Equal(t, 0, status, "stderr: %s", stderr)
	// The status carries the protobuf form, which has no top-level
	// members: the JSON written is that of the error decoded from it.
	pb, err := errcode.Encode(statusError(t))
	require.NoError(t, err)
	decoded, err := errcode.Decode(pb)
	require.NoError(t, err)
	want, err := errcode.EncodeJSON(decoded)
	require.NoError(t, err)
	assert.JSONEq(t, string(want), stdout)
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &v))

	stdout, stderr, status = runCLIStdin(t, []byte(base64.StdEncoding.EncodeToString(statusBytes(t, codes.NotFound, "no vm"))), "decode", "--json")
	assert.Equal(t, 2, status)
	assert.Empty(t, stdout)
	assert.Equal(t, "errcode decode: the status carries no errcode detail: --json prints errcode's JSON form of one\n", stderr)
}
