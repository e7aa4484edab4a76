package errcode_test

import (
	stderrors "errors"
	"fmt"
	"io"
	"io/fs"
	"os/exec"
	"strings"
	"testing"
	"time"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	semconv137 "go.opentelemetry.io/otel/semconv/v1.37.0"
	semconv139 "go.opentelemetry.io/otel/semconv/v1.39.0"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/errcode/errcode"
)

// otherType is semconv's error.type for a value outside the known set.
var otherType = semconv.ErrorTypeOther.Value.AsString()

// roundTrip returns err after errcode.Encode and errcode.Decode.
func roundTrip(tb testing.TB, err error) error {
	tb.Helper()
	b, eerr := errcode.Encode(err)
	require.NoError(tb, eerr, "Encode(%v)", err)
	dec, derr := errcode.Decode(b)
	require.NoError(tb, derr, "Decode(Encode(%v))", err)
	return dec
}

// customTypeErr is an error of another library with its own ErrorType.
type customTypeErr string

func (e customTypeErr) Error() string     { return "custom " + string(e) }
func (e customTypeErr) ErrorType() string { return string(e) }

// TestErrorType checks the error.type that OpenTelemetry's
// semconv.ErrorType gives errcode's errors: the canonical name of the
// outermost code this process knows, live, decoded and wrapped.
func TestErrorType(t *testing.T) {
	t.Parallel()
	// A peer's registry: codes named as in Default, and codes Default lacks.
	peer := errcode.NewRegistry()
	peerSandbox := peer.MustRegister("SandboxError", errcode.Code{})
	peerTransient := peer.MustRegister("TransientError", peerSandbox, errcode.Transient)
	peerRestore := peer.MustRegister("VmSnapshotRestoreError", peerTransient)
	peerOnly := peer.MustRegister("PeerOnlyError", errcode.Code{})
	peerOnlyChild := peer.MustRegister("PeerOnlyChildError", peerOnly)

	live := errcode.VmCapacityError.New("pool full")
	tests := []struct {
		desc    string
		giveErr error
		want    string
	}{
		{"nil", nil, otherType},
		{"live leaf", live, "VmCapacityError"},
		{"live wrapper: the outermost code", errcode.SandboxError.Wrap(errcode.VmBootTimeoutError.New("slow"), "boot"), "SandboxError"},
		{"Newf", errcode.VmConfigError.Newf("vcpus=%d", 0), "VmConfigError"},
		{"alias: the canonical name", errcode.VmError.New("x"), "VmPermanentError"},
		{"bare Code", errcode.VmConfigError, "VmConfigError"},
		{"zero Code", errcode.Code{}, otherType},
		{"fmt.Errorf-wrapped", fmt.Errorf("op: %w", live), "VmCapacityError"},
		{"fmt.Errorf-wrapped twice", fmt.Errorf("a: %w", fmt.Errorf("b: %w", live)), "VmCapacityError"},
		{"cockroachdb-wrapped", crdberrors.Wrap(live, "op"), "VmCapacityError"},
		{"second branch of a join", stderrors.Join(io.EOF, live), "VmCapacityError"},
		{"fields outside the code", errcode.WithFields(live, "vm", "vm-1"), "VmCapacityError"},
		{"retry override outside the code", errcode.WithRetry(live, errcode.Permanent), "VmCapacityError"},
		{"retry-after outside the code", errcode.WithRetryAfter(errcode.WithFields(live, "k", 1), time.Second), "VmCapacityError"},
		{"decoded", roundTrip(t, errcode.SandboxError.Wrap(live, "start", "vm", "vm-1")), "SandboxError"},
		{"decoded, fmt.Errorf-wrapped", fmt.Errorf("rpc: %w", roundTrip(t, live)), "VmCapacityError"},
		{"decoded bare Code", roundTrip(t, errcode.VmConfigError), "VmConfigError"},
		{"decoded layers without a code", roundTrip(t, errcode.WithRetry(errcode.WithFields(live, "k", "v"), errcode.Permanent)), "VmCapacityError"},
		{"peer's code under known names: nearest known ancestor", roundTrip(t, peerRestore.New("x")), "TransientError"},
		{"peer's code known by name", roundTrip(t, peerTransient.New("x")), "TransientError"},
		{"peer-only code", roundTrip(t, peerOnlyChild.New("x")), otherType},
		{"peer-only bare Code", roundTrip(t, peerOnlyChild), otherType},
		{"peer-only code under fields", roundTrip(t, errcode.WithFields(peerOnly.New("x"), "k", "v")), otherType},
		{"peer-only code wrapping a known one: the known one", roundTrip(t, peerOnly.Wrap(live, "x")), "VmCapacityError"},
		{"no code", io.EOF, "*errors.errorString"},
		{"no code, fmt.Errorf-wrapped", fmt.Errorf("op: %w", io.EOF), "*errors.errorString"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got := semconv.ErrorType(tt.giveErr)
			assert.Equal(t, semconv.ErrorTypeKey, got.Key)
			assert.Equal(t, tt.want, got.Value.AsString(), "ErrorType(%v) = %v; want %v", tt.giveErr, got.Value.AsString(), tt.want)
		})
	}
}

