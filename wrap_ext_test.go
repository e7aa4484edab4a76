package errcode_test

import (
	stderrors "errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	"github.com/errcode/errcode"
)

// firstStackFrame returns the function of the first frame of the first
// stack trace in a "%+v" rendering of an error, or "" if it has none.
func firstStackFrame(tb testing.TB, verbose string) string {
	tb.Helper()
	lines := strings.Split(verbose, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) == "-- stack trace:" && i+1 < len(lines) {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(lines[i+1]), "|"))
		}
	}
	return ""
}

// assertIsAgrees checks, for every catalog code, that errcode.Is, the
// standard library's errors.Is and cockroachdb's errors.Is all give the
// answer the seed's table gives for an error carrying the codes named.
func assertIsAgrees(t *testing.T, err error, carried []string) {
	t.Helper()
	for _, c := range errcode.Codes() {
		want := false
		for _, name := range carried {
			if catalogIsA(t, name, c.Name()) {
				want = true
			}
		}
		assert.Equal(t, want, errcode.Is(err, c), "Is(err, %v) = %v; want %v", c, !want, want)
		assert.Equal(t, want, stderrors.Is(err, c), "errors.Is(err, %v) = %v; want %v", c, !want, want)
		assert.Equal(t, want, crdberrors.Is(err, c), "crdb errors.Is(err, %v) = %v; want %v", c, !want, want)
	}
}

