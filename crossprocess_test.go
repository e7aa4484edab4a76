package errcode_test

import (
	"bufio"
	"bytes"
	"context"
	stderrors "errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcodegrpc"
	"github.com/errcode/errcode/internal/testpeer"
)

// The codes only the peer registers.
var crossPeerOnlyCodes = []string{"VmSnapshotRestoreError", "VmSnapshotCorruptError"}

// crossCase is what the test expects of one case of cmd/testpeer.
type crossCase struct {
	name       string // testpeer's case name
	wantMsg    string
	wantName   string       // NameOf: the peer's name, also when this process lacks it
	wantCode   errcode.Code // CodeOf: the nearest code this process knows
	wantIs     []errcode.Code
	wantIsNot  []errcode.Code
	wantRetry  errcode.Retry
	wantGRPC   codes.Code
	wantHTTP   int
	wantFields func(t *testing.T, err error)
}

var crossDeadline = time.Date(2025, 3, 1, 12, 30, 0, 123456789, time.UTC)

var crossCases = []crossCase{
	{
		name:      testpeer.CaseSnapshotRestore,
		wantMsg:   "restore snap-42: memory image truncated at 1.5 GiB",
		wantName:  "VmSnapshotRestoreError",
		wantCode:  errcode.VmTransientError,
		wantIs:    []errcode.Code{errcode.VmTransientError, errcode.TransientError, errcode.SandboxError},
		wantIsNot: []errcode.Code{errcode.VmCapacityError, errcode.PermanentError},
		wantRetry: errcode.Transient,
		wantGRPC:  codes.Unavailable,
		wantHTTP:  http.StatusServiceUnavailable,
		wantFields: func(t *testing.T, err error) {
			vm, ok := errcode.Field[int32](err, "vm_id")
			assert.True(t, ok && vm == 7, "Field[int32](vm_id) = %v, %v; want 7, true", vm, ok)
			at, ok := errcode.Field[time.Time](err, "deadline")
			assert.True(t, ok && at.Equal(crossDeadline), "Field[time.Time](deadline) = %v, %v; want %v, true", at, ok, crossDeadline)
			digest, ok := errcode.Field[[]byte](err, "digest")
			assert.True(t, ok, "Field[[]byte](digest)")
			assert.Equal(t, []byte{0xde, 0xad, 0xbe, 0xef}, digest)
			meta, ok := errcode.Field[map[string]any](err, "meta")
			assert.True(t, ok, "Field[map[string]any](meta)")
			assert.Equal(t, map[string]any{"host": "node-3", "attempt": 2, "ratio": 0.75}, meta)
		},
	},
	{
		name:      testpeer.CaseSnapshotCorrupt,
		wantMsg:   "snapshot snap-42 is corrupt: sha256 mismatch",
		wantName:  "VmSnapshotCorruptError",
		wantCode:  errcode.VmTransientError,
		wantIs:    []errcode.Code{errcode.VmTransientError, errcode.TransientError},
		wantIsNot: []errcode.Code{errcode.VmCapacityError},
		wantRetry: errcode.Transient,
		wantGRPC:  codes.Unavailable,
		wantHTTP:  http.StatusServiceUnavailable,
		wantFields: func(t *testing.T, err error) {
			sum, _ := errcode.Field[string](err, "expected_sha256")
			assert.Equal(t, "ab12cd34", sum)
		},
	},
	{
		name:      testpeer.CaseConfig,
		wantMsg:   "vcpus must be between 1 and 64, got 128",
		wantName:  "VmConfigError",
		wantCode:  errcode.VmConfigError,
		wantIs:    []errcode.Code{errcode.VmConfigError, errcode.VmPermanentError, errcode.PermanentError},
		wantIsNot: []errcode.Code{errcode.TransientError},
		wantRetry: errcode.Permanent,
		wantGRPC:  codes.InvalidArgument,
		wantHTTP:  http.StatusBadRequest,
		wantFields: func(t *testing.T, err error) {
			vcpus, ok := errcode.Field[int](err, "vcpus")
			assert.True(t, ok && vcpus == 128, "Field[int](vcpus) = %v, %v; want 128, true", vcpus, ok)
		},
	},
	{
		name:      testpeer.CaseRetryOverride,
		wantMsg:   "restore snap-7: disk quota exceeded",
		wantName:  "VmSnapshotRestoreError",
		wantCode:  errcode.VmTransientError,
		wantIs:    []errcode.Code{errcode.VmTransientError, errcode.TransientError},
		wantRetry: errcode.Permanent, // the peer's WithRetry overrides the code's Transient
		wantGRPC:  codes.Unavailable,
		wantHTTP:  http.StatusServiceUnavailable,
	},
	{
		name:      testpeer.CaseUncoded,
		wantMsg:   "plain failure",
		wantIsNot: []errcode.Code{errcode.SandboxError},
		wantRetry: errcode.Unspecified,
		wantGRPC:  codes.Unknown,
		wantHTTP:  http.StatusInternalServerError,
	},
}

