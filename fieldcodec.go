package errcode

import (
	"bytes"
	"encoding"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The wire form of fields, shared by the protobuf payload and the JSON
// form (see WIRE.md): "fields" holds each value as plain JSON, which any
// JSON reader understands; "field_types" names, for a value whose Go type
// plain JSON would not restore, that type ("int32", "bytes", "time", …;
// an object or array of them for a map or list). A coded layer's payload
// also carries "redactable_message", the message as redact writes it,
// when Newf or Wrapf made it: it is not safe as a whole, so it travels
// here rather than in a safe detail, which reports print in full.
type fieldsBlob struct {
	Fields map[string]json.RawMessage `json:"fields,omitempty"`
	Types  map[string]json.RawMessage `json:"field_types,omitempty"`
	Safe   []string                   `json:"safe_fields,omitempty"` // keys marked with Safe, sorted
	// Redactable is the redactable message, exactly: on the wire it is
	// "redactable_message", and "redactable_message_bytes" when it is not
	// valid UTF-8 (see MarshalJSON).
	Redactable string `json:"-"`
}

// blobJSON is fieldsBlob as it travels.
type blobJSON struct {
	Fields     map[string]json.RawMessage `json:"fields,omitempty"`
	Types      map[string]json.RawMessage `json:"field_types,omitempty"`
	Safe       []string                   `json:"safe_fields,omitempty"`
	Redactable string                     `json:"redactable_message,omitempty"`
	// RedactableBytes is the exact bytes of Redactable when they are not
	// valid UTF-8, which JSON text cannot carry (redact keeps such bytes
	// in what it writes): Redactable then holds them with U+FFFD, as
	// message_bytes does for a message.
	RedactableBytes []byte `json:"redactable_message_bytes,omitempty"`
}

// MarshalJSON writes the blob with its redactable message byte-exact.
func (b fieldsBlob) MarshalJSON() ([]byte, error) {
	w := blobJSON{Fields: b.Fields, Types: b.Types, Safe: b.Safe}
	w.Redactable, w.RedactableBytes = escapeText(b.Redactable)
	return json.Marshal(w)
}

// UnmarshalJSON reads a blob: redactable_message_bytes, when present, is
// the redactable message.
func (b *fieldsBlob) UnmarshalJSON(data []byte) error {
	var w blobJSON
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*b = fieldsBlob{Fields: w.Fields, Types: w.Types, Safe: w.Safe, Redactable: w.Redactable}
	if w.RedactableBytes != nil {
		b.Redactable = string(w.RedactableBytes)
	}
	return nil
}

// marshalFields returns the wire form of fs: for each key, its last value.
func marshalFields(fs []field) ([]byte, error) { return marshalLayer(fs, "") }

// marshalLayer returns the payload of a layer with fields fs and
// redactable message redactable ("" for none).
func marshalLayer(fs []field, redactable string) ([]byte, error) {
	blob := fieldsBlob{Redactable: redactable}
	if len(fs) > 0 {
		blob.Fields = make(map[string]json.RawMessage, len(fs))
	}
	for _, f := range fs {
		if !utf8.ValidString(f.key) {
			// JSON text cannot carry it: two such keys would arrive as
			// one, each invalid byte replaced by U+FFFD.
			return nil, fmt.Errorf("field key %q is not valid UTF-8", f.key)
		}
		v, typ, err := encodeValue(f.value, 0)
		if err != nil {
			return nil, fmt.Errorf("field %q: %w", f.key, err)
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("field %q: %w", f.key, err)
		}
		if err := checkFieldSize(b); err != nil {
			return nil, fmt.Errorf("field %q %w", f.key, err)
		}
		blob.Fields[f.key] = b
		if i := slices.Index(blob.Safe, f.key); i >= 0 && !f.safe {
			blob.Safe = slices.Delete(blob.Safe, i, i+1)
		} else if i < 0 && f.safe {
			blob.Safe = append(blob.Safe, f.key)
		}
		if typ != nil {
			if blob.Types == nil {
				blob.Types = make(map[string]json.RawMessage)
			}
			blob.Types[f.key], _ = json.Marshal(typ) // strings, maps and slices of them
		} else {
			delete(blob.Types, f.key)
		}
	}
	if len(blob.Fields) > MaxFields {
		return nil, fmt.Errorf("%d fields in one layer, over MaxFields (%d)", len(blob.Fields), MaxFields)
	}
	slices.Sort(blob.Safe)
	return json.Marshal(blob)
}

func decodeJSONValue(raw []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, fmt.Errorf("more than one JSON value")
	}
	return v, nil
}