// TestChains asks every chain query of chains mixing coded layers,
// cockroachdb wrappers, fmt.Errorf("%w"), errors.Join and bare Codes.
func TestChains(t *testing.T) {
	t.Parallel()
	plain := stderrors.New("plain")
	deep := fmt.Errorf("handler: %w", crdberrors.Wrap(
		errcode.WithFields(
			stderrors.Join(io.EOF, crdberrors.WithHint(errcode.VmOverlayError.Wrap(io.ErrShortWrite, "create overlay"), "check the disk")),
			"vm", "vm-1"),
		"start vm"))

	tests := []struct {
		desc           string
		giveErr        error
		giveCarried    []string     // names of the catalog codes in the chain
		wantCode       errcode.Code // CodeOf
		wantRetry      errcode.Retry
		wantMapFrom    errcode.Code // the code whose gRPC and HTTP mapping decides; zero: none
		wantRetryAfter time.Duration
		wantMsg        string
	}{
		{
			desc: "bare Code", giveErr: errcode.VmConfigError,
			giveCarried: []string{"VmConfigError"}, wantCode: errcode.VmConfigError,
			wantRetry: errcode.Permanent, wantMapFrom: errcode.VmConfigError, wantMsg: "VmConfigError",
		},
		{
			desc: "New", giveErr: errcode.VmBootTimeoutError.New("guest agent not ready"),
			giveCarried: []string{"VmBootTimeoutError"}, wantCode: errcode.VmBootTimeoutError,
			wantRetry: errcode.Transient, wantMapFrom: errcode.VmBootTimeoutError, wantMsg: "guest agent not ready",
		},
		{
			desc: "Newf", giveErr: errcode.VmQemuCrashError.Newf("qemu exited with status %d", 1),
			giveCarried: []string{"VmQemuCrashError"}, wantCode: errcode.VmQemuCrashError,
			wantRetry: errcode.Transient, wantMapFrom: errcode.VmQemuCrashError, wantMsg: "qemu exited with status 1",
		},
		{
			desc: "Wrap of a plain error", giveErr: errcode.SnapshotError.Wrap(io.ErrUnexpectedEOF, "load snapshot"),
			giveCarried: []string{"SnapshotError"}, wantCode: errcode.SnapshotError,
			wantRetry: errcode.Unspecified, wantMapFrom: errcode.SnapshotError, wantMsg: "load snapshot: unexpected EOF",
		},
		{
			desc: "Wrapf of a plain error", giveErr: errcode.AssetDownloadError.Wrapf(io.EOF, "download %s", "rootfs"),
			giveCarried: []string{"AssetDownloadError"}, wantCode: errcode.AssetDownloadError,
			wantRetry: errcode.Unspecified, wantMapFrom: errcode.AssetDownloadError, wantMsg: "download rootfs: EOF",
		},
		{
			desc:        "unspecified code wraps a transient one",
			giveErr:     errcode.SandboxError.Wrap(errcode.VmBootTimeoutError.New("timeout"), "start"),
			giveCarried: []string{"SandboxError", "VmBootTimeoutError"}, wantCode: errcode.SandboxError,
			wantRetry: errcode.Transient, wantMapFrom: errcode.VmBootTimeoutError, wantMsg: "start: timeout",
		},
		{
			desc:        "permanent code wraps a transient one",
			giveErr:     errcode.PermanentError.Wrap(errcode.VmBootTimeoutError.New("timeout"), "start"),
			giveCarried: []string{"PermanentError", "VmBootTimeoutError"}, wantCode: errcode.PermanentError,
			wantRetry: errcode.Permanent, wantMapFrom: errcode.PermanentError, wantMsg: "start: timeout",
		},
		{
			desc:        "cockroachdb Wrap",
			giveErr:     crdberrors.Wrap(errcode.VmCapacityError.New("pool full"), "acquire vm"),
			giveCarried: []string{"VmCapacityError"}, wantCode: errcode.VmCapacityError,
			wantRetry: errcode.Transient, wantMapFrom: errcode.VmCapacityError, wantRetryAfter: time.Second,
			wantMsg: "acquire vm: pool full",
		},
		{
			desc: "cockroachdb WithHint, WithDetail, WithStack",
			giveErr: crdberrors.WithStack(crdberrors.WithDetail(crdberrors.WithHint(
				errcode.PackageNotAllowedError.New("numpy is not allowed"), "add it to the allowlist"), "package=numpy")),
			giveCarried: []string{"PackageNotAllowedError"}, wantCode: errcode.PackageNotAllowedError,
			wantRetry: errcode.Unspecified, wantMapFrom: errcode.PackageNotAllowedError, wantMsg: "numpy is not allowed",
		},
		{
			desc:        "fmt.Errorf %w",
			giveErr:     fmt.Errorf("install: %w", errcode.GuestAgentError.New("pip failed")),
			giveCarried: []string{"GuestAgentError"}, wantCode: errcode.GuestAgentError,
			wantRetry: errcode.Unspecified, wantMapFrom: errcode.GuestAgentError, wantMsg: "install: pip failed",
		},
		{
			desc:        "fmt.Errorf %w of a bare Code",
			giveErr:     fmt.Errorf("boot: %w", errcode.VmGvproxyError),
			giveCarried: []string{"VmGvproxyError"}, wantCode: errcode.VmGvproxyError,
			wantRetry: errcode.Transient, wantMapFrom: errcode.VmGvproxyError, wantMsg: "boot: VmGvproxyError",
		},
		{
			desc:        "cockroachdb Wrap of a bare Code",
			giveErr:     crdberrors.Wrap(errcode.EnvVarValidationError, "PATH"),
			giveCarried: []string{"EnvVarValidationError"}, wantCode: errcode.EnvVarValidationError,
			wantRetry: errcode.Unspecified, wantMapFrom: errcode.EnvVarValidationError, wantMsg: "PATH: EnvVarValidationError",
		},
		{
			desc:        "errors.Join of coded branches",
			giveErr:     stderrors.Join(errcode.VmConfigError.New("bad cpu count"), errcode.VmCapacityError.New("pool full")),
			giveCarried: []string{"VmConfigError", "VmCapacityError"}, wantCode: errcode.VmConfigError,
			wantRetry: errcode.Permanent, wantMapFrom: errcode.VmConfigError, wantRetryAfter: time.Second,
			wantMsg: "bad cpu count\npool full",
		},
		{
			desc:        "errors.Join, code in the second branch",
			giveErr:     stderrors.Join(plain, errcode.AssetNotFoundError.New("no release v1")),
			giveCarried: []string{"AssetNotFoundError"}, wantCode: errcode.AssetNotFoundError,
			wantRetry: errcode.Unspecified, wantMapFrom: errcode.AssetNotFoundError, wantMsg: "plain\nno release v1",
		},
		{
			desc:        "fmt.Errorf with two %w",
			giveErr:     fmt.Errorf("%w; %w", errcode.CommunicationError.New("recv"), errcode.VmBootTimeoutError.New("timeout")),
			giveCarried: []string{"CommunicationError", "VmBootTimeoutError"}, wantCode: errcode.CommunicationError,
			wantRetry: errcode.Transient, wantMapFrom: errcode.CommunicationError, wantMsg: "recv; timeout",
		},
		{
			desc: "deep mix", giveErr: deep,
			giveCarried: []string{"VmOverlayError"}, wantCode: errcode.VmOverlayError,
			wantRetry: errcode.Transient, wantMapFrom: errcode.VmOverlayError,
			wantMsg: "handler: start vm: EOF\ncreate overlay: short write",
		},
		{
			desc:        "WithRetry over a coded error",
			giveErr:     errcode.WithRetry(errcode.VmConfigError.New("bad cpu count"), errcode.Transient),
			giveCarried: []string{"VmConfigError"}, wantCode: errcode.VmConfigError,
			wantRetry: errcode.Transient, wantMapFrom: errcode.VmConfigError, wantMsg: "bad cpu count",
		},
		{
			desc:        "WithRetryAfter and WithFields over a coded error",
			giveErr:     errcode.WithFields(errcode.WithRetryAfter(errcode.VmCapacityError.New("pool full"), 5*time.Second), "pool", "a"),
			giveCarried: []string{"VmCapacityError"}, wantCode: errcode.VmCapacityError,
			wantRetry: errcode.Transient, wantMapFrom: errcode.VmCapacityError, wantRetryAfter: 5 * time.Second,
			wantMsg: "pool full",
		},
		{
			desc:        "coded layers three deep",
			giveErr:     errcode.SnapshotError.Wrap(crdberrors.Wrap(errcode.SocketAuthError.Wrap(errcode.VmDependencyError, "peer"), "dial"), "restore"),
			giveCarried: []string{"SnapshotError", "SocketAuthError", "VmDependencyError"}, wantCode: errcode.SnapshotError,
			wantRetry: errcode.Permanent, wantMapFrom: errcode.SnapshotError, wantMsg: "restore: dial: peer: VmDependencyError",
		},
		{
			desc: "plain error", giveErr: plain,
			wantRetry: errcode.Unspecified, wantMsg: "plain",
		},
		{
			desc: "plain cockroachdb error", giveErr: crdberrors.Wrap(crdberrors.New("boom"), "op"),
			wantRetry: errcode.Unspecified, wantMsg: "op: boom",
		},
		{
			desc: "New of the zero Code", giveErr: errcode.Code{}.New("no code"),
			wantRetry: errcode.Unspecified, wantMsg: "no code",
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			err := tt.giveErr
			require.Error(t, err)
			assert.Equal(t, tt.wantMsg, err.Error(), "Error() = %q; want %q", err.Error(), tt.wantMsg)

			got := errcode.CodeOf(err)
			assert.True(t, tt.wantCode == got, "CodeOf = %v; want %v", got, tt.wantCode)
			assert.Equal(t, tt.wantCode.Name(), errcode.NameOf(err), "NameOf = %q; want %q", errcode.NameOf(err), tt.wantCode.Name())
			assert.Equal(t, tt.wantRetry, errcode.RetryOf(err), "RetryOf = %v; want %v", errcode.RetryOf(err), tt.wantRetry)
			assert.Equal(t, tt.wantRetry == errcode.Transient, errcode.IsRetryable(err), "IsRetryable = %v", errcode.IsRetryable(err))

			wantGRPC, ok := tt.wantMapFrom.GRPCCode()
			if !ok {
				wantGRPC = codes.Unknown
			}
			wantHTTP := tt.wantMapFrom.HTTPStatus()
			if wantHTTP == 0 {
				wantHTTP = http.StatusInternalServerError
			}
			assert.Equal(t, wantGRPC, errcode.GRPCCodeOf(err), "GRPCCodeOf = %v; want %v (of %v)", errcode.GRPCCodeOf(err), wantGRPC, tt.wantMapFrom)
			assert.Equal(t, wantHTTP, errcode.HTTPStatusOf(err), "HTTPStatusOf = %v; want %v (of %v)", errcode.HTTPStatusOf(err), wantHTTP, tt.wantMapFrom)
			assert.Equal(t, tt.wantRetryAfter, errcode.RetryAfterOf(err), "RetryAfterOf = %v; want %v", errcode.RetryAfterOf(err), tt.wantRetryAfter)

			assertIsAgrees(t, err, tt.giveCarried)
		})
	}
}

