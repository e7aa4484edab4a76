package errcode_test

import (
	"context"
	stderrors "errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/cockroachdb/errors/errorspb"
	"github.com/gogo/protobuf/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/errcode/errcode"
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

// wireFieldCase is one field value and how to check what comes back.
type wireFieldCase struct {
	key     string
	value   any
	check   func(t *testing.T, err error)
	changes bool // the value changes type on the wire
}

// wireField expects Field[T] to return want unchanged.
func wireField[T any](key string, want T) wireFieldCase {
	return wireFieldCase{key: key, value: want, check: func(t *testing.T, err error) {
		t.Helper()
		got, ok := errcode.Field[T](err, key)
		if assert.True(t, ok, "Field[%T](%q) missing or of another type; Fields = %#v", want, key, errcode.Fields(err)) {
			assert.Equal(t, want, got, "Field[%T](%q)", want, key)
		}
	}}
}

// wireFieldAsString expects v to travel as its fmt.Sprint string.
func wireFieldAsString(key string, v any) wireFieldCase {
	return wireFieldCase{key: key, value: v, changes: true, check: func(t *testing.T, err error) {
		t.Helper()
		got, ok := errcode.Field[string](err, key)
		if assert.True(t, ok, "Field[string](%q); Fields = %#v", key, errcode.Fields(err)) {
			assert.Equal(t, fmt.Sprint(v), got, "Field[string](%q)", key)
		}
	}}
}

type wireStruct struct {
	A int
	B string
}

func wireFieldCases() []wireFieldCase {
	when := time.Date(2024, 2, 29, 23, 59, 58, 123456789, time.FixedZone("X", 5*3600+30*60))
	return []wireFieldCase{
		wireField("string", "héllo \"world\" <&>\x00"),
		wireField("string_empty", ""),
		wireField("bool_true", true),
		wireField("bool_false", false),
		wireField("int", 42),
		wireField("int_neg", -7),
		wireField("int_max", math.MaxInt),
		wireField("int_min", math.MinInt),
		wireField("int8", int8(math.MinInt8)),
		wireField("int8_max", int8(math.MaxInt8)),
		wireField("int16", int16(math.MinInt16)),
		wireField("int32", int32(math.MaxInt32)),
		wireField("int64_min", int64(math.MinInt64)),
		wireField("int64_max", int64(math.MaxInt64)),
		wireField("uint", uint(math.MaxUint)),
		wireField("uint8", uint8(math.MaxUint8)),
		wireField("uint16", uint16(math.MaxUint16)),
		wireField("uint32", uint32(math.MaxUint32)),
		wireField("uint64_max", uint64(math.MaxUint64)),
		wireField("uint64_zero", uint64(0)),
		wireField("float32", float32(1.1)),
		wireField("float32_max", float32(math.MaxFloat32)),
		wireField("float64", 0.1),
		wireField("float64_whole", 3.0),
		wireField("float64_tiny", math.SmallestNonzeroFloat64),
		wireField("float64_max", math.MaxFloat64),
		wireField("float64_neg_zero", math.Copysign(0, -1)),
		wireField("float64_inf", math.Inf(1)),
		wireField("float64_neg_inf", math.Inf(-1)),
		wireField("float32_inf", float32(math.Inf(-1))),
		{key: "float64_nan", value: math.NaN(), check: func(t *testing.T, err error) {
			got, ok := errcode.Field[float64](err, "float64_nan")
			assert.True(t, ok && math.IsNaN(got), "Field[float64](nan) = %v, %v", got, ok)
		}},
		{key: "float32_nan", value: float32(math.NaN()), check: func(t *testing.T, err error) {
			got, ok := errcode.Field[float32](err, "float32_nan")
			assert.True(t, ok && math.IsNaN(float64(got)), "Field[float32](nan) = %v, %v", got, ok)
		}},
		wireField("bytes", []byte{0, 1, 2, 0xff, '"'}),
		wireField("bytes_empty", []byte{}),
		{key: "time", value: when, check: func(t *testing.T, err error) {
			got, ok := errcode.Field[time.Time](err, "time")
			require.True(t, ok, "Field[time.Time]; Fields = %#v", errcode.Fields(err))
			assert.True(t, when.Equal(got), "Field[time.Time] = %v; want %v", got, when)
		}},
		{key: "time_utc", value: when.UTC(), check: func(t *testing.T, err error) {
			got, ok := errcode.Field[time.Time](err, "time_utc")
			require.True(t, ok)
			assert.True(t, when.Equal(got), "Field[time.Time] = %v; want %v", got, when)
		}},
		wireField("duration", 1500*time.Millisecond),
		wireField("duration_min", time.Duration(math.MinInt64)),
		wireField("map", map[string]any{
			"s": "x", "i": 1, "i8": int8(-8), "u64": uint64(math.MaxUint64), "f": 2.5, "b": []byte("hi"),
			"d": time.Second, "nested": map[string]any{"l": []any{int16(3), "y", map[string]any{"z": uint8(9)}}},
			"nil": nil,
		}),
		wireField("list", []any{1, "two", 3.5, int32(4), []any{uint(5), []byte{6}}, map[string]any{"k": int64(7)}, nil, false}),
		wireField("list_empty", []any{}),
		wireField("map_empty", map[string]any{}),
		{key: "nil", value: nil, check: func(t *testing.T, err error) {
			v, ok := errcode.Fields(err)["nil"]
			assert.True(t, ok, "Fields has nil")
			assert.Nil(t, v)
		}},
		wireFieldAsString("struct", wireStruct{A: 1, B: "b"}),
		wireFieldAsString("struct_ptr", &wireStruct{A: 2}),
		wireFieldAsString("error", stderrors.New("an error value")),
		wireFieldAsString("strings", []string{"a", "b"}),
		wireFieldAsString("ints", []int{1, 2}),
		wireFieldAsString("map_string_string", map[string]string{"a": "b"}),
		wireFieldAsString("stringer", errcode.Transient),
		wireFieldAsString("code", errcode.VmConfigError),
	}
}

func TestWireFieldTypes(t *testing.T) {
	t.Parallel()
	cases := wireFieldCases()
	var kv []any
	for _, c := range cases {
		kv = append(kv, c.key, c.value)
	}
	tests := []struct {
		desc string
		give error
	}{
		{"coded leaf", errcode.SandboxError.New("fields", kv...)},
		{"coded wrapper", errcode.SnapshotError.Wrap(stderrors.New("cause"), "fields", kv...)},
		{"WithFields", errcode.WithFields(stderrors.New("plain"), kv...)},
		{"Stackless leaf", errcode.VmCapacityError.New("fields", kv...)},
	}
	for _, tt := range tests {
		for _, form := range wireForms {
			t.Run(tt.desc+"/"+form.name, func(t *testing.T) {
				t.Parallel()
				// Before the trip, as a control.
				for _, c := range cases {
					if !c.changes {
						c.check(t, tt.give)
					}
				}
				got := wireRoundTrip(t, form, errcode.Default, tt.give)
				for _, c := range cases {
					t.Run(c.key, func(t *testing.T) { c.check(t, got) })
				}
				got = wireRoundTrip(t, form, errcode.Default, got)
				for _, c := range cases {
					t.Run("again/"+c.key, func(t *testing.T) { c.check(t, got) })
				}
			})
		}
	}
}

// TestWireFieldKeysCollide: the outermost layer, and within it the last
// pair, decides a key's value after a round trip too.
func TestWireFieldKeysCollide(t *testing.T) {
	t.Parallel()
	err := errcode.WithFields(errcode.SandboxError.New("m", "k", "inner", "only_inner", 1), "k", "outer", "k", "outer2")
	for _, form := range wireForms {
		t.Run(form.name, func(t *testing.T) {
			t.Parallel()
			got := wireRoundTrip(t, form, errcode.Default, err)
			v, ok := errcode.Field[string](got, "k")
			assert.True(t, ok)
			assert.Equal(t, "outer2", v, "the last pair of the outermost layer wins")
			assert.Equal(t, map[string]any{"k": "outer2", "only_inner": 1}, errcode.Fields(got))
		})
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
				assert.Contains(t, fmt.Sprintf("%+v", got), "VmSnapshotRestoreError", "%+v names the original code")
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
				assert.Equal(t, want.HTTPStatus(), errcode.HTTPStatusOf(got))
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

// wireStacklessChain returns a chain of n coded layers (n >= 1) with no
// stack layers: a Stackless leaf and n-1 Stackless wraps.
func wireStacklessChain(n int) error {
	err := errcode.VmCapacityError.New("leaf")
	for i := 1; i < n; i++ {
		err = errcode.VmCapacityError.Wrap(err, "w"+strconv.Itoa(i))
	}
	return err
}

// wireNestedMap returns n maps nested in each other around inner.
func wireNestedMap(n int, inner any) any {
	v := inner
	for range n {
		v = map[string]any{"a": v}
	}
	return v
}

// wireNestedList returns n lists nested in each other around inner.
func wireNestedList(n int, inner any) any {
	v := inner
	for range n {
		v = []any{v}
	}
	return v
}

func wireManyFields(n int) []any {
	kv := make([]any, 0, 2*n)
	for i := range n {
		kv = append(kv, fmt.Sprintf("f%03d", i), i)
	}
	return kv
}

func TestEncodeNil(t *testing.T) {
	t.Parallel()
	b, err := errcode.Encode(nil)
	assert.Nil(t, b)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nil")
	b, err = errcode.EncodeJSON(nil)
	assert.Nil(t, b)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nil")
}

func TestDecodeEmpty(t *testing.T) {
	t.Parallel()
	for _, give := range [][]byte{nil, {}} {
		got, err := errcode.Decode(give)
		assert.Nil(t, got)
		require.Error(t, err, "Decode(%q)", give)
		assert.Contains(t, err.Error(), "empty")
		got, err = errcode.NewRegistry().Decode(give)
		assert.Nil(t, got)
		require.Error(t, err)
	}
}

// TestEncodeLimits checks that what Encode accepts at a limit decodes,
// and that one past it is refused by Encode with the limit's name.
func TestEncodeLimits(t *testing.T) {
	t.Parallel()
	exactString := strings.Repeat("a", errcode.MaxFieldSize-2) // plus the quotes
	tests := []struct {
		desc    string
		give    func() error
		wantErr string // "" for accepted
	}{
		{"MaxDepth layers", func() error { return wireStacklessChain(errcode.MaxDepth) }, ""},
		{"MaxDepth+1 layers", func() error { return wireStacklessChain(errcode.MaxDepth + 1) }, "MaxDepth"},
		{"MaxDepth layers with WithRetry", func() error {
			return errcode.WithRetry(wireStacklessChain(errcode.MaxDepth-1), errcode.Permanent)
		}, ""},
		{"MaxDepth+1 layers with WithFields", func() error {
			return errcode.WithFields(wireStacklessChain(errcode.MaxDepth), "k", 1)
		}, "MaxDepth"},
		{"cockroachdb wraps MaxDepth", func() error {
			err := errcode.SandboxError.Wrap(errcode.SandboxError.New("leaf"), "coded")
			for range errcode.MaxDepth/2 - 1 {
				err = crdberrors.Wrap(err, "w") // two layers: prefix + stack
			}
			return err
		}, ""},
		{"cockroachdb wraps MaxDepth+1", func() error {
			err := error(errcode.SandboxError.New("leaf"))
			for range errcode.MaxDepth / 2 {
				err = crdberrors.Wrap(err, "w") // two layers: prefix + stack
			}
			return err
		}, "MaxDepth"},
		{"joins nested MaxDepth", func() error {
			err := error(errcode.VmCapacityError.New("leaf"))
			for range errcode.MaxDepth - 1 {
				err = stderrors.Join(err)
			}
			return err
		}, ""},
		{"joins nested MaxDepth+1", func() error {
			err := error(errcode.VmCapacityError.New("leaf"))
			for range errcode.MaxDepth {
				err = stderrors.Join(err)
			}
			return err
		}, "MaxDepth"},
		{"MaxFields fields", func() error { return errcode.VmCapacityError.New("m", wireManyFields(errcode.MaxFields)...) }, ""},
		{"MaxFields+1 fields", func() error { return errcode.VmCapacityError.New("m", wireManyFields(errcode.MaxFields+1)...) }, "MaxFields"},
		{"MaxFields+1 in WithFields", func() error {
			return errcode.WithFields(stderrors.New("x"), wireManyFields(errcode.MaxFields+1)...)
		}, "MaxFields"},
		{"MaxFields+1 pairs, duplicate keys", func() error {
			return errcode.VmCapacityError.New("m", append(wireManyFields(errcode.MaxFields), "f000", 2)...)
		}, ""},
		{"field of MaxFieldSize bytes", func() error { return errcode.VmCapacityError.New("m", "big", exactString) }, ""},
		{"field of MaxFieldSize+1 bytes", func() error { return errcode.VmCapacityError.New("m", "big", exactString+"a") }, "MaxFieldSize"},
		{"bytes field past MaxFieldSize", func() error {
			return errcode.VmCapacityError.New("m", "big", make([]byte, errcode.MaxFieldSize))
		}, "MaxFieldSize"},
		{"maps nested MaxFieldDepth", func() error {
			return errcode.VmCapacityError.New("m", "deep", wireNestedMap(errcode.MaxFieldDepth, 1))
		}, ""},
		{"maps nested MaxFieldDepth+1", func() error {
			return errcode.VmCapacityError.New("m", "deep", wireNestedMap(errcode.MaxFieldDepth+1, 1))
		}, "MaxFieldDepth"},
		{"lists nested MaxFieldDepth", func() error {
			return errcode.VmCapacityError.New("m", "deep", wireNestedList(errcode.MaxFieldDepth, "x"))
		}, ""},
		{"lists nested MaxFieldDepth+1", func() error {
			return errcode.VmCapacityError.New("m", "deep", wireNestedList(errcode.MaxFieldDepth+1, "x"))
		}, "MaxFieldDepth"},
		{"typed values nested MaxFieldDepth", func() error {
			return errcode.VmCapacityError.New("m", "deep", wireNestedList(errcode.MaxFieldDepth, int8(3)))
		}, ""},
		{"empty map nested MaxFieldDepth+1", func() error {
			return errcode.VmCapacityError.New("m", "deep", wireNestedMap(errcode.MaxFieldDepth, map[string]any{}))
		}, "MaxFieldDepth"},
		{"message past MaxEncodedSize", func() error {
			return errcode.VmCapacityError.New(strings.Repeat("m", errcode.MaxEncodedSize))
		}, "MaxEncodedSize"},
	}
	for _, tt := range tests {
		for _, form := range wireForms {
			if form.name == "cockroachdb" {
				continue // cockroachdb's encoder enforces no limits
			}
			t.Run(tt.desc+"/"+form.name, func(t *testing.T) {
				t.Parallel()
				give := tt.give()
				b, err := form.encode(give)
				if tt.wantErr != "" {
					require.Error(t, err, "encode must refuse")
					assert.Contains(t, err.Error(), tt.wantErr)
					assert.Nil(t, b)
					return
				}
				require.NoError(t, err)
				got, err := form.decode(errcode.Default, b)
				require.NoError(t, err, "what Encode writes must decode")
				assert.Equal(t, give.Error(), got.Error())
				assert.Equal(t, errcode.Fields(give), errcode.Fields(got))
				assert.Equal(t, errcode.NameOf(give), errcode.NameOf(got))
			})
		}
	}
}

// wireProtoLeaf returns the EncodedError of a Stackless coded leaf.
func wireProtoLeaf(t *testing.T) errorspb.EncodedError {
	t.Helper()
	return crdberrors.EncodeError(context.Background(), errcode.VmCapacityError.New("m", "k", 1))
}

// wireProtoWithFields returns the protobuf of a coded leaf whose fields
// payload is raw.
func wireProtoWithFields(t *testing.T, raw string) []byte {
	t.Helper()
	enc := wireProtoLeaf(t)
	leaf := enc.GetLeaf()
	require.NotNil(t, leaf)
	anyv, err := types.MarshalAny(&types.BytesValue{Value: []byte(raw)})
	require.NoError(t, err)
	leaf.Details.FullDetails = anyv
	b, err := enc.Marshal()
	require.NoError(t, err)
	return b
}

// wireFieldsJSON returns the wire form of fields with the given members.
func wireFieldsJSON(fields string) string { return `{"fields":{` + fields + `}}` }

func wireFieldsN(n int) string {
	var sb strings.Builder
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `"f%03d":%d`, i, i)
	}
	return sb.String()
}

func wireNestedJSON(n int, open, inner, close string) string {
	return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
}

// TestDecodeFieldLimits hand-crafts fields payloads at and past the
// limits, which Encode would never write.
func TestDecodeFieldLimits(t *testing.T) {
	t.Parallel()
	exact := `"` + strings.Repeat("a", errcode.MaxFieldSize-2) + `"`
	tests := []struct {
		desc    string
		fields  string // members of "fields"
		types   string // members of "field_types", "" for none
		wantErr string // "" for accepted
	}{
		{"MaxFields", wireFieldsN(errcode.MaxFields), "", ""},
		{"MaxFields+1", wireFieldsN(errcode.MaxFields + 1), "", "MaxFields"},
		{"MaxFieldSize", `"big":` + exact, "", ""},
		{"MaxFieldSize+1", `"big":"a` + exact[1:], "", "MaxFieldSize"},
		{"maps nested MaxFieldDepth", `"d":` + wireNestedJSON(errcode.MaxFieldDepth, `{"a":`, "1", "}"), "", ""},
		{"maps nested MaxFieldDepth+1", `"d":` + wireNestedJSON(errcode.MaxFieldDepth+1, `{"a":`, "1", "}"), "", "MaxFieldDepth"},
		{"lists nested MaxFieldDepth", `"d":` + wireNestedJSON(errcode.MaxFieldDepth, "[", "1", "]"), "", ""},
		{"lists nested MaxFieldDepth+1", `"d":` + wireNestedJSON(errcode.MaxFieldDepth+1, "[", "1", "]"), "", "MaxFieldDepth"},
		{"typed lists nested MaxFieldDepth+1", `"d":` + wireNestedJSON(errcode.MaxFieldDepth+1, "[", "1", "]"),
			`"d":` + wireNestedJSON(errcode.MaxFieldDepth+1, "[", `"int8"`, "]"), "MaxFieldDepth"},
		// An empty innermost container: what Encode refuses must not be accepted.
		{"empty map nested MaxFieldDepth+1", `"d":` + wireNestedJSON(errcode.MaxFieldDepth, `{"a":`, "{}", "}"), "", "MaxFieldDepth"},
		{"empty list nested MaxFieldDepth+1", `"d":` + wireNestedJSON(errcode.MaxFieldDepth, "[", "[]", "]"), "", "MaxFieldDepth"},
		// A type name from a newer sender deep inside must not restart the count.
		{"unknown type deep inside past MaxFieldDepth", `"d":` + wireNestedJSON(errcode.MaxFieldDepth+4, "[", "1", "]"),
			`"d":` + wireNestedJSON(10, "[", `"newtype"`, "]"), "MaxFieldDepth"},
		{"lists nested 30000 within MaxFieldSize", `"d":` + wireNestedJSON(30000, "[", "1", "]"), "", "depth"},
		{"type of another kind", `"n":1`, `"n":{"a":"int8"}`, "map"},
		{"type not a field", `"n":1`, `"m":"int8"`, "not a field"},
		{"int8 overflow", `"n":128`, `"n":"int8"`, "int8"},
		{"uint64 overflow", `"n":18446744073709551616`, `"n":"uint64"`, "uint64"},
		{"uint negative", `"n":-1`, `"n":"uint"`, "uint"},
		{"bytes not base64", `"n":"!!"`, `"n":"bytes"`, "bytes"},
		{"time malformed", `"n":"yesterday"`, `"n":"time"`, "time"},
		{"bool from a string", `"n":"true"`, `"n":"bool"`, "bool"},
		{"unknown type from a newer sender", `"n":5`, `"n":"complex128"`, ""},
		{"huge plain integer", `"n":123456789012345678901234567890`, "", ""},
	}
	for _, tt := range tests {
		raw := `{"fields":{` + tt.fields + `}`
		if tt.types != "" {
			raw += `,"field_types":{` + tt.types + `}`
		}
		raw += `}`
		jsonIn := `{"version":1,"chain":[{"code":"VmCapacityError","message":"m","fields":{` + tt.fields + `}`
		if tt.types != "" {
			jsonIn += `,"field_types":{` + tt.types + `}`
		}
		jsonIn += `}]}`
		inputs := []struct {
			form string
			b    []byte
		}{
			{"protobuf", wireProtoWithFields(t, raw)},
			{"json", []byte(jsonIn)},
		}
		for _, in := range inputs {
			t.Run(tt.desc+"/"+in.form, func(t *testing.T) {
				t.Parallel()
				var got error
				var err error
				if in.form == "json" {
					got, err = errcode.DecodeJSON(in.b)
				} else {
					got, err = errcode.Decode(in.b)
				}
				if tt.wantErr != "" {
					require.Error(t, err, "decode must refuse")
					assert.Contains(t, strings.ToLower(err.Error()), strings.ToLower(tt.wantErr))
					assert.Nil(t, got)
					return
				}
				require.NoError(t, err)
				require.NotNil(t, got)
				// What Decode accepts, Encode sends on.
				_, err = errcode.Encode(got)
				assert.NoError(t, err, "Encode of an accepted decode")
				_, err = errcode.EncodeJSON(got)
				assert.NoError(t, err, "EncodeJSON of an accepted decode")
			})
		}
	}
}

// wireDeepProto returns the protobuf of an EncodedError nested n levels:
// wrappers (EncodedError.wrapper.cause) or multi-cause leaves
// (EncodedError.leaf.multierror_causes) around inner. It is built in
// linear time, innermost size first.
func wireDeepProto(n int, inner []byte, multi bool) []byte {
	outerNum, innerNum := protowire.Number(2), protowire.Number(1) // wrapper, cause
	if multi {
		outerNum, innerNum = 1, 3 // leaf, multierror_causes
	}
	sizes := make([]int, n+1) // sizes[i]: bytes of level i, level 0 the innermost
	mids := make([]int, n+1)  // size of the EncodedWrapper/Leaf of level i
	sizes[0] = len(inner)
	for i := 1; i <= n; i++ {
		mids[i] = protowire.SizeTag(innerNum) + protowire.SizeBytes(sizes[i-1])
		sizes[i] = protowire.SizeTag(outerNum) + protowire.SizeBytes(mids[i])
	}
	out := make([]byte, 0, sizes[n])
	for i := n; i >= 1; i-- {
		out = protowire.AppendTag(out, outerNum, protowire.BytesType)
		out = protowire.AppendVarint(out, uint64(mids[i]))
		out = protowire.AppendTag(out, innerNum, protowire.BytesType)
		out = protowire.AppendVarint(out, uint64(sizes[i-1]))
	}
	return append(out, inner...)
}

func TestDecodeDepthLimits(t *testing.T) {
	t.Parallel()
	leaf, err := errcode.Encode(stderrors.New("x"))
	require.NoError(t, err)
	chain, err := errcode.Encode(wireStacklessChain(errcode.MaxDepth))
	require.NoError(t, err)
	// One more coded wrapper around the MaxDepth chain, by hand.
	var enc errorspb.EncodedError
	require.NoError(t, enc.Unmarshal(chain))
	outer := *enc.GetWrapper()
	outer.Cause = enc
	over, err := (&errorspb.EncodedError{Error: &errorspb.EncodedError_Wrapper{Wrapper: &outer}}).Marshal()
	require.NoError(t, err)

	tests := []struct {
		desc    string
		give    []byte
		wantErr string
	}{
		{"MaxDepth coded layers", chain, ""},
		{"MaxDepth+1 coded layers", over, "MaxDepth"},
		{"MaxDepth-1 plain wrappers", wireDeepProto(errcode.MaxDepth-1, leaf, false), ""},
		{"MaxDepth plain wrappers", wireDeepProto(errcode.MaxDepth, leaf, false), "MaxDepth"},
		{"MaxDepth-1 multi-cause", wireDeepProto(errcode.MaxDepth-1, leaf, true), ""},
		{"MaxDepth multi-cause", wireDeepProto(errcode.MaxDepth, leaf, true), "MaxDepth"},
		{"100000 wrappers", wireDeepProto(100000, leaf, false), "MaxDepth"},
		{"100000 multi-cause", wireDeepProto(100000, leaf, true), "MaxDepth"},
		{"wrapper without cause", []byte{0x12, 0x00}, "cause"},
		{"neither leaf nor wrapper", []byte{0x18, 0x01}, "neither"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got, err := errcode.Decode(tt.give)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.Nil(t, got)
				return
			}
			require.NoError(t, err)
			require.NotNil(t, got)
			again, err := errcode.Encode(got)
			require.NoError(t, err)
			if tt.desc == "MaxDepth coded layers" {
				assert.Equal(t, tt.give, again)
			}
		})
	}
}

