package errcode_test

import (
	stderrors "errors"
	"fmt"
	"testing"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
)

// catalogRow is one row of ../shared/seed/HIERARCHY.md: the code's name,
// its parent's name ("" for the root), the retry decision it ends up with
// (own or inherited) and the exported variable that holds it.
type catalogRow struct {
	name   string
	parent string
	retry  errcode.Retry
	code   errcode.Code
}

// catalogTable is HIERARCHY.md's table (the Python runner's exception
// hierarchy), copied by hand: it is the truth the
// catalog is checked against, so it must not be computed from the code
// under test. TransientError's subtree is Transient, PermanentError's
// Permanent, everything else Unspecified.
var catalogTable = []catalogRow{
	{"SandboxError", "", errcode.Unspecified, errcode.SandboxError},
	{"SandboxDependencyError", "SandboxError", errcode.Unspecified, errcode.SandboxDependencyError},
	{"TransientError", "SandboxError", errcode.Transient, errcode.TransientError},
	{"PermanentError", "SandboxError", errcode.Permanent, errcode.PermanentError},
	{"VmTransientError", "TransientError", errcode.Transient, errcode.VmTransientError},
	{"VmBootTimeoutError", "VmTransientError", errcode.Transient, errcode.VmBootTimeoutError},
	{"VmOverlayError", "VmTransientError", errcode.Transient, errcode.VmOverlayError},
	{"VmQemuCrashError", "VmTransientError", errcode.Transient, errcode.VmQemuCrashError},
	{"VmGvproxyError", "VmTransientError", errcode.Transient, errcode.VmGvproxyError},
	{"VmCapacityError", "VmTransientError", errcode.Transient, errcode.VmCapacityError},
	{"VmPermanentError", "PermanentError", errcode.Permanent, errcode.VmPermanentError},
	{"VmConfigError", "VmPermanentError", errcode.Permanent, errcode.VmConfigError},
	{"VmDependencyError", "VmPermanentError", errcode.Permanent, errcode.VmDependencyError},
	{"BalloonTransientError", "TransientError", errcode.Transient, errcode.BalloonTransientError},
	{"CommunicationTransientError", "TransientError", errcode.Transient, errcode.CommunicationTransientError},
	{"SnapshotError", "SandboxError", errcode.Unspecified, errcode.SnapshotError},
	{"CommunicationError", "SandboxError", errcode.Unspecified, errcode.CommunicationError},
	{"SocketAuthError", "CommunicationError", errcode.Unspecified, errcode.SocketAuthError},
	{"GuestAgentError", "SandboxError", errcode.Unspecified, errcode.GuestAgentError},
	{"PackageNotAllowedError", "SandboxError", errcode.Unspecified, errcode.PackageNotAllowedError},
	{"EnvVarValidationError", "SandboxError", errcode.Unspecified, errcode.EnvVarValidationError},
	{"AssetError", "SandboxError", errcode.Unspecified, errcode.AssetError},
	{"AssetDownloadError", "AssetError", errcode.Unspecified, errcode.AssetDownloadError},
	{"AssetChecksumError", "AssetError", errcode.Unspecified, errcode.AssetChecksumError},
	{"AssetNotFoundError", "AssetError", errcode.Unspecified, errcode.AssetNotFoundError},
}

// catalogAliases is HIERARCHY.md's alias table: old name, the code's name and
// the exported alias variable.
var catalogAliases = []struct {
	alias string
	name  string
	code  errcode.Code
}{
	{"VmError", "VmPermanentError", errcode.VmError},
	{"VmTimeoutError", "VmBootTimeoutError", errcode.VmTimeoutError},
	{"VmBootError", "VmTransientError", errcode.VmBootError},
	{"QemuImgError", "VmOverlayError", errcode.QemuImgError},
	{"QemuStorageDaemonError", "VmOverlayError", errcode.QemuStorageDaemonError},
	{"BalloonError", "BalloonTransientError", errcode.BalloonError},
}

// catalogAncestry returns the names of name's ancestors, parent first and
// root last, read from catalogTable alone.
func catalogAncestry(tb testing.TB, name string) []string {
	tb.Helper()
	parents := make(map[string]string, len(catalogTable))
	for _, row := range catalogTable {
		parents[row.name] = row.parent
	}
	p, ok := parents[name]
	require.True(tb, ok, "%q is not in the catalog table", name)
	var out []string
	for ; p != ""; p = parents[p] {
		out = append(out, p)
	}
	return out
}

// catalogIsA reports, from catalogTable alone, whether the code named name
// is the code named ancestor or descends from it.
func catalogIsA(tb testing.TB, name, ancestor string) bool {
	tb.Helper()
	if name == ancestor {
		return true
	}
	for _, a := range catalogAncestry(tb, name) {
		if a == ancestor {
			return true
		}
	}
	return false
}

