package errcodelint_test

import (
	"errors"
	"fmt"
	"testing"

	crdb "github.com/cockroachdb/errors"
	"github.com/stretchr/testify/assert"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcodelint"
)

// TestBoundary loads the packages of testdata/src/boundary in the
// module, so they import the real errcode and cockroachdb/errors.
func TestBoundary(t *testing.T) {
	analysistest.Run(t, "..", errcodelint.Boundary, "./errcodelint/testdata/src/boundary/...")
}

// TestBoundaryMakersCarryNoCode checks what Boundary's doc says "without
// a code" means: each maker it reports leaves no code on the chain even
// when a coded error is among its arguments under a verb other than %w,
// and with %w the code is there, which is why such a call is not
// reported.
func TestBoundaryMakersCarryNoCode(t *testing.T) {
	t.Parallel()
	coded := errcode.VmConfigError.New("vcpus must be 1-64")
	tests := []struct {
		desc     string
		giveErr  error
		wantCode errcode.Code
	}{
		{"errors.New", errors.New("x"), errcode.Code{}},
		{"fmt.Errorf %v", fmt.Errorf("parse: %v", coded), errcode.Code{}},
		{"fmt.Errorf %w", fmt.Errorf("parse: %w", coded), errcode.VmConfigError},
		{"crdb.New", crdb.New("x"), errcode.Code{}},
		{"crdb.NewWithDepth", crdb.NewWithDepth(0, "x"), errcode.Code{}},
		{"crdb.Newf %v", crdb.Newf("parse: %v", coded), errcode.Code{}},
		{"crdb.Newf %w", crdb.Newf("parse: %w", coded), errcode.VmConfigError},
		{"crdb.Errorf %v", crdb.Errorf("parse: %v", coded), errcode.Code{}},
		{"crdb.Errorf %w", crdb.Errorf("parse: %w", coded), errcode.VmConfigError},
		{"crdb.NewWithDepthf %v", crdb.NewWithDepthf(0, "parse: %v", coded), errcode.Code{}},
		{"crdb.NewWithDepthf %w", crdb.NewWithDepthf(0, "parse: %w", coded), errcode.VmConfigError},
		{"crdb.AssertionFailedf %v", crdb.AssertionFailedf("parse: %v", coded), errcode.Code{}},
		{"crdb.AssertionFailedf %w", crdb.AssertionFailedf("parse: %w", coded), errcode.VmConfigError},
		{"crdb.AssertionFailedWithDepthf %v", crdb.AssertionFailedWithDepthf(0, "parse: %v", coded), errcode.Code{}},
		{"crdb.AssertionFailedWithDepthf %w", crdb.AssertionFailedWithDepthf(0, "parse: %w", coded), errcode.VmConfigError},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.wantCode, errcode.CodeOf(tt.giveErr), "CodeOf(%v)", tt.giveErr)
		})
	}
}
