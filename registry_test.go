package errcode_test

import (
	stderrors "errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/errcode/errcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
)

// testTree is a small registry for one test: Root, Child under it
// (Transient, documented) with the alias OldChild, and Foreign, a code of
// another registry.
type testTree struct {
	reg     *errcode.Registry
	root    errcode.Code
	child   errcode.Code
	foreign errcode.Code
}

func newTestTree(tb testing.TB) testTree {
	tb.Helper()
	reg := errcode.NewRegistry()
	root, err := reg.Register("Root", errcode.Code{}, errcode.Doc("the root"))
	require.NoError(tb, err)
	child, err := reg.Register("Child", root, errcode.Transient, errcode.Doc("a child"))
	require.NoError(tb, err)
	require.NoError(tb, reg.Alias("OldChild", child))
	foreign := errcode.NewRegistry().MustRegister("Foreign", errcode.Code{})
	return testTree{reg: reg, root: root, child: child, foreign: foreign}
}

// parent resolves a parent name of a test table: "" is no parent,
// "Foreign" the code of the other registry.
func (tr testTree) parent(tb testing.TB, name string) errcode.Code {
	tb.Helper()
	switch name {
	case "":
		return errcode.Code{}
	case "Foreign":
		return tr.foreign
	}
	c, ok := tr.reg.Lookup(name)
	require.True(tb, ok, "Lookup(%q) found nothing", name)
	return c
}

