package errcode_test

import (
	stderrors "errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"testing"
	"time"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/errcode/errcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFields(t *testing.T) {
	t.Parallel()
	base := stderrors.New("base")
	tests := []struct {
		desc       string
		giveErr    error
		wantFields map[string]any
	}{
		{"no fields", errcode.VmConfigError.New("bad"), nil},
		{"plain error", io.EOF, nil},
		{"nil", nil, nil},
		{"WithFields of nothing", errcode.WithFields(base), nil},
		{"New", errcode.VmConfigError.New("bad", "cpus", 0, "mem", "1G"), map[string]any{"cpus": 0, "mem": "1G"}},
		{"Wrap", errcode.VmConfigError.Wrap(base, "bad", "cpus", 0), map[string]any{"cpus": 0}},
		{"last pair with a key wins in a layer", errcode.VmConfigError.New("bad", "k", 1, "a", true, "k", 2, "k", 3), map[string]any{"k": 3, "a": true}},
		{"outer WithFields wins", errcode.WithFields(errcode.VmConfigError.New("bad", "k", "inner", "i", 1), "k", "outer", "o", 2),
			map[string]any{"k": "outer", "i": 1, "o": 2}},
		{"outer coded layer wins", errcode.SandboxError.Wrap(errcode.VmConfigError.New("bad", "k", "inner"), "start", "k", "outer"),
			map[string]any{"k": "outer"}},
		{"stacked WithFields", errcode.WithFields(errcode.WithFields(base, "a", 1, "b", 1), "b", 2), map[string]any{"a": 1, "b": 2}},
		{"through foreign wrappers", fmt.Errorf("op: %w", crdberrors.WithHint(crdberrors.Wrap(errcode.WithFields(base, "a", 1), "w"), "h")),
			map[string]any{"a": 1}},
		{"errors.Join: the first branch wins", stderrors.Join(errcode.WithFields(base, "k", "first", "a", 1), errcode.WithFields(io.EOF, "k", "second", "b", 2)),
			map[string]any{"k": "first", "a": 1, "b": 2}},
		{"outer layer over a join", errcode.WithFields(stderrors.Join(errcode.WithFields(base, "k", "branch")), "k", "outer"), map[string]any{"k": "outer"}},
		{"non-string key", errcode.WithFields(base, 42), map[string]any{errcode.BadKey: 42}},
		{"non-string key, then a pair", errcode.WithFields(base, 42, "a", 1), map[string]any{errcode.BadKey: 42, "a": 1}},
		{"lone trailing string", errcode.WithFields(base, "a", 1, "orphan"), map[string]any{"a": 1, errcode.BadKey: "orphan"}},
		{"two bad keys: the last wins", errcode.WithFields(base, 1, 2), map[string]any{errcode.BadKey: 2}},
		{"slog.Attr", errcode.WithFields(base, slog.String("s", "x"), slog.Int("n", 7), slog.Bool("ok", true)),
			map[string]any{"s": "x", "n": int64(7), "ok": true}},
		{"slog.Attr among pairs", errcode.WithFields(base, "a", 1, slog.String("s", "x"), "b", 2), map[string]any{"a": 1, "s": "x", "b": 2}},
		{"slog.Group", errcode.WithFields(base, slog.Group("req", slog.String("id", "r1"), "n", 2)),
			map[string]any{"req": map[string]any{"id": "r1", "n": int64(2)}}},
		{"nested slog.Group", errcode.VmConfigError.New("bad", slog.Group("a", slog.Group("b", slog.String("c", "d")))),
			map[string]any{"a": map[string]any{"b": map[string]any{"c": "d"}}}},
		{"zero slog.Attr is ignored", errcode.WithFields(base, slog.Attr{}, "a", 1), map[string]any{"a": 1}},
		{"weird kv", errcode.WithFields(base, nil, 1, struct{ X int }{1}, []int{1}, map[string]int{"a": 1}, "ok", true),
			map[string]any{errcode.BadKey: map[string]int{"a": 1}, "ok": true}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got := errcode.Fields(tt.giveErr)
			assert.Equal(t, tt.wantFields, got, "Fields(%v) = %v; want %v", tt.giveErr, got, tt.wantFields)
		})
	}
}

