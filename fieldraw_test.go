package errcode_test

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/errcode/errcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDecodeFieldsPayloadExactNames: the fields object inside a protobuf
// payload matches its member names exactly, as the JSON form does:
// "Fields" is an unknown member, ignored.
func TestDecodeFieldsPayloadExactNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc       string
		give       string
		wantFields map[string]any
		wantSafe   map[string]any
	}{
		{"exact names", `{"fields":{"a":1},"field_types":{"a":"int8"},"safe_fields":["a"]}`,
			map[string]any{"a": int8(1)}, map[string]any{"a": int8(1)}},
		{"Fields is unknown", `{"Fields":{"a":1}}`, nil, nil},
		{"FIELDS beside fields is unknown", `{"FIELDS":{"b":2},"fields":{"a":1}}`, map[string]any{"a": 1}, nil},
		{"Field_Types is unknown", `{"fields":{"a":1},"Field_Types":{"a":"int8"}}`, map[string]any{"a": 1}, nil},
		{"Safe_Fields is unknown", `{"fields":{"a":1},"Safe_Fields":["a"]}`, map[string]any{"a": 1}, nil},
		{"escaped names match", `{"f\u0069elds":{"a":1}}`, map[string]any{"a": 1}, nil},
		{"the last of a repeated member wins", `{"fields":{"a":1},"fields":{"b":2}}`, map[string]any{"b": 2}, nil},
		{"the last of a repeated key wins", `{"fields":{"a":1,"a":"x"}}`, map[string]any{"a": "x"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got, err := errcode.Decode(wireProtoWithFields(t, tt.give))
			require.NoError(t, err)
			assert.Equal(t, tt.wantFields, errcode.Fields(got), "Fields")
			assert.Equal(t, tt.wantSafe, errcode.SafeFields(got), "SafeFields")
		})
	}
}

// TestDecodeFieldsPayloadRefusals: the checks Decode makes on a payload
// it keeps undecoded refuse what decoding it would refuse.
func TestDecodeFieldsPayloadRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc    string
		give    string
		wantErr string
	}{
		{"fields an array", `{"fields":[1]}`, "fields: cannot unmarshal array, want an object"},
		{"field_types a string", `{"fields":{"a":1},"field_types":"int8"}`, "field_types: cannot unmarshal string, want an object"},
		{"safe_fields of numbers", `{"fields":{"a":1},"safe_fields":[1]}`, "safe_fields[0]: cannot unmarshal number 1, want a string"},
		{"redactable_message a number", `{"redactable_message":1}`, "redactable_message: cannot unmarshal number 1"},
		{"not JSON", `{"fields":`, "malformed fields"},
		{"a float out of range", `{"fields":{"a":[1e999]}}`, `field "a": element 0: strconv.ParseFloat: parsing "1e999": value out of range`},
		{"a float out of range in a map", `{"fields":{"a":{"k":1e999}}}`, `field "a": key "k": strconv.ParseFloat`},
		{"an int8 out of range", `{"fields":{"a":300},"field_types":{"a":"int8"}}`, `field "a": 300 is not an int8`},
		{"a []int8 element out of range", `{"fields":{"a":[1,300]},"field_types":{"a":"[]int8"}}`, `field "a": element 1: 300 is not an int8`},
		{"a map type over a list", `{"fields":{"a":[1]},"field_types":{"a":{"k":"int8"}}}`, "type says a map, value is an array"},
		{"a list type longer than the list", `{"fields":{"a":[1]},"field_types":{"a":["int8","int8"]}}`, "type names 2 elements, the list has 1"},
		{"a malformed type", `{"fields":{"a":1},"field_types":{"a":true}}`, "malformed type a boolean"},
		{"bytes not base64", `{"fields":{"a":"!!"},"field_types":{"a":"bytes"}}`, `field "a": bytes: illegal base64 data at input byte 0`},
		{"bytes escaped", `{"fields":{"a":"YWJj\u003d"},"field_types":{"a":"bytes"}}`, "illegal base64"},
		{"a time not RFC 3339", `{"fields":{"a":"yesterday"},"field_types":{"a":"time"}}`, `parsing time "yesterday"`},
		{"unixtime of two", `{"fields":{"a":[1,2]},"field_types":{"a":"unixtime"}}`, "type unixtime wants a JSON array of 3 integers"},
		{"unixtime nanoseconds", `{"fields":{"a":[1,1000000000,0]},"field_types":{"a":"unixtime"}}`, "unixtime nanoseconds 1000000000 out of range"},
		{"bool typed a string", `{"fields":{"a":"yes"},"field_types":{"a":"bool"}}`, "type bool wants a JSON boolean, value is a string"},
		{"NaN spelled wrong", `{"fields":{"a":"nan"},"field_types":{"a":"float64"}}`, "type float64 wants a JSON number, value is a string"},
		{"a type for no field", `{"fields":{"a":1},"field_types":{"b":"int8"}}`, `field_types names "b", which is not a field`},
		{"a safe key for no field", `{"fields":{"a":1},"safe_fields":["b"]}`, `safe_fields names "b", which is not a field`},
		{"nested past MaxFieldDepth", `{"fields":{"a":` + strings.Repeat("[", errcode.MaxFieldDepth+1) + strings.Repeat("]", errcode.MaxFieldDepth+1) + `}}`, "MaxFieldDepth"},
		{"maps nested past MaxFieldDepth", `{"fields":{"a":` + strings.Repeat(`{"k":`, errcode.MaxFieldDepth) + `{}` + strings.Repeat("}", errcode.MaxFieldDepth) + `}}`, `key "k": key "k"`},
		{"past MaxFieldSize counted decoded", `{"fields":{"a":"` + strings.Repeat("é", errcode.MaxFieldSize/2) + `"}}`, "over MaxFieldSize"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got, err := errcode.Decode(wireProtoWithFields(t, tt.give))
			require.Error(t, err, "Decode = %v; want an error", got)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
	// Escapes count as what they decode to: \u00e9 is the two bytes of é.
	within := `{"fields":{"a":"` + strings.Repeat(`\u00e9`, (errcode.MaxFieldSize-2)/2) + `"}}`
	got, err := errcode.Decode(wireProtoWithFields(t, within))
	require.NoError(t, err)
	s, ok := errcode.Field[string](got, "a")
	assert.True(t, ok)
	assert.Equal(t, strings.Repeat("é", (errcode.MaxFieldSize-2)/2), s)
}

// memFamily is a family of hostile payloads: body returns, for a budget
// of about n bytes, the members of a fields object (protobuf payload
// and JSON form alike), or, with doc set, a whole JSON document.
type memFamily struct {
	desc string
	body func(n int) string
	doc  bool // a whole JSON document, for the JSON form only
}

// fieldsFlood returns fields f000… whose values are arrays of elem, each
// at most MaxFieldSize as JSON, n bytes in all.
func fieldsFlood(n int, elem string) string {
	var sb strings.Builder
	for i := 0; sb.Len() < n-16 && i < errcode.MaxFields; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		per := min(n-sb.Len()-16, errcode.MaxFieldSize-8)
		k := max(per/(len(elem)+1), 1)
		fmt.Fprintf(&sb, `"f%03d":[%s]`, i, repeatJSON(k, elem))
	}
	return sb.String()
}

