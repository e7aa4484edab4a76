package errcode_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
)

func TestReasonDerived(t *testing.T) {
	t.Parallel()
	tests := []struct {
		giveName   string
		wantReason string
	}{
		{"VmCapacityError", "VM_CAPACITY_ERROR"},
		{"SandboxError", "SANDBOX_ERROR"},
		{"Vm2Error", "VM_2_ERROR"},
		{"Http2xx", "HTTP_2_XX"},
		{"HTTPError", "HTTPERROR"}, // only lower→upper splits: an acronym stays one word
		{"already_snake", "ALREADY_SNAKE"},
		{"IO", "IO"},
		{"V8", "V_8"},
	}
	for _, tt := range tests {
		t.Run(tt.giveName, func(t *testing.T) {
			t.Parallel()
			reg := errcode.NewRegistry()
			c, err := reg.Register(tt.giveName, errcode.Code{})
			require.NoError(t, err)
			assert.Equal(t, tt.wantReason, c.Reason(), "Reason() of %q", tt.giveName)
			got, ok := reg.LookupReason(tt.wantReason)
			assert.True(t, ok, "LookupReason(%q)", tt.wantReason)
			assert.Equal(t, c, got)
		})
	}
}

// TestCatalogReasons walks every code of Default: each has a valid reason
// of its own, and LookupReason finds it.
func TestCatalogReasons(t *testing.T) {
	t.Parallel()
	seen := map[string]string{}
	for _, c := range errcode.Codes() {
		r := c.Reason()
		require.NotEmpty(t, r, "%s has no reason", c)
		assert.Regexp(t, `^[A-Z][A-Z0-9_]*[A-Z0-9]$`, r, "%s's reason", c)
		assert.LessOrEqual(t, len(r), errcode.MaxReasonLen)
		assert.NotContains(t, seen, r, "%s and %s share a reason", c, seen[r])
		seen[r] = c.Name()
		got, ok := errcode.Default.LookupReason(r)
		assert.True(t, ok && got == c, "LookupReason(%q) = %v, %v; want %v", r, got, ok, c)
	}
	assert.Equal(t, "VM_CAPACITY_ERROR", errcode.VmCapacityError.Reason())
	assert.Equal(t, "VM_PERMANENT_ERROR", errcode.VmError.Reason(), "an alias has its code's reason")
	assert.Equal(t, "", errcode.Code{}.Reason(), "the zero Code")
	_, ok := errcode.Default.LookupReason("VM_ERROR")
	assert.False(t, ok, "an alias's name gives no reason of its own")
	assert.Equal(t, errcode.DefaultDomain, errcode.Default.Domain())
	assert.Equal(t, "github.com/errcode/errcode", errcode.DefaultDomain)
}

func TestRegisterRefusesReasons(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("Ab", 32) // AB_AB_…: 95 bytes
	tests := []struct {
		desc     string
		giveName string
		giveOpts []errcode.Option
		wantErr  []string
	}{
		{"derived reason of one letter", "X", nil, []string{`"X"`, "Reason option"}},
		{"derived reason over 63 bytes", long, nil, []string{"over 63", "Reason option"}},
		{"derived reason with punctuation", "pkg.Error", nil, []string{`"PKG.ERROR"`, "[A-Z][A-Z0-9_]*[A-Z0-9]"}},
		{"derived reason of a non-ASCII name", "ОшибкаСети", nil, []string{"Reason option"}},
		{"derived reason ending in _", "Trailing_", nil, []string{`"TRAILING_"`}},
		{"Reason option lower-case", "Fine", []errcode.Option{errcode.Reason("fine")}, []string{`reason "fine"`}},
		{"Reason option empty", "Fine", []errcode.Option{errcode.Reason("")}, []string{"is empty"}},
		{"Reason option over 63 bytes", "Fine", []errcode.Option{errcode.Reason(strings.Repeat("A", 64))}, []string{"64 bytes"}},
		{"Reason option starting with a digit", "Fine", []errcode.Option{errcode.Reason("2FA")}, []string{`"2FA"`}},
		{"the reason of another code", "Vm_Capacity_Error", nil, []string{`"VM_CAPACITY_ERROR"`, `"VmCapacityError"`}},
		{"a Reason option taken", "Fine", []errcode.Option{errcode.Reason("VM_CAPACITY_ERROR")}, []string{`"VmCapacityError"`}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			reg := errcode.NewRegistry()
			reg.MustRegister("VmCapacityError", errcode.Code{})
			got, err := reg.Register(tt.giveName, errcode.Code{}, tt.giveOpts...)
			require.Error(t, err, "Register(%q) = %v; want an error", tt.giveName, got)
			assert.True(t, strings.HasPrefix(err.Error(), "errcode: "), "%v", err)
			for _, w := range tt.wantErr {
				assert.Contains(t, err.Error(), w)
			}
			_, found := reg.Lookup(tt.giveName)
			assert.False(t, found || got != errcode.Code{}, "a refused code was registered")
		})
	}
}

