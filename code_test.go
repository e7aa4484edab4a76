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

func TestCodesOrder(t *testing.T) {
	t.Parallel()
	reg := errcode.NewRegistry()
	assert.Empty(t, reg.Codes(), "NewRegistry().Codes() = %v; want none", reg.Codes())

	zeta := reg.MustRegister("Zeta", errcode.Code{})
	alpha := reg.MustRegister("Alpha", zeta, errcode.Transient)
	mid := reg.MustRegister("Mid", errcode.Code{})
	reg.MustAlias("Aardvark", mid)
	reg.MustRegister("Alpha", zeta, errcode.Transient) // identical: not added again
	_, err := reg.Register("Zeta", mid)                // conflicting: not added
	require.Error(t, err)
	last := reg.MustRegister("Last", alpha)

	want := []errcode.Code{zeta, alpha, mid, last}
	got := reg.Codes()
	assert.Equal(t, want, got, "Codes() = %v; want %v", codeNames(got), codeNames(want))

	// The result is the caller's own copy.
	got[0] = errcode.Code{}
	assert.Equal(t, want, reg.Codes(), "changing Codes()'s result changed the registry")
}

func TestCodeAccessors(t *testing.T) {
	t.Parallel()
	reg := errcode.NewRegistry()
	root := reg.MustRegister("Root", errcode.Code{}, errcode.Doc("the root"))
	marker := reg.MustRegister("Marker", root, errcode.Transient, errcode.Doc("may succeed"))
	inherit := reg.MustRegister("Inherit", marker)
	override := reg.MustRegister("Override", inherit, errcode.Permanent, errcode.Doc("will not"))
	deep := reg.MustRegister("Deep", override, errcode.Doc("deep"))
	back := reg.MustRegister("Back", deep, errcode.Transient)

	tests := []struct {
		desc          string
		giveCode      errcode.Code
		wantName      string
		wantParent    errcode.Code
		wantAncestors []errcode.Code
		wantDoc       string
		wantIsZero    bool
		wantRetry     errcode.Retry
		wantRetryFrom errcode.Code
	}{
		{
			desc: "root", giveCode: root, wantName: "Root", wantDoc: "the root",
		},
		{
			desc: "own Transient", giveCode: marker, wantName: "Marker", wantParent: root,
			wantAncestors: []errcode.Code{root}, wantDoc: "may succeed",
			wantRetry: errcode.Transient, wantRetryFrom: marker,
		},
		{
			desc: "inherited Transient", giveCode: inherit, wantName: "Inherit", wantParent: marker,
			wantAncestors: []errcode.Code{marker, root},
			wantRetry:     errcode.Transient, wantRetryFrom: marker,
		},
		{
			desc: "own Permanent over inherited Transient", giveCode: override, wantName: "Override", wantParent: inherit,
			wantAncestors: []errcode.Code{inherit, marker, root}, wantDoc: "will not",
			wantRetry: errcode.Permanent, wantRetryFrom: override,
		},
		{
			desc: "inherited from the nearest ancestor", giveCode: deep, wantName: "Deep", wantParent: override,
			wantAncestors: []errcode.Code{override, inherit, marker, root}, wantDoc: "deep",
			wantRetry: errcode.Permanent, wantRetryFrom: override,
		},
		{
			desc: "own Transient again", giveCode: back, wantName: "Back", wantParent: deep,
			wantAncestors: []errcode.Code{deep, override, inherit, marker, root},
			wantRetry:     errcode.Transient, wantRetryFrom: back,
		},
		{
			desc: "zero Code", giveCode: errcode.Code{}, wantIsZero: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			c := tt.giveCode
			assert.Equal(t, tt.wantName, c.Name(), "Name() = %q; want %q", c.Name(), tt.wantName)
			assert.Equal(t, tt.wantName, c.String(), "String() = %q; want %q", c.String(), tt.wantName)
			assert.Equal(t, tt.wantName, c.Error(), "Error() = %q; want %q", c.Error(), tt.wantName)
			assert.Equal(t, tt.wantName, fmt.Sprint(c), "fmt.Sprint = %q; want %q", fmt.Sprint(c), tt.wantName)
			assert.True(t, tt.wantParent == c.Parent(), "Parent() = %v; want %v", c.Parent(), tt.wantParent)
			assert.Equal(t, tt.wantAncestors, c.Ancestors(), "Ancestors() = %v; want %v", codeNames(c.Ancestors()), codeNames(tt.wantAncestors))
			assert.Equal(t, tt.wantDoc, c.Doc(), "Doc() = %q; want %q", c.Doc(), tt.wantDoc)
			assert.Equal(t, tt.wantIsZero, c.IsZero(), "IsZero() = %v; want %v", c.IsZero(), tt.wantIsZero)
			assert.Equal(t, tt.wantRetry, c.Retry(), "Retry() = %v; want %v", c.Retry(), tt.wantRetry)
			assert.True(t, tt.wantRetryFrom == c.RetryFrom(), "RetryFrom() = %v; want %v", c.RetryFrom(), tt.wantRetryFrom)
		})
	}
}

