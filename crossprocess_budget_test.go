package errcode_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcodegrpc"
	"github.com/errcode/errcode/internal/testpeer"
)

// dialPeer returns a client of the testpeer service at addr, over a
// connection closed when the test ends.
func dialPeer(t *testing.T, addr string, opts ...grpc.DialOption) *testpeer.Client {
	t.Helper()
	cc, err := grpc.NewClient("passthrough:///"+addr,
		append(opts, grpc.WithTransportCredentials(insecure.NewCredentials()))...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = cc.Close() })
	return testpeer.NewClient(cc)
}

// codedDialOptions are the dial options of errcode's client interceptors.
func codedDialOptions() []grpc.DialOption {
	return []grpc.DialOption{
		grpc.WithChainUnaryInterceptor(errcodegrpc.UnaryClientInterceptor()),
		grpc.WithChainStreamInterceptor(errcodegrpc.StreamClientInterceptor()),
	}
}

// peerAnswers returns what the peer's error for the case answers in the
// peer.
func peerAnswers(t *testing.T, httpAddr, name string) testpeer.Answers {
	t.Helper()
	req, err := http.NewRequestWithContext(crossCtx(t), http.MethodGet, "http://"+httpAddr+"/answers/"+name, nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "GET /answers/%s", name)
	var a testpeer.Answers
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&a), "the answers of %s", name)
	return a
}

// The marks of what the trailer budget gave up of a message: a message
// cut, and inner layers replaced by one that says how many there were.
var (
	cutMark    = regexp.MustCompile(`…\([0-9]+ bytes cut\)$`)
	layersMark = regexp.MustCompile(`errcode: [0-9]+ inner layers not sent$`)
)

// TestCrossProcessTrailerBudget calls the peer's errcode server from
// clients that take at most 8 KiB of trailers, as grpc-java does by
// default, for every case, those that blow up the trailer among them.
// A plain grpc-go client must get the mapped status code (not a
// transport error), a valid UTF-8 message, ErrorInfo and, for transient
// errors, RetryInfo; a client with errcode's interceptors must get the
// answers the error gave in the peer.
func TestCrossProcessTrailerBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a peer process")
	}
	tp := startTestPeer(t)
	limit := grpc.WithMaxHeaderListSize(8192)
	plain := dialPeer(t, tp.grpc, limit)
	coded := dialPeer(t, tp.grpc, append(codedDialOptions(), limit)...)

	overBudget := []string{testpeer.CaseHugeMessage, testpeer.CaseWrapped100, testpeer.CaseHugeField, testpeer.CaseDeepStack}
	calls := []struct {
		desc string
		call func(t *testing.T, c *testpeer.Client, name string) error
	}{
		{"unary", func(t *testing.T, c *testpeer.Client, name string) error { return c.Fail(crossCtx(t), name) }},
		{"stream", func(t *testing.T, c *testpeer.Client, name string) error { return streamErr(t, c, name) }},
	}
	for _, name := range testpeer.BudgetCases {
		want := peerAnswers(t, tp.http, name)
		for _, call := range calls {
			t.Run(call.desc+"/"+name, func(t *testing.T) {
				t.Parallel()
				err := call.call(t, plain, name)
				require.Error(t, err)
				st, ok := status.FromError(err)
				require.True(t, ok, "status.FromError(%v): not a status", err)
				require.Equal(t, want.GRPCCode, st.Code(), "plain client: status code; message %.300q", st.Message())
				checkBudgetMessage(t, string(want.Message), st.Message())
				info := checkStandardDetails(t, want, st)
				if slices.Contains(overBudget, name) && info != nil {
					// Else the case tests nothing of the budget.
					assert.NotEmpty(t, info.GetMetadata()[errcodegrpc.MetadataDropped], "ErrorInfo.metadata[dropped] of a case over the budget")
				}

				err = call.call(t, coded, name)
				require.Error(t, err)
				assert.Equal(t, want.GRPCCode, status.Code(err), "coded client: status.Code")
				assert.Equal(t, want.Name, errcode.NameOf(err), "NameOf")
				assert.Equal(t, want.Ancestors, errcode.AncestorNamesOf(err), "AncestorNamesOf")
				assert.Equal(t, want.Retry, errcode.RetryOf(err).String(), "RetryOf")
				assert.Equal(t, want.RetryAfter, errcode.RetryAfterOf(err), "RetryAfterOf")
				assert.Equal(t, want.GRPCCode, errcode.GRPCCodeOf(err), "GRPCCodeOf")
			})
		}
	}
}

