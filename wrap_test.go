package errcode_test

import (
	stderrors "errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/cockroachdb/errors/errbase"
	"github.com/errcode/errcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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

// TestAs checks that errors.As(err, &c) with a Code c, the standard
// library's and cockroachdb's, finds the code CodeOf gives, live and
// after Encode and Decode.
func TestAs(t *testing.T) {
	t.Parallel()
	sender := errcode.NewRegistry()
	sRoot := sender.MustRegister("Root", errcode.Code{})
	sChild := sender.MustRegister("Child", sRoot)
	sKnown := sender.MustRegister("Known", errcode.Code{})
	receiver := errcode.NewRegistry()
	rRoot := receiver.MustRegister("Root", errcode.Code{})
	onlyKnown := errcode.NewRegistry()
	oKnown := onlyKnown.MustRegister("Known", errcode.Code{})

	tests := []struct {
		desc    string
		giveErr error
		giveReg *errcode.Registry // decodes the wire form
		want    errcode.Code      // zero: As reports false
	}{
		{"New", errcode.VmConfigError.New("bad"), errcode.Default, errcode.VmConfigError},
		{"the outermost of two coded layers", errcode.SandboxError.Wrap(errcode.VmConfigError.New("bad"), "start"), errcode.Default, errcode.SandboxError},
		{"under fmt.Errorf and cockroachdb's Wrap", fmt.Errorf("op: %w", crdberrors.Wrap(errcode.VmCapacityError.New("full"), "acquire")), errcode.Default, errcode.VmCapacityError},
		{"under WithFields and WithRetry", errcode.WithRetry(errcode.WithFields(errcode.VmConfigError.New("bad"), "k", "v"), errcode.Transient), errcode.Default, errcode.VmConfigError},
		{"bare Code", fmt.Errorf("op: %w", errcode.VmGvproxyError), errcode.Default, errcode.VmGvproxyError},
		{"second branch of a join", stderrors.Join(io.EOF, errcode.VmConfigError.New("bad")), errcode.Default, errcode.VmConfigError},
		{"no code", crdberrors.Wrap(io.EOF, "read"), errcode.Default, errcode.Code{}},
		{"a code the receiver lacks: its nearest known ancestor", sChild.New("x"), receiver, rRoot},
		{"a code with no known ancestor: the next code in", sChild.Wrap(sKnown.New("x"), "y"), onlyKnown, oKnown},
		{"only a code with no known ancestor", errcode.WithFields(sKnown.Wrap(io.EOF, "x"), "k", "v"), errcode.NewRegistry(), errcode.Code{}},
	}
	for _, tt := range tests {
		b, err := errcode.Encode(tt.giveErr)
		require.NoError(t, err)
		decoded, err := tt.giveReg.Decode(b)
		require.NoError(t, err)
		forms := map[string]error{"decoded": decoded}
		if tt.giveReg == errcode.Default {
			forms["live"] = tt.giveErr
		}
		for form, err := range forms {
			t.Run(tt.desc+"/"+form, func(t *testing.T) {
				t.Parallel()
				assert.True(t, tt.want == errcode.CodeOf(err), "CodeOf = %v; want %v", errcode.CodeOf(err), tt.want)
				for name, as := range map[string]func(error, any) bool{"errors.As": stderrors.As, "cockroachdb errors.As": crdberrors.As} {
					var c errcode.Code
					ok := as(err, &c)
					assert.Equal(t, !tt.want.IsZero(), ok, "%s(err, &c) = %v; want %v", name, ok, !ok)
					assert.True(t, tt.want == c, "%s: c = %v; want %v", name, c, tt.want)
				}
			})
		}
	}
}

// TestAsBareWireCode pins the one case where errors.As and CodeOf differ
// on a tree without marks: errors.As sets a bare Code as it is, also one
// known only from the wire, where CodeOf gives its nearest known
// ancestor.
func TestAsBareWireCode(t *testing.T) {
	t.Parallel()
	sender := errcode.NewRegistry()
	child := sender.MustRegister("Child", sender.MustRegister("Root", errcode.Code{}))
	receiver := errcode.NewRegistry()
	root := receiver.MustRegister("Root", errcode.Code{})
	b, err := errcode.Encode(fmt.Errorf("op: %w", child))
	require.NoError(t, err)
	decoded, err := receiver.Decode(b)
	require.NoError(t, err)

	assert.True(t, root == errcode.CodeOf(decoded), "CodeOf = %v; want the receiver's Root", errcode.CodeOf(decoded))
	var c errcode.Code
	require.True(t, stderrors.As(decoded, &c), "errors.As(decoded, &c) = false; want true")
	assert.Equal(t, "Child", c.Name())
	assert.Nil(t, c.Registry(), "errors.As sets the wire-only Code itself")
	assert.True(t, c.IsA(root), "the wire-only Code descends from the receiver's Root")
}

// errHelper makes errors for its callers, as a user's helper constructor
// would; wrapHelper wraps them.
func errHelper(depth int) error {
	return errcode.VmConfigError.NewWithDepth(depth, "bad vcpu count", "vcpus", 0)
}

func wrapHelper(depth int, err error) error {
	return errcode.SandboxError.WrapWithDepth(depth, err, "starting")
}

func TestWithDepth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc      string
		give      func() error
		wantFrame string // the function the first stack frame names
	}{
		{"NewWithDepth(0) starts in the helper", func() error { return errHelper(0) }, "errcode_test.errHelper"},
		{"NewWithDepth(1) starts at the helper's caller", func() error { return errHelper(1) }, "errcode_test.TestWithDepth.func"},
		{"a negative depth counts as 0", func() error { return errHelper(-3) }, "errcode_test.errHelper"},
		{"WrapWithDepth(0) starts in the helper", func() error { return wrapHelper(0, io.EOF) }, "errcode_test.wrapHelper"},
		{"WrapWithDepth(1) starts at the helper's caller", func() error { return wrapHelper(1, io.EOF) }, "errcode_test.TestWithDepth.func"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			err := tt.give()
			frame := firstStackFrame(t, fmt.Sprintf("%+v", err))
			assert.Contains(t, frame, tt.wantFrame, "first frame of %+v", err)
		})
	}

	err := errHelper(1)
	assert.Equal(t, "bad vcpu count", err.Error())
	assert.True(t, errcode.Is(err, errcode.VmConfigError))
	n, ok := errcode.Field[int](err, "vcpus")
	assert.True(t, ok)
	assert.Equal(t, 0, n)
	w := wrapHelper(1, io.EOF)
	assert.Equal(t, "starting: EOF", w.Error())
	assert.True(t, stderrors.Is(w, io.EOF))
	assert.Nil(t, errcode.SandboxError.WrapWithDepth(1, nil, "x"), "WrapWithDepth of nil")
	assert.Nil(t, errcode.VmCapacityError.NewWithDepth(1, "full").(interface{ StackTrace() errbase.StackTrace }).StackTrace(),
		"a Stackless code records no stack, whatever the depth")
}

// TestErrorRetainsOnlyItsMessage checks that Error() keeps nothing alive
// past the string it returns: a cache of each layer's message would keep
// 128 layers of 8 KiB messages at 64 MiB. Not parallel: it reads the
// process's heap.
func TestErrorRetainsOnlyItsMessage(t *testing.T) {
	const layers, size = 128, 8 << 10
	msg := strings.Repeat("m", size)
	err := errcode.VmCapacityError.New(msg)
	for range layers - 1 {
		err = errcode.VmCapacityError.Wrap(err, strings.Clone(msg))
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	got := err.Error()
	for _, e := range []error{err, fmt.Errorf("more: %w", err)} {
		_ = e.Error() // and again, through a layer errcode does not own
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(err)

	require.Len(t, got, layers*size+(layers-1)*len(": "))
	retained := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	assert.Less(t, retained, int64(len(got)+4<<20), "Error() of %d bytes left %d bytes more alive", len(got), retained)
	runtime.KeepAlive(got)
}
