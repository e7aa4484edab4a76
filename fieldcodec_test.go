package errcode_test

import (
	"encoding/json"
	stderrors "errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

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

// wireFieldAs expects v to travel as want, the Go value the receiver
// reads (for values sent as their JSON: plain JSON values).
func wireFieldAs(key string, v, want any) wireFieldCase {
	return wireFieldCase{key: key, value: v, changes: true, check: func(t *testing.T, err error) {
		t.Helper()
		got, ok := errcode.Fields(err)[key]
		if assert.True(t, ok, "Fields()[%q] missing; Fields = %#v", key, errcode.Fields(err)) {
			assert.Equal(t, want, got, "Fields()[%q]", key)
		}
	}}
}

// wireTime expects the instant of want, and its zone offset, to come
// back.
func wireTime(key string, want time.Time) wireFieldCase {
	return wireFieldCase{key: key, value: want, check: func(t *testing.T, err error) {
		t.Helper()
		got, ok := errcode.Field[time.Time](err, key)
		require.True(t, ok, "Field[time.Time](%q); Fields = %#v", key, errcode.Fields(err))
		assert.True(t, want.Equal(got), "Field[time.Time](%q) = %v; want %v", key, got, want)
		_, wantOff := want.Zone()
		_, gotOff := got.Zone()
		assert.Equal(t, wantOff, gotOff, "zone offset of %q", key)
	}}
}

type wireStruct struct {
	A int
	B string
}

// wireJSONer marshals as JSON itself.
type wireJSONer struct{ n int }

func (j wireJSONer) MarshalJSON() ([]byte, error) {
	return fmt.Appendf(nil, `{"n":%d,"z":[1.5,"x"]}`, j.n), nil
}

// wireJSONError is an error that marshals as JSON itself.
type wireJSONError struct{}

func (wireJSONError) Error() string                { return "as text" }
func (wireJSONError) MarshalJSON() ([]byte, error) { return []byte(`{"as":"json"}`), nil }

// wireColor is a fmt.Stringer with no JSON form of its own.
type wireColor int

func (c wireColor) String() string { return [...]string{"red", "green", "blue"}[c] }

type wireTags []string

// wireLMT is Amsterdam's local mean time before 1892 (+00:19:32).
var wireLMT = time.FixedZone("LMT", 19*60+32)

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
		wireFieldAsString("error", stderrors.New("an error value")),
		wireFieldAsString("stringer", errcode.Transient), // MarshalText
		wireFieldAsString("code", errcode.VmConfigError), // an error: its Error() text

		// Typed slices and maps.
		wireField("strings", []string{"a", "b"}),
		wireField("strings_empty", []string{}),
		wireField("strings_nil", []string(nil)),
		wireField("ints", []int{1, 2, math.MinInt}),
		wireField("int8s", []int8{-128, 127}),
		wireField("uint64s", []uint64{math.MaxUint64, 0}),
		wireField("float32s", []float32{1.1, float32(math.Inf(1))}),
		wireField("bools", []bool{true, false}),
		wireField("durations", []time.Duration{time.Second, -1}),
		wireField("byte_slices", [][]byte{{0xff, 0}, {}}),
		wireFieldAs("byte_slices_nil", [][]byte{nil}, [][]byte{{}}), // as a []byte field: nil arrives empty
		wireField("map_string_string", map[string]string{"a": "b", "": "empty key"}),
		wireField("map_string_string_nil", map[string]string(nil)),
		wireField("map_string_ints", map[string][]int{"x": {1, 2}, "y": nil}),
		wireField("map_string_map", map[string]map[string]uint16{"x": {"y": 65535}}),
		wireField("string_lists", [][]string{{"a"}, {}, nil}),
		wireField("maps", []map[string]int32{{"a": 1}, nil}),
		wireField("in_any_map", map[string]any{"s": []string{"x"}, "m": map[string]int64{"k": -1}}),
		wireField("in_any_list", []any{[]uint{1}, map[string]bool{"t": true}}),
		wireField("bytestrings", []string{"ok", "\xff\xfe raw", ""}),
		wireField("map_bytestrings", map[string]string{"k": "caf\xe9"}),
		wireFieldAs("nesting_past_3", [][][][]int{{{{1}}}}, []any{[]any{[]any{[]any{1}}}}),
		wireFieldAs("named_slice", wireTags{"a"}, []any{"a"}),
		wireFieldAs("int_keys", map[int]string{1: "a"}, map[string]any{"1": "a"}),
		wireFieldAs("list_of_any_map", []map[string]any{{"a": int8(1)}}, []any{map[string]any{"a": 1}}),

		// Strings that are not UTF-8.
		wireField("bytestring", "stderr: \xff\xfe\x00 caf\xe9 \xe2\x82"),
		wireField("bytestring_lone_byte", "\x80"),
		wireField("in_any_map_bytestring", map[string]any{"raw": "\xc3\x28"}),

		// Times RFC 3339 cannot carry.
		wireTime("time_lmt", time.Date(1890, 5, 1, 12, 0, 0, 1, wireLMT)),
		wireTime("time_neg_offset_seconds", time.Date(1900, 1, 1, 0, 0, 0, 0, time.FixedZone("LMT", -75))),
		wireTime("time_year_10000", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)),
		wireTime("time_year_neg", time.Date(-1, 12, 31, 23, 59, 59, 999999999, time.FixedZone("", 3600))),
		wireTime("time_year_0", time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)),
		wireTime("time_max", time.Unix(1<<63-1-62135596800, 999999999).UTC()),
		wireTime("time_min", time.Time{}.Add(math.MinInt64).Add(math.MinInt64)),
		wireField("times", []time.Time{time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC), time.Date(1890, 1, 1, 0, 0, 0, 0, time.UTC)}),
		wireField("times_lmt", []time.Time{time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC), time.Date(1890, 1, 1, 0, 0, 0, 0, wireLMT).UTC()}),

		// Values sent as their JSON.
		wireFieldAs("struct", wireStruct{A: 1, B: "b"}, map[string]any{"A": 1, "B": "b"}),
		wireFieldAs("struct_ptr", &wireStruct{A: 2}, map[string]any{"A": 2, "B": ""}),
		wireFieldAs("struct_nil_ptr", (*wireStruct)(nil), nil),
		wireFieldAs("json_marshaler", wireJSONer{n: 3}, map[string]any{"n": 3, "z": []any{1.5, "x"}}),
		wireFieldAs("json_error", wireJSONError{}, map[string]any{"as": "json"}),
		wireFieldAs("stringer_without_json", wireColor(2), 2),
		wireFieldAs("array", [2]int{1, 2}, []any{1, 2}),

		// Values encoding/json cannot marshal: their %v text.
		wireFieldAsString("complex", complex(1, 2)),
		{key: "func", value: func() {}, changes: true, check: func(t *testing.T, err error) {
			got, ok := errcode.Field[string](err, "func")
			assert.True(t, ok && strings.HasPrefix(got, "0x"), "Field[string](func) = %q, %v; want its %%v text", got, ok)
		}},
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