// checkBudgetMessage checks grpc-message: valid UTF-8, and want made
// valid, or a start of it followed by the marks of what the budget gave
// up (inner layers, then a cut).
func checkBudgetMessage(t *testing.T, want, got string) {
	t.Helper()
	assert.True(t, utf8.ValidString(got), "grpc-message is not valid UTF-8: %.300q", got)
	want = strings.ToValidUTF8(want, "\uFFFD")
	if got == want {
		return
	}
	start := got
	marked := false
	for _, mark := range []*regexp.Regexp{cutMark, layersMark} {
		if loc := mark.FindStringIndex(start); loc != nil {
			start, marked = start[:loc[0]], true
		}
	}
	require.True(t, marked, "grpc-message = %.300q; want %.300q or a start of it marked as cut", got, want)
	assert.True(t, strings.HasPrefix(want, start), "grpc-message %.300q does not start as %.300q", got, want)
}

// checkStandardDetails checks st's ErrorInfo and RetryInfo against what
// the error answered in the peer: one ErrorInfo for an error with a code,
// none without; a RetryInfo, its delay the retry-after hint, exactly for
// a transient error. It returns the ErrorInfo, nil when there is none.
func checkStandardDetails(t *testing.T, want testpeer.Answers, st *status.Status) *errdetails.ErrorInfo {
	t.Helper()
	var infos []*errdetails.ErrorInfo
	var retries []*errdetails.RetryInfo
	for _, d := range st.Details() {
		switch d := d.(type) {
		case *errdetails.ErrorInfo:
			infos = append(infos, d)
		case *errdetails.RetryInfo:
			retries = append(retries, d)
		}
	}
	// Details() gives errcode's own detail as an error: a type this
	// client does not know. Nothing else may be there.
	for _, d := range st.Proto().GetDetails() {
		u := d.GetTypeUrl()
		if strings.HasSuffix(u, "/google.rpc.ErrorInfo") || strings.HasSuffix(u, "/google.rpc.RetryInfo") {
			continue
		}
		assert.Equal(t, errcodegrpc.DetailTypeURL, u, "a detail of a type the server does not send")
	}
	var info *errdetails.ErrorInfo
	if want.Name == "" {
		assert.Empty(t, infos, "ErrorInfo of an error without a code")
	} else if assert.Len(t, infos, 1, "ErrorInfo") {
		info = infos[0]
		assert.Equal(t, want.Reason, info.GetReason(), "ErrorInfo.reason")
		assert.Equal(t, want.Domain, info.GetDomain(), "ErrorInfo.domain")
		assert.Equal(t, want.Name, info.GetMetadata()[errcodegrpc.MetadataCode], "ErrorInfo.metadata[code]")
		assert.Equal(t, strings.Join(want.Ancestors, " "), info.GetMetadata()[errcodegrpc.MetadataAncestors], "ErrorInfo.metadata[ancestors]")
		assert.Equal(t, want.Retry, info.GetMetadata()[errcodegrpc.MetadataRetry], "ErrorInfo.metadata[retry]")
	}
	if want.Retry != errcode.Transient.String() {
		assert.Empty(t, retries, "RetryInfo of an error that is not transient")
		return info
	}
	if assert.Len(t, retries, 1, "RetryInfo of a transient error") {
		assert.Equal(t, want.RetryAfter, retries[0].GetRetryDelay().AsDuration(), "RetryInfo.retry_delay")
	}
	return info
}

// TestCrossProcessBudgetCasesKnown checks the test's assumptions about
// the peer's cases, so that the budget test cannot pass by comparing
// nothing: the cases that blow up the trailer have codes, and one is
// transient with a hint.
func TestCrossProcessBudgetCasesKnown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a peer process")
	}
	tp := startTestPeer(t)
	tests := []struct {
		give           string
		wantName       string
		wantGRPC       codes.Code
		wantRetryAfter time.Duration
	}{
		{testpeer.CaseHugeMessage, "VmSnapshotRestoreError", codes.Unavailable, 3 * time.Second},
		{testpeer.CaseWrapped100, "VmSnapshotRestoreError", codes.Unavailable, time.Second}, // the VmCapacityError's
		{testpeer.CaseHugeField, "VmConfigError", codes.InvalidArgument, 0},
		{testpeer.CaseDeepStack, "SandboxError", codes.Unavailable, 0},
		{testpeer.CaseInvalidUTF8, "VmSnapshotRestoreError", codes.Unavailable, 0},
		{testpeer.CaseCapacity, "VmCapacityError", codes.Unavailable, time.Second},
		{testpeer.CaseUncoded, "", codes.Unknown, 0},
	}
	for _, tt := range tests {
		got := peerAnswers(t, tp.http, tt.give)
		assert.Equal(t, tt.wantName, got.Name, "answers(%s).Name", tt.give)
		assert.Equal(t, tt.wantGRPC, got.GRPCCode, "answers(%s).GRPCCode", tt.give)
		assert.Equal(t, tt.wantRetryAfter, got.RetryAfter, "answers(%s).RetryAfter", tt.give)
	}
}
