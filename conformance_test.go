package errcode_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
)

// The conformance vectors (testdata/conformance/v1, described in its
// README.md) freeze the wire contract: payloads in both forms, each with
// the answers errcode.Default gives for it. TestConformance replays them;
// with -update-conformance it first rewrites them from the table in
// conformance_vectors_test.go, so that a changed answer shows as a diff.
var updateConformance = flag.Bool("update-conformance", false,
	"rewrite testdata/conformance/v1 from the vector table before replaying it")

const (
	conformanceDir      = "testdata/conformance/v1"
	conformanceManifest = "vectors.json"
	// conformanceFormat is the version of the manifest's own layout.
	conformanceFormat = 1
)

// Payload forms and origins, as the manifest writes them.
const (
	formProtobuf = "protobuf"
	formJSON     = "json"

	// originErrcode: written by errcode.Encode or errcode.EncodeJSON.
	originErrcode = "errcode"
	// originPeer: JSON written by hand, as a peer following WIRE.md writes it.
	originPeer = "peer"
	// originCrafted: bytes errcode would not write (cockroachdb's
	// EncodeError past a limit, edited or broken bytes).
	originCrafted = "crafted"
)

// confManifest is vectors.json.
type confManifest struct {
	Format int `json:"format"`
	// Catalog lists the codes every vector's "is" answers for.
	Catalog []string     `json:"catalog"`
	Vectors []confVector `json:"vectors"`
}

// confVector is one payload and what decoding it must give.
type confVector struct {
	Name    string `json:"name"`
	Form    string `json:"form"`
	Payload string `json:"payload"`
	Origin  string `json:"origin"`
	// Canonical says that the decoded error, encoded again in the same
	// form, gives exactly the payload's bytes.
	Canonical bool          `json:"canonical"`
	Note      string        `json:"note,omitempty"`
	Refused   *confRefusal  `json:"refused,omitempty"`
	Expect    *confExpected `json:"expect,omitempty"`
}

// confRefusal is an expected refusal: the decoder's error holds Contains.
type confRefusal struct {
	Contains string `json:"error_contains"`
}

// confExpected holds the answers for an accepted payload.
type confExpected struct {
	Error string `json:"error"`
	// ErrorBase64 is Error's exact bytes, present only when they are not
	// valid UTF-8 (Error then holds them with U+FFFD, as JSON must).
	ErrorBase64 string             `json:"error_base64,omitempty"`
	Code        string             `json:"code"`
	Name        string             `json:"name"`
	Ancestors   []string           `json:"ancestors"`
	Retry       string             `json:"retry"`
	RetryAfter  string             `json:"retry_after"`
	GRPCCode    int                `json:"grpc_code"`
	HTTPStatus  int                `json:"http_status"`
	Is          map[string]bool    `json:"is"`
	Fields      map[string]confVal `json:"fields"`
}

// confVal is a field value: its Go type as %T prints it and its value in
// the manifest's canonical JSON (see the README).
type confVal struct {
	Type  string          `json:"type"`
	Value json.RawMessage `json:"value"`
}

// confCatalog returns the catalog's names in catalogTable's order.
func confCatalog() []string {
	names := make([]string, len(catalogTable))
	for i, row := range catalogTable {
		names[i] = row.name
	}
	return names
}