// errFieldDepth is the error for a field value nested past MaxFieldDepth.
var errFieldDepth = fmt.Errorf("nests deeper than MaxFieldDepth (%d)", MaxFieldDepth)

// checkFieldSize returns an error if the field value b, as encoding/json
// wrote it, is past MaxFieldSize counted as jsonSize counts.
func checkFieldSize(b []byte) error {
	if len(b) <= MaxFieldSize { // jsonSize is never more than len(b)
		return nil
	}
	v, err := decodeJSONValue(b)
	if err != nil {
		return err
	}
	if n := jsonSize(v); n > MaxFieldSize {
		return fmt.Errorf("is %d bytes as JSON, over MaxFieldSize (%d)", n, MaxFieldSize)
	}
	return nil
}

// jsonSize returns the size of the JSON value v (decoded with numbers as
// json.Number) written compactly with the fewest escapes JSON allows:
// text as its UTF-8 bytes, only '"', '\\' and control characters escaped,
// numbers as written. It is what MaxFieldSize limits, so that how a
// sender escaped its text (Python's ensure_ascii writes é as \u00e9,
// Go's encoding/json writes < as \u003c) does not count.
func jsonSize(v any) int {
	switch v := v.(type) {
	case nil:
		return len("null")
	case bool:
		if v {
			return len("true")
		}
		return len("false")
	case json.Number:
		return len(v)
	case string:
		return quotedSize(v)
	case map[string]any:
		n := 1 + max(len(v), 1) // braces and commas
		for k, e := range v {
			n += quotedSize(k) + 1 + jsonSize(e)
		}
		return n
	case []any:
		n := 1 + max(len(v), 1)
		for _, e := range v {
			n += jsonSize(e)
		}
		return n
	}
	return 0
}

// quotedSize returns the size of s as a JSON string with the fewest
// escapes.
func quotedSize(s string) int {
	n := 2
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t':
			n += 2
		case c < 0x20:
			n += len(`\u0000`)
		default:
			n++
		}
	}
	return n
}

// encodeValue returns v as a value encoding/json writes, and the type
// name the receiver needs to restore v's Go type (nil when plain JSON
// restores it: string, bool, int, nil, and maps and lists of those).
// Unnamed slices and maps of supported types travel with their type (see
// fieldtype.go); errors (unless they marshal as JSON themselves) as their
// Error() text; other values as their JSON, read back as plain JSON; and
// values encoding/json cannot marshal as their fmt %v string.
func encodeValue(v any, depth int) (jv, typ any, err error) {
	switch v := v.(type) {
	case nil, bool, int:
		return v, nil, nil
	case string:
		if !utf8.ValidString(v) {
			return base64.StdEncoding.EncodeToString([]byte(v)), "bytestring", nil
		}
		return v, nil, nil
	case cyclicValue:
		return nil, nil, fmt.Errorf("holds a value that contains itself (%s), not stored", v.typ)
	case int8:
		return v, "int8", nil
	case int16:
		return v, "int16", nil
	case int32:
		return v, "int32", nil
	case int64:
		return v, "int64", nil
	case uint:
		return v, "uint", nil
	case uint8:
		return v, "uint8", nil
	case uint16:
		return v, "uint16", nil
	case uint32:
		return v, "uint32", nil
	case uint64:
		return v, "uint64", nil
	case float32:
		return floatJSON(float64(v), 32), "float32", nil
	case float64:
		return floatJSON(v, 64), "float64", nil
	case []byte:
		return base64.StdEncoding.EncodeToString(v), "bytes", nil
	case time.Time:
		if s, ok := rfc3339(v); ok {
			return s, "time", nil
		}
		return unixTimeJSON(v), "unixtime", unixTimeDepth(depth)
	case time.Duration:
		return int64(v), "duration", nil
	case map[string]any:
		if depth >= MaxFieldDepth {
			return nil, nil, fmt.Errorf("nests deeper than MaxFieldDepth (%d)", MaxFieldDepth)
		}
		m := make(map[string]any, len(v))
		var types map[string]any
		for k, e := range v {
			if !utf8.ValidString(k) {
				return nil, nil, fmt.Errorf("map key %q is not valid UTF-8", k)
			}
			ev, et, err := encodeValue(e, depth+1)
			if err != nil {
				return nil, nil, err
			}
			m[k] = ev
			if et != nil {
				if types == nil {
					types = make(map[string]any)
				}
				types[k] = et
			}
		}
		if types == nil {
			return m, nil, nil
		}
		return m, types, nil
	case []any:
		if depth >= MaxFieldDepth {
			return nil, nil, fmt.Errorf("nests deeper than MaxFieldDepth (%d)", MaxFieldDepth)
		}
		l := make([]any, len(v))
		var types []any
		for i, e := range v {
			ev, et, err := encodeValue(e, depth+1)
			if err != nil {
				return nil, nil, err
			}
			l[i] = ev
			if et != nil {
				if types == nil {
					types = make([]any, len(v))
				}
				types[i] = et
			}
		}
		if types == nil {
			return l, nil, nil
		}
		return l, types, nil
	}
	return encodeOther(v, depth)
}