func TestDecodeMaxEncodedSize(t *testing.T) {
	t.Parallel()
	// A valid encoding of exactly MaxEncodedSize bytes: grow the message
	// until the encoding is that long.
	n := errcode.MaxEncodedSize - 1000
	var b []byte
	for range 10 {
		var err error
		b, err = errcode.Encode(errcode.VmCapacityError.New(strings.Repeat("m", n)))
		require.NoError(t, err)
		if len(b) == errcode.MaxEncodedSize {
			break
		}
		n += errcode.MaxEncodedSize - len(b)
	}
	require.Len(t, b, errcode.MaxEncodedSize)
	got, err := errcode.Decode(b)
	require.NoError(t, err)
	assert.Equal(t, errcode.VmCapacityError, errcode.CodeOf(got))

	_, err = errcode.Encode(errcode.VmCapacityError.New(strings.Repeat("m", n+1)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "MaxEncodedSize")

	// Input of MaxEncodedSize+1 bytes, valid or not, is refused unread.
	big := append(append([]byte{}, b...), 0)
	for _, give := range [][]byte{big, make([]byte, errcode.MaxEncodedSize+1)} {
		got, err := errcode.Decode(give)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "MaxEncodedSize")
		assert.Nil(t, got)
	}
}

func TestDecodeTruncated(t *testing.T) {
	t.Parallel()
	give := errcode.WithRetryAfter(errcode.WithRetry(errcode.WithFields(crdberrors.WithHint(
		errcode.SnapshotError.Wrap(stderrors.Join(errcode.VmCapacityError.New("full", "n", int8(1)), errcode.VmConfigError),
			"restore", "when", time.Unix(1, 2).UTC(), "m", map[string]any{"a": []any{1.5, uint64(2)}}), "hint"),
		"k", "v"), errcode.Transient), time.Second)
	for _, form := range wireForms {
		if form.name == "cockroachdb" {
			continue // cockroachdb's DecodeError trusts its input (it panics on an empty EncodedError)
		}
		t.Run(form.name, func(t *testing.T) {
			t.Parallel()
			b, err := form.encode(give)
			require.NoError(t, err)
			for i := range len(b) {
				var got error
				require.NotPanics(t, func() { got, err = form.decode(errcode.Default, b[:i]) }, "prefix of %d bytes", i)
				if err != nil {
					assert.Nil(t, got, "prefix %d: a value and an error", i)
				} else {
					assert.NotNil(t, got, "prefix %d: neither a value nor an error", i)
				}
			}
		})
	}
}