// slogFields returns what a log/slog handler would see for kv, as a map
// (the last attribute with a key wins), every value printed with %v.
func slogFields(kv []any) map[string]string {
	r := slog.NewRecord(time.Time{}, slog.LevelInfo, "", 0)
	r.Add(kv...)
	out := map[string]string{}
	r.Attrs(func(a slog.Attr) bool {
		if !a.Equal(slog.Attr{}) {
			out[a.Key] = fmt.Sprint(slogPlain(a.Value))
		}
		return true
	})
	return out
}

func slogPlain(v slog.Value) any {
	v = v.Resolve()
	if v.Kind() != slog.KindGroup {
		return v.Any()
	}
	m := map[string]any{}
	for _, a := range v.Group() {
		m[a.Key] = slogPlain(a.Value)
	}
	return m
}

// TestFieldsFollowSlog checks the key/value parsing against log/slog's own.
func TestFieldsFollowSlog(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc   string
		giveKV []any
	}{
		{"pairs", []any{"a", 1, "b", "two"}},
		{"repeated key", []any{"a", 1, "a", 2}},
		{"non-string key", []any{42, "a", 1}},
		{"non-string keys only", []any{1, 2, 3}},
		{"lone trailing string", []any{"a", 1, "orphan"}},
		{"lone string", []any{"orphan"}},
		{"nil key", []any{nil, "a", 1}},
		{"Attr and pairs", []any{slog.String("s", "x"), "a", 1, slog.Int("n", 7)}},
		{"Group", []any{slog.Group("g", "a", 1, slog.String("b", "c"))}},
		{"a string key whose value is a string", []any{"a", "b", "c"}},
		{"struct key", []any{struct{ X int }{1}, "a", 1}},
		{"zero Attr", []any{slog.Attr{}, "a", 1}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			var fields map[string]any
			require.NotPanics(t, func() { fields = errcode.Fields(errcode.WithFields(io.EOF, tt.giveKV...)) })
			got := map[string]string{}
			for k, v := range fields {
				got[k] = fmt.Sprint(v)
			}
			want := slogFields(tt.giveKV)
			assert.Equal(t, want, got, "Fields(WithFields(%v)) = %v; want what slog sees: %v", tt.giveKV, got, want)
		})
	}
}

// TestFieldsNeverPanic feeds odd key/value lists to every constructor
// that takes them.
func TestFieldsNeverPanic(t *testing.T) {
	t.Parallel()
	var nilMap map[string]any
	var nilErr error
	odd := [][]any{
		nil,
		{nil},
		{nil, nil},
		{1, 2, 3},
		{struct{}{}},
		{"k"},
		{nilMap, nilErr},
		{slog.Attr{}},
		{slog.Group("")},
		{slog.Any("", nil)},
		{[]any{"nested", 1}},
		{func() {}},
		{make(chan int)},
	}
	for i, kv := range odd {
		assert.NotPanics(t, func() {
			for _, err := range []error{
				errcode.VmConfigError.New("x", kv...),
				errcode.VmConfigError.Wrap(io.EOF, "x", kv...),
				errcode.WithFields(io.EOF, kv...),
				errcode.NewVmOverlayError("x", "e", "c", kv...),
				errcode.NewSocketAuthError("x", 1, 2, kv...),
			} {
				_ = errcode.Fields(err)
				_, _ = errcode.Field[string](err, errcode.BadKey)
				_ = fmt.Sprintf("%+v", err)
			}
		}, "case %d: %#v", i, kv)
	}
}

