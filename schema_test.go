package errcode_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	"github.com/errcode/errcode"
)

// schemaFile is the JSON Schema of the JSON form, version 1 (WIRE.md).
const schemaFile = "schema/errcode-v1.schema.json"

// compileSchema returns the schema, compiled as a peer's validator
// would compile it: draft 2020-12, its $id as the schema's URL.
func compileSchema(tb testing.TB) *jsonschema.Schema {
	tb.Helper()
	doc := readSchemaDoc(tb)
	id, _ := doc.(map[string]any)["$id"].(string)
	require.NotEmpty(tb, id, "the schema has an $id")
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	require.NoError(tb, c.AddResource(id, doc))
	s, err := c.Compile(id)
	require.NoError(tb, err)
	return s
}

func readSchemaDoc(tb testing.TB) any {
	tb.Helper()
	f, err := os.Open(schemaFile)
	require.NoError(tb, err)
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	require.NoError(tb, err)
	return doc
}

// schemaValidate returns the schema's verdict on data, a JSON document.
func schemaValidate(tb testing.TB, s *jsonschema.Schema, data []byte) error {
	tb.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	require.NoError(tb, err, "%s is JSON", data)
	return s.Validate(v)
}

// schemaCannotRefuse names the refused JSON vectors that the schema
// accepts, and why: DecodeJSON refuses them for a reason a JSON Schema
// cannot express. Every other refused vector must fail validation.
var schemaCannotRefuse = map[string]string{
	"limit-depth-past.json":       "a limit: MaxDepth counts layers of chains and joins together",
	"limit-layers-past.json":      "a limit: MaxLayers and the layer density depend on the document's size",
	"limit-ancestors-past.json":   "a limit: MaxDepth ancestors",
	"limit-codes-past.json":       "a density: distinct codes per byte of the document",
	"limit-fields-past.json":      "a limit: MaxFields",
	"limit-field-size-past.json":  "a limit: MaxFieldSize counts a value's bytes as JSON",
	"limit-field-depth-past.json": "a limit: MaxFieldDepth",
	"limit-name-past.json":        "a limit: MaxNameLen counts bytes, maxLength counts characters",
	"limit-size-past.json":        "a limit: MaxEncodedSize counts the document's bytes",
	"parents-not-ancestor.json":   "parents are checked against the ancestors' values",
	"bad-last-layer.json":         "which kinds may be last is a rule on a layer's position",
	"bad-join-not-last.json":      "a join must be last: a rule on a layer's position",
	"bad-field-type-range.json":   "a field value is checked against its field_types entry, another member",
	"bad-field-bytes.json":        "a field value is checked against its field_types entry, another member",
}

// notJSON names the refused vectors that are not JSON documents at all:
// no schema applies to them.
var notJSON = map[string]bool{"bad-empty.json": true, "bad-not-json.json": true}

func TestSchemaConformanceVectors(t *testing.T) {
	t.Parallel()
	s := compileSchema(t)
	raw, err := os.ReadFile(filepath.Join(conformanceDir, conformanceManifest))
	require.NoError(t, err)
	var m confManifest
	require.NoError(t, json.Unmarshal(raw, &m))
	seen := map[string]bool{}
	accepted, refused := 0, 0
	for _, v := range m.Vectors {
		if v.Form != formJSON {
			continue
		}
		seen[v.Name] = true
		t.Run(v.Name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(conformanceDir, v.Payload))
			require.NoError(t, err)
			switch {
			case v.Refused == nil:
				accepted++
				assert.NoError(t, schemaValidate(t, s, data), "an accepted vector validates")
			case notJSON[v.Name]:
				refused++
				_, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
				assert.Error(t, err, "not a JSON document")
			case schemaCannotRefuse[v.Name] != "":
				refused++
				_, derr := errcode.DecodeJSON(data)
				require.Error(t, derr, "DecodeJSON refuses it")
				assert.NoError(t, schemaValidate(t, s, data),
					"refused by DecodeJSON for a reason the schema cannot express (%s), so it validates", schemaCannotRefuse[v.Name])
			default:
				refused++
				assert.Error(t, schemaValidate(t, s, data), "refused by DecodeJSON (%q): the schema refuses it too", v.Refused.Contains)
			}
		})
	}
	for name := range schemaCannotRefuse {
		assert.True(t, seen[name], "schemaCannotRefuse names %s, which is no JSON vector", name)
	}
	for name := range notJSON {
		assert.True(t, seen[name], "notJSON names %s, which is no JSON vector", name)
	}
	assert.Greater(t, accepted, 40, "accepted JSON vectors replayed")
	assert.Greater(t, refused, 20, "refused JSON vectors replayed")
}