// wireLayerFields returns the fields and field_types members of the
// innermost layer of err's JSON form.
func wireLayerFields(t *testing.T, err error) (fields, types string) {
	t.Helper()
	b, eerr := errcode.EncodeJSON(err)
	require.NoError(t, eerr)
	var doc struct {
		Chain []struct {
			Fields     json.RawMessage `json:"fields"`
			FieldTypes json.RawMessage `json:"field_types"`
		} `json:"chain"`
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	l := doc.Chain[len(doc.Chain)-1]
	return string(l.Fields), string(l.FieldTypes)
}

// TestWireFieldNotation pins the notation WIRE.md documents: what one
// value looks like in fields and field_types.
func TestWireFieldNotation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc      string
		give      any
		wantValue string
		wantType  string // "" for none
	}{
		{"[]string", []string{"a", "b"}, `["a","b"]`, `"[]string"`},
		{"nil []string", []string(nil), `null`, `"[]string"`},
		{"[]int", []int{1, -2}, `[1,-2]`, `"[]int"`},
		{"map[string]string", map[string]string{"b": "2", "a": "1"}, `{"a":"1","b":"2"}`, `"map[string]string"`},
		{"map[string][]int32", map[string][]int32{"k": {7}}, `{"k":[7]}`, `"map[string][]int32"`},
		{"[][]byte", [][]byte{{1, 2}}, `["AQI="]`, `"[]bytes"`},
		{"[]time.Duration", []time.Duration{time.Second}, `[1000000000]`, `"[]duration"`},
		{"3 levels", [][][]string{{{"x"}}}, `[[["x"]]]`, `"[][][]string"`},
		{"4 levels travel as JSON", [][][][]string{{{{"x"}}}}, `[[[["x"]]]]`, ``},
		{"in map[string]any", map[string]any{"l": []string{"x"}, "n": 1}, `{"l":["x"],"n":1}`, `{"l":"[]string"}`},
		{"string not UTF-8", "a\xffb", `"Yf9i"`, `"bytestring"`},
		{"[]string with one not UTF-8", []string{"ok", "\xff"}, `["b2s=","/w=="]`, `"[]bytestring"`},
		{"time in RFC 3339", time.Date(2024, 1, 2, 3, 4, 5, 6, time.FixedZone("", -3600)), `"2024-01-02T03:04:05.000000006-01:00"`, `"time"`},
		{"time with a seconds offset", time.Date(1890, 1, 1, 0, 0, 0, 5, time.FixedZone("LMT", -75)), `[-2524521525,5,-75]`, `"unixtime"`},
		{"time in year 10000", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), `[253402300800,0,0]`, `"unixtime"`},
		{"[]time.Time with one past 9999", []time.Time{time.Unix(0, 0).UTC(), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, `[[0,0,0],[253402300800,0,0]]`, `"[]unixtime"`},
		{"struct as its JSON, keys sorted", struct{ B, A int }{1, 2}, `{"A":2,"B":1}`, ``},
		{"error as its text", stderrors.New("boom"), `"boom"`, ``},
		{"chan as its %v text", (chan int)(nil), `"\u003cnil\u003e"`, ``},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			fields, types := wireLayerFields(t, errcode.SandboxError.New("m", "v", tt.give))
			assert.Equal(t, `{"v":`+tt.wantValue+`}`, fields, "fields")
			if tt.wantType == "" {
				assert.Empty(t, types, "field_types")
			} else {
				assert.Equal(t, `{"v":`+tt.wantType+`}`, types, "field_types")
			}
		})
	}
}

