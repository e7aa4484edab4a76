package errcode_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	"github.com/errcode/errcode"
)

// transportLayer is a transparent layer as a transport makes one: the
// queries see view, the wire forms wire.
type transportLayer struct {
	wire, view error
}

func (l *transportLayer) Error() string             { return l.wire.Error() }
func (l *transportLayer) Unwrap() error             { return l.view }
func (l *transportLayer) ErrcodeTransparent() error { return l.wire }

func newTransportLayer(wire error, c codes.Code) error {
	return &transportLayer{wire: wire, view: errcode.WithGRPCCode(wire, c)}
}

// TestTransparentLayer checks that Encode and EncodeJSON leave out a
// layer with an ErrcodeTransparent method wherever it is, while the
// queries see what it unwraps to.
func TestTransparentLayer(t *testing.T) {
	t.Parallel()
	wire := errcode.SandboxError.Wrap(errcode.VmCapacityError.New("pool full", "pool", "default"), "start vm")
	layer := newTransportLayer(wire, codes.ResourceExhausted)
	other := errcode.VmConfigError.New("bad")
	tests := []struct {
		desc string
		wrap func(error) error // called on the layer and on wire alike
	}{
		{"outermost", func(err error) error { return err }},
		{"through fmt.Errorf", func(err error) error { return fmt.Errorf("call pool: %w", err) }},
		{"under errcode's layers", func(err error) error {
			return errcode.WithRetry(errcode.WithFields(err, "attempt", 2), errcode.Permanent)
		}},
		{"under a coded layer and cockroachdb's Wrap", func(err error) error {
			return errcode.VmError.Wrap(crdberrors.Wrap(err, "boot"), "vm 7")
		}},
		{"in a join", func(err error) error { return errors.Join(other, fmt.Errorf("x: %w", err)) }},
		{"nested", func(err error) error {
			if err == wire {
				return fmt.Errorf("hop: %w", wire)
			}
			return newTransportLayer(fmt.Errorf("hop: %w", err), codes.Aborted)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			give, wantLike := tt.wrap(layer), tt.wrap(wire) // one line: the same stacks
			want, err := errcode.Encode(wantLike)
			require.NoError(t, err)
			got, err := errcode.Encode(give)
			require.NoError(t, err)
			assert.True(t, bytes.Equal(want, got), "Encode(%v) differs from Encode of the error without the layer", give)

			wantJSON, err := errcode.EncodeJSON(wantLike)
			require.NoError(t, err)
			gotJSON, err := errcode.EncodeJSON(give)
			require.NoError(t, err)
			assert.Equal(t, string(wantJSON), string(gotJSON), "EncodeJSON")

			decoded, err := errcode.Decode(got)
			require.NoError(t, err)
			assert.Equal(t, give.Error(), decoded.Error())
		})
	}

	// The queries see the layer's view.
	assert.Equal(t, codes.ResourceExhausted, errcode.GRPCCodeOf(layer))
	assert.Equal(t, codes.ResourceExhausted, errcode.GRPCCodeOf(fmt.Errorf("x: %w", layer)))
	assert.Equal(t, codes.ResourceExhausted, errcode.GRPCCodeOf(errcode.WithFields(layer, "k", 1)),
		"an errcode layer over it does not skip it")
	assert.Equal(t, codes.Unavailable, errcode.GRPCCodeOf(wire))
	assert.True(t, errcode.Is(layer, errcode.VmCapacityError))
	assert.Equal(t, errcode.Transient, errcode.RetryOf(layer))
	assert.Equal(t, map[string]any{"pool": "default"}, errcode.Fields(layer))
}

// TestTransparentLayerLimits checks that a transparent layer does not
// count towards MaxDepth.
func TestTransparentLayerLimits(t *testing.T) {
	t.Parallel()
	var err error = io.EOF
	for range errcode.MaxDepth - 1 {
		err = fmt.Errorf(fat+": %w", err) // layerBytes a layer, as the JSON form needs
	}
	_, encErr := errcode.Encode(err)
	require.NoError(t, encErr, "the test needs an error just within MaxDepth")
	layer := newTransportLayer(err, codes.NotFound)
	_, encErr = errcode.Encode(layer)
	assert.NoError(t, encErr, "Encode")
	_, encErr = errcode.EncodeJSON(layer)
	assert.NoError(t, encErr, "EncodeJSON")
	_, encErr = errcode.Encode(fmt.Errorf("x: %w", layer))
	assert.ErrorContains(t, encErr, "MaxDepth", "one layer more is past MaxDepth")
}

// selfLayer is a transparent layer that stands for itself: encoding it
// must end.
type selfLayer struct{}

func (s *selfLayer) Error() string             { return "self" }
func (s *selfLayer) ErrcodeTransparent() error { return s }

func TestTransparentLayerThatStandsForItself(t *testing.T) {
	t.Parallel()
	for _, err := range []error{&selfLayer{}, errcode.SandboxError.Wrap(&selfLayer{}, "x")} {
		b, eerr := errcode.Encode(err)
		require.NoError(t, eerr)
		got, derr := errcode.Decode(b)
		require.NoError(t, derr)
		assert.Equal(t, err.Error(), got.Error())
		_, jerr := errcode.EncodeJSON(err)
		require.NoError(t, jerr)
	}
}