// TestSchemaEncodeJSON checks that what EncodeJSON and WriteHTTPError
// write validates.
func TestSchemaEncodeJSON(t *testing.T) {
	t.Parallel()
	s := compileSchema(t)
	when := time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.FixedZone("", 3600))
	lmt := time.Date(1850, 1, 1, 0, 0, 0, 0, time.FixedZone("LMT", 3600+17*60+13))
	notUTF8 := "qemu-img: \xff\xfe failed"
	tests := []struct {
		desc    string
		giveErr error
	}{
		{"catalog code", errcode.VmConfigError.New("bad config")},
		{"every catalog code", func() error {
			var errs []error
			for _, c := range errcode.Codes() {
				errs = append(errs, c.New("m"))
			}
			return errors.Join(errs...)
		}()},
		{"alias", errcode.VmError.New("vm failed")},
		{"bare code", errcode.VmCapacityError},
		{"wrap chain", fmt.Errorf("starting vm 7: %w", errcode.NewVmOverlayError("overlay", "no space left", "ENOSPC"))},
		{"coded over coded", errcode.VmBootTimeoutError.Wrap(errcode.SocketAuthError.New("auth"), "boot")},
		{"newf", errcode.VmConfigError.Newf("vm %d: %s", 7, "bad")},
		{"join", errors.Join(errcode.VmQemuCrashError.New("a"), fmt.Errorf("b: %w", errcode.GuestAgentError.New("c")))},
		{"join in coded", errcode.VmGvproxyError.Wrap(errors.Join(errors.New("x"), errors.New("y")), "gv")},
		{"retry and status overrides", errcode.WithRetryAfter(errcode.WithHTTPStatus(errcode.WithGRPCCode(errcode.WithRetry(errors.New("plain"), errcode.Transient), codes.Unavailable), 503), 1500*time.Millisecond)},
		{"fields of every type", errcode.WithFields(errcode.VmConfigError.New("fields"),
			"int", 1, "int8", int8(-8), "int16", int16(16), "int32", int32(32), "int64", int64(math.MaxInt64),
			"uint", uint(1), "uint8", uint8(8), "uint16", uint16(16), "uint32", uint32(32), "uint64", uint64(math.MaxUint64),
			"float32", float32(1.5), "float64", 2.25, "nan", math.NaN(), "inf", math.Inf(-1),
			"bool", true, "string", "s", "bytestring", notUTF8, "bytes", []byte{0, 1, 2}, "nilbytes", []byte(nil),
			"time", when, "unixtime", lmt, "duration", 1500*time.Millisecond,
			"strings", []string{"a", "b"}, "ints", []int{1, 2}, "map", map[string][]int32{"a": {1}},
			"nested", [][][]string{{{"x"}}}, "bytestrings", []string{notUTF8}, "times", []time.Time{lmt},
			"any", []any{int8(1), "x", nil, map[string]any{"d": time.Second}}, "anymap", map[string]any{"t": when, "n": nil},
			"struct", struct{ A int }{1}, "error", errors.New("e"), "func", func() {}, "nil", nil,
			"safe", errcode.Safe("shown"))},
		{"not UTF-8 message", errcode.VmOverlayError.Wrap(errors.New(notUTF8), notUTF8)},
		{"not UTF-8 newf", errcode.VmOverlayError.Newf("%s", notUTF8)},
		{"plain error", errors.New("plain")},
		{"fmt own message", fmt.Errorf(": %w", errcode.VmConfigError.New("x"))},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			data, err := errcode.EncodeJSON(tt.giveErr)
			require.NoError(t, err)
			assert.NoError(t, schemaValidate(t, s, data), "EncodeJSON wrote %s", data)
			rec := httptest.NewRecorder()
			errcode.WriteHTTPError(rec, tt.giveErr)
			assert.NoError(t, schemaValidate(t, s, rec.Body.Bytes()), "WriteHTTPError wrote %s", rec.Body.Bytes())
		})
	}
}