func TestDecodeGarbage(t *testing.T) {
	t.Parallel()
	valid, err := errcode.Encode(errcode.SnapshotError.Wrap(errcode.VmCapacityError.New("x", "k", 1), "y"))
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(1, 2))
	inputs := [][]byte{{0}, {0xff}, {0x0a}, {0x12}, {0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f}, []byte("not protobuf at all"),
		[]byte(`{"version":1}`)}
	for range 2000 {
		b := make([]byte, r.IntN(64))
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		inputs = append(inputs, b)
		// Valid bytes with some flipped.
		m := append([]byte{}, valid...)
		for range 1 + r.IntN(4) {
			m[r.IntN(len(m))] ^= byte(1 + r.UintN(255))
		}
		inputs = append(inputs, m)
	}
	for _, b := range inputs {
		var got error
		require.NotPanics(t, func() { got, err = errcode.Decode(b) }, "Decode(%q)", b)
		if err != nil {
			assert.Nil(t, got)
			continue
		}
		require.NotNil(t, got, "Decode(%q)", b)
		require.NotPanics(t, func() { _, err = errcode.Encode(got) }, "Encode(Decode(%q))", b)
	}
}

// TestDecodeBadErrcodeLayers hand-crafts coded layers with bad details.
func TestDecodeBadErrcodeLayers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc    string
		details []string
		wantErr string
	}{
		{"no code name", []string{"retry=transient"}, "code name"},
		{"empty code name", []string{"code="}, "empty"},
		{"code name with space", []string{"code=a b"}, "whitespace"},
		{"code name too long", []string{"code=" + strings.Repeat("x", errcode.MaxNameLen+1)}, "limit"},
		{"bad retry", []string{"code=X", "retry=maybe"}, "retry"},
		{"too many ancestors", []string{"code=X", "ancestors=" + strings.Repeat("A ", errcode.MaxDepth+1)}, "MaxDepth"},
		{"MaxDepth ancestors", []string{"code=X", "ancestors=" + strings.TrimSpace(strings.Repeat("A ", errcode.MaxDepth))}, ""},
		{"unknown details ignored", []string{"code=X", "colour=blue"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			enc := wireProtoLeaf(t)
			enc.GetLeaf().Details.ReportablePayload = tt.details
			b, err := enc.Marshal()
			require.NoError(t, err)
			got, err := errcode.Decode(b)
			if tt.wantErr == "" {
				require.NoError(t, err)
				assert.Equal(t, "X", errcode.NameOf(got))
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.Nil(t, got)
		})
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