func TestCodeMappingAccessors(t *testing.T) {
	t.Parallel()
	reg := errcode.NewRegistry()
	root := reg.MustRegister("Root", errcode.Code{})
	mapped := reg.MustRegister("Mapped", root, errcode.GRPCCode(codes.Unavailable), errcode.HTTPStatus(503),
		errcode.RetryAfter(time.Second), errcode.Stackless())
	inherit := reg.MustRegister("Inherit", mapped)
	own := reg.MustRegister("Own", inherit, errcode.GRPCCode(codes.Aborted), errcode.HTTPStatus(409), errcode.RetryAfter(time.Minute))
	mixed := reg.MustRegister("Mixed", inherit, errcode.HTTPStatus(418))

	tests := []struct {
		desc               string
		giveCode           errcode.Code
		wantGRPC           codes.Code
		wantHasGRPC        bool
		wantGRPCFrom       errcode.Code
		wantHTTP           int
		wantHTTPFrom       errcode.Code
		wantRetryAfter     time.Duration
		wantRetryAfterFrom errcode.Code
		wantStackless      bool
	}{
		{desc: "no mapping", giveCode: root, wantGRPC: codes.Unknown},
		{
			desc: "own", giveCode: mapped,
			wantGRPC: codes.Unavailable, wantHasGRPC: true, wantGRPCFrom: mapped,
			wantHTTP: 503, wantHTTPFrom: mapped,
			wantRetryAfter: time.Second, wantRetryAfterFrom: mapped,
			wantStackless: true,
		},
		{
			desc: "inherited, Stackless not", giveCode: inherit,
			wantGRPC: codes.Unavailable, wantHasGRPC: true, wantGRPCFrom: mapped,
			wantHTTP: 503, wantHTTPFrom: mapped,
			wantRetryAfter: time.Second, wantRetryAfterFrom: mapped,
		},
		{
			desc: "own over inherited", giveCode: own,
			wantGRPC: codes.Aborted, wantHasGRPC: true, wantGRPCFrom: own,
			wantHTTP: 409, wantHTTPFrom: own,
			wantRetryAfter: time.Minute, wantRetryAfterFrom: own,
		},
		{
			desc: "one own, the others inherited", giveCode: mixed,
			wantGRPC: codes.Unavailable, wantHasGRPC: true, wantGRPCFrom: mapped,
			wantHTTP: 418, wantHTTPFrom: mixed,
			wantRetryAfter: time.Second, wantRetryAfterFrom: mapped,
		},
		{desc: "zero Code", giveCode: errcode.Code{}, wantGRPC: codes.Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			c := tt.giveCode
			g, ok := c.GRPCCode()
			assert.Equal(t, tt.wantGRPC, g, "GRPCCode() = %v; want %v", g, tt.wantGRPC)
			assert.Equal(t, tt.wantHasGRPC, ok, "GRPCCode() ok = %v; want %v", ok, tt.wantHasGRPC)
			assert.True(t, tt.wantGRPCFrom == c.GRPCCodeFrom(), "GRPCCodeFrom() = %v; want %v", c.GRPCCodeFrom(), tt.wantGRPCFrom)
			h, ok := c.HTTPStatus()
			wantHTTP, wantHasHTTP := tt.wantHTTP, tt.wantHTTP != 0
			if !wantHasHTTP {
				wantHTTP = http.StatusInternalServerError // no mapping: what HTTPStatusOf sends
			}
			assert.Equal(t, wantHTTP, h, "HTTPStatus() = %v; want %v", h, wantHTTP)
			assert.Equal(t, wantHasHTTP, ok, "HTTPStatus() ok = %v; want %v", ok, wantHasHTTP)
			assert.True(t, tt.wantHTTPFrom == c.HTTPStatusFrom(), "HTTPStatusFrom() = %v; want %v", c.HTTPStatusFrom(), tt.wantHTTPFrom)
			assert.Equal(t, tt.wantRetryAfter, c.RetryAfter(), "RetryAfter() = %v; want %v", c.RetryAfter(), tt.wantRetryAfter)
			assert.True(t, tt.wantRetryAfterFrom == c.RetryAfterFrom(), "RetryAfterFrom() = %v; want %v", c.RetryAfterFrom(), tt.wantRetryAfterFrom)
			assert.Equal(t, tt.wantStackless, c.Stackless(), "Stackless() = %v; want %v", c.Stackless(), tt.wantStackless)
		})
	}
}