// TestSchemaAgreesWithDecodeJSON holds the schema to what DecodeJSON
// does: a document the schema refuses is refused by DecodeJSON, and the
// documents DecodeJSON accepts, however odd, validate.
func TestSchemaAgreesWithDecodeJSON(t *testing.T) {
	t.Parallel()
	s := compileSchema(t)
	tests := []struct {
		desc       string
		give       string
		wantSchema bool // the schema accepts it
		wantGo     bool // DecodeJSON accepts it
	}{
		{"minimal", `{"version":1,"chain":[{"message":"m"}]}`, true, true},
		{"reader members of any type", `{"version":1,"code":5,"retry":[],"retry_after":7,"message":{},"message_bytes":"!","chain":[{"message":"m"}]}`, true, true},
		{"unknown members", `{"version":1,"x":1,"chain":[{"message":"m","y":{}}]}`, true, true},
		{"nulls", `{"version":1,"chain":[{"kind":null,"code":null,"retry":null,"fields":null,"causes":null,"message":"m"}]}`, true, true},
		{"version as a string", `{"version":"1","chain":[{"message":"m"}]}`, false, false},
		{"version null", `{"version":null,"chain":[{"message":"m"}]}`, false, false},
		{"chain null", `{"version":1,"chain":null}`, false, false},
		{"document null", `null`, false, false},
		{"document an array", `[]`, false, false},
		{"layer null", `{"version":1,"chain":[null]}`, false, false},
		{"kind a number", `{"version":1,"chain":[{"kind":5,"message":"m"}]}`, false, false},
		{"unknown kind", `{"version":1,"chain":[{"kind":"novel","message":"m"}]}`, true, true},
		{"message a number", `{"version":1,"chain":[{"message":5}]}`, false, false},
		{"owns_message a string", `{"version":1,"chain":[{"message":"m","owns_message":"yes"}]}`, false, false},
		{"ancestors with a number", `{"version":1,"chain":[{"code":"X","ancestors":[1],"message":"m"}]}`, false, false},
		{"ancestor with a space", `{"version":1,"chain":[{"code":"X","ancestors":["A B"],"message":"m"}]}`, false, false},
		{"code with a no-break space", "{\"version\":1,\"chain\":[{\"code\":\"A\u00a0B\",\"message\":\"m\"}]}", false, false},
		{"code not ASCII", `{"version":1,"chain":[{"code":"Ошибка","message":"m"}]}`, true, true},
		{"empty code with retry", `{"version":1,"chain":[{"kind":"coded","retry":"transient","message":"m"}]}`, false, false},
		{"empty code, retry unspecified", `{"version":1,"chain":[{"kind":"coded","retry":"unspecified","message":"m"}]}`, true, true},
		{"empty parents", `{"version":1,"chain":[{"code":"X","ancestors":["A"],"parents":[],"message":"m"}]}`, false, false},
		{"message layer ignores a bad code", `{"version":1,"chain":[{"kind":"message","code":"Bad Name","retry":"Never","message":"m"}]}`, true, true},
		{"mark without code", `{"version":1,"chain":[{"kind":"mark"},{"message":"m"}]}`, false, false},
		{"mark", `{"version":1,"chain":[{"kind":"mark","code":"VmError"},{"message":"m"}]}`, true, true},
		{"retry layer, bad decision", `{"version":1,"chain":[{"kind":"retry","retry":"maybe"},{"message":"m"}]}`, false, false},
		{"retry layer, empty decision", `{"version":1,"chain":[{"kind":"retry","retry":""},{"message":"m"}]}`, true, true},
		{"retry_after without value", `{"version":1,"chain":[{"kind":"retry_after"},{"message":"m"}]}`, false, false},
		{"retry_after negative", `{"version":1,"chain":[{"retry_after":"-1s"},{"message":"m"}]}`, true, false},
		{"retry_after negative, truncated to 0", `{"version":1,"chain":[{"retry_after":"-0.5ns"},{"message":"m"}]}`, true, true},
		{"retry_after not a duration", `{"version":1,"chain":[{"retry_after":"1 s"},{"message":"m"}]}`, false, false},
		{"retry_after negative zero", `{"version":1,"chain":[{"retry_after":"-0s"},{"message":"m"}]}`, true, true},
		{"retry_after compound", `{"version":1,"chain":[{"retry_after":"1h2m3.5s4µs"},{"message":"m"}]}`, true, true},
		{"retry_after past its range", `{"version":1,"chain":[{"retry_after":"9999999999h"},{"message":"m"}]}`, true, false},
		{"status http only", `{"version":1,"chain":[{"http_status":404},{"message":"m"}]}`, true, true},
		{"status zero gRPC, HTTP", `{"version":1,"chain":[{"kind":"status","grpc_code":0,"http_status":404},{"message":"m"}]}`, true, true},
		{"status none", `{"version":1,"chain":[{"kind":"status"},{"message":"m"}]}`, false, false},
		{"status gRPC 0", `{"version":1,"chain":[{"grpc_code":0},{"message":"m"}]}`, true, true},
		{"status gRPC 1.5", `{"version":1,"chain":[{"grpc_code":1.5},{"message":"m"}]}`, false, false},
		{"status gRPC 3.0", `{"version":1,"chain":[{"grpc_code":3.0},{"message":"m"}]}`, true, false},
		{"coded layer ignores a bad status", `{"version":1,"chain":[{"code":"X","grpc_code":99,"message":"m"}]}`, true, true},
		{"fields not an object", `{"version":1,"chain":[{"kind":"fields","fields":[1]},{"message":"m"}]}`, false, false},
		{"fields ignored by a message layer", `{"version":1,"chain":[{"kind":"message","fields":[1],"field_types":5,"message":"m"}]}`, true, true},
		{"field_types without fields", `{"version":1,"chain":[{"code":"X","field_types":{},"message":"m"}]}`, false, false},
		{"safe_fields without fields", `{"version":1,"chain":[{"code":"X","safe_fields":[],"message":"m"}]}`, false, false},
		{"field type a number", `{"version":1,"chain":[{"code":"X","fields":{"a":1},"field_types":{"a":5},"message":"m"}]}`, false, false},
		{"field type unknown name", `{"version":1,"chain":[{"code":"X","fields":{"a":["x"]},"field_types":{"a":"set[string]"},"message":"m"}]}`, true, true},
		{"field type list of a number", `{"version":1,"chain":[{"code":"X","fields":{"a":[1]},"field_types":{"a":[5]},"message":"m"}]}`, false, false},
		{"field type of an absent map member", `{"version":1,"chain":[{"code":"X","fields":{"a":{"b":1}},"field_types":{"a":{"c":5}},"message":"m"}]}`, true, true},
		{"field_types naming no field", `{"version":1,"chain":[{"code":"X","fields":{"a":1},"field_types":{"b":"int8"},"message":"m"}]}`, true, false},
		{"message_bytes not base64", `{"version":1,"chain":[{"message_bytes":"%%%%"}]}`, false, false},
		{"message_bytes with a newline", `{"version":1,"chain":[{"message_bytes":"/w\n=="}]}`, true, true},
		{"stack_bytes on a message layer", `{"version":1,"chain":[{"kind":"message","stack_bytes":"A"}]}`, false, false},
		{"join", `{"version":1,"chain":[{"causes":[[{"message":"a"}],[{"message":"b"}]]}]}`, true, true},
		{"join without causes", `{"version":1,"chain":[{"kind":"join"}]}`, false, false},
		{"join, empty causes", `{"version":1,"chain":[{"causes":[]}]}`, false, false},
		{"join, empty branch", `{"version":1,"chain":[{"causes":[[]]}]}`, false, false},
		{"join, cause not a chain", `{"version":1,"chain":[{"causes":[{"message":"a"}]}]}`, false, false},
		{"join, bad layer in a branch", `{"version":1,"chain":[{"causes":[[{"kind":"retry","retry":"x"},{"message":"a"}]]}]}`, false, false},
		{"causes of a message layer, not decoded", `{"version":1,"chain":[{"kind":"message","message":"m","causes":[[]]},{"message":"n"}]}`, true, true},
		{"causes of a message layer, odd layers", `{"version":1,"chain":[{"kind":"message","message":"m","causes":[[{"kind":"retry","retry":"x"}]]},{"message":"n"}]}`, true, true},
		{"causes of a message layer, a layer of a wrong type", `{"version":1,"chain":[{"kind":"message","message":"m","causes":[[{"message":5}]]},{"message":"n"}]}`, false, false},
		{"unknown kind last with causes", `{"version":1,"chain":[{"kind":"novel","causes":[[{"message":"a"}]]}]}`, true, true},
		{"unknown kind last, empty causes", `{"version":1,"chain":[{"kind":"novel","causes":[]}]}`, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			verr := schemaValidate(t, s, []byte(tt.give))
			assert.Equal(t, tt.wantSchema, verr == nil, "schema: %v", verr)
			_, derr := errcode.DecodeJSON([]byte(tt.give))
			assert.Equal(t, tt.wantGo, derr == nil, "DecodeJSON: %v", derr)
			if verr != nil {
				assert.Error(t, derr, "the schema refuses only what DecodeJSON refuses")
			}
		})
	}
}