var memFamilies = []memFamily{
	{"{} flood", func(n int) string { return fieldsFlood(n, "{}") }, false},
	{"[] flood", func(n int) string { return fieldsFlood(n, "[]") }, false},
	{"0 flood", func(n int) string { return fieldsFlood(n, "0") }, false},
	{"nested [[0]] flood", func(n int) string { return fieldsFlood(n, "[[0]]") }, false},
	{"many fields", func(n int) string {
		return strings.TrimSuffix(strings.Repeat(`"a":0,`, min(n/6, errcode.MaxFields)), ",")
	}, false},
	{"escaped string", func(n int) string { return fieldsFlood(n, `"\n\t\"\\"`) }, false},
	{`\u escapes that shrink`, func(n int) string { return fieldsFlood(n, `"\u0041\u0042"`) }, false},
	// The most layers n bytes may hold, each as small as it can be,
	// padded to n bytes.
	{"max layers of empty causes", func(n int) string {
		return padDoc(n, `{"version":1,"chain":[{"kind":"join","causes":[`+repeatJSON(layersIn(n)-1, `[{}]`)+`]}]}`)
	}, true},
	{"max layers of message causes", func(n int) string {
		return padDoc(n, `{"version":1,"chain":[{"kind":"join","causes":[`+repeatJSON(layersIn(n)-1, `[{"message":"m"}]`)+`]}]}`)
	}, true},
	// Coded leaves of as many distinct codes as the limits allow, the
	// registry lacking them all, each with a message that fills its share
	// of the input: what the leaves keep is all the input.
	{"distinct unknown codes with messages", func(n int) string {
		codes, per := errcode.CodeBudget(n), max(n/layersIn(n)-32, 1)
		return codedCauses(n, func(i int) string {
			return fmt.Sprintf(`{"code":"A%d","message":%q}`, i%codes, strings.Repeat("m", per))
		})
	}, true},
	{"one unknown code", func(n int) string {
		return codedCauses(n, func(int) string { return `{"code":"A"}` })
	}, true},
	{"unknown kinds", func(n int) string {
		return codedCauses(n, func(i int) string { return fmt.Sprintf(`{"kind":"k%d"}`, i) })
	}, true},
	{"deepest nesting", func(n int) string {
		d := min(layersIn(n), errcode.MaxDepth) - 1
		return padDoc(n, `{"version":1,"chain":`+strings.Repeat(`[{"kind":"join","causes":[`, d)+`[{"message":"x"}]`+strings.Repeat(`]}]`, d)+`}`)
	}, true},
}

// layersIn returns the most layers an encoded error of n bytes may hold.
func layersIn(n int) int { return errcode.LayerBudget(n) }

