package errcodepy_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcodepy"
)

// TestGeneratedModuleUpToDate fails when the checked-in
// python/sandbox_exceptions.py is not what Generate writes for Default now.
func TestGeneratedModuleUpToDate(t *testing.T) {
	t.Parallel()
	var want bytes.Buffer
	require.NoError(t, errcodepy.Generate(&want, errcode.Default))
	got, err := os.ReadFile(filepath.Join("..", "python", "sandbox_exceptions.py"))
	require.NoError(t, err, "python/sandbox_exceptions.py is missing: run go generate ./...")
	if !bytes.Equal(got, want.Bytes()) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(want.String(), "\n")
		i := 0
		for i < min(len(gl), len(wl)) && gl[i] == wl[i] {
			i++
		}
		line := func(s []string) string {
			if i < len(s) {
				return s[i]
			}
			return "(end of file)"
		}
		t.Fatalf("python/sandbox_exceptions.py is stale: run go generate ./...\nfirst difference at line %d:\nfile:      %s\ngenerated: %s",
			i+1, line(gl), line(wl))
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	t.Parallel()
	var a, b bytes.Buffer
	require.NoError(t, errcodepy.Generate(&a, errcode.Default))
	require.NoError(t, errcodepy.Generate(&b, errcode.Default))
	assert.Equal(t, a.String(), b.String())
}

func TestGenerateRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc, code, alias, wantErr string
	}{
		{"keyword", "None", "", `code "None" cannot be a Python class: "None" is a Python keyword`},
		{"not an identifier", "Vm.Error", "", `code "Vm.Error" cannot be a Python class: "Vm.Error" is not a Python identifier`},
		{"not ASCII", "Café", "", `code "Café" cannot be a Python class`},
		{"runtime function", "to_wire", "", `code "to_wire" is one of the generated module's own names`},
		{"runtime class", "WireError", "", `code "WireError" is one of the generated module's own names`},
		{"generated table", "_CATALOG", "", `code "_CATALOG" is one of the generated module's own names`},
		{"import", "Any", "", `code "Any" is one of the generated module's own names`},
		{"builtin", "ValueError", "", `code "ValueError" is one of the generated module's own names (or a Python builtin)`},
		{"alias keyword", "Fine", "class", `alias "class" cannot be a Python class: "class" is a Python keyword`},
		{"alias reserved", "Fine", "from_wire", `alias "from_wire" is one of the generated module's own names`},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			r := errcode.NewRegistry()
			c := r.MustRegister(tt.code, errcode.Code{}, errcode.Reason("RR"))
			if tt.alias != "" {
				r.MustAlias(tt.alias, c)
			}
			var out bytes.Buffer
			err := errcodepy.Generate(&out, r)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "errcodepy: "+tt.wantErr)
			assert.Zero(t, out.Len(), "Generate wrote output before refusing")
		})
	}
	var out bytes.Buffer
	assert.ErrorContains(t, errcodepy.Generate(&out, errcode.NewRegistry()), "errcodepy: the registry has no codes")
	assert.ErrorContains(t, errcodepy.Generate(&out, nil), "errcodepy: a nil Registry")
}

func TestReservedNames(t *testing.T) {
	t.Parallel()
	names := errcodepy.ReservedNames()
	for _, n := range []string{"to_wire", "to_json", "from_wire", "error_text", "retry_of", "is_retryable",
		"retry_after_of", "code_of", "name_of", "ancestors_of", "is_code", "fields_of", "WireError",
		"WireMessage", "GoTime", "MAX_DEPTH", "json", "_json", "Any", "Exception", "ExceptionGroup", "_CATALOG"} {
		assert.True(t, names[n], n)
	}
	for _, c := range errcode.Codes() {
		assert.False(t, names[c.Name()], c.Name())
	}
}

func python3(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not on PATH: the Python tests of errcodepy and python/ do not run")
	}
	return p
}

// TestGenerateOwnRegistry generates the module of a registry other than
// Default and checks it in Python: docstrings escaped as written, a root
// code with its own constructor, a child of a code with a custom
// constructor, inherited constructors, and the wire form.
func TestGenerateOwnRegistry(t *testing.T) {
	t.Parallel()
	py := python3(t)
	r := errcode.NewRegistry()
	root := r.MustRegister("AppError", errcode.Code{}, errcode.Doc(`app "errors" \ with é and """ quotes`),
		errcode.PythonInit(errcode.PythonParam{Name: "message", Type: "str"},
			errcode.PythonParam{Name: "user", Type: "str", Default: `"anon"`, Context: true}))
	quota := r.MustRegister("QuotaError", root, errcode.Transient, errcode.Doc("over quota"),
		errcode.PythonInit(errcode.PythonParam{Name: "message"},
			errcode.PythonParam{Name: "limit", Type: "int"},
			errcode.PythonParam{Name: "context", Default: "None"}))
	r.MustRegister("HardQuotaError", quota, errcode.Permanent)
	r.MustAlias("LimitError", quota)
	var out bytes.Buffer
	require.NoError(t, errcodepy.Generate(&out, r))
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "app_errors.py"), out.Bytes(), 0o644))
	script := `
import inspect, app_errors as m
assert m.AppError.__doc__ == 'app "errors" \\ with \u00e9 and """ quotes', repr(m.AppError.__doc__)
assert str(inspect.signature(m.AppError)) == "(message: str, user: str = 'anon')", inspect.signature(m.AppError)
assert str(inspect.signature(m.QuotaError)) == "(message, limit: int, context=None)", inspect.signature(m.QuotaError)
assert inspect.signature(m.HardQuotaError) == inspect.signature(m.QuotaError)
assert m.LimitError is m.QuotaError and m.HardQuotaError.__doc__ is None
e = m.AppError("boom")
assert (e.message, e.context, e.user, e.args) == ("boom", {"user": "anon"}, "anon", ("boom",)), vars(e)
q = m.HardQuotaError("over", 5, {"k": 1})
assert (q.message, q.context, q.limit) == ("over", {"k": 1}, 5), vars(q)
assert m.retry_of(q) == "permanent" and m.retry_of(m.QuotaError("x", 1)) == "transient"
back = m.from_wire(m.to_json(q))
assert type(back) is m.HardQuotaError and back.limit == 5 and back.context == {"k": 1}, vars(back)
assert m.ancestors_of(back) == ["QuotaError", "AppError"]
print("ok")
`
	cmd := exec.Command(py, "-c", script)
	cmd.Dir = dir
	got, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", got)
	assert.Equal(t, "ok\n", string(got))
}

// TestPython runs the Python tests of the generated module (python/tests,
// unittest, standard library only) and fails with their output.
func TestPython(t *testing.T) {
	t.Parallel()
	py := python3(t)
	cmd := exec.Command(py, "-m", "unittest", "discover", "-s", ".", "-t", ".", "-p", "test_*.py")
	cmd.Dir = filepath.Join("..", "python", "tests")
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python3 -m unittest (in python/tests) failed: %v\n%s", err, out)
	}
	if testing.Verbose() {
		t.Logf("%s", out)
	}
}
