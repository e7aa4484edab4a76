package errcodelint_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/errcode/errcode/errcodelint"
)

// TestBoundary loads the packages of testdata/src/boundary in the
// module, so they import the real errcode and cockroachdb/errors.
func TestBoundary(t *testing.T) {
	analysistest.Run(t, "..", errcodelint.Boundary, "./errcodelint/testdata/src/boundary/...")
}