func TestNilQueries(t *testing.T) {
	t.Parallel()
	assert.True(t, errcode.VmConfigError.Wrap(nil, "msg", "k", 1) == nil, "Wrap(nil) != nil")
	assert.True(t, errcode.VmConfigError.Wrapf(nil, "msg %d", 1) == nil, "Wrapf(nil) != nil")
	assert.True(t, errcode.VmCapacityError.Wrap(nil, "msg") == nil, "Stackless Wrap(nil) != nil")
	assert.True(t, errcode.Code{}.Wrap(nil, "msg") == nil, "zero Code Wrap(nil) != nil")
	assert.True(t, errcode.WithFields(nil, "k", 1) == nil, "WithFields(nil) != nil")
	assert.True(t, errcode.WithRetry(nil, errcode.Transient) == nil, "WithRetry(nil) != nil")
	assert.True(t, errcode.WithRetryAfter(nil, time.Second) == nil, "WithRetryAfter(nil) != nil")

	var err error
	assert.False(t, errcode.Is(err, errcode.SandboxError))
	assert.True(t, errcode.CodeOf(err).IsZero(), "CodeOf(nil) = %v; want the zero Code", errcode.CodeOf(err))
	assert.Empty(t, errcode.NameOf(err))
	m, ok := errcode.Match(err, errcode.SandboxError)
	assert.False(t, ok, "Match(nil) = %v, true; want false", m)
	assert.Equal(t, errcode.Unspecified, errcode.RetryOf(err))
	assert.False(t, errcode.IsRetryable(err))
	assert.Nil(t, errcode.Fields(err))
	_, ok = errcode.Field[string](err, "k")
	assert.False(t, ok)
	assert.Equal(t, codes.OK, errcode.GRPCCodeOf(err))
	assert.Equal(t, http.StatusOK, errcode.HTTPStatusOf(err))
	assert.Zero(t, errcode.RetryAfterOf(err))
}

// TestRetryOf walks the precedence rules of RetryOf one by one.
func TestRetryOf(t *testing.T) {
	t.Parallel()
	plain := io.EOF
	perm := errcode.VmConfigError.New("bad config")           // Permanent
	trans := errcode.VmBootTimeoutError.New("boot timed out") // Transient
	unspec := errcode.SnapshotError.New("snapshot failed")    // Unspecified

	tests := []struct {
		desc      string
		giveErr   error
		wantRetry errcode.Retry
	}{
		// (1) The outermost deciding layer wins.
		{"1: WithRetry Transient beats an inner Permanent code", errcode.WithRetry(perm, errcode.Transient), errcode.Transient},
		{"1: WithRetry Permanent beats an inner Transient code", errcode.WithRetry(trans, errcode.Permanent), errcode.Permanent},
		{"1: outer WithRetry beats inner WithRetry", errcode.WithRetry(errcode.WithRetry(plain, errcode.Transient), errcode.Permanent), errcode.Permanent},
		{"1: WithRetry under foreign wrappers", fmt.Errorf("op: %w", crdberrors.Wrap(errcode.WithRetry(perm, errcode.Transient), "x")), errcode.Transient},
		{"1: outer coded Transient beats inner Permanent", errcode.TransientError.Wrap(perm, "retry me"), errcode.Transient},
		{"1: outer coded Permanent beats inner Transient", errcode.VmDependencyError.Wrap(trans, "missing"), errcode.Permanent},
		{"1: outer coded Permanent beats an inner WithRetry", errcode.PermanentError.Wrap(errcode.WithRetry(plain, errcode.Transient), "x"), errcode.Permanent},
		{"1: outer bare Code wins", fmt.Errorf("%w: %w", errcode.VmConfigError, trans), errcode.Permanent},
		{"1: through cockroachdb wrappers", crdberrors.WithHint(crdberrors.Wrap(trans, "start"), "wait"), errcode.Transient},
		// (2) An unspecified code defers to what it wraps.
		{"2: SandboxError wrapping VmBootTimeoutError", errcode.SandboxError.Wrap(trans, "start"), errcode.Transient},
		{"2: PermanentError wrapping VmBootTimeoutError", errcode.PermanentError.Wrap(trans, "start"), errcode.Permanent},
		{"2: two unspecified codes over a Permanent", errcode.SocketAuthError.Wrap(errcode.CommunicationError.Wrap(perm, "a"), "b"), errcode.Permanent},
		{"2: unspecified code over a plain error", errcode.CommunicationError.Wrap(plain, "recv"), errcode.Unspecified},
		// (3) A multi-cause layer: Permanent if any, else Transient if any, else defer.
		{"3: Join(Permanent, Transient)", stderrors.Join(perm, trans), errcode.Permanent},
		{"3: Join(Transient, Permanent)", stderrors.Join(trans, perm), errcode.Permanent},
		{"3: Join(Transient, unspecified)", stderrors.Join(trans, unspec), errcode.Transient},
		{"3: Join(plain, Transient)", stderrors.Join(plain, trans), errcode.Transient},
		{"3: Join(unspecified, plain)", stderrors.Join(unspec, plain), errcode.Unspecified},
		{"3: two %w, Permanent second", fmt.Errorf("%w; %w", trans, perm), errcode.Permanent},
		{"3: nested joins", stderrors.Join(stderrors.Join(plain, trans), stderrors.Join(unspec, perm)), errcode.Permanent},
		{"3: unspecified code over a join", errcode.SandboxError.Wrap(stderrors.Join(plain, trans), "x"), errcode.Transient},
		{"3: WithRetry over a join", errcode.WithRetry(stderrors.Join(perm, trans), errcode.Transient), errcode.Transient},
		{"3: a branch's own override", stderrors.Join(errcode.WithRetry(perm, errcode.Transient), unspec), errcode.Transient},
		// (4) Nothing decides.
		{"4: plain error", plain, errcode.Unspecified},
		{"4: unspecified code", unspec, errcode.Unspecified},
		{"4: WithRetry(Unspecified) over a plain error", errcode.WithRetry(plain, errcode.Unspecified), errcode.Unspecified},
		{"4: WithRetry(Unspecified) defers to a Transient code", errcode.WithRetry(trans, errcode.Unspecified), errcode.Transient},
		{"4: WithRetry(Unspecified) defers to a Permanent code", errcode.WithRetry(perm, errcode.Unspecified), errcode.Permanent},
		{"4: WithRetry with an invalid Retry defers", errcode.WithRetry(trans, errcode.Retry(9)), errcode.Transient},
		{"4: nil", nil, errcode.Unspecified},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got := errcode.RetryOf(tt.giveErr)
			assert.Equal(t, tt.wantRetry, got, "RetryOf(%v) = %v; want %v", tt.giveErr, got, tt.wantRetry)
			assert.Equal(t, tt.wantRetry == errcode.Transient, errcode.IsRetryable(tt.giveErr),
				"IsRetryable(%v) = %v; want %v", tt.giveErr, errcode.IsRetryable(tt.giveErr), tt.wantRetry == errcode.Transient)
		})
	}
}