// crossTransport gets a case's error from the peer and sends it back.
type crossTransport struct {
	name string
	// fetch returns the error the peer answers the case with.
	fetch func(t *testing.T, c crossCase) error
	// hop sends err, encoded again, back to the peer and returns its
	// verdict.
	hop func(t *testing.T, err error) string
}

// TestCrossProcess runs cmd/testpeer as a process of its own, with codes
// in its registry that this test binary lacks, and checks that its errors
// reach this process over gRPC and HTTP answering every question, and go
// back to it unchanged.
func TestCrossProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a peer process")
	}
	for _, name := range crossPeerOnlyCodes {
		_, ok := errcode.Lookup(name)
		require.False(t, ok, "the test needs codes this binary lacks, but %s is registered", name)
	}
	tp := startTestPeer(t)
	grpcAddr, httpAddr := tp.grpc, tp.http

	dial := func(opts ...grpc.DialOption) *testpeer.Client {
		cc, err := grpc.NewClient("passthrough:///"+grpcAddr,
			append(opts, grpc.WithTransportCredentials(insecure.NewCredentials()))...)
		require.NoError(t, err)
		t.Cleanup(func() { _ = cc.Close() })
		return testpeer.NewClient(cc)
	}
	plain := dial()
	coded := dial(
		grpc.WithChainUnaryInterceptor(errcodegrpc.UnaryClientInterceptor()),
		grpc.WithChainStreamInterceptor(errcodegrpc.StreamClientInterceptor()))

	grpcHop := func(t *testing.T, err error) string {
		b, eerr := errcode.Encode(err)
		require.NoError(t, eerr, "Encode of the decoded error")
		verdict, cerr := coded.CheckHop(crossCtx(t), b)
		require.NoError(t, cerr, "CheckHop")
		return verdict
	}
	transports := []crossTransport{
		{
			name: "grpc unary",
			fetch: func(t *testing.T, c crossCase) error {
				// A client without the interceptors gets the code and
				// message.
				st := status.Convert(plain.Fail(crossCtx(t), c.name))
				assert.Equal(t, c.wantGRPC, st.Code(), "plain client: status code")
				assert.Equal(t, c.wantMsg, st.Message(), "plain client: message")
				return coded.Fail(crossCtx(t), c.name)
			},
			hop: grpcHop,
		},
		{
			name: "grpc stream",
			fetch: func(t *testing.T, c crossCase) error {
				st := status.Convert(streamErr(t, plain, c.name))
				assert.Equal(t, c.wantGRPC, st.Code(), "plain client: status code")
				assert.Equal(t, c.wantMsg, st.Message(), "plain client: message")
				return streamErr(t, coded, c.name)
			},
			hop: grpcHop,
		},
		{
			name: "http",
			fetch: func(t *testing.T, c crossCase) error {
				req, err := http.NewRequestWithContext(crossCtx(t), http.MethodGet, "http://"+httpAddr+"/fail/"+c.name, nil)
				require.NoError(t, err)
				resp, err := http.DefaultClient.Do(req)
				require.NoError(t, err)
				defer resp.Body.Close()
				assert.Equal(t, c.wantHTTP, resp.StatusCode, "HTTP status")
				assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
				return errcode.ErrorFromResponse(resp)
			},
			hop: func(t *testing.T, err error) string {
				// The decoded error written again is the problem
				// document the peer wrote, byte for byte.
				rec := httptest.NewRecorder()
				errcode.WriteHTTPError(rec, err)
				req, rerr := http.NewRequestWithContext(crossCtx(t), http.MethodPost, "http://"+httpAddr+"/hop", rec.Body)
				require.NoError(t, rerr)
				resp, rerr := http.DefaultClient.Do(req)
				require.NoError(t, rerr)
				defer resp.Body.Close()
				verdict, rerr := io.ReadAll(resp.Body)
				require.NoError(t, rerr)
				return string(verdict)
			},
		},
	}

	for _, tr := range transports {
		for _, c := range crossCases {
			t.Run(tr.name+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				err := tr.fetch(t, c)
				require.Error(t, err)
				if st, isStatus := status.FromError(err); isStatus {
					// Over gRPC the error keeps the status it came in.
					assert.Equal(t, c.wantGRPC, st.Code(), "status.Code")
					assert.Equal(t, c.wantGRPC, errcode.GRPCCodeOf(err), "GRPCCodeOf is the status's code")
				}
				crossCheck(t, c, err)
				if c.wantName == "" {
					return // nothing of errcode's to send back
				}
				assert.Equal(t, "OK", tr.hop(t, err), "the peer's verdict on the error sent back")
			})
		}
	}
}