// recoverPanic returns what f panics with, or nil.
func recoverPanic(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

func TestRegisterErrors(t *testing.T) {
	t.Parallel()
	long129 := strings.Repeat("A", errcode.MaxNameLen+1)
	longUTF8 := strings.Repeat("é", 65) // 130 bytes, 65 runes

	tests := []struct {
		desc       string
		giveName   string
		giveParent string
		giveOpts   []errcode.Option
		wantErr    []string // substrings of the error message
	}{
		{desc: "empty name", giveName: "", wantErr: []string{"empty"}},
		{desc: "space inside", giveName: "Bad Name", wantErr: []string{`"Bad Name"`, "whitespace"}},
		{desc: "leading space", giveName: " Root", wantErr: []string{`" Root"`, "whitespace"}},
		{desc: "trailing newline", giveName: "Root\n", wantErr: []string{`"Root\n"`, "whitespace"}},
		{desc: "tab", giveName: "Bad\tName", wantErr: []string{`"Bad\tName"`}},
		{desc: "no-break space", giveName: "Bad\u00a0Name", wantErr: []string{"Bad", "whitespace"}},
		{desc: "NUL", giveName: "Bad\x00Name", wantErr: []string{`"Bad\x00Name"`, "control"}},
		{desc: "DEL", giveName: "Bad\x7fName", wantErr: []string{`"Bad\x7fName"`, "control"}},
		{desc: "escape sequence", giveName: "\x1b[31mRed", wantErr: []string{`"\x1b[31mRed"`, "control"}},
		{desc: "C1 control", giveName: "Bad\u009bName", wantErr: []string{"Bad", "control"}},
		{desc: "invalid UTF-8", giveName: "Bad\xffName", wantErr: []string{`"Bad\xffName"`, "UTF-8"}},
		{desc: "129 bytes", giveName: long129, wantErr: []string{long129[:20], "129", "128", "MaxNameLen"}},
		{desc: "130 bytes in 65 runes", giveName: longUTF8, wantErr: []string{"130", "128"}},
		{
			desc:     "taken by a code with another parent (root)",
			giveName: "Child", giveParent: "",
			giveOpts: []errcode.Option{errcode.Transient, errcode.Doc("a child")},
			wantErr:  []string{`"Child"`, "parent", `"Root"`},
		},
		{
			desc:     "taken by a code with another parent (itself)",
			giveName: "Child", giveParent: "Child",
			giveOpts: []errcode.Option{errcode.Transient, errcode.Doc("a child")},
			wantErr:  []string{`"Child"`, "parent", `"Root"`},
		},
		{
			desc:     "taken by a code with another retry",
			giveName: "Child", giveParent: "Root",
			giveOpts: []errcode.Option{errcode.Permanent, errcode.Doc("a child")},
			wantErr:  []string{`"Child"`, "other options"},
		},
		{
			desc:     "taken by a code with fewer options",
			giveName: "Child", giveParent: "Root",
			wantErr: []string{`"Child"`, "other options"},
		},
		{
			desc:     "taken by a code with another doc",
			giveName: "Child", giveParent: "Root",
			giveOpts: []errcode.Option{errcode.Transient, errcode.Doc("another child")},
			wantErr:  []string{`"Child"`, "other options"},
		},
		{
			desc:     "taken by a code with an extra mapping",
			giveName: "Child", giveParent: "Root",
			giveOpts: []errcode.Option{errcode.Transient, errcode.Doc("a child"), errcode.HTTPStatus(503)},
			wantErr:  []string{`"Child"`, "other options"},
		},
		{
			desc:     "taken by an alias",
			giveName: "OldChild", giveParent: "Root",
			wantErr: []string{`"OldChild"`, "alias", `"Child"`},
		},
		{
			desc:     "taken by an alias, same parent and options as its code",
			giveName: "OldChild", giveParent: "Root",
			giveOpts: []errcode.Option{errcode.Transient, errcode.Doc("a child")},
			wantErr:  []string{`"OldChild"`, "alias", `"Child"`},
		},
		{
			desc:     "parent from another registry",
			giveName: "New", giveParent: "Foreign",
			wantErr: []string{`"New"`, `"Foreign"`, "another Registry"},
		},
		{
			desc:     "Retry(9)",
			giveName: "New", giveParent: "Root",
			giveOpts: []errcode.Option{errcode.Retry(9)},
			wantErr:  []string{`"New"`, "retry", "9"},
		},
		{
			desc:     "Retry(-1)",
			giveName: "New", giveParent: "Root",
			giveOpts: []errcode.Option{errcode.Retry(-1)},
			wantErr:  []string{`"New"`, "retry", "-1"},
		},
		{
			desc:     "GRPCCode(99)",
			giveName: "New", giveParent: "Root",
			giveOpts: []errcode.Option{errcode.GRPCCode(99)},
			wantErr:  []string{`"New"`, "gRPC", "99"},
		},
		{
			desc:     "GRPCCode(17), one past Unauthenticated",
			giveName: "New", giveParent: "Root",
			giveOpts: []errcode.Option{errcode.GRPCCode(codes.Unauthenticated + 1)},
			wantErr:  []string{`"New"`, "gRPC", "17"},
		},
		{
			desc:     "GRPCCode(OK): an error must not travel as a success",
			giveName: "New", giveParent: "Root",
			giveOpts: []errcode.Option{errcode.GRPCCode(codes.OK)},
			wantErr:  []string{`"New"`, "gRPC", "OK"},
		},
		{
			desc:     "HTTPStatus(200): an error must not be written as a success",
			giveName: "New", giveParent: "Root",
			giveOpts: []errcode.Option{errcode.HTTPStatus(200)},
			wantErr:  []string{`"New"`, "HTTP", "200", "400 to 599"},
		},
		{
			desc:     "HTTPStatus(399)",
			giveName: "New", giveParent: "Root",
			giveOpts: []errcode.Option{errcode.HTTPStatus(399)},
			wantErr:  []string{`"New"`, "HTTP", "399"},
		},
		{
			desc:     "HTTPStatus(42)",
			giveName: "New", giveParent: "Root",
			giveOpts: []errcode.Option{errcode.HTTPStatus(42)},
			wantErr:  []string{`"New"`, "HTTP", "42"},
		},
		{
			desc:     "HTTPStatus(99)",
			giveName: "New", giveParent: "Root",
			giveOpts: []errcode.Option{errcode.HTTPStatus(99)},
			wantErr:  []string{`"New"`, "HTTP", "99"},
		},
		{
			desc:     "HTTPStatus(600)",
			giveName: "New", giveParent: "Root",
			giveOpts: []errcode.Option{errcode.HTTPStatus(600)},
			wantErr:  []string{`"New"`, "HTTP", "600"},
		},
		{
			desc:     "RetryAfter(-1)",
			giveName: "New", giveParent: "Root",
			giveOpts: []errcode.Option{errcode.RetryAfter(-1)},
			wantErr:  []string{`"New"`, "retry-after", "-1ns"},
		},
		{
			desc:     "RetryAfter(-1s) among valid options",
			giveName: "New", giveParent: "Root",
			giveOpts: []errcode.Option{errcode.Doc("d"), errcode.Transient, errcode.RetryAfter(-time.Second)},
			wantErr:  []string{`"New"`, "retry-after", "-1s"},
		},
		{
			desc:     "invalid option on a taken name",
			giveName: "Child", giveParent: "Root",
			giveOpts: []errcode.Option{errcode.Transient, errcode.Doc("a child"), errcode.HTTPStatus(42)},
			wantErr:  []string{`"Child"`, "42"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			tr := newTestTree(t)
			before := tr.reg.Codes()
			beforeCode, beforeOK := tr.reg.Lookup(tt.giveName)

			got, err := tr.reg.Register(tt.giveName, tr.parent(t, tt.giveParent), tt.giveOpts...)
			require.Error(t, err, "Register(%q) = %v, nil; want an error", tt.giveName, got)
			assert.True(t, got.IsZero(), "Register(%q) = %v; want the zero Code with the error", tt.giveName, got)
			assert.True(t, strings.HasPrefix(err.Error(), "errcode: "), "Register(%q) error %q; want prefix %q", tt.giveName, err, "errcode: ")
			for _, want := range tt.wantErr {
				assert.Contains(t, err.Error(), want, "Register(%q) error %q; want it to name %q", tt.giveName, err, want)
			}

			// A failed registration changes nothing.
			assert.Equal(t, before, tr.reg.Codes(), "Codes() changed by a failed Register(%q)", tt.giveName)
			afterCode, afterOK := tr.reg.Lookup(tt.giveName)
			assert.Equal(t, beforeOK, afterOK, "Lookup(%q) ok changed by a failed Register", tt.giveName)
			assert.Equal(t, beforeCode, afterCode, "Lookup(%q) changed by a failed Register", tt.giveName)
		})
	}
}

func TestRegisterAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc       string
		giveName   string
		giveParent string
		giveOpts   []errcode.Option
	}{
		// A name whose derived reason is not AIP-193's needs a Reason.
		{desc: "exactly 128 bytes", giveName: strings.Repeat("A", errcode.MaxNameLen), giveParent: "Root",
			giveOpts: []errcode.Option{errcode.Reason("LONG_NAME")}},
		{desc: "exactly 128 bytes in 64 runes", giveName: strings.Repeat("é", errcode.MaxNameLen/2), giveParent: "Root",
			giveOpts: []errcode.Option{errcode.Reason("E_ACUTE")}},
		{desc: "one byte", giveName: "X", giveOpts: []errcode.Option{errcode.Reason("CODE_X")}},
		{desc: "non-ASCII letters", giveName: "ОшибкаСети", giveParent: "Root",
			giveOpts: []errcode.Option{errcode.Reason("NETWORK_ERROR")}},
		{desc: "punctuation", giveName: "pkg.Error/v2-beta_1:x", giveParent: "Child",
			giveOpts: []errcode.Option{errcode.Reason("PKG_ERROR_V2")}},
		{desc: "63-byte derived reason", giveName: strings.Repeat("A", errcode.MaxReasonLen)},
		{desc: "HTTPStatus(400)", giveName: "Lo", giveOpts: []errcode.Option{errcode.HTTPStatus(400)}},
		{desc: "HTTPStatus(599)", giveName: "Hi", giveOpts: []errcode.Option{errcode.HTTPStatus(599)}},
		{desc: "GRPCCode(Unauthenticated)", giveName: "Gc", giveOpts: []errcode.Option{errcode.GRPCCode(codes.Unauthenticated)}},
		{desc: "RetryAfter(0)", giveName: "Ra", giveOpts: []errcode.Option{errcode.RetryAfter(0)}},
		{desc: "explicit Unspecified", giveName: "Un", giveParent: "Child", giveOpts: []errcode.Option{errcode.Unspecified}},
		{desc: "nil Option", giveName: "Nil", giveParent: "Root", giveOpts: []errcode.Option{nil, errcode.Doc("d")}},
		{
			desc: "every option", giveName: "All", giveParent: "Root",
			giveOpts: []errcode.Option{
				errcode.Permanent, errcode.Doc("all"), errcode.GRPCCode(codes.Aborted),
				errcode.HTTPStatus(409), errcode.RetryAfter(time.Minute), errcode.Stackless(), errcode.Reason("EVERY_OPTION"),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			tr := newTestTree(t)
			parent := tr.parent(t, tt.giveParent)

			got, err := tr.reg.Register(tt.giveName, parent, tt.giveOpts...)
			require.NoError(t, err, "Register(%q)", tt.giveName)
			assert.False(t, got.IsZero(), "Register(%q) returned the zero Code", tt.giveName)
			assert.Equal(t, tt.giveName, got.Name(), "Register(%q).Name() = %q", tt.giveName, got.Name())
			assert.Equal(t, parent, got.Parent(), "Register(%q).Parent() = %v; want %v", tt.giveName, got.Parent(), parent)
			assert.Same(t, tr.reg, got.Registry(), "Register(%q).Registry() is not the registry", tt.giveName)
			found, ok := tr.reg.Lookup(tt.giveName)
			assert.True(t, ok, "Lookup(%q) found nothing after Register", tt.giveName)
			assert.Equal(t, got, found, "Lookup(%q) = %v; want %v", tt.giveName, found, got)
			codes := tr.reg.Codes()
			assert.Equal(t, got, codes[len(codes)-1], "Codes() does not end with the new code %v", got)
		})
	}
}