func TestMatch(t *testing.T) {
	t.Parallel()
	handled := []errcode.Code{errcode.SandboxError, errcode.TransientError, errcode.VmCapacityError}
	other := errcode.NewRegistry().MustRegister("SandboxError", errcode.Code{})

	tests := []struct {
		desc           string
		giveErr        error
		giveCandidates []errcode.Code
		want           errcode.Code
		wantOK         bool
	}{
		{"VmCapacityError matches itself", errcode.VmCapacityError.New("pool full"), handled, errcode.VmCapacityError, true},
		{"VmBootTimeoutError matches TransientError", errcode.VmBootTimeoutError.New("timeout"), handled, errcode.TransientError, true},
		{"VmConfigError matches SandboxError", errcode.VmConfigError.New("bad"), handled, errcode.SandboxError, true},
		{"the deepest candidate, whatever the order", errcode.VmCapacityError.New("pool full"),
			[]errcode.Code{errcode.VmCapacityError, errcode.TransientError, errcode.SandboxError}, errcode.VmCapacityError, true},
		{"the deepest candidate, reversed order", errcode.VmCapacityError.New("pool full"),
			[]errcode.Code{errcode.SandboxError, errcode.VmTransientError, errcode.TransientError}, errcode.VmTransientError, true},
		{"tie: the earlier of two equal candidates", errcode.VmConfigError.New("bad"),
			[]errcode.Code{errcode.SandboxError, errcode.VmError, errcode.VmPermanentError}, errcode.VmError, true},
		{"through wrappers", fmt.Errorf("op: %w", crdberrors.Wrap(errcode.VmCapacityError.New("pool full"), "acquire")), handled, errcode.VmCapacityError, true},
		{"bare Code", errcode.VmQemuCrashError, handled, errcode.TransientError, true},
		{"the outermost code decides", errcode.SandboxError.Wrap(errcode.VmCapacityError.New("pool full"), "start"), handled, errcode.SandboxError, true},
		{"an outer code that matches nothing is skipped", errcode.VmConfigError.Wrap(errcode.VmCapacityError.New("pool full"), "start"),
			[]errcode.Code{errcode.TransientError}, errcode.TransientError, true},
		{"errors.Join: the first branch with a match", stderrors.Join(io.EOF, errcode.VmBootTimeoutError.New("t"), errcode.VmCapacityError.New("full")),
			handled, errcode.TransientError, true},
		{"no match", errcode.VmConfigError.New("bad"), []errcode.Code{errcode.TransientError, errcode.VmCapacityError}, errcode.Code{}, false},
		{"no code", io.EOF, handled, errcode.Code{}, false},
		{"no candidates", errcode.VmCapacityError.New("pool full"), nil, errcode.Code{}, false},
		{"zero candidate", errcode.VmCapacityError.New("pool full"), []errcode.Code{{}}, errcode.Code{}, false},
		{"candidate of another registry", errcode.VmCapacityError.New("pool full"), []errcode.Code{other}, errcode.Code{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got, ok := errcode.Match(tt.giveErr, tt.giveCandidates...)
			assert.Equal(t, tt.wantOK, ok, "Match(%q) ok = %v; want %v", tt.giveErr, ok, tt.wantOK)
			assert.True(t, tt.want == got, "Match(%q) = %v; want %v", tt.giveErr, got, tt.want)
		})
	}
}

