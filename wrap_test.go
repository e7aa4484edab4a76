package errcode_test

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/errcode/errcode"
	"github.com/stretchr/testify/assert"
)

// firstStackFrame returns the function of the first frame of the first
// stack trace in a "%+v" rendering of an error, or "" if it has none.
func firstStackFrame(tb testing.TB, verbose string) string {
	tb.Helper()
	lines := strings.Split(verbose, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) == "-- stack trace:" && i+1 < len(lines) {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(lines[i+1]), "|"))
		}
	}
	return ""
}

func TestErrorString(t *testing.T) {
	t.Parallel()
	wrapped := errcode.SnapshotError.Wrap(io.EOF, "load")
	tests := []struct {
		desc    string
		giveErr error
		wantMsg string
	}{
		{"New", errcode.VmConfigError.New("bad cpu count"), "bad cpu count"},
		{"New with fields", errcode.VmConfigError.New("bad cpu count", "cpus", 0), "bad cpu count"},
		{"New with an empty message", errcode.VmConfigError.New(""), ""},
		{"Newf", errcode.VmConfigError.Newf("bad cpu count %d", 0), "bad cpu count 0"},
		{"Wrap", errcode.SnapshotError.Wrap(io.EOF, "load snapshot"), "load snapshot: EOF"},
		{"Wrap with an empty message", errcode.SnapshotError.Wrap(io.EOF, ""), "EOF"},
		{"Wrapf", errcode.SnapshotError.Wrapf(io.EOF, "load %s", "snap-1"), "load snap-1: EOF"},
		{"Wrapf with an empty message", errcode.SnapshotError.Wrapf(io.EOF, ""), "EOF"},
		{"Wrap of Wrap", errcode.SandboxError.Wrap(errcode.SnapshotError.Wrap(io.EOF, "inner"), "outer"), "outer: inner: EOF"},
		{"Stackless Wrap", errcode.VmCapacityError.Wrap(io.EOF, "acquire"), "acquire: EOF"},
		{"Wrap of a bare Code", errcode.SandboxError.Wrap(errcode.VmConfigError, "start"), "start: VmConfigError"},
		{"cockroachdb Wrap of New", crdberrors.Wrap(errcode.VmConfigError.New("bad"), "ctx"), "ctx: bad"},
		{"WithRetry keeps the message", errcode.WithRetry(wrapped, errcode.Transient), "load: EOF"},
		{"WithFields keeps the message", errcode.WithFields(wrapped, "k", "v"), "load: EOF"},
		{"WithRetryAfter keeps the message", errcode.WithRetryAfter(wrapped, time.Second), "load: EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.wantMsg, tt.giveErr.Error(), "Error() = %q; want %q", tt.giveErr.Error(), tt.wantMsg)
			assert.Equal(t, tt.wantMsg, tt.giveErr.Error(), "second Error() = %q; want %q", tt.giveErr.Error(), tt.wantMsg)
			assert.Equal(t, tt.wantMsg, fmt.Sprintf("%v", tt.giveErr), "%%v = %q; want %q", fmt.Sprintf("%v", tt.giveErr), tt.wantMsg)
		})
	}
}

func TestFormatStack(t *testing.T) {
	t.Parallel()
	const caller = "github.com/errcode/errcode_test.TestFormatStack"
	reg := errcode.NewRegistry()
	hot := reg.MustRegister("Hot", errcode.Code{}, errcode.Stackless())
	warm := reg.MustRegister("Warm", hot)

	tests := []struct {
		desc      string
		giveErr   error
		giveCode  errcode.Code
		wantFrame string // "" for no stack trace
	}{
		{"New", errcode.VmBootTimeoutError.New("timeout"), errcode.VmBootTimeoutError, caller},
		{"Newf", errcode.VmBootTimeoutError.Newf("timeout after %ds", 30), errcode.VmBootTimeoutError, caller},
		{"Wrap", errcode.SnapshotError.Wrap(io.EOF, "load"), errcode.SnapshotError, caller},
		{"Wrapf", errcode.SnapshotError.Wrapf(io.EOF, "load %s", "snap"), errcode.SnapshotError, caller},
		{"Stackless New", hot.New("hot"), hot, ""},
		{"Stackless Newf", hot.Newf("hot %d", 1), hot, ""},
		{"Stackless Wrap", hot.Wrap(io.EOF, "hot"), hot, ""},
		{"Stackless Wrapf", hot.Wrapf(io.EOF, "hot %d", 1), hot, ""},
		{"Stackless is not inherited", warm.New("warm"), warm, caller},
		{"catalog VmCapacityError is Stackless", errcode.VmCapacityError.New("pool full"), errcode.VmCapacityError, ""},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			verbose := fmt.Sprintf("%+v", tt.giveErr)
			got := firstStackFrame(t, verbose)
			assert.Equal(t, tt.wantFrame, got, "%%+v first frame = %q; want %q in\n%s", got, tt.wantFrame, verbose)
			if tt.wantFrame == "" {
				assert.NotContains(t, verbose, "stack trace", "%%+v of a Stackless code's error shows a stack:\n%s", verbose)
			}
			assert.True(t, strings.HasPrefix(verbose, tt.giveErr.Error()), "%%+v does not start with the message:\n%s", verbose)
			assert.Contains(t, verbose, "errcode: "+tt.giveCode.Name(), "%%+v does not name the code:\n%s", verbose)
		})
	}
}