func codeNames(cs []errcode.Code) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.Name())
	}
	return out
}

func TestCatalog(t *testing.T) {
	t.Parallel()
	for _, tt := range catalogTable {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := errcode.Lookup(tt.name)
			require.True(t, ok, "Lookup(%q) found nothing", tt.name)
			assert.Equal(t, tt.code, got, "Lookup(%q) = %v; want the exported var %v", tt.name, got, tt.code)
			assert.Equal(t, tt.name, tt.code.Name(), "exported var's Name() = %q; want %q", tt.code.Name(), tt.name)
			assert.Same(t, errcode.Default, got.Registry(), "%s.Registry() is not Default", tt.name)

			if tt.parent == "" {
				assert.True(t, got.Parent().IsZero(), "%s.Parent() = %v; want the zero Code", tt.name, got.Parent())
			} else {
				want, ok := errcode.Lookup(tt.parent)
				require.True(t, ok, "Lookup(%q) found nothing", tt.parent)
				assert.Equal(t, want, got.Parent(), "%s.Parent() = %v; want %v", tt.name, got.Parent(), tt.parent)
			}

			wantAncestors := catalogAncestry(t, tt.name)
			gotAncestors := codeNames(got.Ancestors())
			if len(wantAncestors) == 0 {
				assert.Empty(t, gotAncestors, "%s.Ancestors() = %v; want none", tt.name, gotAncestors)
			} else {
				assert.Equal(t, wantAncestors, gotAncestors, "%s.Ancestors() = %v; want %v", tt.name, gotAncestors, wantAncestors)
			}

			assert.Equal(t, tt.retry, got.Retry(), "%s.Retry() = %v; want %v", tt.name, got.Retry(), tt.retry)
			var wantFrom string
			switch tt.retry {
			case errcode.Transient:
				wantFrom = "TransientError"
			case errcode.Permanent:
				wantFrom = "PermanentError"
			}
			assert.Equal(t, wantFrom, got.RetryFrom().Name(), "%s.RetryFrom() = %v; want %q", tt.name, got.RetryFrom(), wantFrom)

			assert.NotEmpty(t, got.Doc(), "%s.Doc() is empty", tt.name)
			assert.True(t, got.IsA(errcode.SandboxError), "%s.IsA(SandboxError) = false; want true", tt.name)

			// The same answers for an error of the code.
			err := got.New("boom")
			assert.Equal(t, tt.retry, errcode.RetryOf(err), "RetryOf(%s.New) = %v; want %v", tt.name, errcode.RetryOf(err), tt.retry)
			assert.Equal(t, tt.retry == errcode.Transient, errcode.IsRetryable(err),
				"IsRetryable(%s.New) = %v; want %v", tt.name, errcode.IsRetryable(err), tt.retry == errcode.Transient)
		})
	}
}

// TestCatalogIsA checks every pair of catalog codes against the ancestry
// HIERARCHY.md's table gives.
func TestCatalogIsA(t *testing.T) {
	t.Parallel()
	for _, c := range catalogTable {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			for _, a := range catalogTable {
				want := catalogIsA(t, c.name, a.name)
				assert.Equal(t, want, c.code.IsA(a.code), "%s.IsA(%s) = %v; want %v", c.name, a.name, c.code.IsA(a.code), want)
				assert.Equal(t, want, stderrors.Is(c.code, a.code), "errors.Is(%s, %s) = %v; want %v", c.name, a.name, !want, want)
			}
		})
	}
}

// TestCatalogComplete fails when a code is added to (or dropped from)
// the catalog without updating HIERARCHY.md's table in this file.
func TestCatalogComplete(t *testing.T) {
	t.Parallel()
	codes := errcode.Default.Codes()
	assert.Len(t, codes, 25, "Default.Codes() has %d codes; want 25", len(codes))
	assert.Len(t, catalogTable, 25, "the catalog table in this file has %d rows; want 25", len(catalogTable))

	want := make([]string, 0, len(catalogTable))
	for _, row := range catalogTable {
		want = append(want, row.name)
	}
	assert.ElementsMatch(t, want, codeNames(codes), "Default.Codes() = %v; want the codes of HIERARCHY.md", codeNames(codes))

	// Registration order puts every parent before its children.
	pos := make(map[string]int, len(codes))
	for i, c := range codes {
		pos[c.Name()] = i
	}
	for _, c := range codes {
		if p := c.Parent(); !p.IsZero() {
			assert.Less(t, pos[p.Name()], pos[c.Name()], "Codes() lists %s before its parent %s", c, p)
		}
	}
	assert.Equal(t, codes, errcode.Codes(), "errcode.Codes() and Default.Codes() differ")
}