// TestWireFieldTypesFromPeers: values a non-Go peer writes by hand, and
// type names this release does not know (from a newer sender), which
// keep the plain JSON value.
func TestWireFieldTypesFromPeers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc  string
		value string
		typ   string
		want  any
	}{
		{"[]string", `["a","b"]`, `"[]string"`, []string{"a", "b"}},
		{"[]int", `[1,2]`, `"[]int"`, []int{1, 2}},
		{"map[string]string", `{"a":"b"}`, `"map[string]string"`, map[string]string{"a": "b"}},
		{"map[string][]uint8", `{"a":[255]}`, `"map[string][]uint8"`, map[string][]uint8{"a": {255}}},
		{"bytestring", `"/w=="`, `"bytestring"`, "\xff"},
		{"bytestring of valid UTF-8", `"w6k="`, `"bytestring"`, "é"},
		{"unixtime", `[0,1,0]`, `"unixtime"`, time.Unix(0, 1).UTC()},
		{"unixtime with offset", `[0,0,3600]`, `"unixtime"`, time.Unix(0, 0).In(time.FixedZone("", 3600))},
		{"unknown: 4 levels", `[[[[1]]]]`, `"[][][][]int"`, []any{[]any{[]any{[]any{1}}}}},
		{"unknown: set", `["a"]`, `"set[string]"`, []any{"a"}},
		{"unknown: map with int keys", `{"1":"a"}`, `"map[int]string"`, map[string]any{"1": "a"}},
		{"unknown: []any", `[1]`, `"[]any"`, []any{1}},
	}
	for _, tt := range tests {
		for _, form := range wireForms {
			t.Run(tt.desc+"/"+form.name, func(t *testing.T) {
				t.Parallel()
				payload := `{"version":1,"chain":[{"code":"SandboxError","message":"m","fields":{"v":` + tt.value + `},"field_types":{"v":` + tt.typ + `}}]}`
				got, err := errcode.DecodeJSON([]byte(payload))
				require.NoError(t, err)
				got = wireRoundTrip(t, form, errcode.Default, got)
				v := errcode.Fields(got)["v"]
				if want, ok := tt.want.(time.Time); ok {
					g, ok := v.(time.Time)
					require.True(t, ok, "Fields()[v] = %#v; want a time.Time", v)
					assert.True(t, want.Equal(g), "Fields()[v] = %v; want %v", g, want)
					return
				}
				assert.Equal(t, tt.want, v, "Fields()[v]")
			})
		}
	}
}

