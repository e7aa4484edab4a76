package errcode

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// marshalGeneric is what parseJSONForm wrote for a fields member before
// it read the input where it lies: the value decoded into plain values
// (numbers as sent), marshalled again.
func marshalGeneric(tb testing.TB, v []byte) []byte {
	tb.Helper()
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil {
		tb.Fatalf("Decode(%q): %v", v, err)
	}
	b, err := json.Marshal(x)
	if err != nil {
		tb.Fatalf("Marshal(%q): %v", v, err)
	}
	return b
}

var canonicalSeeds = []string{
	`{}`, `[]`, `0`, `-1.5e3`, `true`, `null`, `""`,
	`{"b":1,"a":2}`, `{"a":1,"a":"x"}`, `{"a":1,"b":2,"a":3}`,
	` { "z" : [ 1 , { "y" : 2 , "x" : [ ] } ] , "a" : null } `,
	`"\u0041\u00e9\n\t\"\\\/\b\f"`, `"<a&b>"`, `"\u2028\u2029"`, `"\ud800"`, `"\ud83d\ude00"`,
	`"` + "\xff\xfe" + `"`, `"` + "é" + `"`, `{"\u0062":1,"a":2}`, `{"k\u0000":1,"k":2}`,
	`{"` + "\xff" + `":1}`, `{"<":1,"&":2}`, `[[[[0]]],{"a":{"b":{"c":"d"}}}]`,
	`{"b":{"y":1,"x":2},"a":{"q":[3,2,1],"p":"\u00e9"}}`,
}

// TestCanonicalWriter: the fields parseJSONForm keeps are the bytes
// json.Marshal wrote for them decoded, so that a decoded layer's payload
// is the one DecodeJSON always made.
func TestCanonicalWriter(t *testing.T) {
	t.Parallel()
	for _, give := range canonicalSeeds {
		var c canonicalWriter
		got := c.write(nil, []byte(give))
		if want := marshalGeneric(t, []byte(give)); !bytes.Equal(got, want) {
			t.Errorf("write(%q) = %s; want %s", give, got, want)
		}
	}
}

// FuzzCanonicalWriter checks canonicalWriter against json.Marshal of the
// decoded value on any valid JSON, and that it leaves its input intact.
func FuzzCanonicalWriter(f *testing.F) {
	for _, s := range canonicalSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, give string) {
		if !json.Valid([]byte(give)) {
			return
		}
		in := []byte(give)
		var c canonicalWriter
		got := c.write(nil, in)
		got = c.write(got[:0:0], in) // the scratch memory reused
		if want := marshalGeneric(t, in); !bytes.Equal(got, want) {
			t.Errorf("write(%q) = %s; want %s", give, got, want)
		}
		if string(in) != give {
			t.Errorf("write(%q) changed its input to %q", give, in)
		}
	})
}

// TestParseJSONFormErrorPaths: a refusal names where the bad member is,
// written out only then (rawReader.at), as it was when the reader built
// the path for every layer.
func TestParseJSONFormErrorPaths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		give, wantErr string
	}{
		{`{"version":1,"chain":{}}`, "chain: cannot unmarshal object, want an array of layers"},
		{`{"version":1,"chain":[3]}`, "chain[0]: cannot unmarshal number 3, want a layer (an object)"},
		{`{"version":1,"chain":[{"kind":1}]}`, "chain[0].kind: cannot unmarshal number 1, want a string"},
		{`{"version":1,"chain":[{"message":"a"},{"causes":[[{"message":"b"}],[{"causes":[[{"ancestors":["a",2]}]]}]]}]}`,
			"chain[1].causes[1][0].causes[0][0].ancestors[1]: cannot unmarshal number 2, want a string"},
		{`{"version":1,"chain":[{"message":"a"},{"causes":[[{"message":"b"}],[{"causes":[1]}]]}]}`,
			"chain[1].causes[1][0].causes[0]: cannot unmarshal number 1, want a chain (an array of layers)"},
		{`{"version":1,"chain":[{"message":"a"},{"causes":[[{"message":"b"}],[{"causes":[[5]]}]]}]}`,
			"chain[1].causes[1][0].causes[0][0]: cannot unmarshal number 5, want a layer (an object)"},
		{`{"version":1,"chain":[{"message":"a"},{"causes":[[{"message":"b"}],[{"causes":7}]]}]}`,
			"chain[1].causes[1][0].causes: cannot unmarshal number 7, want an array of chains"},
		{`{"version":1,"chain":[{"message":"a"},{"causes":[[{"message_bytes":"!!"}]]}]}`,
			"chain[1].causes[0][0].message_bytes: not standard base64: illegal base64 data at input byte 0"},
		{`{"version":1,"chain":[{"message":"a"},{"causes":[[{"message":"b"}],[{"safe_fields":[1]}]]}]}`,
			"chain[1].causes[1][0].safe_fields[0]: cannot unmarshal number 1, want a string"},
		{`{"version":1,"chain":` + strings.Repeat(`[{"causes":[`, MaxDepth-1) + `[{"kind":2}]` + strings.Repeat(`]}]`, MaxDepth-1) + `}`,
			"chain[0]" + strings.Repeat(".causes[0][0]", MaxDepth-1) + ".kind: cannot unmarshal number 2, want a string"},
	}
	for _, tt := range tests {
		_, err := parseJSONForm([]byte(tt.give))
		if assert.Error(t, err, "parseJSONForm(%s)", tt.give) {
			assert.Equal(t, tt.wantErr, err.Error(), "parseJSONForm(%s)", tt.give)
		}
	}
}