func TestRegisterIdenticalTwice(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc      string
		giveName  string
		giveOpts  []errcode.Option
		giveAgain []errcode.Option // nil: the same as giveOpts
	}{
		{desc: "no options", giveName: "Aa"},
		{desc: "retry and doc", giveName: "Bb", giveOpts: []errcode.Option{errcode.Transient, errcode.Doc("b")}},
		{
			desc: "every option", giveName: "Cc",
			giveOpts: []errcode.Option{
				errcode.Permanent, errcode.Doc("c"), errcode.GRPCCode(codes.Aborted),
				errcode.HTTPStatus(409), errcode.RetryAfter(time.Second), errcode.Stackless(), errcode.Reason("EVERY_OPTION"),
			},
		},
		{
			desc: "same options in another order", giveName: "Dd",
			giveOpts:  []errcode.Option{errcode.Transient, errcode.Doc("d")},
			giveAgain: []errcode.Option{errcode.Doc("d"), errcode.Transient},
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			tr := newTestTree(t)
			first, err := tr.reg.Register(tt.giveName, tr.root, tt.giveOpts...)
			require.NoError(t, err)
			n := len(tr.reg.Codes())

			again := tt.giveAgain
			if again == nil {
				again = tt.giveOpts
			}
			second, err := tr.reg.Register(tt.giveName, tr.root, again...)
			require.NoError(t, err, "identical Register(%q) again", tt.giveName)
			assert.True(t, first == second, "Register(%q) again = %v; want the same Code", tt.giveName, second)

			var third errcode.Code
			assert.NotPanics(t, func() { third = tr.reg.MustRegister(tt.giveName, tr.root, again...) })
			assert.True(t, first == third, "MustRegister(%q) again = %v; want the same Code", tt.giveName, third)
			assert.Len(t, tr.reg.Codes(), n, "identical re-registration of %q added a code", tt.giveName)
		})
	}

	// The catalog too: registering SandboxError again as it is registered
	// returns it and adds nothing to Default.
	//errcodelint:ignore registerinit an identical repeat of a catalog code: Default is unchanged
	got, err := errcode.Register("SandboxError", errcode.Code{}, errcode.Doc(errcode.SandboxError.Doc()))
	require.NoError(t, err)
	assert.True(t, got == errcode.SandboxError, "Register(SandboxError) again = %v; want errcode.SandboxError", got)
}

