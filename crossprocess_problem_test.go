package errcode_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode/internal/testpeer"
)

// TestCrossProcessProblemDocument reads the peer's HTTP errors with a
// plain net/http client and encoding/json, as a client that knows
// nothing of errcode does: an RFC 9457 problem document with the mapped
// status, and Retry-After where the error has a hint.
func TestCrossProcessProblemDocument(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a peer process")
	}
	tp := startTestPeer(t)
	type problem struct { // RFC 9457's members
		Type   string `json:"type"`
		Title  string `json:"title"`
		Status int    `json:"status"`
		Detail string `json:"detail"`
	}
	tests := []struct {
		give           string
		wantProblem    problem
		wantRetryAfter string // "" for no header
	}{
		{
			give:           testpeer.CaseCapacity,
			wantProblem:    problem{"urn:errcode:VmCapacityError", "VmCapacityError", http.StatusServiceUnavailable, "pool default is full"},
			wantRetryAfter: "1",
		},
		{
			give:           testpeer.CaseHugeMessage, // a hint of 3s set on the error
			wantProblem:    problem{"urn:errcode:VmSnapshotRestoreError", "VmSnapshotRestoreError", http.StatusServiceUnavailable, ""},
			wantRetryAfter: "3",
		},
		{
			give:        testpeer.CaseSnapshotRestore, // a code this process lacks
			wantProblem: problem{"urn:errcode:VmSnapshotRestoreError", "VmSnapshotRestoreError", http.StatusServiceUnavailable, "restore snap-42: memory image truncated at 1.5 GiB"},
		},
		{
			give:        testpeer.CaseConfig,
			wantProblem: problem{"urn:errcode:VmConfigError", "VmConfigError", http.StatusBadRequest, "vcpus must be between 1 and 64, got 128"},
		},
		{
			give:        testpeer.CaseUncoded,
			wantProblem: problem{"about:blank", "Internal Server Error", http.StatusInternalServerError, "plain failure"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequestWithContext(crossCtx(t), http.MethodGet, "http://"+tp.http+"/fail/"+tt.give, nil)
			require.NoError(t, err)
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, tt.wantProblem.Status, resp.StatusCode, "HTTP status")
			assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
			assert.Equal(t, tt.wantRetryAfter, resp.Header.Get("Retry-After"), "Retry-After")
			var got problem
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&got), "the body as JSON")
			if tt.wantProblem.Detail == "" { // too long to write out
				want := peerAnswers(t, tp.http, tt.give)
				tt.wantProblem.Detail = string(want.Message)
			}
			assert.Equal(t, tt.wantProblem, got, "the problem document's RFC 9457 members")
		})
	}
}