// TestErrorTypeSemconv137 checks that semconv v1.37.0 and v1.39.0, which
// ask only the outermost error for ErrorType, label an errcode error by
// code, and a fmt.Errorf-wrapped one by the wrapper's type.
func TestErrorTypeSemconv137(t *testing.T) {
	t.Parallel()
	for name, errorType := range map[string]func(error) attribute.KeyValue{
		"v1.37.0": semconv137.ErrorType,
		"v1.39.0": semconv139.ErrorType,
	} {
		for _, err := range []error{
			errcode.VmCapacityError.New("full"),
			errcode.VmCapacityError,
			errcode.WithFields(errcode.VmCapacityError.New("full"), "k", "v"),
			roundTrip(t, errcode.VmCapacityError.New("full")),
		} {
			assert.Equal(t, "VmCapacityError", errorType(err).Value.AsString(), "%s ErrorType(%v)", name, err)
		}
		err := fmt.Errorf("op: %w", errcode.VmCapacityError.New("full"))
		assert.Equal(t, "*fmt.wrapError", errorType(err).Value.AsString(), "%s ErrorType(%v)", name, err)
	}
}

// TestErrorTypeLayersWithoutCode checks that WithFields, WithRetry and
// WithRetryAfter leave error.type as semconv gives it for what they wrap.
func TestErrorTypeLayersWithoutCode(t *testing.T) {
	t.Parallel()
	layers := map[string]func(error) error{
		"WithFields":     func(err error) error { return errcode.WithFields(err, "k", "v") },
		"WithRetry":      func(err error) error { return errcode.WithRetry(err, errcode.Transient) },
		"WithRetryAfter": func(err error) error { return errcode.WithRetryAfter(err, time.Second) },
	}
	causes := map[string]error{
		"plain":                      io.EOF,
		"pointer type":               &fs.PathError{Op: "open", Path: "/x", Err: fs.ErrNotExist},
		"fmt.Errorf-wrapped":         fmt.Errorf("op: %w", io.EOF),
		"cockroachdb-wrapped":        crdberrors.Wrap(io.EOF, "op"),
		"custom ErrorType":           fmt.Errorf("op: %w", customTypeErr("custom")),
		"empty custom ErrorType":     customTypeErr(""),
		"code under a custom type":   fmt.Errorf("op: %w", errcode.VmCapacityError.New("x")),
		"another layer without code": errcode.WithFields(io.EOF, "a", 1),
		"code":                       errcode.VmConfigError.New("x"),
	}
	for lname, layer := range layers {
		for cname, cause := range causes {
			t.Run(lname+"/"+cname, func(t *testing.T) {
				t.Parallel()
				want := semconv.ErrorType(cause).Value.AsString()
				got := semconv.ErrorType(layer(cause)).Value.AsString()
				assert.Equal(t, want, got, "ErrorType(%s(%v)) = %v; want %v", lname, cause, got, want)
			})
		}
	}
}

// TestNoOtelDependency checks that errcode itself builds without
// OpenTelemetry: ErrorType needs none, and only the tests and
// errcodeotel import it.
func TestNoOtelDependency(t *testing.T) {
	t.Parallel()
	out, err := exec.Command(goTool(t), "list", "-deps", ".").CombinedOutput()
	require.NoError(t, err, "go list -deps: %s", out)
	for _, pkg := range strings.Fields(string(out)) {
		assert.False(t, strings.HasPrefix(pkg, "go.opentelemetry.io/"), "errcode imports %s", pkg)
	}
}