// schemaPattern returns the pattern of the schema's $defs entry def.
func schemaPattern(t *testing.T, def string) *regexp.Regexp {
	t.Helper()
	defs := readSchemaDoc(t).(map[string]any)["$defs"].(map[string]any)
	p, ok := defs[def].(map[string]any)["pattern"].(string)
	require.True(t, ok, "$defs/%s has a pattern", def)
	return regexp.MustCompile(p)
}

// TestSchemaNamePattern checks that a code name matches the schema's
// pattern exactly when Register accepts it, for every rune.
func TestSchemaNamePattern(t *testing.T) {
	t.Parallel()
	re := schemaPattern(t, "name")
	r := errcode.NewRegistry()
	for c := rune(0); c <= unicode.MaxRune; c++ {
		if c >= 0xD800 && c <= 0xDFFF {
			continue
		}
		name := "A" + string(c) + "B"
		want := !unicode.IsSpace(c) && !unicode.IsControl(c)
		if got := re.MatchString(name); got != want {
			t.Fatalf("name pattern on %q (U+%04X) = %v; want %v", name, c, got, want)
		}
		if c < 0x3100 || want == false {
			_, err := r.Register(fmt.Sprintf("%s%d", name, c), errcode.Code{}, errcode.Reason(fmt.Sprintf("R_%d", c)))
			if (err == nil) != want {
				t.Fatalf("Register(%q) = %v; the pattern says %v", name, err, want)
			}
		}
	}
	assert.False(t, re.MatchString(""), "an empty name")
}

