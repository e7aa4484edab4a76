package errcode_test

import (
	stderrors "errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/errcode/errcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