// confAnswers returns what the public API answers for a decoded error.
func confAnswers(tb testing.TB, err error) *confExpected {
	tb.Helper()
	msg := err.Error()
	e := &confExpected{
		Error:      msg,
		Code:       errcode.CodeOf(err).Name(),
		Name:       errcode.NameOf(err),
		Ancestors:  errcode.AncestorNamesOf(err),
		Retry:      errcode.RetryOf(err).String(),
		RetryAfter: errcode.RetryAfterOf(err).String(),
		GRPCCode:   int(errcode.GRPCCodeOf(err)),
		HTTPStatus: errcode.HTTPStatusOf(err),
		Is:         map[string]bool{},
	}
	if !utf8.ValidString(msg) {
		e.Error = strings.ToValidUTF8(msg, "\uFFFD")
		e.ErrorBase64 = base64.StdEncoding.EncodeToString([]byte(msg))
	}
	if e.Ancestors == nil {
		e.Ancestors = []string{}
	}
	for _, row := range catalogTable {
		e.Is[row.name] = errcode.Is(err, row.code)
	}
	if fs := errcode.Fields(err); fs != nil {
		e.Fields = make(map[string]confVal, len(fs))
		for k, v := range fs {
			raw, jerr := json.Marshal(confCanon(reflect.ValueOf(v)))
			require.NoError(tb, jerr, "field %q", k)
			e.Fields[k] = confVal{Type: fmt.Sprintf("%T", v), Value: raw}
		}
	}
	return e
}

// confCanon returns v as a value encoding/json writes in the manifest's
// canonical form: NaN and the infinities as "NaN", "+Inf", "-Inf"; a
// string that is not valid UTF-8 as {"base64": its bytes}; a time as
// [seconds since the epoch, nanoseconds, offset in seconds east of UTC];
// a duration as its nanoseconds; []byte as base64; a nil slice or map as
// null; maps with their keys sorted (encoding/json sorts them).
func confCanon(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	if v.Kind() == reflect.Interface {
		if v.IsNil() {
			return nil
		}
		return confCanon(v.Elem())
	}
	switch x := v.Interface().(type) {
	case time.Time:
		_, off := x.Zone()
		return []int64{x.Unix(), int64(x.Nanosecond()), int64(off)}
	case time.Duration:
		return int64(x)
	case []byte:
		if x == nil {
			return nil
		}
		return base64.StdEncoding.EncodeToString(x)
	}
	switch v.Kind() {
	case reflect.String:
		s := v.String()
		if !utf8.ValidString(s) {
			return map[string]string{"base64": base64.StdEncoding.EncodeToString([]byte(s))}
		}
		return s
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint()
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		switch {
		case math.IsNaN(f):
			return "NaN"
		case math.IsInf(f, 1):
			return "+Inf"
		case math.IsInf(f, -1):
			return "-Inf"
		case v.Kind() == reflect.Float32:
			return float32(f)
		}
		return f
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return nil
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = confCanon(v.Index(i))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return nil
		}
		out := make(map[string]any, v.Len())
		for it := v.MapRange(); it.Next(); {
			out[fmt.Sprint(it.Key().Interface())] = confCanon(it.Value())
		}
		return out
	}
	// No decoded field holds anything else; if one does, its Go syntax
	// shows in the manifest's diff.
	return fmt.Sprintf("%#v", v.Interface())
}

// confDecode decodes a payload with the public API.
func confDecode(form string, data []byte) (error, error) {
	if form == formProtobuf {
		return errcode.Decode(data)
	}
	return errcode.DecodeJSON(data)
}

// confEncode encodes an error with the public API.
func confEncode(form string, err error) ([]byte, error) {
	if form == formProtobuf {
		return errcode.Encode(err)
	}
	return errcode.EncodeJSON(err)
}

func confExt(form string) string {
	if form == formProtobuf {
		return ".pb"
	}
	return ".json"
}