// encodeOther is encodeValue for values of types without a case there.
func encodeOther(v any, depth int) (jv, typ any, err error) {
	rv := reflect.ValueOf(v)
	if name, ok := typeName(rv.Type(), 0); ok {
		return encodeContainer(rv, name, depth)
	}
	_, isMarshaler := v.(json.Marshaler)
	_, isTextMarshaler := v.(encoding.TextMarshaler)
	if e, ok := v.(error); ok && !isMarshaler && !isTextMarshaler {
		return encodeValue(e.Error(), depth)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v), nil, nil
	}
	if jv, err = decodeJSONValue(b); err != nil {
		return fmt.Sprint(v), nil, nil
	}
	return jv, nil, checkDepth(jv, depth)
}

// checkDepth returns an error if the JSON value v at depth nests past
// MaxFieldDepth.
func checkDepth(v any, depth int) error {
	switch v := v.(type) {
	case map[string]any:
		if depth >= MaxFieldDepth {
			return errFieldDepth
		}
		for _, e := range v {
			if err := checkDepth(e, depth+1); err != nil {
				return err
			}
		}
	case []any:
		if depth >= MaxFieldDepth {
			return errFieldDepth
		}
		for _, e := range v {
			if err := checkDepth(e, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// intOfJSON returns the JSON number v as an integer of the given width.
func intOfJSON(v any, bits int) (int64, error) {
	num, ok := v.(json.Number)
	if !ok {
		return 0, fmt.Errorf("want a JSON integer, value is %s", jsonKind(v))
	}
	return strconv.ParseInt(string(num), 10, bits)
}

// floatJSON returns f as a JSON number in its shortest form for the
// given precision, or as a string for NaN and the infinities.
func floatJSON(f float64, bits int) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.FormatFloat(f, 'g', -1, bits)
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, bits))
}

// decodeValue turns a value decoded from JSON (numbers as json.Number)
// into the Go type typ names; with no type, a JSON integer becomes an
// int (its decimal string if it does not fit), any other number a
// float64.
func decodeValue(v, typ any, depth int) (any, error) {
	switch v.(type) {
	case map[string]any, []any:
		// The same rule as encodeValue's: a map or list at depth
		// MaxFieldDepth is one too deep.
		if depth >= MaxFieldDepth {
			return nil, fmt.Errorf("nests deeper than MaxFieldDepth (%d)", MaxFieldDepth)
		}
	}
	switch t := typ.(type) {
	case nil:
		return decodePlain(v, depth)
	case string:
		return decodeTyped(v, t, depth)
	case map[string]any:
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("type says a map, value is %s", jsonKind(v))
		}
		for k, e := range m {
			var err error
			if m[k], err = decodeValue(e, t[k], depth+1); err != nil {
				return nil, fmt.Errorf("key %q: %w", k, err)
			}
		}
		return m, nil
	case []any:
		l, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("type says a list, value is %s", jsonKind(v))
		}
		if len(t) > len(l) {
			return nil, fmt.Errorf("type names %d elements, the list has %d", len(t), len(l))
		}
		for i, e := range l {
			var et any
			if i < len(t) {
				et = t[i]
			}
			var err error
			if l[i], err = decodeValue(e, et, depth+1); err != nil {
				return nil, fmt.Errorf("element %d: %w", i, err)
			}
		}
		return l, nil
	}
	return nil, fmt.Errorf("malformed type %s", jsonKind(typ))
}