func TestRegisterBoundsAncestry(t *testing.T) {
	t.Parallel()
	reg := errcode.NewRegistry()
	parent := errcode.Code{}
	// Names of 99 bytes and a space: ten ancestors take 999 bytes.
	for i := 0; i < 10; i++ {
		parent = reg.MustRegister(strings.Repeat("A", 97)+string(rune('A'+i))+"z", parent,
			errcode.Reason("LEVEL_"+string(rune('A'+i))))
	}
	c, err := reg.Register("Fits", parent) // ancestry 999 bytes
	require.NoError(t, err)
	assert.Len(t, strings.Join(ancestorNames(c), " "), 999)

	deeper := reg.MustRegister(strings.Repeat("B", 24), parent, errcode.Reason("DEEPER")) // ancestry 999 bytes
	_, err = reg.Register("Fits2", deeper)                                                // 999 + 1 + 24 = 1024
	require.NoError(t, err, "an ancestry of exactly MaxAncestryLen bytes")
	deepest := reg.MustRegister("C", deeper, errcode.Reason("DEEPEST"))
	_, err = reg.Register("TooDeep", deepest) // 1024 + 2 bytes
	require.Error(t, err)
	assert.Contains(t, err.Error(), "1026 bytes, over MaxAncestryLen (1024)")
}

func ancestorNames(c errcode.Code) []string {
	var out []string
	for _, a := range c.Ancestors() {
		out = append(out, a.Name())
	}
	return out
}

func TestDomain(t *testing.T) {
	t.Parallel()
	assert.Equal(t, errcode.DefaultDomain, errcode.NewRegistry().Domain())
	assert.Equal(t, "sandbox.example.com", errcode.NewRegistry(errcode.Domain("sandbox.example.com")).Domain())
	assert.Equal(t, errcode.DefaultDomain, errcode.NewRegistry(errcode.Domain(""), nil).Domain())
	var zero errcode.Registry
	assert.Equal(t, errcode.DefaultDomain, zero.Domain(), "a Registry not made by NewRegistry")
}

// TestReasonOfWireOnlyCodes: a code known only from the wire has its own
// name's reason when valid, else its nearest known ancestor's.
func TestReasonOfWireOnlyCodes(t *testing.T) {
	t.Parallel()
	peer := errcode.NewRegistry()
	sandbox := peer.MustRegister("SandboxError", errcode.Code{})
	vm := peer.MustRegister("VmTransientError", sandbox)
	good := peer.MustRegister("VmSnapshotRestoreError", vm)
	odd := peer.MustRegister("vm.restore", vm, errcode.Reason("VM_RESTORE"))
	orphanRoot := peer.MustRegister("PeerOnlyRoot", errcode.Code{})
	orphan := peer.MustRegister("peer.only", orphanRoot, errcode.Reason("PEER_ONLY"))

	tests := []struct {
		give error
		want string
	}{
		{good.New("x"), "VM_SNAPSHOT_RESTORE_ERROR"},
		{odd.New("x"), "VM_TRANSIENT_ERROR"}, // its own reason does not travel
		{orphan.New("x"), ""},                // no valid name of its own, no known ancestor
	}
	assert.Equal(t, "VM_TRANSIENT_ERROR", errcode.ReasonOf(errcode.VmTransientError.New("x")))
	assert.Equal(t, "VM_PERMANENT_ERROR", errcode.ReasonOf(errcode.VmError.New("x")))
	assert.Equal(t, "", errcode.ReasonOf(nil))
	for _, tt := range tests {
		b, err := errcode.Encode(tt.give)
		require.NoError(t, err)
		got, err := errcode.Decode(b)
		require.NoError(t, err)
		assert.Equal(t, tt.want, errcode.ReasonOf(got), "ReasonOf decoded %s", errcode.NameOf(got))
	}
}
