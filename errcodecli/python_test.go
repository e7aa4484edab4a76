package errcodecli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
)

// TestPythonHook runs the python command with a stand-in generator
// (errcodepy.Generate's signature): listed only when one is set, given
// the registry Main runs over, its output or its error passed on. Not
// parallel: it sets the package's hook.
func TestPythonHook(t *testing.T) {
	own, _, _ := ownRegistry(t)
	stdout, _, _ := runWith(own, nil, "help")
	assert.NotContains(t, stdout, "python", "no python command without a generator")
	_, _, status := runWith(own, nil, "python")
	assert.Equal(t, exitUsage, status, "python is an unknown command without a generator")

	defer func() { pythonGenerator = nil }()
	pythonGenerator = func(w io.Writer, r *errcode.Registry) error {
		if _, ok := r.Lookup("StoreBusyError"); !ok {
			return errors.New(`code "x-y" is not a Python identifier`)
		}
		_, err := fmt.Fprintf(w, "# %d codes\n", len(r.Codes()))
		return err
	}
	stdout, _, _ = runWith(own, nil, "help")
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