// TestSchemaDurationPattern checks the retry_after pattern against
// time.ParseDuration on every short string of the characters a duration
// is made of: it accepts what ParseDuration parses (DecodeJSON refuses
// negative durations besides, see TestSchemaAgreesWithDecodeJSON).
func TestSchemaDurationPattern(t *testing.T) {
	t.Parallel()
	re := schemaPattern(t, "duration")
	alphabet := []string{"0", "1", ".", "-", "+", "s", "m", "h", "n", "u", "µ", "μ", " "}
	n := 0
	eachString(alphabet, 4, func(s string) {
		n++
		_, err := time.ParseDuration(s)
		if got := re.MatchString(s); got != (err == nil) {
			t.Errorf("duration pattern on %q = %v; ParseDuration says %v", s, got, err)
		}
	})
	for _, s := range []string{"1h2m3.5s4ms5us6ns", "1.5h", ".5s", "5.s", "+1s", "-0.0s", "-0", "10µs", "-1ns", "1", "1S", "1 s", "1h1h1h1h1h1h"} {
		_, err := time.ParseDuration(s)
		assert.Equal(t, err == nil, re.MatchString(s), "duration pattern on %q", s)
	}
	assert.Greater(t, n, 30000)
}

// TestSchemaBase64Pattern checks the *_bytes pattern against
// base64.StdEncoding on every short string of base64 characters,
// padding, newlines and others.
func TestSchemaBase64Pattern(t *testing.T) {
	t.Parallel()
	defs := readSchemaDoc(t).(map[string]any)["$defs"].(map[string]any)
	props := defs["parsedLayer"].(map[string]any)["properties"].(map[string]any)
	var pattern string
	for _, m := range []string{"message_bytes", "redactable_message_bytes", "stack_bytes"} {
		p, ok := props[m].(map[string]any)["pattern"].(string)
		require.True(t, ok, "%s has a pattern", m)
		if pattern == "" {
			pattern = p
		}
		assert.Equal(t, pattern, p, "%s has the pattern of message_bytes", m)
	}
	b64 := regexp.MustCompile(pattern)
	alphabet := []string{"A", "B", "/", "=", "\n", "\r", "!"}
	eachString(alphabet, 6, func(s string) {
		_, err := base64.StdEncoding.DecodeString(s)
		if got := b64.MatchString(s); got != (err == nil) {
			t.Errorf("base64 pattern on %q = %v; StdEncoding says %v", s, got, err)
		}
	})
}