func TestCodeIsA(t *testing.T) {
	t.Parallel()
	reg := errcode.NewRegistry()
	root := reg.MustRegister("Root", errcode.Code{})
	a := reg.MustRegister("A", root, errcode.Reason("CODE_A")) // a one-letter reason is not AIP-193's
	aa := reg.MustRegister("AA", a)
	aaa := reg.MustRegister("AAA", aa)
	b := reg.MustRegister("B", root, errcode.Reason("CODE_B"))
	other := errcode.NewRegistry()
	otherRoot := other.MustRegister("Root", errcode.Code{})
	otherA := other.MustRegister("A", otherRoot, errcode.Reason("CODE_A"))

	tests := []struct {
		desc         string
		giveCode     errcode.Code
		giveAncestor errcode.Code
		want         bool
	}{
		{"reflexive root", root, root, true},
		{"reflexive leaf", aaa, aaa, true},
		{"parent", aa, a, true},
		{"grandparent", aaa, a, true},
		{"root of a deep code", aaa, root, true},
		{"child is not its parent", a, aa, false},
		{"root is not a leaf", root, aaa, false},
		{"sibling", a, b, false},
		{"cousin", aaa, b, false},
		{"zero ancestor", aaa, errcode.Code{}, false},
		{"zero code", errcode.Code{}, root, false},
		{"zero and zero", errcode.Code{}, errcode.Code{}, false},
		{"same name, other registry", root, otherRoot, false},
		{"same names, other registry", otherA, root, false},
		{"descendant, other registry", aa, otherA, false},
		{"catalog code vs test registry", errcode.SandboxError, root, false},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got := tt.giveCode.IsA(tt.giveAncestor)
			assert.Equal(t, tt.want, got, "%v.IsA(%v) = %v; want %v", tt.giveCode, tt.giveAncestor, got, tt.want)
		})
	}
}

