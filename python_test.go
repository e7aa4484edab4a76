package errcode_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
)

func TestPythonInitRefuses(t *testing.T) {
	t.Parallel()
	msg := errcode.PythonParam{Name: "message", Type: "str"}
	ctx := errcode.PythonParam{Name: "context", Type: "dict[str, Any] | None", Default: "None"}
	tests := []struct {
		desc    string
		give    []errcode.PythonParam
		wantErr string
	}{
		{"no params", nil, `the first parameter must be "message"`},
		{"message not first", []errcode.PythonParam{ctx, msg}, `the first parameter must be "message"`},
		{"not an identifier", []errcode.PythonParam{msg, {Name: "exit-code"}}, `parameter 1: "exit-code" is not a Python identifier`},
		{"leading digit", []errcode.PythonParam{msg, {Name: "1st"}}, `parameter 1: "1st" is not a Python identifier`},
		{"keyword", []errcode.PythonParam{msg, {Name: "class"}}, `parameter 1: "class" is a Python keyword`},
		{"duplicate", []errcode.PythonParam{msg, {Name: "a"}, {Name: "a"}}, `parameter "a" given twice`},
		{"required after default", []errcode.PythonParam{msg, ctx, {Name: "uid", Type: "int"}}, `required parameter "uid" after "context", which has a default`},
		{"context into context", []errcode.PythonParam{msg, {Name: "context", Context: true}}, `parameter "context" cannot also go into the context`},
		{"message into context", []errcode.PythonParam{{Name: "message", Context: true}}, `parameter "message" cannot also go into the context`},
		{"type on two lines", []errcode.PythonParam{msg, {Name: "a", Type: "int\nimport os"}}, `parameter "a": its type "int\nimport os" is not one line`},
		{"default not UTF-8", []errcode.PythonParam{msg, {Name: "a", Default: "\xff"}}, `parameter "a": its default "\xff" is not one line`},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			r := errcode.NewRegistry()
			_, err := r.Register("X", errcode.Code{}, errcode.PythonInit(tt.give...))
			require.Error(t, err)
			assert.Contains(t, err.Error(), `errcode: registering "X": PythonInit: `+tt.wantErr)
		})
	}
}

func TestPythonInitAccessor(t *testing.T) {
	t.Parallel()
	r := errcode.NewRegistry()
	params := []errcode.PythonParam{
		{Name: "message", Type: "str"},
		{Name: "uid", Type: "int", Context: true},
		{Name: "note", Type: "str", Default: `"a \"quoted\" default"`},
	}
	root := r.MustRegister("Root", errcode.Code{})
	withInit := r.MustRegister("WithInit", root, errcode.PythonInit(params...))
	child := r.MustRegister("Child", withInit)

	got, ok := withInit.PythonInit()
	require.True(t, ok)
	assert.Equal(t, params, got)
	for _, c := range []errcode.Code{root, child, {}} {
		got, ok := c.PythonInit()
		assert.False(t, ok, "%s.PythonInit() reports its own constructor", c)
		assert.Nil(t, got)
	}

	// An identical registration is the same code; other parameters are refused.
	again, err := r.Register("WithInit", root, errcode.PythonInit(params...))
	require.NoError(t, err)
	assert.Equal(t, withInit, again)
	_, err = r.Register("WithInit", root, errcode.PythonInit(params[:2]...))
	require.ErrorContains(t, err, "already registered with other options")
}

func TestPythonInitOfTheCatalog(t *testing.T) {
	t.Parallel()
	tests := []struct {
		give errcode.Code
		want []string // name:default:context
	}{
		{errcode.VmOverlayError, []string{"message::false", "context:None:false", `stderr:"":false`, "error_class:None:false"}},
		{errcode.SocketAuthError, []string{"message::false", "expected_uid::true", "actual_uid::true", "context:None:false"}},
		{errcode.GuestAgentError, []string{"message::false", "response::true"}},
	}
	for _, tt := range tests {
		params, ok := tt.give.PythonInit()
		require.True(t, ok, tt.give.Name())
		var got []string
		for _, p := range params {
			got = append(got, p.Name+":"+p.Default+":"+map[bool]string{true: "true", false: "false"}[p.Context])
		}
		assert.Equal(t, tt.want, got, tt.give.Name())
	}
	for _, c := range errcode.Codes() {
		if c != errcode.VmOverlayError && c != errcode.SocketAuthError && c != errcode.GuestAgentError {
			_, ok := c.PythonInit()
			assert.False(t, ok, "%s has a PythonInit", c)
		}
	}
}

func TestValidPythonIdentifier(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"a", "_", "SandboxError", "x1", "match", "_private"} {
		assert.NoError(t, errcode.ValidPythonIdentifier(ok), ok)
	}
	for _, bad := range []string{"", "1x", "a b", "é", "None", "yield", "a.b"} {
		assert.Error(t, errcode.ValidPythonIdentifier(bad), bad)
	}
}