// eachString calls f with every string of up to n elements of alphabet.
func eachString(alphabet []string, n int, f func(string)) {
	var rec func(prefix string, left int)
	rec = func(prefix string, left int) {
		f(prefix)
		if left == 0 {
			return
		}
		for _, a := range alphabet {
			rec(prefix+a, left-1)
		}
	}
	rec("", n)
}

// TestSchemaDescribesTheMembers checks that the schema names every
// member WIRE.md's tables document, at the top level and in a layer.
func TestSchemaDescribesTheMembers(t *testing.T) {
	t.Parallel()
	doc := readSchemaDoc(t).(map[string]any)
	top := doc["properties"].(map[string]any)
	for _, m := range []string{"version", "code", "retry", "retry_after", "message", "message_bytes", "chain"} {
		assert.Contains(t, top, m)
	}
	layer := doc["$defs"].(map[string]any)["parsedLayer"].(map[string]any)["properties"].(map[string]any)
	for _, m := range []string{"kind", "code", "ancestors", "parents", "retry", "retry_after", "grpc_code", "http_status",
		"message", "message_bytes", "owns_message", "safe_message", "redactable_message", "redactable_message_bytes",
		"fields", "field_types", "safe_fields", "stack", "stack_bytes", "causes"} {
		assert.Contains(t, layer, m)
	}
	assert.Len(t, layer, 20, "no member the wire does not have")
	wire, err := os.ReadFile("WIRE.md")
	require.NoError(t, err)
	assert.True(t, strings.Contains(string(wire), "("+schemaFile+")"), "WIRE.md links the schema")
}
