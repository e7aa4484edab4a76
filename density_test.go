package errcode_test

import (
	stderrors "errors"
	"fmt"
	"testing"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
)

// TestDensityLimitsAcceptRealErrors: the density limits (layers and safe
// details for the bytes they come in) refuse only what no real sender
// writes. Errors of the shapes programs make round-trip in every form,
// and each decoded layer re-encodes as it came even where layers share
// what they came with (the same code and details in many layers).
func TestDensityLimitsAcceptRealErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc string
		make func() error
	}{
		{"20 fmt.Errorf wrappers", func() error {
			err := stderrors.New("connection refused")
			for i := range 20 {
				err = fmt.Errorf("x%d: %w", i, err)
			}
			return err
		}},
		{"10 cockroachdb Wrap layers", func() error {
			err := crdberrors.New("disk full")
			for i := range 10 {
				err = crdberrors.Wrapf(err, "step %d", i)
			}
			return err
		}},
		{"8 coded wraps with stacks", func() error {
			err := errcode.VmOverlayError.New("qemu-img failed")
			for i := range 8 {
				err = errcode.VmTransientError.Wrapf(err, "attempt %d", i)
			}
			return err
		}},
		{"the same coded wrap 40 times", func() error {
			err := errcode.GuestAgentError.New("agent")
			for range 40 {
				err = errcode.GuestAgentError.Wrap(err, "")
			}
			return err
		}},
		{"a join of 30 short errors", func() error {
			errs := make([]error, 30)
			for i := range errs {
				errs[i] = fmt.Errorf("e%d", i)
			}
			return stderrors.Join(errs...)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			orig := tt.make()
			for _, form := range wireForms {
				b1, err := form.encode(orig)
				require.NoError(t, err, "%s encode", form.name)
				got, err := form.decode(errcode.Default, b1)
				require.NoError(t, err, "%s decode of %d bytes", form.name, len(b1))
				assert.Equal(t, orig.Error(), got.Error(), "%s: Error()", form.name)
				assert.Equal(t, errcode.CodeOf(orig), errcode.CodeOf(got), "%s: CodeOf", form.name)
				b2, err := form.encode(got)
				require.NoError(t, err, "%s encode of the decoded error", form.name)
				assert.Equal(t, b1, b2, "%s: the decoded error encodes to the bytes it came as", form.name)
			}
		})
	}
}