// TestConformance replays every vector of testdata/conformance/v1 through
// the public API and compares every answer with the manifest's. With
// -update-conformance it first rewrites the vectors from the table.
func TestConformance(t *testing.T) {
	if *updateConformance {
		writeConformance(t)
	}
	raw, err := os.ReadFile(filepath.Join(conformanceDir, conformanceManifest))
	require.NoError(t, err)
	var m confManifest
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&m), "%s", conformanceManifest)
	require.Equal(t, conformanceFormat, m.Format)
	require.Equal(t, confCatalog(), m.Catalog, "the manifest's catalog is not errcode.Default's")
	require.NotEmpty(t, m.Vectors)

	// Every payload file is a vector's, and every vector's file exists.
	entries, err := os.ReadDir(conformanceDir)
	require.NoError(t, err)
	files := map[string]bool{}
	for _, e := range entries {
		if n := e.Name(); n != conformanceManifest && n != "README.md" {
			files[n] = true
		}
	}
	names := map[string]bool{}
	for _, v := range m.Vectors {
		require.False(t, names[v.Name], "vector %q listed twice", v.Name)
		names[v.Name] = true
		require.True(t, files[v.Payload], "vector %q: payload %q missing", v.Name, v.Payload)
		delete(files, v.Payload)
	}
	assert.Empty(t, files, "files in %s that no vector lists", conformanceDir)

	for _, v := range m.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			t.Parallel()
			replayVector(t, v)
		})
	}
}

func replayVector(t *testing.T, v confVector) {
	require.Contains(t, []string{formProtobuf, formJSON}, v.Form)
	require.Contains(t, []string{originErrcode, originPeer, originCrafted}, v.Origin)
	require.True(t, (v.Refused == nil) != (v.Expect == nil), "a vector has either expect or refused")
	data, err := os.ReadFile(filepath.Join(conformanceDir, v.Payload))
	require.NoError(t, err)

	decoded, err := confDecode(v.Form, data)
	if v.Refused != nil {
		require.Error(t, err, "decode of a payload that must be refused")
		assert.Nil(t, decoded)
		assert.Contains(t, err.Error(), v.Refused.Contains)
		assert.False(t, v.Canonical, "a refused payload cannot re-encode")
		return
	}
	require.NoError(t, err)
	require.NotNil(t, decoded)
	compactValues(t, v.Expect)
	assert.Equal(t, v.Expect, confAnswers(t, decoded))

	again, err := confEncode(v.Form, decoded)
	require.NoError(t, err, "re-encoding an accepted payload")
	if v.Canonical {
		assert.Equal(t, string(data), string(again), "decode→encode must give the payload's bytes")
		return
	}
	assert.NotEqual(t, string(data), string(again), "the payload re-encodes exactly: mark it canonical")
	// Not in errcode's canonical form: what errcode writes for it is, and
	// answers the same.
	redecoded, err := confDecode(v.Form, again)
	require.NoError(t, err, "decoding the re-encoded payload")
	assert.Equal(t, v.Expect, confAnswers(t, redecoded), "answers after a re-encode")
	third, err := confEncode(v.Form, redecoded)
	require.NoError(t, err)
	assert.Equal(t, string(again), string(third), "re-encoding is not stable")
}

// compactValues rewrites the field values of e, as read from the indented
// manifest, in compact JSON, as confAnswers writes them.
func compactValues(t *testing.T, e *confExpected) {
	t.Helper()
	for k, v := range e.Fields {
		var b bytes.Buffer
		require.NoError(t, json.Compact(&b, v.Value), "field %q", k)
		v.Value = b.Bytes()
		e.Fields[k] = v
	}
}

// writeConformance rewrites the vectors from confCases: every payload
// file and the manifest; files no vector lists are removed.
func writeConformance(t *testing.T) {
	t.Helper()
	require.NoError(t, os.MkdirAll(conformanceDir, 0o755))
	m := confManifest{Format: conformanceFormat, Catalog: confCatalog()}
	payloads := map[string][]byte{}
	for _, c := range confCases() {
		for _, v := range buildVectors(t, c) {
			require.NotContains(t, payloads, v.vec.Payload, "two vectors named %q", v.vec.Name)
			payloads[v.vec.Payload] = v.data
			m.Vectors = append(m.Vectors, v.vec)
		}
	}
	entries, err := os.ReadDir(conformanceDir)
	require.NoError(t, err)
	for _, e := range entries {
		if n := e.Name(); n != "README.md" && payloads[n] == nil {
			require.NoError(t, os.Remove(filepath.Join(conformanceDir, n)))
		}
	}
	names := make([]string, 0, len(payloads))
	for n := range payloads {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		require.NoError(t, os.WriteFile(filepath.Join(conformanceDir, n), payloads[n], 0o644))
	}
	out, err := json.MarshalIndent(m, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(conformanceDir, conformanceManifest), append(out, '\n'), 0o644))
}