func TestMustRegisterPanics(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc       string
		giveName   string
		giveParent string
		giveOpts   []errcode.Option
		wantPanic  []string
	}{
		{desc: "whitespace", giveName: "Bad Name", wantPanic: []string{`"Bad Name"`}},
		{desc: "empty", giveName: "", wantPanic: []string{"empty"}},
		{desc: "other parent", giveName: "Child", wantPanic: []string{`"Child"`, "parent"}},
		{desc: "other options", giveName: "Child", giveParent: "Root", wantPanic: []string{`"Child"`, "options"}},
		{desc: "alias", giveName: "OldChild", giveParent: "Root", wantPanic: []string{`"OldChild"`, "alias"}},
		{desc: "foreign parent", giveName: "New", giveParent: "Foreign", wantPanic: []string{`"New"`, `"Foreign"`}},
		{desc: "bad option", giveName: "New", giveOpts: []errcode.Option{errcode.HTTPStatus(42)}, wantPanic: []string{`"New"`, "42"}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			tr := newTestTree(t)
			parent := tr.parent(t, tt.giveParent)
			_, wantErr := tr.reg.Register(tt.giveName, parent, tt.giveOpts...)
			require.Error(t, wantErr)

			v := recoverPanic(func() { tr.reg.MustRegister(tt.giveName, parent, tt.giveOpts...) })
			require.NotNil(t, v, "MustRegister(%q) did not panic", tt.giveName)
			e, ok := v.(error)
			require.True(t, ok, "MustRegister(%q) panicked with a %T; want Register's error value", tt.giveName, v)
			msg := e.Error()
			assert.True(t, strings.HasPrefix(msg, "errcode: "), "MustRegister(%q) panicked with %q; want prefix %q", tt.giveName, msg, "errcode: ")
			assert.Equal(t, wantErr.Error(), msg, "MustRegister(%q) panic = %q; want Register's error %q", tt.giveName, msg, wantErr)
			for _, want := range tt.wantPanic {
				assert.Contains(t, msg, want)
			}
		})
	}

	t.Run("package-level MustRegister on a taken catalog name", func(t *testing.T) {
		t.Parallel()
		//errcodelint:ignore registerinit a refused registration (it panics): Default is unchanged
		v := recoverPanic(func() { errcode.MustRegister("SandboxError", errcode.Code{}, errcode.Permanent) })
		require.NotNil(t, v, "MustRegister(SandboxError, Permanent) did not panic")
		_, isErr := v.(error)
		assert.True(t, isErr, "MustRegister panicked with a %T; want an error", v)
		msg := fmt.Sprint(v)
		assert.True(t, strings.HasPrefix(msg, "errcode: "), "panic %q; want prefix %q", msg, "errcode: ")
		assert.Contains(t, msg, `"SandboxError"`)
	})

	t.Run("MustAlias", func(t *testing.T) {
		t.Parallel()
		tr := newTestTree(t)
		v := recoverPanic(func() { tr.reg.MustAlias("Root", tr.child) })
		require.NotNil(t, v, "MustAlias(Root) did not panic")
		e, ok := v.(error)
		require.True(t, ok, "MustAlias(Root) panicked with a %T; want Alias's error value", v)
		assert.Equal(t, tr.reg.Alias("Root", tr.child), e, "MustAlias panic = %v; want Alias's error", e)
		msg := e.Error()
		assert.True(t, strings.HasPrefix(msg, "errcode: "), "panic %q; want prefix %q", msg, "errcode: ")
		assert.Contains(t, msg, `"Root"`)

		var got errcode.Code
		require.NotPanics(t, func() { got = tr.reg.MustAlias("NewChild", tr.child) })
		assert.Equal(t, tr.child, got, "MustAlias(NewChild, Child) = %v; want Child", got)
	})

	t.Run("package MustAlias", func(t *testing.T) {
		t.Parallel()
		//errcodelint:ignore registerinit a refused alias (it panics): Default is unchanged
		v := recoverPanic(func() { errcode.MustAlias("TransientError", errcode.PermanentError) })
		e, ok := v.(error)
		require.True(t, ok, "MustAlias(TransientError) panicked with %#v; want an error", v)
		//errcodelint:ignore registerinit a refused alias: Default is unchanged
		assert.Equal(t, errcode.Alias("TransientError", errcode.PermanentError), e)
		// Repeating an alias Default already has is not an error.
		//errcodelint:ignore registerinit an alias Default already has: Default is unchanged
		got := errcode.MustAlias("VmError", errcode.VmPermanentError)
		assert.Equal(t, errcode.VmPermanentError, got, "MustAlias(VmError) = %v; want VmPermanentError", got)
	})
}

func TestAliasErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc      string
		giveAlias string
		giveCode  string // a name in the test tree, "Foreign", or "" for the zero Code
		wantErr   []string
	}{
		{desc: "empty", giveAlias: "", giveCode: "Child", wantErr: []string{"empty"}},
		{desc: "whitespace", giveAlias: "Old Child", giveCode: "Child", wantErr: []string{`"Old Child"`, "whitespace"}},
		{desc: "control character", giveAlias: "Old\x00Child", giveCode: "Child", wantErr: []string{`"Old\x00Child"`}},
		{desc: "over 128 bytes", giveAlias: strings.Repeat("a", 129), giveCode: "Child", wantErr: []string{"129"}},
		{desc: "name of another code", giveAlias: "Root", giveCode: "Child", wantErr: []string{`"Root"`, "code"}},
		{desc: "name of the code itself", giveAlias: "Child", giveCode: "Child", wantErr: []string{`"Child"`, "code"}},
		{desc: "alias of another code", giveAlias: "OldChild", giveCode: "Root", wantErr: []string{`"OldChild"`, "alias", `"Child"`}},
		{desc: "zero Code", giveAlias: "Nothing", giveCode: "", wantErr: []string{`"Nothing"`, "zero"}},
		{desc: "code of another registry", giveAlias: "Elsewhere", giveCode: "Foreign", wantErr: []string{`"Elsewhere"`, `"Foreign"`, "another Registry"}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			tr := newTestTree(t)
			beforeCode, beforeOK := tr.reg.Lookup(tt.giveAlias)

			err := tr.reg.Alias(tt.giveAlias, tr.parent(t, tt.giveCode))
			require.Error(t, err, "Alias(%q, %s) = nil; want an error", tt.giveAlias, tt.giveCode)
			assert.True(t, strings.HasPrefix(err.Error(), "errcode: "), "Alias error %q; want prefix %q", err, "errcode: ")
			for _, want := range tt.wantErr {
				assert.Contains(t, err.Error(), want, "Alias(%q) error %q; want it to name %q", tt.giveAlias, err, want)
			}
			afterCode, afterOK := tr.reg.Lookup(tt.giveAlias)
			assert.Equal(t, beforeOK, afterOK, "a failed Alias(%q) changed Lookup", tt.giveAlias)
			assert.Equal(t, beforeCode, afterCode, "a failed Alias(%q) changed Lookup", tt.giveAlias)
		})
	}
}