func TestErrorString(t *testing.T) {
	t.Parallel()
	wrapped := errcode.SnapshotError.Wrap(io.EOF, "load")
	tests := []struct {
		desc    string
		giveErr error
		wantMsg string
	}{
		{"New", errcode.VmConfigError.New("bad cpu count"), "bad cpu count"},
		{"New with fields", errcode.VmConfigError.New("bad cpu count", "cpus", 0), "bad cpu count"},
		{"New with an empty message", errcode.VmConfigError.New(""), ""},
		{"Newf", errcode.VmConfigError.Newf("bad cpu count %d", 0), "bad cpu count 0"},
		{"Wrap", errcode.SnapshotError.Wrap(io.EOF, "load snapshot"), "load snapshot: EOF"},
		{"Wrap with an empty message", errcode.SnapshotError.Wrap(io.EOF, ""), "EOF"},
		{"Wrapf", errcode.SnapshotError.Wrapf(io.EOF, "load %s", "snap-1"), "load snap-1: EOF"},
		{"Wrapf with an empty message", errcode.SnapshotError.Wrapf(io.EOF, ""), "EOF"},
		{"Wrap of Wrap", errcode.SandboxError.Wrap(errcode.SnapshotError.Wrap(io.EOF, "inner"), "outer"), "outer: inner: EOF"},
		{"Stackless Wrap", errcode.VmCapacityError.Wrap(io.EOF, "acquire"), "acquire: EOF"},
		{"Wrap of a bare Code", errcode.SandboxError.Wrap(errcode.VmConfigError, "start"), "start: VmConfigError"},
		{"cockroachdb Wrap of New", crdberrors.Wrap(errcode.VmConfigError.New("bad"), "ctx"), "ctx: bad"},
		{"WithRetry keeps the message", errcode.WithRetry(wrapped, errcode.Transient), "load: EOF"},
		{"WithFields keeps the message", errcode.WithFields(wrapped, "k", "v"), "load: EOF"},
		{"WithRetryAfter keeps the message", errcode.WithRetryAfter(wrapped, time.Second), "load: EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.wantMsg, tt.giveErr.Error(), "Error() = %q; want %q", tt.giveErr.Error(), tt.wantMsg)
			assert.Equal(t, tt.wantMsg, tt.giveErr.Error(), "second Error() = %q; want %q", tt.giveErr.Error(), tt.wantMsg)
			assert.Equal(t, tt.wantMsg, fmt.Sprintf("%v", tt.giveErr), "%%v = %q; want %q", fmt.Sprintf("%v", tt.giveErr), tt.wantMsg)
		})
	}
}

func TestFormatStack(t *testing.T) {
	t.Parallel()
	const caller = "github.com/errcode/errcode_test.TestFormatStack"
	reg := errcode.NewRegistry()
	hot := reg.MustRegister("Hot", errcode.Code{}, errcode.Stackless())
	warm := reg.MustRegister("Warm", hot)

	tests := []struct {
		desc      string
		giveErr   error
		giveCode  errcode.Code
		wantFrame string // "" for no stack trace
	}{
		{"New", errcode.VmBootTimeoutError.New("timeout"), errcode.VmBootTimeoutError, caller},
		{"Newf", errcode.VmBootTimeoutError.Newf("timeout after %ds", 30), errcode.VmBootTimeoutError, caller},
		{"Wrap", errcode.SnapshotError.Wrap(io.EOF, "load"), errcode.SnapshotError, caller},
		{"Wrapf", errcode.SnapshotError.Wrapf(io.EOF, "load %s", "snap"), errcode.SnapshotError, caller},
		{"Stackless New", hot.New("hot"), hot, ""},
		{"Stackless Newf", hot.Newf("hot %d", 1), hot, ""},
		{"Stackless Wrap", hot.Wrap(io.EOF, "hot"), hot, ""},
		{"Stackless Wrapf", hot.Wrapf(io.EOF, "hot %d", 1), hot, ""},
		{"Stackless is not inherited", warm.New("warm"), warm, caller},
		{"catalog VmCapacityError is Stackless", errcode.VmCapacityError.New("pool full"), errcode.VmCapacityError, ""},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			verbose := fmt.Sprintf("%+v", tt.giveErr)
			got := firstStackFrame(t, verbose)
			assert.Equal(t, tt.wantFrame, got, "%%+v first frame = %q; want %q in\n%s", got, tt.wantFrame, verbose)
			if tt.wantFrame == "" {
				assert.NotContains(t, verbose, "stack trace", "%%+v of a Stackless code's error shows a stack:\n%s", verbose)
			}
			assert.True(t, strings.HasPrefix(verbose, tt.giveErr.Error()), "%%+v does not start with the message:\n%s", verbose)
			assert.Contains(t, verbose, "errcode: "+tt.giveCode.Name(), "%%+v does not name the code:\n%s", verbose)
		})
	}
}