type builtVector struct {
	vec  confVector
	data []byte
}

// buildVectors makes the vectors of one case, checking what the case says
// it must give.
func buildVectors(t *testing.T, c confCase) []builtVector {
	t.Helper()
	type payload struct {
		form, origin string
		data         []byte
	}
	var ps []payload
	switch {
	case c.err != nil:
		forms := c.forms
		if forms == nil {
			forms = []string{formProtobuf, formJSON}
		}
		for _, f := range forms {
			live := c.err(t)
			data, err := confEncode(f, live)
			require.NoError(t, err, "%s: encoding the case's error (%s)", c.name, f)
			ps = append(ps, payload{f, originErrcode, data})
			checkHop(t, c, f, live, data)
		}
	case c.json != nil:
		ps = append(ps, payload{formJSON, originPeer, c.json(t)})
	case c.pb != nil:
		ps = append(ps, payload{formProtobuf, originCrafted, c.pb(t)})
	case c.crafted != nil:
		ps = append(ps, payload{formJSON, originCrafted, c.crafted(t)})
	default:
		t.Fatalf("%s: the case gives no payload", c.name)
	}
	out := make([]builtVector, 0, len(ps))
	for _, p := range ps {
		name := c.name + confExt(p.form)
		v := confVector{Name: name, Form: p.form, Payload: name, Origin: p.origin, Note: c.note}
		decoded, err := confDecode(p.form, p.data)
		if c.wantErr != "" {
			if assert.Error(t, err, "%s: decode must refuse", name) {
				assert.Contains(t, err.Error(), c.wantErr, "%s", name)
			}
			v.Refused = &confRefusal{Contains: c.wantErr}
			out = append(out, builtVector{v, p.data})
			continue
		}
		if !assert.NoError(t, err, "%s: decode", name) {
			continue
		}
		v.Expect = confAnswers(t, decoded)
		if c.wantCode != "" {
			require.Equal(t, c.wantCode, v.Expect.Code, "%s: CodeOf", name)
		}
		if c.wantName != "" {
			require.Equal(t, c.wantName, v.Expect.Name, "%s: NameOf", name)
		}
		if c.wantRetry != "" {
			require.Equal(t, c.wantRetry, v.Expect.Retry, "%s: RetryOf", name)
		}
		again, err := confEncode(p.form, decoded)
		require.NoError(t, err, "%s: re-encode", name)
		v.Canonical = bytes.Equal(again, p.data)
		if p.origin == originErrcode {
			assert.True(t, v.Canonical, "%s: errcode's own payload does not re-encode to its bytes:\n%q\n%q", name, p.data, again)
		}
		out = append(out, builtVector{v, p.data})
	}
	return out
}

// checkHop checks that the error decoded from a case's payload answers
// as the live error did: the same Error(), NameOf and RetryOf. A known
// difference is listed in the case's lost map, by form, and must still
// be there (so that the entry goes once it is fixed).
func checkHop(t *testing.T, c confCase, form string, live error, data []byte) {
	t.Helper()
	decoded, err := confDecode(form, data)
	if !assert.NoError(t, err, "%s (%s): decode", c.name, form) {
		return
	}
	got := map[string]string{
		"Error":   decoded.Error(),
		"NameOf":  errcode.NameOf(decoded),
		"RetryOf": errcode.RetryOf(decoded).String(),
	}
	want := map[string]string{
		"Error":   live.Error(),
		"NameOf":  errcode.NameOf(live),
		"RetryOf": errcode.RetryOf(live).String(),
	}
	for q := range want {
		if lost := c.lost[form+" "+q]; lost != "" {
			assert.NotEqual(t, want[q], got[q], "%s (%s): %s is no longer lost (%s): drop the lost entry", c.name, form, q, lost)
			continue
		}
		assert.Equal(t, want[q], got[q], "%s (%s): %s after the hop", c.name, form, q)
	}
}