func TestField(t *testing.T) {
	t.Parallel()
	base := errcode.VmConfigError.New("bad",
		"n", 3, "s", "str", "e", io.EOF, "m", map[string]any{"a": 1}, "d", time.Second)
	shadowed := errcode.WithFields(base, "n", "three")
	joined := stderrors.Join(io.EOF, errcode.WithFields(io.ErrUnexpectedEOF, "x", 1))
	bad := errcode.WithFields(io.EOF, 42)
	safe := errcode.VmConfigError.New("bad", "vcpus", errcode.Safe(0))

	tests := []struct {
		desc      string
		giveGet   func() (any, bool)
		wantValue any
		wantOK    bool
	}{
		{"int", func() (any, bool) { return errcode.Field[int](base, "n") }, 3, true},
		{"int as int64", func() (any, bool) { return errcode.Field[int64](base, "n") }, int64(3), true},
		{"int is not a Duration", func() (any, bool) { return errcode.Field[time.Duration](base, "n") }, time.Duration(0), false},
		{"wrong type string", func() (any, bool) { return errcode.Field[string](base, "n") }, "", false},
		{"string", func() (any, bool) { return errcode.Field[string](base, "s") }, "str", true},
		{"interface type error", func() (any, bool) { return errcode.Field[error](base, "e") }, io.EOF, true},
		{"any", func() (any, bool) { return errcode.Field[any](base, "n") }, 3, true},
		{"fmt.Stringer", func() (any, bool) { return errcode.Field[fmt.Stringer](base, "d") }, time.Second, true},
		{"map", func() (any, bool) { return errcode.Field[map[string]any](base, "m") }, map[string]any{"a": 1}, true},
		{"missing", func() (any, bool) { return errcode.Field[int](base, "nope") }, 0, false},
		{"plain error", func() (any, bool) { return errcode.Field[int](io.EOF, "n") }, 0, false},
		{"the outer layer decides, wrong type", func() (any, bool) { return errcode.Field[int](shadowed, "n") }, 0, false},
		{"the outer layer decides", func() (any, bool) { return errcode.Field[string](shadowed, "n") }, "three", true},
		{"inner field through the outer layer", func() (any, bool) { return errcode.Field[string](shadowed, "s") }, "str", true},
		{"second branch of a join", func() (any, bool) { return errcode.Field[int](joined, "x") }, 1, true},
		{"bad key", func() (any, bool) { return errcode.Field[int](bad, errcode.BadKey) }, 42, true},
		{"a Safe value is the value itself", func() (any, bool) { return errcode.Field[int](safe, "vcpus") }, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got, ok := tt.giveGet()
			assert.Equal(t, tt.wantOK, ok, "Field ok = %v; want %v", ok, tt.wantOK)
			assert.Equal(t, tt.wantValue, got, "Field = %#v; want %#v", got, tt.wantValue)
		})
	}
}

func TestWithFields(t *testing.T) {
	t.Parallel()
	err := errcode.VmConfigError.Wrap(io.EOF, "bad")
	assert.True(t, errcode.WithFields(err) == err, "WithFields(err) with no pairs is not err")
	assert.True(t, errcode.WithFields(err, slog.Attr{}) == err, "WithFields(err, zero Attr) is not err")

	got := errcode.WithFields(err, "vm", "vm-1")
	assert.Equal(t, "bad: EOF", got.Error())
	assert.True(t, errcode.CodeOf(got) == errcode.VmConfigError, "CodeOf(WithFields) = %v", errcode.CodeOf(got))
	assert.True(t, stderrors.Is(got, io.EOF), "WithFields hides the cause from errors.Is")
	assert.Equal(t, errcode.Permanent, errcode.RetryOf(got))
	assert.Equal(t, map[string]any{"vm": "vm-1"}, errcode.Fields(got))
	assert.Nil(t, errcode.Fields(err), "WithFields changed the error it wraps")
}