func decodePlain(v any, depth int) (any, error) {
	switch v := v.(type) {
	case json.Number:
		s := string(v)
		if !strings.ContainsAny(s, ".eE") {
			if i, err := strconv.ParseInt(s, 10, 0); err == nil {
				return int(i), nil
			}
			return s, nil
		}
		return strconv.ParseFloat(s, 64)
	case map[string]any:
		for k, e := range v {
			var err error
			if v[k], err = decodeValue(e, nil, depth+1); err != nil {
				return nil, fmt.Errorf("key %q: %w", k, err)
			}
		}
	case []any:
		for i, e := range v {
			var err error
			if v[i], err = decodeValue(e, nil, depth+1); err != nil {
				return nil, fmt.Errorf("element %d: %w", i, err)
			}
		}
	}
	return v, nil
}

func decodeTyped(v any, typ string, depth int) (any, error) {
	num, isNum := v.(json.Number)
	str, isStr := v.(string)
	want := func(kind string) error {
		return fmt.Errorf("type %s wants a JSON %s, value is %s", typ, kind, jsonKind(v))
	}
	intOf := func(bits int) (int64, error) {
		if !isNum {
			return 0, want("number")
		}
		i, err := strconv.ParseInt(string(num), 10, bits)
		if err != nil {
			return 0, fmt.Errorf("%s is not an %s", num, typ)
		}
		return i, nil
	}
	uintOf := func(bits int) (uint64, error) {
		if !isNum {
			return 0, want("number")
		}
		u, err := strconv.ParseUint(string(num), 10, bits)
		if err != nil {
			return 0, fmt.Errorf("%s is not a %s", num, typ)
		}
		return u, nil
	}
	floatOf := func(bits int) (float64, error) {
		switch {
		case isNum:
			return strconv.ParseFloat(string(num), bits)
		case isStr && (str == "NaN" || str == "+Inf" || str == "-Inf"):
			return strconv.ParseFloat(str, bits)
		}
		return 0, want("number")
	}
	switch typ {
	case "string":
		if !isStr {
			return nil, want("string")
		}
		return str, nil
	case "bool":
		if b, ok := v.(bool); ok {
			return b, nil
		}
		return nil, want("boolean")
	case "int":
		i, err := intOf(0)
		return int(i), err
	case "int8":
		i, err := intOf(8)
		return int8(i), err
	case "int16":
		i, err := intOf(16)
		return int16(i), err
	case "int32":
		i, err := intOf(32)
		return int32(i), err
	case "int64":
		return intOf(64)
	case "uint":
		u, err := uintOf(0)
		return uint(u), err
	case "uint8":
		u, err := uintOf(8)
		return uint8(u), err
	case "uint16":
		u, err := uintOf(16)
		return uint16(u), err
	case "uint32":
		u, err := uintOf(32)
		return uint32(u), err
	case "uint64":
		return uintOf(64)
	case "float32":
		f, err := floatOf(32)
		return float32(f), err
	case "float64":
		return floatOf(64)
	case "bytes":
		if !isStr {
			return nil, want("string")
		}
		b, err := base64.StdEncoding.DecodeString(str)
		if err != nil {
			return nil, fmt.Errorf("bytes: %w", err)
		}
		return b, nil
	case "bytestring":
		if !isStr {
			return nil, want("string")
		}
		b, err := base64.StdEncoding.DecodeString(str)
		if err != nil {
			return nil, fmt.Errorf("bytestring: %w", err)
		}
		return string(b), nil
	case "time":
		if !isStr {
			return nil, want("string")
		}
		return time.Parse(time.RFC3339Nano, str)
	case "unixtime":
		return decodeUnixTime(v)
	case "duration":
		i, err := intOf(64)
		return time.Duration(i), err
	}
	if t, ok := parseType(typ); ok {
		return decodeContainer(v, typ, t, depth)
	}
	// A type this release does not know (from a newer sender): keep the
	// value as plain JSON gives it.
	return decodePlain(v, depth)
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number, float64:
		return "a number"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	}
	return fmt.Sprintf("%T", v)
}