func TestAlias(t *testing.T) {
	t.Parallel()
	tr := newTestTree(t)
	before := tr.reg.Codes()

	// Repeating an identical Alias is not an error.
	require.NoError(t, tr.reg.Alias("OldChild", tr.child))
	require.NoError(t, tr.reg.Alias("AncientChild", tr.child))
	require.NoError(t, tr.reg.Alias("OldRoot", tr.root))

	tests := []struct {
		giveName string
		want     errcode.Code
	}{
		{"OldChild", tr.child},
		{"AncientChild", tr.child},
		{"Child", tr.child},
		{"OldRoot", tr.root},
	}
	for _, tt := range tests {
		got, ok := tr.reg.Lookup(tt.giveName)
		assert.True(t, ok, "Lookup(%q) found nothing", tt.giveName)
		assert.True(t, got == tt.want, "Lookup(%q) = %v; want %v", tt.giveName, got, tt.want)
	}
	got, _ := tr.reg.Lookup("OldChild")
	assert.Equal(t, "Child", got.Name(), "Lookup(OldChild).Name() = %q; want the code's own name", got.Name())

	assert.Equal(t, []string{"AncientChild", "OldChild"}, tr.reg.Aliases(tr.child), "Aliases(Child) not sorted or incomplete")
	assert.Equal(t, []string{"OldRoot"}, tr.reg.Aliases(tr.root))
	assert.Empty(t, tr.reg.Aliases(tr.foreign), "Aliases of a code of another registry")
	assert.Equal(t, before, tr.reg.Codes(), "Alias added to Codes()")
}

func TestLookup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		giveName string
		want     errcode.Code
		wantOK   bool
	}{
		{"VmError", errcode.VmPermanentError, true},
		{"VmPermanentError", errcode.VmPermanentError, true},
		{"QemuStorageDaemonError", errcode.VmOverlayError, true},
		{"SandboxError", errcode.SandboxError, true},
		{"sandboxerror", errcode.Code{}, false},
		{"SandboxError ", errcode.Code{}, false},
		{"", errcode.Code{}, false},
		{"NoSuchError", errcode.Code{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.giveName, func(t *testing.T) {
			t.Parallel()
			got, ok := errcode.Lookup(tt.giveName)
			assert.Equal(t, tt.wantOK, ok, "Lookup(%q) ok = %v; want %v", tt.giveName, ok, tt.wantOK)
			assert.True(t, got == tt.want, "Lookup(%q) = %v; want %v", tt.giveName, got, tt.want)
			dGot, dOK := errcode.Default.Lookup(tt.giveName)
			assert.True(t, got == dGot && ok == dOK, "Lookup(%q) and Default.Lookup disagree", tt.giveName)
		})
	}
	assert.True(t, errcode.VmError == errcode.VmPermanentError)
}