// TestWireFieldTypesRefused: values a receiver refuses, and what Encode
// refuses, naming the field.
func TestWireFieldTypesRefused(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ desc, value, typ, wantErr string }{
		{"[]string of a number", `[1]`, `"[]string"`, "element 0"},
		{"[]int of an object", `{}`, `"[]int"`, "wants a JSON array"},
		{"map[string]int of a list", `[1]`, `"map[string]int"`, "wants a JSON object"},
		{"[]int8 out of range", `[128]`, `"[]int8"`, "not an int8"},
		{"bytestring not base64", `"!"`, `"bytestring"`, "bytestring"},
		{"unixtime of 2 elements", `[0,0]`, `"unixtime"`, "unixtime"},
		{"unixtime nanoseconds", `[0,1000000000,0]`, `"unixtime"`, "nanoseconds"},
		{"unixtime seconds past Go's range", `[9223372036854775807,0,0]`, `"unixtime"`, "out of range"},
		{"unixtime of a string", `"0"`, `"unixtime"`, "unixtime"},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			payload := `{"version":1,"chain":[{"code":"SandboxError","message":"m","fields":{"v":` + tt.value + `},"field_types":{"v":` + tt.typ + `}}]}`
			got, err := errcode.DecodeJSON([]byte(payload))
			require.Error(t, err)
			assert.Nil(t, got)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
	for _, give := range []any{
		map[string]string{"\xff": "v"},
		map[string]any{"\xff": 1},
	} {
		err := errcode.SandboxError.New("m", "badkey", give)
		for _, form := range wireForms[:1] {
			_, eerr := form.encode(err)
			require.Error(t, eerr, "%s encode of a map key not UTF-8", form.name)
			assert.Contains(t, eerr.Error(), `field "badkey"`)
		}
		_, eerr := errcode.EncodeJSON(err)
		require.Error(t, eerr, "EncodeJSON of a map key not UTF-8")
		assert.Contains(t, eerr.Error(), `field "badkey"`)
	}
}

// pythonASCII returns s as Python's json.dumps writes it by default
// (ensure_ascii): every non-ASCII character as \uXXXX, surrogate pairs
// beyond the BMP.
func pythonASCII(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteString(`\` + string(r))
		case r < 0x20 || r > 0x7e:
			for _, u := range utf16.Encode([]rune{r}) {
				fmt.Fprintf(&b, `\u%04x`, u)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// TestWireFieldSizeIsContent: MaxFieldSize counts a value's content (its
// JSON with the fewest escapes), not how the sender escaped it, in both
// directions and both forms.
func TestWireFieldSizeIsContent(t *testing.T) {
	t.Parallel()
	exact := func(unit string) string { // a string of MaxFieldSize bytes as JSON, quotes included
		n := (errcode.MaxFieldSize - 2) / len(unit)
		return strings.Repeat(unit, n) + strings.Repeat("a", errcode.MaxFieldSize-2-n*len(unit))
	}
	tests := []struct {
		desc    string
		give    string
		wantErr bool
	}{
		{"ASCII at the limit", exact("a"), false},
		{"é at the limit, \\u00e9 on the wire", exact("é"), false},
		{"é past the limit", exact("é") + "é", true},
		{"emoji at the limit, surrogate pairs on the wire", exact("😀"), false},
		{"< at the limit (Go writes \\u003c)", exact("<"), false},
		{"< past the limit", exact("<") + "<", true},
		{"quotes at the limit, 2 bytes each", strings.Repeat(`"`, (errcode.MaxFieldSize-2)/2), false},
		{"newlines at the limit, \\u000a on the wire", strings.Repeat("\n", (errcode.MaxFieldSize-2)/2), false},
		{"newlines past the limit", strings.Repeat("\n", (errcode.MaxFieldSize-2)/2) + "a", true},
		{"a control byte counts 6", exact("a")[6:] + "\x01", false},
		{"a control byte past the limit", exact("a")[5:] + "\x01", true},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			payload := `{"version":1,"chain":[{"code":"SandboxError","message":"m","fields":{"v":` + pythonASCII(tt.give) + `}}]}`
			require.LessOrEqual(t, len(payload), errcode.MaxEncodedSize)
			got, err := errcode.DecodeJSON([]byte(payload))
			if tt.wantErr {
				require.Error(t, err, "DecodeJSON of a Python payload past the limit")
				assert.Contains(t, err.Error(), "MaxFieldSize")
			} else {
				require.NoError(t, err, "DecodeJSON of a Python payload within the limit")
				v, _ := errcode.Field[string](got, "v")
				assert.Equal(t, tt.give, v)
				for _, form := range wireForms { // sent on as received: \u escapes kept
					again := wireRoundTrip(t, form, errcode.Default, got)
					v, _ := errcode.Field[string](again, "v")
					assert.Equal(t, tt.give, v, "%s: after the hop", form.name)
				}
			}
			// A Go sender is held to the same count.
			err = errcode.SandboxError.New("m", "v", tt.give)
			for _, form := range wireForms {
				b, eerr := form.encode(err)
				if tt.wantErr {
					if form.name != "cockroachdb" { // EncodeError cannot fail; it sends a note instead
						require.Error(t, eerr, "%s encode", form.name)
						assert.Contains(t, eerr.Error(), `field "v"`)
					}
					continue
				}
				require.NoError(t, eerr, "%s encode", form.name)
				got, derr := form.decode(errcode.Default, b)
				require.NoError(t, derr, "%s decode", form.name)
				v, _ := errcode.Field[string](got, "v")
				assert.Equal(t, tt.give, v, "%s", form.name)
			}
		})
	}
}
