package errcode_test

import (
	stderrors "errors"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/errcode/errcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
)

// assertIsAgrees checks, for every catalog code, that errcode.Is, the
// standard library's errors.Is and cockroachdb's errors.Is all give the
// answer HIERARCHY.md's table gives for an error carrying the codes named.
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

			// No mapping reads the same from a Code and from an error.
			wantGRPC, _ := tt.wantMapFrom.GRPCCode()
			wantHTTP, _ := tt.wantMapFrom.HTTPStatus()
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

// TestAncestorNamesOfRoot checks that AncestorNamesOf returns nil, not an
// empty slice, for a root code, live and decoded, and the ancestry parent
// first otherwise.
func TestAncestorNamesOfRoot(t *testing.T) {
	t.Parallel()
	for _, err := range []error{errcode.SandboxError.New("x"), errcode.SandboxError, errcode.VmTransientError.New("x")} {
		b, eerr := errcode.Encode(err)
		require.NoError(t, eerr)
		dec, derr := errcode.Decode(b)
		require.NoError(t, derr)
		var want []string
		for _, a := range errcode.CodeOf(err).Ancestors() {
			want = append(want, a.Name())
		}
		assert.Equal(t, want, errcode.AncestorNamesOf(err), "AncestorNamesOf(%v)", err)
		assert.Equal(t, want, errcode.AncestorNamesOf(dec), "AncestorNamesOf(decoded %v)", err)
	}
}

// TestIsBeyondErrorsIs pins the cases Is's doc names: a Cause()-only
// layer is followed, and a layer's own Is method is asked.
func TestIsBeyondErrorsIs(t *testing.T) {
	t.Parallel()
	viaCause := pkgerrorsCause{errcode.VmBootTimeoutError.New("timeout")}
	assert.True(t, errcode.Is(viaCause, errcode.TransientError), "Is through a Cause()-only layer = false; want true")
	assert.False(t, stderrors.Is(viaCause, errcode.TransientError), "errors.Is through a Cause()-only layer = true; want false")

	says := saysIs{cause: io.EOF, yes: errcode.VmConfigError}
	wrapped := errcode.SandboxError.Wrap(fmt.Errorf("op: %w", says), "start")
	assert.True(t, errcode.Is(wrapped, errcode.VmConfigError), "Is(…, VmConfigError) = false; want true: a layer's Is method says yes")
	assert.True(t, stderrors.Is(wrapped, errcode.VmConfigError))
	assert.False(t, errcode.Is(wrapped, errcode.VmPermanentError), "a layer's Is method decides for itself: it said no to VmPermanentError")
}

// TestIsZeroCode checks that Is(err, Code{}) answers as errors.Is does:
// yes only for a bare zero Code in the tree.
func TestIsZeroCode(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		desc    string
		giveErr error
		want    bool
	}{
		{"nil", nil, false},
		{"plain", io.EOF, false},
		{"coded", errcode.VmConfigError.New("bad"), false},
		{"coded with the zero Code", errcode.Code{}.New("no code"), false},
		{"bare zero Code", fmt.Errorf("op: %w", errcode.Code{}), true},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, errcode.Is(tt.giveErr, errcode.Code{}), "Is(%v, Code{})", tt.giveErr)
			assert.Equal(t, tt.want, stderrors.Is(tt.giveErr, errcode.Code{}), "errors.Is(%v, Code{})", tt.giveErr)
		})
	}
}

type pkgerrorsCause struct{ cause error }

func (e pkgerrorsCause) Error() string { return e.cause.Error() }
func (e pkgerrorsCause) Cause() error  { return e.cause }

type saysIs struct {
	cause error
	yes   errcode.Code
}

func (e saysIs) Error() string        { return e.cause.Error() }
func (e saysIs) Unwrap() error        { return e.cause }
func (e saysIs) Is(target error) bool { return target == error(e.yes) }