// TestFieldConvertsNumbers checks that Field reads a number stored under
// one built-in numeric type as another when it fits exactly, and refuses
// otherwise — also after a wire hop, where plain JSON integers decode as
// int.
func TestFieldConvertsNumbers(t *testing.T) {
	t.Parallel()
	get := func(v any) func(f func(error) (any, bool)) (any, bool) {
		err := errcode.VmConfigError.New("bad", "n", v)
		return func(f func(error) (any, bool)) (any, bool) { return f(err) }
	}
	asInt := func(err error) (any, bool) { return errcode.Field[int](err, "n") }
	asInt8 := func(err error) (any, bool) { return errcode.Field[int8](err, "n") }
	asInt64 := func(err error) (any, bool) { return errcode.Field[int64](err, "n") }
	asUint8 := func(err error) (any, bool) { return errcode.Field[uint8](err, "n") }
	asUint64 := func(err error) (any, bool) { return errcode.Field[uint64](err, "n") }
	asFloat32 := func(err error) (any, bool) { return errcode.Field[float32](err, "n") }
	asFloat64 := func(err error) (any, bool) { return errcode.Field[float64](err, "n") }
	asDuration := func(err error) (any, bool) { return errcode.Field[time.Duration](err, "n") }

	tests := []struct {
		desc      string
		give      any
		read      func(error) (any, bool)
		wantValue any
		wantOK    bool
	}{
		{"slog.Int's int64 as int", int64(4), asInt, 4, true},
		{"int as int64", 4, asInt64, int64(4), true},
		{"int as float64", 4, asFloat64, 4.0, true},
		{"int as uint8", 255, asUint8, uint8(255), true},
		{"int over uint8", 256, asUint8, uint8(0), false},
		{"negative int as uint8", -1, asUint8, uint8(0), false},
		{"negative int as uint64", -1, asUint64, uint64(0), false},
		{"int8 bounds", -128, asInt8, int8(-128), true},
		{"under int8", -129, asInt8, int8(0), false},
		{"max uint64 as int64", uint64(math.MaxUint64), asInt64, int64(0), false},
		{"max uint64 as float64 is not exact", uint64(math.MaxUint64), asFloat64, 0.0, false},
		{"max int64 as float64 is not exact", int64(math.MaxInt64), asFloat64, 0.0, false},
		{"2^53 as float64", int64(1) << 53, asFloat64, float64(1 << 53), true},
		{"2^53+1 as float64 is not exact", int64(1)<<53 + 1, asFloat64, 0.0, false},
		{"2^24+1 as float32 is not exact", 1<<24 + 1, asFloat32, float32(0), false},
		{"whole float64 as int", 3.0, asInt, 3, true},
		{"fractional float64 as int", 3.5, asInt, 0, false},
		{"NaN as int", math.NaN(), asInt, 0, false},
		{"+Inf as int64", math.Inf(1), asInt64, int64(0), false},
		{"2^63 as int64", math.Ldexp(1, 63), asInt64, int64(0), false},
		{"-2^63 as int64", math.Ldexp(-1, 63), asInt64, int64(math.MinInt64), true},
		{"2^64 as uint64", math.Ldexp(1, 64), asUint64, uint64(0), false},
		{"float32 as float64", float32(0.5), asFloat64, 0.5, true},
		{"0.1 as float32 is not exact", 0.1, asFloat32, float32(0), false},
		{"0.5 as float32", 0.5, asFloat32, float32(0.5), true},
		{"Duration is not an int64", time.Second, asInt64, int64(0), false},
		{"int64 is not a Duration", int64(time.Second), asDuration, time.Duration(0), false},
		{"Duration as Duration", time.Second, asDuration, time.Second, true},
		{"string is not a number", "4", asInt, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got, ok := get(tt.give)(tt.read)
			assert.Equal(t, tt.wantOK, ok, "Field(%#v) ok = %v; want %v", tt.give, ok, tt.wantOK)
			assert.Equal(t, tt.wantValue, got, "Field(%#v) = %#v; want %#v", tt.give, got, tt.wantValue)
		})
	}

	t.Run("slog.Int after both wire forms", func(t *testing.T) {
		t.Parallel()
		err := errcode.VmConfigError.New("bad", slog.Int("vcpus", 4), slog.Float64("ratio", 0.5))
		for _, form := range wireForms {
			got := wireRoundTrip(t, form, errcode.Default, err)
			n, ok := errcode.Field[int](got, "vcpus")
			assert.True(t, ok, "%s: Field[int](vcpus) not found", form.name)
			assert.Equal(t, 4, n, "%s: Field[int](vcpus)", form.name)
			r, ok := errcode.Field[float32](got, "ratio")
			assert.True(t, ok, "%s: Field[float32](ratio) not found", form.name)
			assert.Equal(t, float32(0.5), r, "%s: Field[float32](ratio)", form.name)
		}
	})
}

// TestFieldDocExamples checks the examples in Field's documentation.
func TestFieldDocExamples(t *testing.T) {
	t.Parallel()
	err := errcode.VmConfigError.New("bad", slog.Int("vcpus", 4))
	n, ok := errcode.Field[int](err, "vcpus")
	assert.True(t, ok)
	assert.Equal(t, 4, n)
	f, ok := errcode.Field[float64](err, "vcpus")
	assert.True(t, ok)
	assert.Equal(t, 4.0, f)
	i8, ok := errcode.Field[int8](err, "vcpus")
	assert.True(t, ok)
	assert.Equal(t, int8(4), i8)
	s, ok := errcode.Field[string](err, "vcpus")
	assert.False(t, ok)
	assert.Equal(t, "", s)
	big := errcode.WithFields(err, "vcpus", 300)
	u8, ok := errcode.Field[uint8](big, "vcpus")
	assert.False(t, ok)
	assert.Equal(t, uint8(0), u8)
}
