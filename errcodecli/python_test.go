package errcodecli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcodepy"
)

// TestPythonHook runs the python command with a stand-in generator
// (errcodepy.Generate's signature): given the registry Main runs over,
// its output or its error passed on. Not parallel: it sets the
// package's hook.
func TestPythonHook(t *testing.T) {
	own, _, _ := ownRegistry(t)
	defer func(g func(io.Writer, *errcode.Registry) error) { pythonGenerator = g }(pythonGenerator)
	pythonGenerator = func(w io.Writer, r *errcode.Registry) error {
		if _, ok := r.Lookup("StoreBusyError"); !ok {
			return errors.New(`code "x-y" is not a Python identifier`)
		}
		_, err := fmt.Fprintf(w, "# %d codes\n", len(r.Codes()))
		return err
	}
	stdout, _, _ := runWith(own, nil, "help")
	assert.Contains(t, stdout, "python  print the registry as a Python module")

	stdout, stderr, status := runWith(own, nil, "python")
	require.Equal(t, exitOK, status, stderr)
	assert.Equal(t, "# 2 codes\n", stdout)

	file := filepath.Join(t.TempDir(), "codes.py")
	_, stderr, status = runWith(own, nil, "python", "-o", file)
	require.Equal(t, exitOK, status, stderr)
	got, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, "# 2 codes\n", string(got))

	_, stderr, status = runWith(errcode.Default, nil, "python")
	assert.Equal(t, exitFailure, status)
	assert.Equal(t, "errcode python: code \"x-y\" is not a Python identifier\n", stderr)

	_, _, status = runWith(own, nil, "python", "extra")
	assert.Equal(t, exitUsage, status)
}

// TestPythonCommand: the python command writes what errcodepy.Generate
// writes for the registry it runs over, and refuses, exiting 1 with the
// generator's reason, a registry Python cannot mirror.
func TestPythonCommand(t *testing.T) {
	own, _, _ := ownRegistry(t)
	var want bytes.Buffer
	require.NoError(t, errcodepy.Generate(&want, own))
	stdout, stderr, status := runWith(own, nil, "python")
	require.Equal(t, exitOK, status, stderr)
	assert.Equal(t, want.String(), stdout)

	bad := errcode.NewRegistry()
	_, err := bad.Register("class", errcode.Code{})
	require.NoError(t, err)
	_, stderr, status = runWith(bad, nil, "python")
	assert.Equal(t, exitFailure, status)
	assert.Contains(t, stderr, "errcode python: ")
	assert.Contains(t, stderr, `"class"`)
}