func TestFields(t *testing.T) {
	t.Parallel()
	base := stderrors.New("base")
	tests := []struct {
		desc       string
		giveErr    error
		wantFields map[string]any
	}{
		{"no fields", errcode.VmConfigError.New("bad"), nil},
		{"plain error", io.EOF, nil},
		{"nil", nil, nil},
		{"WithFields of nothing", errcode.WithFields(base), nil},
		{"New", errcode.VmConfigError.New("bad", "cpus", 0, "mem", "1G"), map[string]any{"cpus": 0, "mem": "1G"}},
		{"Wrap", errcode.VmConfigError.Wrap(base, "bad", "cpus", 0), map[string]any{"cpus": 0}},
		{"last pair with a key wins in a layer", errcode.VmConfigError.New("bad", "k", 1, "a", true, "k", 2, "k", 3), map[string]any{"k": 3, "a": true}},
		{"outer WithFields wins", errcode.WithFields(errcode.VmConfigError.New("bad", "k", "inner", "i", 1), "k", "outer", "o", 2),
			map[string]any{"k": "outer", "i": 1, "o": 2}},
		{"outer coded layer wins", errcode.SandboxError.Wrap(errcode.VmConfigError.New("bad", "k", "inner"), "start", "k", "outer"),
			map[string]any{"k": "outer"}},
		{"stacked WithFields", errcode.WithFields(errcode.WithFields(base, "a", 1, "b", 1), "b", 2), map[string]any{"a": 1, "b": 2}},
		{"through foreign wrappers", fmt.Errorf("op: %w", crdberrors.WithHint(crdberrors.Wrap(errcode.WithFields(base, "a", 1), "w"), "h")),
			map[string]any{"a": 1}},
		{"errors.Join: the first branch wins", stderrors.Join(errcode.WithFields(base, "k", "first", "a", 1), errcode.WithFields(io.EOF, "k", "second", "b", 2)),
			map[string]any{"k": "first", "a": 1, "b": 2}},
		{"outer layer over a join", errcode.WithFields(stderrors.Join(errcode.WithFields(base, "k", "branch")), "k", "outer"), map[string]any{"k": "outer"}},
		{"non-string key", errcode.WithFields(base, 42), map[string]any{errcode.BadKey: 42}},
		{"non-string key, then a pair", errcode.WithFields(base, 42, "a", 1), map[string]any{errcode.BadKey: 42, "a": 1}},
		{"lone trailing string", errcode.WithFields(base, "a", 1, "orphan"), map[string]any{"a": 1, errcode.BadKey: "orphan"}},
		{"two bad keys: the last wins", errcode.WithFields(base, 1, 2), map[string]any{errcode.BadKey: 2}},
		{"slog.Attr", errcode.WithFields(base, slog.String("s", "x"), slog.Int("n", 7), slog.Bool("ok", true)),
			map[string]any{"s": "x", "n": int64(7), "ok": true}},
		{"slog.Attr among pairs", errcode.WithFields(base, "a", 1, slog.String("s", "x"), "b", 2), map[string]any{"a": 1, "s": "x", "b": 2}},
		{"slog.Group", errcode.WithFields(base, slog.Group("req", slog.String("id", "r1"), "n", 2)),
			map[string]any{"req": map[string]any{"id": "r1", "n": int64(2)}}},
		{"nested slog.Group", errcode.VmConfigError.New("bad", slog.Group("a", slog.Group("b", slog.String("c", "d")))),
			map[string]any{"a": map[string]any{"b": map[string]any{"c": "d"}}}},
		{"zero slog.Attr is ignored", errcode.WithFields(base, slog.Attr{}, "a", 1), map[string]any{"a": 1}},
		{"weird kv", errcode.WithFields(base, nil, 1, struct{ X int }{1}, []int{1}, map[string]int{"a": 1}, "ok", true),
			map[string]any{errcode.BadKey: map[string]int{"a": 1}, "ok": true}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got := errcode.Fields(tt.giveErr)
			assert.Equal(t, tt.wantFields, got, "Fields(%v) = %v; want %v", tt.giveErr, got, tt.wantFields)
		})
	}
}

// slogFields returns what a log/slog handler would see for kv, as a map
// (the last attribute with a key wins), every value printed with %v.
func slogFields(kv []any) map[string]string {
	r := slog.NewRecord(time.Time{}, slog.LevelInfo, "", 0)
	r.Add(kv...)
	out := map[string]string{}
	r.Attrs(func(a slog.Attr) bool {
		if !a.Equal(slog.Attr{}) {
			out[a.Key] = fmt.Sprint(slogPlain(a.Value))
		}
		return true
	})
	return out
}

func slogPlain(v slog.Value) any {
	v = v.Resolve()
	if v.Kind() != slog.KindGroup {
		return v.Any()
	}
	m := map[string]any{}
	for _, a := range v.Group() {
		m[a.Key] = slogPlain(a.Value)
	}
	return m
}

// TestFieldsFollowSlog checks the key/value parsing against log/slog's own.
func TestFieldsFollowSlog(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc   string
		giveKV []any
	}{
		{"pairs", []any{"a", 1, "b", "two"}},
		{"repeated key", []any{"a", 1, "a", 2}},
		{"non-string key", []any{42, "a", 1}},
		{"non-string keys only", []any{1, 2, 3}},
		{"lone trailing string", []any{"a", 1, "orphan"}},
		{"lone string", []any{"orphan"}},
		{"nil key", []any{nil, "a", 1}},
		{"Attr and pairs", []any{slog.String("s", "x"), "a", 1, slog.Int("n", 7)}},
		{"Group", []any{slog.Group("g", "a", 1, slog.String("b", "c"))}},
		{"a string key whose value is a string", []any{"a", "b", "c"}},
		{"struct key", []any{struct{ X int }{1}, "a", 1}},
		{"zero Attr", []any{slog.Attr{}, "a", 1}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			var fields map[string]any
			require.NotPanics(t, func() { fields = errcode.Fields(errcode.WithFields(io.EOF, tt.giveKV...)) })
			got := map[string]string{}
			for k, v := range fields {
				got[k] = fmt.Sprint(v)
			}
			want := slogFields(tt.giveKV)
			assert.Equal(t, want, got, "Fields(WithFields(%v)) = %v; want what slog sees: %v", tt.giveKV, got, want)
		})
	}
}