// crossCheck asks err every question the case has an answer for.
func crossCheck(t *testing.T, c crossCase, err error) {
	t.Helper()
	assert.Equal(t, c.wantMsg, err.Error(), "Error()")
	assert.Equal(t, c.wantName, errcode.NameOf(err), "NameOf")
	assert.Equal(t, c.wantCode, errcode.CodeOf(err), "CodeOf")
	for _, code := range c.wantIs {
		assert.True(t, errcode.Is(err, code), "Is(err, %v) = false; want true", code)
		assert.True(t, stderrors.Is(err, code), "errors.Is(err, %v) = false; want true", code)
	}
	for _, code := range c.wantIsNot {
		assert.False(t, errcode.Is(err, code), "Is(err, %v) = true; want false", code)
		assert.False(t, stderrors.Is(err, code), "errors.Is(err, %v) = true; want false", code)
	}
	assert.Equal(t, c.wantRetry, errcode.RetryOf(err), "RetryOf")
	assert.Equal(t, c.wantRetry == errcode.Transient, errcode.IsRetryable(err), "IsRetryable")

	m, ok := errcode.Match(err, errcode.SandboxError, errcode.TransientError, errcode.VmTransientError, errcode.VmCapacityError, errcode.VmConfigError)
	switch {
	case c.wantCode.IsZero():
		assert.False(t, ok, "Match = %v, true; want false", m)
	case c.wantCode == errcode.VmConfigError:
		assert.Equal(t, errcode.VmConfigError, m, "Match")
	default:
		assert.Equal(t, errcode.VmTransientError, m, "Match: the nearest known ancestor")
	}
	if c.wantName == "" {
		return
	}
	verbose := fmt.Sprintf("%+v", err)
	assert.Contains(t, verbose, "internal/testpeer/", "%%+v shows the peer's stack")
	assert.Contains(t, verbose, c.wantName)
	caseKey, _ := errcode.Field[string](err, testpeer.CaseField)
	assert.True(t, strings.HasSuffix(caseKey, "/"+c.name), "Field(case) = %q", caseKey)
	if c.wantFields != nil {
		c.wantFields(t, err)
	}
}

// streamErr returns the error that ends the peer's FailStream for the
// case, after its two messages.
func streamErr(t *testing.T, c *testpeer.Client, name string) error {
	t.Helper()
	got, err := c.FailStream(crossCtx(t), name)
	assert.Equal(t, []string{"one", "two"}, got, "the stream's messages before its error")
	return err
}

func crossCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// goTool returns the go command on PATH, where go test puts the one that
// runs it first.
func goTool(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("no go command on PATH: %v", err)
	}
	return p
}

// testPeerAddrs are the addresses cmd/testpeer serves on.
type testPeerAddrs struct {
	grpc        string // the testpeer service with errcode's interceptors
	http        string // HTTP with errcode.WriteHTTPError
	grpcForeign string // the testpeer service without them: hand-built statuses
}

// startTestPeer builds cmd/testpeer and starts it as a process of its
// own, stopped when the test ends (failed or not); it returns the
// addresses the peer serves on.
func startTestPeer(t *testing.T) testPeerAddrs {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "testpeer")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	build := exec.CommandContext(ctx, goTool(t), "build", "-o", bin, "./internal/testpeer/cmd/testpeer")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build ./internal/testpeer/cmd/testpeer:\n%s", out)

	cmd := exec.Command(bin)
	stdin, err := cmd.StdinPipe() // the peer exits when this closes, even if this process is killed
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr bytes.Buffer // written by exec's goroutine, read after Wait
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())

	const maxLines = 16 // the address lines and "ready"; more is a broken peer
	lines := make(chan string, maxLines)
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default: // past the addresses: discard
			}
		}
	}()
	t.Cleanup(func() {
		_ = stdin.Close()
		_ = cmd.Process.Kill()
		<-drained
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("testpeer's standard error:\n%s", stderr.String())
		}
	})

	addrs := make(map[string]string)
	timeout := time.NewTimer(30 * time.Second)
	defer timeout.Stop()
	for ready := false; !ready; {
		select {
		case l := <-lines:
			if l == "ready" {
				ready = true
				continue
			}
			kind, addr, ok := strings.Cut(l, " ")
			require.True(t, ok, "testpeer printed %q; want \"KIND ADDR\" lines, then \"ready\"", l)
			addrs[kind] = addr
			require.Less(t, len(addrs), maxLines, "testpeer printed no \"ready\"")
		case <-drained:
			t.Fatal("testpeer exited before printing its addresses")
		case <-timeout.C:
			t.Fatal("testpeer was not ready within 30s")
		}
	}
	tp := testPeerAddrs{grpc: addrs["grpc"], http: addrs["http"], grpcForeign: addrs["grpc-foreign"]}
	require.NotEmpty(t, tp.grpc, "testpeer's gRPC address")
	require.NotEmpty(t, tp.http, "testpeer's HTTP address")
	require.NotEmpty(t, tp.grpcForeign, "testpeer's address for the server without errcode")
	return tp
}
