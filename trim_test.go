package errcode_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	"github.com/errcode/errcode"
)

// layered returns a chain of n coded layers over a VmCapacityError, each
// with a field, made in a loop so that their stacks share frames.
func layered(n int) error {
	err := errcode.VmCapacityError.New("pool full", "pool", "default", "tenant", errcode.Safe("t1"))
	for i := 1; i < n; i++ {
		err = errcode.SandboxError.Wrap(err, fmt.Sprintf("layer %d", i), "i", i)
	}
	return err
}

//lint:ignore ST1008 the decoded error is the result, not a failure
func decodeTrimmed(t *testing.T, err error, tr errcode.Trim) (decoded error, data []byte, msg string) {
	t.Helper()
	data, msg, encErr := errcode.NewTrimmer(err).Encode(tr)
	require.NoError(t, encErr)
	decoded, decErr := errcode.Decode(data)
	require.NoError(t, decErr)
	assert.Equal(t, decoded.Error(), msg, "Encode's message is the decoded error's")
	return decoded, data, msg
}

func TestTrimNone(t *testing.T) {
	t.Parallel()
	err := layered(3)
	want, encErr := errcode.Encode(err)
	require.NoError(t, encErr)
	data, msg, encErr := errcode.NewTrimmer(err).Encode(errcode.Trim{})
	require.NoError(t, encErr)
	assert.Equal(t, want, data)
	assert.Equal(t, err.Error(), msg)
	assert.Nil(t, errcode.NewTrimmer(nil))
}

func TestTrimStacks(t *testing.T) {
	t.Parallel()
	err := crdberrors.Wrap(layered(5), "crdb")
	tm := errcode.NewTrimmer(err)
	assert.Equal(t, 5, tm.Stacks(), "four SandboxError layers and cockroachdb's withStack (VmCapacityError is Stackless)")
	full, _, _ := tm.Encode(errcode.Trim{})
	decoded, elided, _ := decodeTrimmed(t, err, errcode.Trim{ElideStacks: true})
	assert.Less(t, len(elided), len(full))
	assert.Contains(t, fmt.Sprintf("%+v", decoded), "[...repeated from below...]")
	// The innermost stack is kept whole.
	_, one, _ := decodeTrimmed(t, err, errcode.Trim{DropStacks: 1})
	assert.Less(t, len(one), len(full))
	decoded, none, _ := decodeTrimmed(t, err, errcode.Trim{DropStacks: -1})
	assert.NotContains(t, string(none), ".go:")
	assert.NotContains(t, fmt.Sprintf("%+v", decoded), "trim_test.go")
	assert.Equal(t, err.Error(), decoded.Error())
	assert.True(t, errcode.Is(decoded, errcode.VmCapacityError))
}

func TestTrimFields(t *testing.T) {
	t.Parallel()
	err := layered(2)
	decoded, _, _ := decodeTrimmed(t, err, errcode.Trim{RedactFields: true})
	assert.Equal(t, map[string]any{"pool": "‹×›", "tenant": "t1", "i": "‹×›"}, errcode.Fields(decoded))
	decoded, _, _ = decodeTrimmed(t, err, errcode.Trim{DropFields: true})
	assert.Nil(t, errcode.Fields(decoded))
}

func TestTrimLayers(t *testing.T) {
	t.Parallel()
	err := errcode.WithRetryAfter(layered(50), 3*time.Second)
	tm := errcode.NewTrimmer(err)
	assert.Equal(t, 51, tm.Layers())
	assert.Equal(t, 1, tm.CodedLayer())
	decoded, _, msg := decodeTrimmed(t, err, errcode.Trim{KeepLayers: 2})
	assert.Equal(t, "layer 49: errcode: 49 inner layers not sent", msg)
	assert.Equal(t, errcode.SandboxError, errcode.CodeOf(decoded))
	assert.Equal(t, errcode.Transient, errcode.RetryOf(decoded), "the VmCapacityError inside decided it")
	assert.Equal(t, 3*time.Second, errcode.RetryAfterOf(decoded))
	assert.Equal(t, codes.Unavailable, errcode.GRPCCodeOf(decoded))
	assert.False(t, errcode.Is(decoded, errcode.VmCapacityError), "the cut layers are gone")
}

func TestTrimPastLimits(t *testing.T) {
	t.Parallel()
	deep := layered(200)
	_, encErr := errcode.Encode(deep)
	require.Error(t, encErr)
	decoded, _, _ := decodeTrimmed(t, deep, errcode.Trim{})
	assert.Equal(t, errcode.Transient, errcode.RetryOf(decoded))

	big := errcode.VmConfigError.New("bad", "blob", strings.Repeat("x", 1<<20))
	decoded, _, _ = decodeTrimmed(t, big, errcode.Trim{})
	v, _ := errcode.Field[string](decoded, "blob")
	assert.Contains(t, v, "value not sent")
}

func TestTrimMessages(t *testing.T) {
	t.Parallel()
	err := errcode.SandboxError.Wrapf(errcode.VmConfigError.New(strings.Repeat("é", 1000)), "start %s", "vm-7")
	decoded, _, msg := decodeTrimmed(t, err, errcode.Trim{MaxMessage: 101})
	assert.Equal(t, "start vm-7: "+strings.Repeat("é", 50)+"…(1900 bytes cut)", msg)
	assert.Equal(t, errcode.SandboxError, errcode.CodeOf(decoded))
	assert.Equal(t, "start ×: "+strings.Repeat("é", 50)+"…(1900 bytes cut)", crdberrors.Redact(decoded),
		"a cut safe literal stays safe; an uncut Wrapf message keeps its redactable form")
}
