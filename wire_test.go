package errcode_test

import (
	"context"
	"sync"
	"testing"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/errcode/errcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWithRegistryConcurrent decodes, from many goroutines at once, with
// one context made by WithRegistry: well-formed errors bind to its
// registry, and malformed layers (whose problems the decoders note) stay
// opaque. Run with -race: a context that held per-call state — the
// problems of a decode, which grow with each one — would be written by
// every goroutine.
func TestWithRegistryConcurrent(t *testing.T) {
	t.Parallel()
	r := errcode.NewRegistry()
	root := r.MustRegister("RootError", errcode.Code{}, errcode.Permanent)
	leaf := r.MustRegister("LeafError", root)

	good := crdberrors.EncodeError(context.Background(), leaf.New("good"))
	bad := crdberrors.EncodeError(context.Background(), leaf.New("bad"))
	details := &bad.GetLeaf().Details
	details.ReportablePayload = append([]string{"retry=sometimes"}, details.ReportablePayload[1:]...)

	ctx := errcode.WithRegistry(context.Background(), r)
	const goroutines, decodes = 8, 200
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for i := range decodes {
				enc := good
				if i%2 == 1 {
					enc = bad
				}
				got := crdberrors.DecodeError(ctx, enc)
				if i%2 == 1 {
					assert.True(t, errcode.CodeOf(got).IsZero(), "a malformed layer stays opaque")
					continue
				}
				assert.Equal(t, leaf, errcode.CodeOf(got), "CodeOf")
				assert.Equal(t, errcode.Permanent, errcode.RetryOf(got), "RetryOf")
			}
		})
	}
	wg.Wait()

	// Decode, which makes its own state, still reports the problem.
	b, err := bad.Marshal()
	require.NoError(t, err)
	_, err = r.Decode(b)
	require.ErrorContains(t, err, "sometimes")
}
