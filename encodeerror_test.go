package errcode_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/cockroachdb/errors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
)

// TestEncodeErrorPastLimits checks that cockroachdb's EncodeError, which
// cannot return an error, sends fields past the limits as what a receiver
// accepts, saying what it left out — where Encode refuses.
func TestEncodeErrorPastLimits(t *testing.T) {
	t.Parallel()
	kv := []any{"blob", strings.Repeat("x", errcode.MaxFieldSize+5)}
	for i := range errcode.MaxFields + 3 {
		kv = append(kv, fmt.Sprintf("k%03d", i), i)
	}
	err := errcode.VmConfigError.New("too much", kv...)

	_, encErr := errcode.Encode(err)
	require.Error(t, encErr, "Encode of fields past the limits")
	assert.Contains(t, encErr.Error(), "MaxFieldSize")

	enc := errors.EncodeError(context.Background(), err) // must not panic
	data, merr := enc.Marshal()
	require.NoError(t, merr)
	decoded, decErr := errcode.Decode(data)
	require.NoError(t, decErr, "what EncodeError sent must decode")

	fs := errcode.Fields(decoded)
	assert.Len(t, fs, errcode.MaxFields)
	assert.Contains(t, fs[errcode.DroppedKey], "fields not sent: over MaxFields")
	assert.Contains(t, fs["blob"], "value not sent")
	assert.Contains(t, fs["blob"], "MaxFieldSize")
	assert.Equal(t, 0, fs["k000"], "a field within the limits is sent as it was")
	assert.True(t, errcode.Is(decoded, errcode.VmConfigError))
}