// codedCauses returns a join of the most coded leaves n bytes may hold,
// leaf i as leaf(i), padded to n bytes.
func codedCauses(n int, leaf func(i int) string) string {
	causes := make([]string, layersIn(n)-1)
	for i := range causes {
		causes[i] = "[" + leaf(i) + "]"
	}
	return padDoc(n, `{"version":1,"chain":[{"kind":"join","causes":[`+strings.Join(causes, ",")+`]}]}`)
}

// padJSON returns doc with spaces after it, n bytes in all.
func padDoc(n int, doc string) string { return doc + strings.Repeat(" ", max(n-len(doc), 0)) }

// memSizes are the input sizes measured, from 1 KiB to about
// MaxEncodedSize.
var memSizes = []int{1 << 10, 16 << 10, 256 << 10, errcode.MaxEncodedSize - 4<<10}

// memoryOf returns the bytes one call of decode allocated and the bytes
// its result keeps alive, each divided by len(input). The result is
// kept alive while the heap is measured.
func memoryOf(input []byte, decode func([]byte) (error, error)) (alloc, retained float64, err error) {
	// Warm first (type caches, pools), then the least of three: what
	// else the process does (the race detector, a pool's spare object)
	// only adds to a measure, never takes from it.
	if _, err := decode(input); err != nil {
		return 0, 0, err
	}
	alloc, retained = math.Inf(1), math.Inf(1)
	for range 3 {
		var before, after, kept runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		got, derr := decode(input)
		runtime.ReadMemStats(&after)
		runtime.GC()
		runtime.ReadMemStats(&kept)
		runtime.KeepAlive(got)
		if derr != nil {
			return 0, 0, derr
		}
		alloc = min(alloc, float64(after.TotalAlloc-before.TotalAlloc)/float64(len(input)))
		retained = min(retained, (float64(kept.HeapAlloc)-float64(before.HeapAlloc))/float64(len(input)))
	}
	return alloc, retained, nil
}

// TestDecodeMemory measures what one Decode or DecodeJSON of hostile
// payloads allocates and keeps alive, per byte of input, and checks the
// bounds of issue 10 (16× allocated, 4× kept): for every family of the
// JSON form from 1 KiB on (but what the deepest nesting keeps at 1 KiB,
// see below), of the protobuf form from 16 KiB on. Each figure is the
// least of three decodes after a warm one. Not parallel: it reads the
// process's heap.
// Run with -v to see the figures.
func TestDecodeMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("measures a MiB of hostile payloads")
	}
	type worst struct {
		alloc, retained float64
		allocAt, keptAt string
	}
	var pbWorst, jsonWorst worst
	note := func(w *worst, where string, alloc, retained float64) {
		if alloc > w.alloc {
			w.alloc, w.allocAt = alloc, where
		}
		if retained > w.retained {
			w.retained, w.keptAt = retained, where
		}
	}
	for _, fam := range memFamilies {
		for _, n := range memSizes {
			var doc string
			if fam.doc {
				doc = fam.body(n)
			} else {
				doc = `{"version":1,"chain":[{"code":"VmCapacityError","message":"m","fields":{` + fam.body(n) + `}}]}`
			}
			if len(doc) <= errcode.MaxEncodedSize {
				alloc, retained, err := memoryOf([]byte(doc), errcode.DecodeJSON)
				require.NoError(t, err, "json %s %d", fam.desc, len(doc))
				where := fmt.Sprintf("json %s %d", fam.desc, len(doc))
				t.Logf("%-45s alloc %6.2fx  kept %6.2fx", where, alloc, retained)
				note(&jsonWorst, where, alloc, retained)
				if why := overBound(len(doc), alloc, retained); why != "" {
					t.Errorf("%s: %s", where, why)
				}
			}
			if fam.doc {
				continue
			}
			pb := wireProtoWithFields(t, `{"fields":{`+fam.body(n)+`}}`)
			if len(pb) > errcode.MaxEncodedSize {
				continue
			}
			alloc, retained, err := memoryOf(pb, errcode.Decode)
			require.NoError(t, err, "protobuf %s %d", fam.desc, len(pb))
			where := fmt.Sprintf("protobuf %s %d", fam.desc, len(pb))
			t.Logf("%-45s alloc %6.2fx  kept %6.2fx", where, alloc, retained)
			note(&pbWorst, where, alloc, retained)
			if why := overBound(len(pb), alloc, retained); why != "" {
				t.Errorf("%s: %s", where, why)
			}
		}
	}
	t.Logf("worst protobuf: alloc %.2fx (%s), kept %.2fx (%s)", pbWorst.alloc, pbWorst.allocAt, pbWorst.retained, pbWorst.keptAt)
	t.Logf("worst JSON:     alloc %.2fx (%s), kept %.2fx (%s)", jsonWorst.alloc, jsonWorst.allocAt, jsonWorst.retained, jsonWorst.keptAt)
}