func TestCatalogAliases(t *testing.T) {
	t.Parallel()
	assert.Len(t, catalogAliases, 6)
	for _, tt := range catalogAliases {
		t.Run(tt.alias, func(t *testing.T) {
			t.Parallel()
			want, ok := errcode.Lookup(tt.name)
			require.True(t, ok, "Lookup(%q) found nothing", tt.name)

			got, ok := errcode.Lookup(tt.alias)
			require.True(t, ok, "Lookup(%q) found nothing", tt.alias)
			assert.Equal(t, want, got, "Lookup(%q) = %v; want %v", tt.alias, got, want)
			assert.Equal(t, tt.name, got.Name(), "Lookup(%q).Name() = %q; want %q (an alias is not a code)", tt.alias, got.Name(), tt.name)
			assert.Equal(t, want, tt.code, "exported alias var %s = %v; want %v", tt.alias, tt.code, want)
			assert.Contains(t, errcode.Default.Aliases(want), tt.alias, "Aliases(%s) = %v; want it to contain %q",
				want, errcode.Default.Aliases(want), tt.alias)

			// `except VmError` catches a VmPermanentError.
			err := want.New("boom")
			assert.True(t, errcode.Is(err, got), "Is(%s.New, %s) = false; want true", tt.name, tt.alias)
			assert.True(t, stderrors.Is(err, tt.code), "errors.Is(%s.New, %s) = false; want true", tt.name, tt.alias)
		})
	}

	// The exported vars are the codes themselves.
	assert.True(t, errcode.VmError == errcode.VmPermanentError, "VmError != VmPermanentError")
	assert.True(t, errcode.VmTimeoutError == errcode.VmBootTimeoutError, "VmTimeoutError != VmBootTimeoutError")
	assert.True(t, errcode.VmBootError == errcode.VmTransientError, "VmBootError != VmTransientError")
	assert.True(t, errcode.QemuImgError == errcode.VmOverlayError, "QemuImgError != VmOverlayError")
	assert.True(t, errcode.QemuStorageDaemonError == errcode.VmOverlayError, "QemuStorageDaemonError != VmOverlayError")
	assert.True(t, errcode.BalloonError == errcode.BalloonTransientError, "BalloonError != BalloonTransientError")

	// No code has an alias HIERARCHY.md does not list.
	wantAliases := map[string][]string{}
	for _, a := range catalogAliases {
		wantAliases[a.name] = append(wantAliases[a.name], a.alias)
	}
	for _, c := range errcode.Default.Codes() {
		got := errcode.Default.Aliases(c)
		if want := wantAliases[c.Name()]; len(want) == 0 {
			assert.Empty(t, got, "Aliases(%s) = %v; want none", c, got)
		} else {
			assert.ElementsMatch(t, want, got, "Aliases(%s) = %v; want %v", c, got, want)
		}
	}
}