// TestCodeAsSentinel checks that a Code works as a sentinel error with the
// standard library's errors.Is, cockroachdb's and errcode.Is alike.
func TestCodeAsSentinel(t *testing.T) {
	t.Parallel()
	reg := errcode.NewRegistry()
	root := reg.MustRegister("Root", errcode.Code{})
	mid := reg.MustRegister("Mid", root, errcode.Permanent)
	leaf := reg.MustRegister("Leaf", mid)
	sibling := reg.MustRegister("Sibling", root)

	tests := []struct {
		desc       string
		giveErr    error
		giveTarget errcode.Code
		want       bool
	}{
		{"bare code is itself", leaf, leaf, true},
		{"bare code is its ancestor", leaf, root, true},
		{"bare code is not its descendant", root, leaf, false},
		{"bare code is not its sibling", leaf, sibling, false},
		{"catalog alias", errcode.VmPermanentError, errcode.VmError, true},
		{"catalog ancestor", errcode.VmConfigError, errcode.PermanentError, true},
		{"catalog other branch", errcode.VmConfigError, errcode.TransientError, false},
		{"New", leaf.New("boom"), mid, true},
		{"New, sibling", sibling.New("boom"), mid, false},
		{"fmt wrap of a bare code", fmt.Errorf("op: %w", leaf), mid, true},
		{"cockroachdb wrap of a bare code", crdberrors.Wrap(leaf, "op"), root, true},
		{"Wrap of a plain error", mid.Wrap(io.EOF, "read"), root, true},
		{"Wrap of a plain error, descendant", mid.Wrap(io.EOF, "read"), leaf, false},
		{"zero target", leaf, errcode.Code{}, false},
		{"plain error", io.EOF, root, false},
		{"nil", nil, root, false},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, stderrors.Is(tt.giveErr, tt.giveTarget), "errors.Is(%v, %v) = %v; want %v", tt.giveErr, tt.giveTarget, !tt.want, tt.want)
			assert.Equal(t, tt.want, crdberrors.Is(tt.giveErr, tt.giveTarget), "crdb errors.Is(%v, %v) = %v; want %v", tt.giveErr, tt.giveTarget, !tt.want, tt.want)
			assert.Equal(t, tt.want, errcode.Is(tt.giveErr, tt.giveTarget), "errcode.Is(%v, %v) = %v; want %v", tt.giveErr, tt.giveTarget, !tt.want, tt.want)
		})
	}
}

// TestCodeAsSentinelAcrossRegistries checks that a code of one registry
// does not match a code of another that has the same name: IsA says they
// are unrelated, and errcode.Is and the standard errors.Is agree.
// cockroachdb's errors.Is, after every Is method says no, compares type and
// message, which for two bare Codes is their names: it matches bare Codes
// by name, as the Code doc says (it is what makes a bare Code match after a
// trip over the wire).
func TestCodeAsSentinelAcrossRegistries(t *testing.T) {
	t.Parallel()
	mine := errcode.NewRegistry().MustRegister("SandboxError", errcode.Code{})

	tests := []struct {
		desc       string
		giveErr    error
		giveTarget errcode.Code
		wantCRDB   bool // cockroachdb's errors.Is matches bare Codes by name
	}{
		{"bare code", mine, errcode.SandboxError, true},
		{"bare code, reversed", errcode.SandboxError, mine, true},
		{"fmt wrap of a bare code", fmt.Errorf("op: %w", mine), errcode.SandboxError, true},
		{"New", mine.New("boom"), errcode.SandboxError, false},
		{"Wrap", mine.Wrap(io.EOF, "read"), errcode.SandboxError, false},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			require.False(t, mine.IsA(errcode.SandboxError))
			assert.False(t, errcode.Is(tt.giveErr, tt.giveTarget), "errcode.Is(%v, %v) = true; want false", tt.giveErr, tt.giveTarget)
			assert.False(t, stderrors.Is(tt.giveErr, tt.giveTarget), "errors.Is(%v, %v) = true; want false", tt.giveErr, tt.giveTarget)
			assert.Equal(t, tt.wantCRDB, crdberrors.Is(tt.giveErr, tt.giveTarget), "crdb errors.Is(%v, %v); want %v", tt.giveErr, tt.giveTarget, tt.wantCRDB)
		})
	}
}