// TestFieldsNeverPanic feeds odd key/value lists to every constructor
// that takes them.
func TestFieldsNeverPanic(t *testing.T) {
	t.Parallel()
	var nilMap map[string]any
	var nilErr error
	odd := [][]any{
		nil,
		{nil},
		{nil, nil},
		{1, 2, 3},
		{struct{}{}},
		{"k"},
		{nilMap, nilErr},
		{slog.Attr{}},
		{slog.Group("")},
		{slog.Any("", nil)},
		{[]any{"nested", 1}},
		{func() {}},
		{make(chan int)},
	}
	for i, kv := range odd {
		assert.NotPanics(t, func() {
			for _, err := range []error{
				errcode.VmConfigError.New("x", kv...),
				errcode.VmConfigError.Wrap(io.EOF, "x", kv...),
				errcode.WithFields(io.EOF, kv...),
				errcode.NewVmOverlayError("x", "e", "c", kv...),
				errcode.NewSocketAuthError("x", 1, 2, kv...),
			} {
				_ = errcode.Fields(err)
				_, _ = errcode.Field[string](err, errcode.BadKey)
				_ = fmt.Sprintf("%+v", err)
			}
		}, "case %d: %#v", i, kv)
	}
}

func TestField(t *testing.T) {
	t.Parallel()
	base := errcode.VmConfigError.New("bad",
		"n", 3, "s", "str", "e", io.EOF, "m", map[string]any{"a": 1}, "d", time.Second)
	shadowed := errcode.WithFields(base, "n", "three")
	joined := stderrors.Join(io.EOF, errcode.WithFields(io.ErrUnexpectedEOF, "x", 1))
	bad := errcode.WithFields(io.EOF, 42)
	safe := errcode.VmConfigError.New("bad", "vcpus", errcode.Safe(0))

	tests := []struct {
		desc      string
		giveGet   func() (any, bool)
		wantValue any
		wantOK    bool
	}{
		{"int", func() (any, bool) { return errcode.Field[int](base, "n") }, 3, true},
		{"wrong type int64", func() (any, bool) { return errcode.Field[int64](base, "n") }, int64(0), false},
		{"wrong type string", func() (any, bool) { return errcode.Field[string](base, "n") }, "", false},
		{"string", func() (any, bool) { return errcode.Field[string](base, "s") }, "str", true},
		{"interface type error", func() (any, bool) { return errcode.Field[error](base, "e") }, io.EOF, true},
		{"any", func() (any, bool) { return errcode.Field[any](base, "n") }, 3, true},
		{"fmt.Stringer", func() (any, bool) { return errcode.Field[fmt.Stringer](base, "d") }, time.Second, true},
		{"map", func() (any, bool) { return errcode.Field[map[string]any](base, "m") }, map[string]any{"a": 1}, true},
		{"missing", func() (any, bool) { return errcode.Field[int](base, "nope") }, 0, false},
		{"plain error", func() (any, bool) { return errcode.Field[int](io.EOF, "n") }, 0, false},
		{"the outer layer decides, wrong type", func() (any, bool) { return errcode.Field[int](shadowed, "n") }, 0, false},
		{"the outer layer decides", func() (any, bool) { return errcode.Field[string](shadowed, "n") }, "three", true},
		{"inner field through the outer layer", func() (any, bool) { return errcode.Field[string](shadowed, "s") }, "str", true},
		{"second branch of a join", func() (any, bool) { return errcode.Field[int](joined, "x") }, 1, true},
		{"bad key", func() (any, bool) { return errcode.Field[int](bad, errcode.BadKey) }, 42, true},
		{"a Safe value is the value itself", func() (any, bool) { return errcode.Field[int](safe, "vcpus") }, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got, ok := tt.giveGet()
			assert.Equal(t, tt.wantOK, ok, "Field ok = %v; want %v", ok, tt.wantOK)
			assert.Equal(t, tt.wantValue, got, "Field = %#v; want %#v", got, tt.wantValue)
		})
	}
}

func TestWithFields(t *testing.T) {
	t.Parallel()
	err := errcode.VmConfigError.Wrap(io.EOF, "bad")
	assert.True(t, errcode.WithFields(err) == err, "WithFields(err) with no pairs is not err")
	assert.True(t, errcode.WithFields(err, slog.Attr{}) == err, "WithFields(err, zero Attr) is not err")

	got := errcode.WithFields(err, "vm", "vm-1")
	assert.Equal(t, "bad: EOF", got.Error())
	assert.True(t, errcode.CodeOf(got) == errcode.VmConfigError, "CodeOf(WithFields) = %v", errcode.CodeOf(got))
	assert.True(t, stderrors.Is(got, io.EOF), "WithFields hides the cause from errors.Is")
	assert.Equal(t, errcode.Permanent, errcode.RetryOf(got))
	assert.Equal(t, map[string]any{"vm": "vm-1"}, errcode.Fields(got))
	assert.Nil(t, errcode.Fields(err), "WithFields changed the error it wraps")
}

func TestWithRetry(t *testing.T) {
	t.Parallel()
	err := errcode.VmConfigError.Wrap(io.EOF, "bad")
	got := errcode.WithRetry(err, errcode.Transient)
	assert.Equal(t, "bad: EOF", got.Error())
	assert.True(t, errcode.CodeOf(got) == errcode.VmConfigError, "CodeOf(WithRetry) = %v", errcode.CodeOf(got))
	assert.True(t, errcode.Is(got, errcode.PermanentError), "WithRetry changed the code")
	assert.True(t, stderrors.Is(got, io.EOF), "WithRetry hides the cause from errors.Is")
	assert.True(t, errcode.IsRetryable(got))
	assert.False(t, errcode.IsRetryable(err), "WithRetry changed the error it wraps")
}