func TestTypedHelpers(t *testing.T) {
	t.Parallel()
	response := map[string]any{"exit_code": 1, "stderr": "No module named 'numpy'"}

	type fieldCheck struct {
		key       string
		get       func(error, string) (any, bool)
		wantValue any
		wantOK    bool
	}
	str := func(err error, k string) (any, bool) { return errcode.Field[string](err, k) }
	num := func(err error, k string) (any, bool) { return errcode.Field[int](err, k) }
	num64 := func(err error, k string) (any, bool) { return errcode.Field[int64](err, k) }
	dict := func(err error, k string) (any, bool) { return errcode.Field[map[string]any](err, k) }

	tests := []struct {
		desc       string
		giveErr    error
		wantCode   errcode.Code
		wantMsg    string
		wantRetry  errcode.Retry
		wantFields []fieldCheck
		wantAbsent []string
	}{
		{
			desc:      "VmOverlayError with stderr and error_class",
			giveErr:   errcode.NewVmOverlayError("overlay failed", "qemu-img: No space left", "GenericError"),
			wantCode:  errcode.VmOverlayError,
			wantMsg:   "overlay failed",
			wantRetry: errcode.Transient,
			wantFields: []fieldCheck{
				{errcode.KeyStderr, str, "qemu-img: No space left", true},
				{errcode.KeyErrorClass, str, "GenericError", true},
				{errcode.KeyStderr, num, 0, false},
			},
		},
		{
			desc:      "VmOverlayError without error_class",
			giveErr:   errcode.NewVmOverlayError("overlay failed", "", ""),
			wantCode:  errcode.VmOverlayError,
			wantMsg:   "overlay failed",
			wantRetry: errcode.Transient,
			wantFields: []fieldCheck{
				{errcode.KeyStderr, str, "", true},
			},
			wantAbsent: []string{errcode.KeyErrorClass},
		},
		{
			desc: "VmOverlayError: typed values win over kv, other kv kept",
			giveErr: errcode.NewVmOverlayError("overlay failed", "real stderr", "QMPError",
				errcode.KeyStderr, "fake stderr", errcode.KeyErrorClass, 7, "image", "/var/lib/base.qcow2"),
			wantCode:  errcode.VmOverlayError,
			wantMsg:   "overlay failed",
			wantRetry: errcode.Transient,
			wantFields: []fieldCheck{
				{errcode.KeyStderr, str, "real stderr", true},
				{errcode.KeyErrorClass, str, "QMPError", true},
				{"image", str, "/var/lib/base.qcow2", true},
			},
		},
		{
			desc:      "SocketAuthError with uids",
			giveErr:   errcode.NewSocketAuthError("socket peer mismatch", 1000, 0),
			wantCode:  errcode.SocketAuthError,
			wantMsg:   "socket peer mismatch",
			wantRetry: errcode.Unspecified,
			wantFields: []fieldCheck{
				{errcode.KeyExpectedUID, num, 1000, true},
				{errcode.KeyActualUID, num, 0, true},
				{errcode.KeyExpectedUID, num64, int64(1000), true}, // Field converts exact numbers
				{errcode.KeyActualUID, str, "", false},
			},
		},
		{
			desc: "SocketAuthError: typed uids win over kv, other kv kept",
			giveErr: errcode.NewSocketAuthError("socket peer mismatch", 1000, 33,
				errcode.KeyExpectedUID, 1, errcode.KeyActualUID, "root", "socket", "/run/agent.sock"),
			wantCode:  errcode.SocketAuthError,
			wantMsg:   "socket peer mismatch",
			wantRetry: errcode.Unspecified,
			wantFields: []fieldCheck{
				{errcode.KeyExpectedUID, num, 1000, true},
				{errcode.KeyActualUID, num, 33, true},
				{"socket", str, "/run/agent.sock", true},
			},
		},
		{
			desc:      "GuestAgentError with response",
			giveErr:   errcode.NewGuestAgentError("install failed", response),
			wantCode:  errcode.GuestAgentError,
			wantMsg:   "install failed",
			wantRetry: errcode.Unspecified,
			wantFields: []fieldCheck{
				{errcode.KeyResponse, dict, response, true},
				{errcode.KeyResponse, str, "", false},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			require.Error(t, tt.giveErr)
			assert.Equal(t, tt.wantMsg, tt.giveErr.Error())
			assert.Equal(t, tt.wantCode, errcode.CodeOf(tt.giveErr), "CodeOf = %v; want %v", errcode.CodeOf(tt.giveErr), tt.wantCode)
			assert.True(t, crdberrors.Is(tt.giveErr, tt.wantCode), "errors.Is(err, %v) = false; want true", tt.wantCode)
			assert.Equal(t, tt.wantRetry, errcode.RetryOf(tt.giveErr), "RetryOf = %v; want %v", errcode.RetryOf(tt.giveErr), tt.wantRetry)
			for _, f := range tt.wantFields {
				got, ok := f.get(tt.giveErr, f.key)
				assert.Equal(t, f.wantOK, ok, "Field(%q) ok = %v; want %v", f.key, ok, f.wantOK)
				assert.Equal(t, f.wantValue, got, "Field(%q) = %#v; want %#v", f.key, got, f.wantValue)
			}
			fields := errcode.Fields(tt.giveErr)
			for _, k := range tt.wantAbsent {
				assert.NotContains(t, fields, k, "Fields = %v; want no %q", fields, k)
				_, ok := errcode.Field[string](tt.giveErr, k)
				assert.False(t, ok, "Field[string](%q) ok = true; want false", k)
			}
		})
	}
}

// TestTypedHelpersStack checks that the typed constructors record their
// caller, like Code.New.
func TestTypedHelpersStack(t *testing.T) {
	t.Parallel()
	const want = "github.com/errcode/errcode_test.TestTypedHelpersStack"
	for desc, err := range map[string]error{
		"NewVmOverlayError":  errcode.NewVmOverlayError("m", "", ""),
		"NewSocketAuthError": errcode.NewSocketAuthError("m", 1, 2),
		"NewGuestAgentError": errcode.NewGuestAgentError("m", nil),
	} {
		got := firstStackFrame(t, fmt.Sprintf("%+v", err))
		assert.Equal(t, want, got, "%s: first frame = %q; want %q", desc, got, want)
	}
}