// TestRegistryConcurrent registers codes and aliases from several
// goroutines while others read; run it with -race.
func TestRegistryConcurrent(t *testing.T) {
	t.Parallel()
	const writers, perWriter, readers = 4, 60, 4

	reg := errcode.NewRegistry()
	root := reg.MustRegister("Root", errcode.Code{})
	marker := reg.MustRegister("Marker", root, errcode.Transient)

	own := make([][]errcode.Code, writers)    // each writer's chain of codes
	shared := make([][]errcode.Code, writers) // what each writer got for the shared names
	var writing sync.WaitGroup
	for w := range writers {
		writing.Go(func() {
			parent := marker
			for i := range perWriter {
				name := fmt.Sprintf("W%d_%d", w, i)
				c, err := reg.Register(name, parent)
				if err != nil {
					t.Errorf("Register(%q) = %v", name, err)
					return
				}
				own[w] = append(own[w], c)
				parent = c
				if i%10 == 0 {
					if err := reg.Alias("Old"+name, c); err != nil {
						t.Errorf("Alias(%q) = %v", "Old"+name, err)
					}
				}
				// Every writer registers the same shared code identically.
				s, err := reg.Register(fmt.Sprintf("Shared%d", i), root, errcode.Permanent)
				if err != nil {
					t.Errorf("Register(Shared%d) = %v", i, err)
					return
				}
				shared[w] = append(shared[w], s)
			}
		})
	}

	done := make(chan struct{})
	var reading sync.WaitGroup
	for range readers {
		reading.Go(func() {
			sentinel := marker.New("boom")
			var prev []errcode.Code
			for {
				select {
				case <-done:
					return
				default:
				}
				cs := reg.Codes()
				if len(cs) < len(prev) || !slices.Equal(cs[:len(prev)], prev) {
					t.Errorf("Codes() is not append-only: %d codes after %d", len(cs), len(prev))
					return
				}
				prev = cs
				for _, c := range cs {
					if !c.IsA(root) {
						t.Errorf("%v.IsA(Root) = false; want true", c)
					}
					if got, ok := reg.Lookup(c.Name()); !ok || got != c {
						t.Errorf("Lookup(%q) = %v, %v; want %v, true", c.Name(), got, ok, c)
					}
					wantTransient := strings.HasPrefix(c.Name(), "W") || c == marker
					if got := c.IsA(marker); got != wantTransient {
						t.Errorf("%v.IsA(Marker) = %v; want %v", c, got, wantTransient)
					}
					if got := stderrors.Is(c, marker); got != wantTransient {
						t.Errorf("errors.Is(%v, Marker) = %v; want %v", c, got, wantTransient)
					}
					if errcode.Is(sentinel, c) != (c == marker || c == root) {
						t.Errorf("Is(Marker.New, %v) = %v", c, !(c == marker || c == root))
					}
				}
				if c, ok := reg.Lookup("OldW0_0"); ok && c.Name() != "W0_0" {
					t.Errorf("Lookup(OldW0_0) = %v; want W0_0", c)
				}
			}
		})
	}
	writing.Wait()
	close(done)
	reading.Wait()

	cs := reg.Codes()
	assert.Len(t, cs, 2+writers*perWriter+perWriter, "Codes() after the writers")
	pos := make(map[errcode.Code]int, len(cs))
	for i, c := range cs {
		_, dup := pos[c]
		assert.False(t, dup, "Codes() lists %v twice", c)
		pos[c] = i
	}
	for w := range writers {
		require.Len(t, own[w], perWriter)
		for i, c := range own[w] {
			if i > 0 {
				assert.Less(t, pos[own[w][i-1]], pos[c], "Codes() lists %v before its parent", c)
			}
			assert.Len(t, c.Ancestors(), i+2, "%v.Ancestors()", c)
			assert.Equal(t, errcode.Transient, c.Retry(), "%v.Retry()", c)
		}
		assert.Equal(t, shared[0], shared[w], "writers got different codes for the same identical registrations")
	}
	for i, c := range shared[0] {
		assert.Equal(t, fmt.Sprintf("Shared%d", i), c.Name())
	}
}
