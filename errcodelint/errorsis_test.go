package errcodelint_test

import (
	"fmt"
	"go/format"
	"go/token"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/errcode/errcode/errcodelint"
)

// enableErrorsIs sets errorsis's flag enable for the test.
func enableErrorsIs(t *testing.T, on bool) {
	t.Helper()
	flag := errcodelint.ErrorsIs.Flags.Lookup("enable")
	require.NotNil(t, flag, "errorsis has no flag enable")
	old := flag.Value.String()
	require.NoError(t, flag.Value.Set(strconv.FormatBool(on)))
	t.Cleanup(func() { _ = flag.Value.Set(old) })
}

func TestErrorsIs(t *testing.T) {
	enableErrorsIs(t, true)
	results := analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), errcodelint.ErrorsIs,
		"errorsis/fix", "errorsis/drop", "errorsis/noimport")

	// The driver that applies the fixes above also removes imports left
	// unused; apply them here with nothing else to show that the fixes
	// themselves leave no unused import.
	for _, r := range results {
		byFile := make(map[string][]analysis.TextEdit)
		fset := r.Action.Package.Fset
		for _, d := range r.Action.Diagnostics {
			for _, fix := range d.SuggestedFixes {
				for _, e := range fix.TextEdits {
					name := fset.File(e.Pos).Name()
					byFile[name] = append(byFile[name], e)
				}
			}
		}
		for name, edits := range byFile {
			src, err := os.ReadFile(name)
			require.NoError(t, err)
			fixed, err := format.Source(applyEdits(t, fset, src, edits))
			require.NoError(t, err, "%s: the fixed source does not format", name)
			golden, err := os.ReadFile(name + ".golden")
			require.NoError(t, err)
			assert.Equal(t, string(golden), string(fixed), "%s fixed by its own edits", name)
		}
	}
}

// applyEdits applies edits to src, identical edits once (as fixes
// applied together coalesce them).
func applyEdits(t *testing.T, fset *token.FileSet, src []byte, edits []analysis.TextEdit) []byte {
	t.Helper()
	type span struct {
		start, end int
		text       string
	}
	var spans []span
	for _, e := range edits {
		f := fset.File(e.Pos)
		s := span{f.Offset(e.Pos), f.Offset(e.End), string(e.NewText)}
		if !slices.Contains(spans, s) {
			spans = append(spans, s)
		}
	}
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	var out []byte
	at := 0
	for _, s := range spans {
		require.GreaterOrEqual(t, s.start, at, "overlapping edits")
		out = append(out, src[at:s.start]...)
		out = append(out, s.text...)
		at = s.end
	}
	return append(out, src[at:]...)
}

// TestErrorsIsOffByDefault shows errorsis reports nothing unless its
// flag is set, on a package where it finds one when it is.
func TestErrorsIsOffByDefault(t *testing.T) {
	require.Equal(t, "false", errcodelint.ErrorsIs.Flags.Lookup("enable").DefValue)
	enableErrorsIs(t, false)
	n := 0
	for _, r := range analysistest.Run(t, analysistest.TestData(), errcodelint.ErrorsIs, "errorsis/off") {
		n += len(r.Action.Diagnostics)
	}
	assert.Zero(t, n, "errorsis reported findings with its flag unset")

	// Enabled, the package's errors.Is(err, NotFound) is a finding; off
	// has no want comment, so Run reports it as unexpected: record that.
	rec := &recorder{}
	enableErrorsIs(t, true)
	analysistest.Run(rec, analysistest.TestData(), errcodelint.ErrorsIs, "errorsis/off")
	require.Len(t, rec.errs, 1)
	assert.Contains(t, rec.errs[0], "unexpected diagnostic: errors.Is with an errcode Code")
}

// recorder is an analysistest.Testing that keeps what it is told.
type recorder struct{ errs []string }

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
