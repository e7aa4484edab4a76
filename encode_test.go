package errcode_test

import (
	"context"
	stderrors "errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/cockroachdb/errors/errorspb"
	"github.com/errcode/errcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wireForm is one way an error crosses a process boundary: errcode's
// protobuf form, cockroachdb's own EncodeError/DecodeError (with
// WithRegistry for a registry other than Default), and the JSON form.
type wireForm struct {
	name   string
	encode func(error) ([]byte, error)
	decode func(*errcode.Registry, []byte) (error, error)
}

var wireForms = []wireForm{
	{"protobuf", errcode.Encode, (*errcode.Registry).Decode},
	{"cockroachdb", wireCRDBEncode, wireCRDBDecode},
	{"json", errcode.EncodeJSON, (*errcode.Registry).DecodeJSON},
}

func wireCRDBEncode(err error) ([]byte, error) {
	enc := crdberrors.EncodeError(context.Background(), err)
	return enc.Marshal()
}

func wireCRDBDecode(r *errcode.Registry, b []byte) (error, error) {
	var enc errorspb.EncodedError
	if err := enc.Unmarshal(b); err != nil {
		return nil, err
	}
	ctx := context.Background()
	if r != errcode.Default {
		ctx = errcode.WithRegistry(ctx, r)
	}
	return crdberrors.DecodeError(ctx, enc), nil
}

// wireRoundTrip sends err through form and decodes it with r.
func wireRoundTrip(tb testing.TB, form wireForm, r *errcode.Registry, err error) error {
	tb.Helper()
	b, eerr := form.encode(err)
	require.NoError(tb, eerr, "%s encode", form.name)
	got, derr := form.decode(r, b)
	require.NoError(tb, derr, "%s decode", form.name)
	require.NotNil(tb, got, "%s decode returned a nil error", form.name)
	return got
}

// wireCodeDetails returns the "code=..." safe details of err's chain as
// cockroachdb reports them.
func wireCodeDetails(err error) []string {
	var out []string
	for _, p := range crdberrors.GetAllSafeDetails(err) {
		for _, d := range p.SafeDetails {
			if strings.HasPrefix(d, "code=") {
				out = append(out, d)
			}
		}
	}
	return out
}

// wireAssertSameAnswers checks that got answers every question of the
// package as want does.
func wireAssertSameAnswers(t *testing.T, want, got error, stackFrame string) {
	t.Helper()
	for _, c := range errcode.Codes() {
		assert.Equal(t, errcode.Is(want, c), errcode.Is(got, c), "Is(%s)", c)
		assert.Equal(t, stderrors.Is(want, c), stderrors.Is(got, c), "stdlib errors.Is(%s)", c)
		assert.Equal(t, crdberrors.Is(want, c), crdberrors.Is(got, c), "cockroachdb errors.Is(%s)", c)
	}
	assert.Equal(t, errcode.CodeOf(want), errcode.CodeOf(got), "CodeOf")
	assert.Equal(t, errcode.NameOf(want), errcode.NameOf(got), "NameOf")
	all := errcode.Codes()
	wantM, wantOK := errcode.Match(want, all...)
	gotM, gotOK := errcode.Match(got, all...)
	assert.Equal(t, wantOK, gotOK, "Match ok")
	assert.Equal(t, wantM, gotM, "Match(all codes)")
	roots := []errcode.Code{errcode.SandboxError, errcode.TransientError, errcode.PermanentError, errcode.VmCapacityError}
	wantM, _ = errcode.Match(want, roots...)
	gotM, _ = errcode.Match(got, roots...)
	assert.Equal(t, wantM, gotM, "Match(roots)")
	assert.Equal(t, errcode.RetryOf(want), errcode.RetryOf(got), "RetryOf")
	assert.Equal(t, errcode.RetryAfterOf(want), errcode.RetryAfterOf(got), "RetryAfterOf")
	assert.Equal(t, errcode.GRPCCodeOf(want), errcode.GRPCCodeOf(got), "GRPCCodeOf")
	assert.Equal(t, errcode.HTTPStatusOf(want), errcode.HTTPStatusOf(got), "HTTPStatusOf")
	assert.Equal(t, errcode.Fields(want), errcode.Fields(got), "Fields")
	assert.Equal(t, want.Error(), got.Error(), "Error()")
	if stackFrame != "" && strings.Contains(fmt.Sprintf("%+v", want), stackFrame) {
		assert.Contains(t, fmt.Sprintf("%+v", got), stackFrame, "%%+v keeps the sender's stack")
	}
	assert.Equal(t, wireCodeDetails(want), wireCodeDetails(got), "GetAllSafeDetails code=")
}

func TestWireRoundTrip(t *testing.T) {
	t.Parallel()
	leaf := func() error {
		return errcode.VmBootTimeoutError.New("boot timed out", "vm", "vm-1", "attempt", 3)
	}
	tests := []struct {
		desc     string
		give     error
		wantName string // the outermost code, "" for none
	}{
		{desc: "coded leaf with fields", give: leaf(), wantName: "VmBootTimeoutError"},
		{desc: "coded wrap of coded", give: errcode.VmOverlayError.Wrap(
			errcode.SocketAuthError.New("peer uid mismatch", "expected_uid", 1000, "actual_uid", 0),
			"creating overlay", "stderr", "qemu-img: boom", "exit", int8(1)), wantName: "VmOverlayError"},
		{desc: "coded wrap of io.EOF", give: errcode.CommunicationError.Wrap(io.EOF, "reading agent"), wantName: "CommunicationError"},
		{desc: "cockroachdb Wrap, WithHint, WithDetail", give: crdberrors.WithDetail(crdberrors.WithHint(
			crdberrors.Wrap(errcode.GuestAgentError.New("agent said no", "response", map[string]any{"ok": false, "n": 2}),
				"calling agent"), "check the guest"), "detail text"), wantName: "GuestAgentError"},
		{desc: "cockroachdb Wrapf of a wrap", give: crdberrors.Wrapf(errcode.AssetError.Wrap(crdberrors.New("disk"), "fetch"),
			"asset %d", 7), wantName: "AssetError"},
		{desc: "fmt.Errorf %w", give: fmt.Errorf("starting vm: %w", errcode.VmQemuCrashError.New("qemu died", "exit", 137)),
			wantName: "VmQemuCrashError"},
		{desc: "fmt.Errorf %w in the middle", give: fmt.Errorf("pre [%w] post", errcode.VmGvproxyError.New("no socket")),
			wantName: "VmGvproxyError"},
		{desc: "fmt.Errorf two %w", give: fmt.Errorf("%w and %w", errcode.VmConfigError.New("bad cpu"), errcode.VmCapacityError.New("full")),
			wantName: "VmConfigError"},
		{desc: "stdlib errors.Join", give: stderrors.Join(errcode.VmCapacityError.New("full", "pool", "a"),
			errcode.VmConfigError.New("bad cpu", "cpu", -1)), wantName: "VmCapacityError"},
		{desc: "coded wrap of a join", give: errcode.SnapshotError.Wrap(stderrors.Join(
			errcode.VmBootTimeoutError.New("slow"), stderrors.New("plain")), "snapshot", "id", "s1"), wantName: "SnapshotError"},
		{desc: "WithFields", give: errcode.WithFields(errcode.AssetNotFoundError.New("gone", "asset", "kernel"),
			"asset", "rootfs", "size", int64(5)), wantName: "AssetNotFoundError"},
		{desc: "WithRetry transient over permanent", give: errcode.WithRetry(errcode.VmConfigError.New("bad config"), errcode.Transient),
			wantName: "VmConfigError"},
		{desc: "WithRetry permanent over transient", give: errcode.WithRetry(leaf(), errcode.Permanent), wantName: "VmBootTimeoutError"},
		{desc: "WithRetryAfter", give: errcode.WithRetryAfter(leaf(), 3*time.Second+5*time.Millisecond), wantName: "VmBootTimeoutError"},
		{desc: "bare Code", give: errcode.PackageNotAllowedError, wantName: "PackageNotAllowedError"},
		{desc: "bare Code under fmt.Errorf", give: fmt.Errorf("install numpy: %w", errcode.PackageNotAllowedError),
			wantName: "PackageNotAllowedError"},
		{desc: "bare Code under cockroachdb Wrap", give: crdberrors.Wrap(errcode.EnvVarValidationError, "env"),
			wantName: "EnvVarValidationError"},
		{desc: "coded wrap of a bare Code", give: errcode.VmDependencyError.Wrap(errcode.SandboxDependencyError, "no s3"),
			wantName: "VmDependencyError"},
		{desc: "Stackless code", give: errcode.VmCapacityError.New("pool full", "pool", "default"), wantName: "VmCapacityError"},
		{desc: "Stackless wrap with empty message", give: errcode.VmCapacityError.Wrap(crdberrors.New("no slots"), ""),
			wantName: "VmCapacityError"},
		{desc: "typed helper NewVmOverlayError", give: errcode.NewVmOverlayError("overlay failed", "qemu-img: no space",
			"GenericError", "image", "base.qcow2"), wantName: "VmOverlayError"},
		{desc: "typed helper NewSocketAuthError", give: errcode.NewSocketAuthError("hijack?", 1000, 0), wantName: "SocketAuthError"},
		{desc: "typed helper NewGuestAgentError", give: errcode.NewGuestAgentError("agent failed",
			map[string]any{"status": "error", "code": 2, "items": []any{"a", 1, true}}), wantName: "GuestAgentError"},
		{desc: "no code at all", give: crdberrors.Wrap(stderrors.New("plain"), "ctx")},
		{desc: "everything", give: errcode.WithRetryAfter(errcode.WithRetry(errcode.WithFields(
			crdberrors.WithHint(fmt.Errorf("outer: %w", errcode.SnapshotError.Wrap(
				stderrors.Join(errcode.VmCapacityError.New("full"), crdberrors.Wrap(errcode.TransientError, "t")),
				"restoring", "snap", "s1", "bytes", []byte{0, 1, 2})), "hint"),
			"request", "r-1", "elapsed", 1500*time.Millisecond), errcode.Permanent), time.Minute), wantName: "SnapshotError"},
	}
	for _, tt := range tests {
		for _, form := range wireForms {
			t.Run(tt.desc+"/"+form.name, func(t *testing.T) {
				t.Parallel()
				got := wireRoundTrip(t, form, errcode.Default, tt.give)
				assert.Equal(t, tt.wantName, errcode.NameOf(got), "NameOf")
				wireAssertSameAnswers(t, tt.give, got, "TestWireRoundTrip")
				if tt.wantName != "" && len(wireCodeDetails(tt.give)) > 0 {
					assert.Contains(t, wireCodeDetails(got), "code="+tt.wantName)
				}
				// A second hop changes nothing.
				again := wireRoundTrip(t, form, errcode.Default, got)
				wireAssertSameAnswers(t, tt.give, again, "TestWireRoundTrip")
			})
		}
	}
}

func TestWireDeterministic(t *testing.T) {
	t.Parallel()
	var kv []any
	for i := range 60 {
		kv = append(kv, fmt.Sprintf("key%02d", i), map[string]any{"i": i, "f": float64(i) / 3, "u": uint16(i),
			"l": []any{int8(i), "x"}, "m": map[string]any{"b": i, "a": "z", "c": []byte{byte(i)}}})
	}
	shuffled := func(seed uint64) []any {
		pairs := make([][2]any, 0, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			pairs = append(pairs, [2]any{kv[i], kv[i+1]})
		}
		r := rand.New(rand.NewPCG(seed, seed))
		r.Shuffle(len(pairs), func(i, j int) { pairs[i], pairs[j] = pairs[j], pairs[i] })
		out := make([]any, 0, len(kv))
		for _, p := range pairs {
			out = append(out, p[0], p[1])
		}
		return out
	}
	base := errcode.SnapshotError.New("base")
	for _, form := range wireForms {
		t.Run(form.name, func(t *testing.T) {
			t.Parallel()
			e := errcode.WithRetry(errcode.VmOverlayError.Wrap(base, "wrap", kv...), errcode.Permanent)
			first, err := form.encode(e)
			require.NoError(t, err)
			for range 5 {
				again, err := form.encode(e)
				require.NoError(t, err)
				require.Equal(t, first, again, "encoding the same error twice")
			}
			var want []byte
			for seed := range uint64(8) {
				// Stackless code: no stack, so errors made apart compare.
				got, err := form.encode(errcode.WithFields(errcode.VmCapacityError.New("full", shuffled(seed)...), shuffled(seed+100)...))
				require.NoError(t, err)
				if want == nil {
					want = got
				}
				require.Equal(t, string(want), string(got), "kv order %d changed the encoding", seed)
			}
			// Decoded and encoded again: the same bytes.
			dec, err := form.decode(errcode.Default, first)
			require.NoError(t, err)
			hop, err := form.encode(dec)
			require.NoError(t, err)
			assert.Equal(t, string(first), string(hop), "re-encoding a decoded error")
		})
	}
}

// wireSender is a registry of a newer peer: the catalog's transient
// branch plus VmSnapshotRestoreError under VmTransientError.
type wireSender struct {
	reg                                        *errcode.Registry
	sandbox, transient, vmTransient, vmRestore errcode.Code
}

func newWireSender() wireSender {
	r := errcode.NewRegistry()
	s := wireSender{reg: r}
	s.sandbox = r.MustRegister("SandboxError", errcode.Code{})
	s.transient = r.MustRegister("TransientError", s.sandbox, errcode.Transient)
	s.vmTransient = r.MustRegister("VmTransientError", s.transient)
	s.vmRestore = r.MustRegister("VmSnapshotRestoreError", s.vmTransient, errcode.Doc("newer code"))
	return s
}

func TestWireOlderReceiver(t *testing.T) {
	t.Parallel()
	sender := newWireSender()
	partial := errcode.NewRegistry()
	pSandbox := partial.MustRegister("SandboxError", errcode.Code{})
	pTransient := partial.MustRegister("TransientError", pSandbox, errcode.Transient)
	pVmTransient := partial.MustRegister("VmTransientError", pTransient)
	pOther := partial.MustRegister("OtherError", pSandbox)
	pKnown := []errcode.Code{pSandbox, pTransient, pVmTransient}

	give := errcode.WithFields(sender.vmRestore.Wrap(io.ErrUnexpectedEOF, "restoring snapshot", "snapshot", "s-1", "size", uint32(7)),
		"request", "r-9")
	tests := []struct {
		desc string
		give error
	}{
		{"coded wrap", give},
		{"bare code", sender.vmRestore},
		{"under fmt.Errorf", fmt.Errorf("outer: %w", give)},
	}
	for _, tt := range tests {
		for _, form := range wireForms {
			t.Run(tt.desc+"/"+form.name, func(t *testing.T) {
				t.Parallel()
				nCodes := len(partial.Codes())
				b, err := form.encode(tt.give)
				require.NoError(t, err)
				got, err := form.decode(partial, b)
				require.NoError(t, err)
				require.NotNil(t, got)

				for _, c := range pKnown {
					assert.True(t, errcode.Is(got, c), "Is(%s)", c)
					assert.True(t, stderrors.Is(got, c), "stdlib errors.Is(%s)", c)
					assert.True(t, crdberrors.Is(got, c), "cockroachdb errors.Is(%s)", c)
				}
				assert.False(t, errcode.Is(got, pOther), "Is(OtherError)")
				assert.False(t, errcode.Is(got, errcode.TransientError), "Is(Default's TransientError) with another registry")
				assert.Equal(t, errcode.Transient, errcode.RetryOf(got), "RetryOf")
				assert.Equal(t, pVmTransient, errcode.CodeOf(got), "CodeOf = nearest known ancestor")
				assert.Equal(t, "VmSnapshotRestoreError", errcode.NameOf(got), "NameOf")
				assert.Equal(t, tt.give.Error(), got.Error())
				// Through Formattable: a fmt wrapper decodes as one (fmtwrap.go), whose
				// %+v is its message alone, as the sender's is.
				assert.Contains(t, fmt.Sprintf("%+v", crdberrors.Formattable(got)), "VmSnapshotRestoreError", "%+v names the original code")
				m, ok := errcode.Match(got, pSandbox, pTransient, pOther)
				assert.True(t, ok)
				assert.Equal(t, pTransient, m, "Match")
				m, ok = errcode.Match(got, pVmTransient, pSandbox)
				assert.True(t, ok)
				assert.Equal(t, pVmTransient, m, "Match")
				_, ok = errcode.Match(got, pOther)
				assert.False(t, ok)
				assert.Equal(t, errcode.Fields(tt.give), errcode.Fields(got))
				if len(wireCodeDetails(tt.give)) > 0 {
					assert.Contains(t, wireCodeDetails(got), "code=VmSnapshotRestoreError")
				}

				// Decoding never adds a code.
				assert.Equal(t, nCodes, len(partial.Codes()), "Codes() after decoding")
				_, ok = partial.Lookup("VmSnapshotRestoreError")
				assert.False(t, ok, "Lookup of the decoded unknown code")
				_, ok = errcode.Lookup("VmSnapshotRestoreError")
				assert.False(t, ok, "Lookup in Default")

				// Hop: the partial receiver sends it on unchanged.
				hop, err := form.encode(got)
				require.NoError(t, err)
				assert.Equal(t, string(b), string(hop), "re-encoded by the partial receiver")

				// A third process that knows the code gets the sender's answers.
				full := newWireSender()
				got3, err := form.decode(full.reg, hop)
				require.NoError(t, err)
				assert.Equal(t, full.vmRestore, errcode.CodeOf(got3), "CodeOf at the full receiver")
				assert.Equal(t, "VmSnapshotRestoreError", errcode.NameOf(got3))
				for i, c := range []errcode.Code{sender.sandbox, sender.transient, sender.vmTransient, sender.vmRestore} {
					fc := full.reg.Codes()[i]
					assert.Equal(t, errcode.Is(tt.give, c), errcode.Is(got3, fc), "Is(%s)", c)
					assert.Equal(t, stderrors.Is(tt.give, c), stderrors.Is(got3, fc), "errors.Is(%s)", c)
				}
				assert.Equal(t, errcode.RetryOf(tt.give), errcode.RetryOf(got3))
				m, _ = errcode.Match(got3, full.transient, full.vmRestore)
				assert.Equal(t, full.vmRestore, m)
				assert.Equal(t, tt.give.Error(), got3.Error())
				assert.Equal(t, errcode.Fields(tt.give), errcode.Fields(got3))
			})
		}
	}
}

func TestWireReceiverKnowsNoAncestor(t *testing.T) {
	t.Parallel()
	sender := newWireSender()
	give := sender.vmRestore.Wrap(stderrors.New("eof"), "restoring", "k", 1)
	for _, r := range []struct {
		desc string
		reg  *errcode.Registry
	}{
		{"empty registry", errcode.NewRegistry()},
		{"unrelated registry", func() *errcode.Registry {
			r := errcode.NewRegistry()
			r.MustRegister("Unrelated", errcode.Code{}, errcode.Permanent)
			return r
		}()},
	} {
		for _, form := range wireForms {
			t.Run(r.desc+"/"+form.name, func(t *testing.T) {
				t.Parallel()
				b, err := form.encode(give)
				require.NoError(t, err)
				got, err := form.decode(r.reg, b)
				require.NoError(t, err)
				assert.True(t, errcode.CodeOf(got).IsZero(), "CodeOf = %v; want zero", errcode.CodeOf(got))
				assert.Equal(t, "VmSnapshotRestoreError", errcode.NameOf(got))
				assert.Equal(t, errcode.Transient, errcode.RetryOf(got), "RetryOf from the wire")
				assert.Equal(t, give.Error(), got.Error())
				for _, c := range r.reg.Codes() {
					assert.False(t, errcode.Is(got, c), "Is(%s)", c)
				}
				_, ok := errcode.Match(got, r.reg.Codes()...)
				assert.False(t, ok)
				hop, err := form.encode(got)
				require.NoError(t, err)
				assert.Equal(t, string(b), string(hop))
			})
		}
	}
}

// TestWireReceiverIsAuthority: a payload that claims other ancestry or
// retry for a code the receiver knows gets the receiver's answers.
func TestWireReceiverIsAuthority(t *testing.T) {
	t.Parallel()
	liar := errcode.NewRegistry()
	lSandbox := liar.MustRegister("SandboxError", errcode.Code{})
	lTransient := liar.MustRegister("TransientError", lSandbox, errcode.Transient)
	lConfig := liar.MustRegister("VmConfigError", lTransient, errcode.Transient)
	tests := []struct {
		desc      string
		give      error
		wantRetry errcode.Retry
	}{
		{"claimed transient", lConfig.New("bad cpu count"), errcode.Permanent},
		{"bare code", lConfig, errcode.Permanent},
		{"WithRetry override travels", errcode.WithRetry(lConfig.New("bad"), errcode.Transient), errcode.Transient},
		{"WithRetry permanent", errcode.WithRetry(errcode.VmBootTimeoutError.New("slow"), errcode.Permanent), errcode.Permanent},
		{"WithRetry unspecified defers", errcode.WithRetry(lConfig.New("bad"), errcode.Unspecified), errcode.Permanent},
	}
	for _, tt := range tests {
		for _, form := range wireForms {
			t.Run(tt.desc+"/"+form.name, func(t *testing.T) {
				t.Parallel()
				got := wireRoundTrip(t, form, errcode.Default, tt.give)
				assert.Equal(t, tt.wantRetry, errcode.RetryOf(got), "RetryOf")
				want := errcode.VmConfigError
				if errcode.NameOf(got) == "VmBootTimeoutError" {
					want = errcode.VmBootTimeoutError
				}
				assert.Equal(t, want, errcode.CodeOf(got))
				for _, c := range errcode.Codes() {
					assert.Equal(t, want.IsA(c), errcode.Is(got, c), "Is(%s): the receiver's ancestry", c)
					assert.Equal(t, want.IsA(c), stderrors.Is(got, c), "errors.Is(%s)", c)
				}
				h, _ := want.HTTPStatus()
				assert.Equal(t, h, errcode.HTTPStatusOf(got))
				g, _ := want.GRPCCode()
				assert.Equal(t, g, errcode.GRPCCodeOf(got))
			})
		}
	}
}

// TestWireAlias: a peer that still sends an old name gets the code the
// alias names.
func TestWireAlias(t *testing.T) {
	t.Parallel()
	old := errcode.NewRegistry()
	oSandbox := old.MustRegister("SandboxError", errcode.Code{})
	oVmError := old.MustRegister("VmError", oSandbox)
	oTimeout := old.MustRegister("VmTimeoutError", oVmError)
	tests := []struct {
		give error
		want errcode.Code
	}{
		{oVmError.New("vm broke"), errcode.VmPermanentError},
		{oVmError, errcode.VmPermanentError},
		{oTimeout.Wrap(stderrors.New("x"), "slow"), errcode.VmBootTimeoutError},
	}
	for _, tt := range tests {
		for _, form := range wireForms {
			t.Run(errcode.NameOf(tt.give)+"/"+form.name, func(t *testing.T) {
				t.Parallel()
				n := len(errcode.Codes())
				got := wireRoundTrip(t, form, errcode.Default, tt.give)
				assert.Equal(t, tt.want, errcode.CodeOf(got), "CodeOf")
				assert.True(t, errcode.Is(got, tt.want))
				assert.True(t, stderrors.Is(got, tt.want))
				assert.Equal(t, tt.want.Retry(), errcode.RetryOf(got))
				assert.Equal(t, n, len(errcode.Codes()))
			})
		}
	}
}

// TestWireSafeDetails: a coded layer reports its code, retry decision and
// ancestors as safe details, before and after each wire form.
func TestWireSafeDetails(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc string
		give error
		want []string
	}{
		{"leaf", errcode.VmBootTimeoutError.New("slow"),
			[]string{"code=VmBootTimeoutError", "retry=transient", "ancestors=VmTransientError TransientError SandboxError"}},
		{"stackless wrapper", errcode.VmCapacityError.Wrap(stderrors.New("x"), "full"),
			[]string{"code=VmCapacityError", "retry=transient", "ancestors=VmTransientError TransientError SandboxError"}},
		{"root", errcode.SandboxError.New("root"), []string{"code=SandboxError", "retry=unspecified", "ancestors="}},
		{"permanent", errcode.VmConfigError.New("bad"),
			[]string{"code=VmConfigError", "retry=permanent", "ancestors=VmPermanentError PermanentError SandboxError"}},
	}
	for _, tt := range tests {
		check := func(t *testing.T, err error) {
			t.Helper()
			// The outermost layer is the coded layer itself.
			got := crdberrors.GetSafeDetails(err).SafeDetails
			for _, w := range tt.want {
				assert.Contains(t, got, w, "GetSafeDetails")
			}
			var all []string
			for _, p := range crdberrors.GetAllSafeDetails(crdberrors.Wrap(err, "outer")) {
				all = append(all, p.SafeDetails...)
			}
			for _, w := range tt.want {
				assert.Contains(t, all, w, "GetAllSafeDetails")
			}
		}
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			check(t, tt.give)
			for _, form := range wireForms {
				t.Run(form.name, func(t *testing.T) { check(t, wireRoundTrip(t, form, errcode.Default, tt.give)) })
			}
		})
	}
}

// TestWireStackTravels: %+v of a decoded error shows the sender's frames.
func TestWireStackTravels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc string
		give error
	}{
		{"coded leaf", errcode.VmConfigError.New("bad")},
		{"coded wrapper", errcode.SnapshotError.Wrap(io.EOF, "snap")},
		{"cockroachdb Wrap", crdberrors.Wrap(errcode.VmCapacityError.New("full"), "ctx")},
		{"under a join", crdberrors.Wrap(stderrors.Join(errcode.VmConfigError.New("bad"), io.EOF), "j")},
	}
	for _, tt := range tests {
		require.Contains(t, fmt.Sprintf("%+v", tt.give), "TestWireStackTravels", "control")
		for _, form := range wireForms {
			t.Run(tt.desc+"/"+form.name, func(t *testing.T) {
				t.Parallel()
				got := fmt.Sprintf("%+v", wireRoundTrip(t, form, errcode.Default, tt.give))
				assert.Contains(t, got, "TestWireStackTravels")
				assert.Contains(t, got, "encode_test.go")
			})
		}
	}
}