// TestConformanceCanonFieldValues checks the manifest's rendering of field
// values, which the vectors' expected answers are written in.
func TestConformanceCanonFieldValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc string
		give any
		want string
	}{
		{"nil", nil, `null`},
		{"string", "a\"b", `"a\"b"`},
		{"not UTF-8", "a\xffb", `{"base64":"Yf9i"}`},
		{"int8", int8(-3), `-3`},
		{"uint64 max", uint64(math.MaxUint64), `18446744073709551615`},
		{"float32", float32(1.1), `1.1`},
		{"float64", 1.1, `1.1`},
		{"NaN", math.NaN(), `"NaN"`},
		{"+Inf", math.Inf(1), `"+Inf"`},
		{"-Inf float32", float32(math.Inf(-1)), `"-Inf"`},
		{"duration", 1500 * time.Millisecond, `1500000000`},
		{"time", time.Date(2024, 1, 2, 3, 4, 5, 6, time.FixedZone("", 3600+58)), `[1704160987,6,3658]`},
		{"bytes", []byte{0, 1}, `"AAE="`},
		{"nil bytes", []byte(nil), `null`},
		{"nil slice", []string(nil), `null`},
		{"empty slice", []string{}, `[]`},
		{"nested", map[string][]int32{"b": {1}, "a": nil}, `{"a":null,"b":[1]}`},
		{"any", []any{"x", 1, nil, []string{"\xff"}}, `["x",1,null,[{"base64":"/w=="}]]`},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got, err := json.Marshal(confCanon(reflect.ValueOf(tt.give)))
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got), "confCanon(%#v)", tt.give)
		})
	}
}

// TestConformanceCoversTheWire checks that the table still covers what
// the README says it covers: every field type name of WIRE.md, every
// layer kind, both forms, refusals in both forms.
func TestConformanceCoversTheWire(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join(conformanceDir, conformanceManifest))
	require.NoError(t, err)
	var m confManifest
	require.NoError(t, json.Unmarshal(raw, &m))
	var jsonPayloads strings.Builder
	forms := map[string]map[bool]bool{formProtobuf: {}, formJSON: {}}
	for _, v := range m.Vectors {
		forms[v.Form][v.Refused != nil] = true
		if v.Form == formJSON {
			data, err := os.ReadFile(filepath.Join(conformanceDir, v.Payload))
			require.NoError(t, err)
			jsonPayloads.Write(data)
		}
	}
	for f, seen := range forms {
		assert.True(t, seen[false], "no accepted %s vector", f)
		assert.True(t, seen[true], "no refused %s vector", f)
	}
	all := jsonPayloads.String()
	has := func(member, value string) bool {
		return strings.Contains(all, member+`:"`+value+`"`) || strings.Contains(all, member+`: "`+value+`"`)
	}
	for _, kind := range []string{"coded", "sentinel", "fields", "retry", "retry_after", "status", "stack", "message", "join"} {
		if !has(`"kind"`, kind) {
			t.Errorf("no JSON vector has a layer of kind %q", kind)
		}
	}
	for _, typ := range []string{"int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64",
		"float32", "float64", "bytes", "time", "duration", "string", "bool", "int", "bytestring", "unixtime",
		"[]string", "[]int", "map[string]string", "map[string][]int32", "[]bytes", "[][][]string",
		"[]bytestring", "[]unixtime"} {
		if !has(`"`, typ) {
			t.Errorf("no JSON vector has a field of type %q", typ)
		}
	}
}