// TestTransportOf checks GRPCCodeOf and HTTPStatusOf against mappings
// given here, each found independently of the other.
func TestTransportOf(t *testing.T) {
	t.Parallel()
	reg := errcode.NewRegistry()
	root := reg.MustRegister("Root", errcode.Code{})
	svc := reg.MustRegister("Svc", root, errcode.GRPCCode(codes.Unavailable), errcode.HTTPStatus(503))
	svcChild := reg.MustRegister("SvcChild", svc)
	svcOwn := reg.MustRegister("SvcOwn", svc, errcode.GRPCCode(codes.Aborted), errcode.HTTPStatus(409))
	onlyHTTP := reg.MustRegister("OnlyHTTP", root, errcode.HTTPStatus(418))

	tests := []struct {
		desc     string
		giveErr  error
		wantGRPC codes.Code
		wantHTTP int
	}{
		{"nil", nil, codes.OK, 200},
		{"plain", io.EOF, codes.Unknown, 500},
		{"unmapped code", root.New("x"), codes.Unknown, 500},
		{"own mapping", svc.New("x"), codes.Unavailable, 503},
		{"inherited mapping", svcChild.New("x"), codes.Unavailable, 503},
		{"own over inherited", svcOwn.New("x"), codes.Aborted, 409},
		{"unmapped outer code defers", root.Wrap(svcOwn.New("x"), "y"), codes.Aborted, 409},
		{"mapped outer code decides", svc.Wrap(svcOwn.New("x"), "y"), codes.Unavailable, 503},
		{"each mapping from its own outermost code", onlyHTTP.Wrap(svcOwn.New("x"), "y"), codes.Aborted, 418},
		{"second branch of a join", stderrors.Join(io.EOF, svcOwn.New("x")), codes.Aborted, 409},
		{"bare Code under fmt", fmt.Errorf("op: %w", svcChild), codes.Unavailable, 503},
		{"WithRetry does not change the mapping", errcode.WithRetry(svc.New("x"), errcode.Permanent), codes.Unavailable, 503},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.wantGRPC, errcode.GRPCCodeOf(tt.giveErr), "GRPCCodeOf(%v) = %v; want %v", tt.giveErr, errcode.GRPCCodeOf(tt.giveErr), tt.wantGRPC)
			assert.Equal(t, tt.wantHTTP, errcode.HTTPStatusOf(tt.giveErr), "HTTPStatusOf(%v) = %v; want %v", tt.giveErr, errcode.HTTPStatusOf(tt.giveErr), tt.wantHTTP)
		})
	}
}

func TestRetryAfterOf(t *testing.T) {
	t.Parallel()
	reg := errcode.NewRegistry()
	slow := reg.MustRegister("Slow", errcode.Code{}, errcode.Transient, errcode.RetryAfter(3*time.Second))
	slowChild := reg.MustRegister("SlowChild", slow)
	capacity := errcode.VmCapacityError.New("pool full") // RetryAfter(time.Second) in the catalog

	tests := []struct {
		desc    string
		giveErr error
		want    time.Duration
	}{
		{"nil", nil, 0},
		{"plain", io.EOF, 0},
		{"code without a hint", errcode.VmConfigError.New("bad"), 0},
		{"catalog VmCapacityError", capacity, time.Second},
		{"own hint", slow.New("x"), 3 * time.Second},
		{"inherited hint", slowChild.New("x"), 3 * time.Second},
		{"outer code without a hint defers", errcode.SandboxError.Wrap(capacity, "start"), time.Second},
		{"WithRetryAfter overrides the code's hint", errcode.WithRetryAfter(capacity, 5*time.Second), 5 * time.Second},
		{"outer coded hint beats inner WithRetryAfter", errcode.VmCapacityError.Wrap(errcode.WithRetryAfter(io.EOF, 5*time.Second), "x"), time.Second},
		{"inner WithRetryAfter under a code without a hint", errcode.VmConfigError.Wrap(errcode.WithRetryAfter(io.EOF, 5*time.Second), "x"), 5 * time.Second},
		{"negative counts as 0", errcode.WithRetryAfter(capacity, -time.Second), 0},
		{"explicit 0 overrides", errcode.WithRetryAfter(capacity, 0), 0},
		{"second branch of a join", stderrors.Join(io.EOF, errcode.WithRetryAfter(io.EOF, 2*time.Second)), 2 * time.Second},
		{"through foreign wrappers", fmt.Errorf("op: %w", crdberrors.Wrap(capacity, "x")), time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got := errcode.RetryAfterOf(tt.giveErr)
			assert.Equal(t, tt.want, got, "RetryAfterOf(%v) = %v; want %v", tt.giveErr, got, tt.want)
		})
	}
}

// TestQueriesDoNotAllocate checks the documented promise that the chain
// queries answering with a code or a decision do not allocate. It is not
// parallel: testing.AllocsPerRun counts every allocation in the process.
func TestQueriesDoNotAllocate(t *testing.T) {
	err := fmt.Errorf("op: %w", crdberrors.Wrap(
		stderrors.Join(io.EOF, errcode.WithRetryAfter(errcode.VmBootTimeoutError.New("timeout"), time.Second)), "start"))
	candidates := []errcode.Code{errcode.SandboxError, errcode.TransientError, errcode.VmCapacityError}

	tests := []struct {
		desc  string
		query func()
	}{
		{"Code.IsA", func() { _ = errcode.VmBootTimeoutError.IsA(errcode.SandboxError) }},
		{"Is", func() { _ = errcode.Is(err, errcode.TransientError) }},
		{"Is, no match", func() { _ = errcode.Is(err, errcode.PermanentError) }},
		{"CodeOf", func() { _ = errcode.CodeOf(err) }},
		{"NameOf", func() { _ = errcode.NameOf(err) }},
		{"Match", func() { _, _ = errcode.Match(err, candidates...) }},
		{"RetryOf", func() { _ = errcode.RetryOf(err) }},
		{"IsRetryable", func() { _ = errcode.IsRetryable(err) }},
		{"GRPCCodeOf", func() { _ = errcode.GRPCCodeOf(err) }},
		{"HTTPStatusOf", func() { _ = errcode.HTTPStatusOf(err) }},
		{"RetryAfterOf", func() { _ = errcode.RetryAfterOf(err) }},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			got := testing.AllocsPerRun(100, tt.query)
			assert.Zero(t, got, "%s allocates %v times per call; want 0", tt.desc, got)
		})
	}
}
