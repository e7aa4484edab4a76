package errcode

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// Decoded fields are lazy: Decode checks a layer's fields payload where
// it lies, with the rules decodeValue applies, allocating nothing per
// element of a value, and the layer keeps the bytes; the accessors
// (Fields, Field, %+v, slog, …) decode them on each call. A field value
// of n bytes (`[{},{},…]`) would otherwise keep 16 to 64 bytes of Go
// values alive per 2 or 3 bytes received.

// rawBlob is the fields payload (see fieldsBlob) as spans of its bytes,
// its member names matched exactly, case included.
type rawBlob struct {
	fields     []rawMember // the fields object's members, sorted by key, one per key (the last)
	types      []rawMember // the field_types object's members, likewise
	safe       []byte      // the safe_fields array, or nil
	redactable string
	// hasRedactableBytes: redactable came from redactable_message_bytes.
	hasRedactableBytes bool

	hasFields, hasTypes bool // the members are there, if empty
}

// rawMember is a member of a JSON object: its name, unquoted, and its
// value as it lies in the input.
type rawMember struct {
	key []byte
	val []byte
}

// parseRawBlob reads the fields payload data, JSON that need not be
// valid, without decoding any field value. Members other than fields,
// field_types, safe_fields, redactable_message and
// redactable_message_bytes (names matched exactly, case included)
// are ignored; null reads as an absent member.
func parseRawBlob(data []byte) (rawBlob, error) {
	var blob rawBlob
	if !json.Valid(data) {
		var v any
		err := json.Unmarshal(data, &v) // a syntax error, found before anything is allocated
		if err == nil {
			err = errors.New("invalid JSON")
		}
		return blob, err
	}
	data = bytes.TrimSpace(data)
	if data[0] == 'n' {
		return blob, nil
	}
	if data[0] != '{' {
		return blob, fmt.Errorf("cannot unmarshal %s into the fields payload, an object", rawKind(data))
	}
	top, err := objectMembers(data)
	if err != nil {
		return blob, err
	}
	for _, m := range top {
		if m.val[0] == 'n' {
			continue
		}
		switch string(m.key) {
		case "fields", "field_types":
			if m.val[0] != '{' {
				return blob, fmt.Errorf("%s: cannot unmarshal %s, want an object", m.key, rawKind(m.val))
			}
			ms, err := objectMembers(m.val)
			if err != nil {
				return blob, err
			}
			if string(m.key) == "fields" {
				blob.fields, blob.hasFields = ms, true
			} else {
				blob.types, blob.hasTypes = ms, true
			}
		case "safe_fields":
			if m.val[0] != '[' {
				return blob, fmt.Errorf("safe_fields: cannot unmarshal %s, want an array of strings", rawKind(m.val))
			}
			err := eachElem(m.val, func(i int, e []byte) error {
				if e[0] != '"' {
					return fmt.Errorf("safe_fields[%d]: cannot unmarshal %s, want a string", i, rawKind(e))
				}
				return nil
			})
			if err != nil {
				return blob, err
			}
			blob.safe = m.val
		case "redactable_message":
			if m.val[0] != '"' {
				return blob, fmt.Errorf("redactable_message: cannot unmarshal %s, want a string", rawKind(m.val))
			}
			if !blob.hasRedactableBytes {
				blob.redactable = string(unquoteJSON(nil, m.val))
			}
		case "redactable_message_bytes":
			// The redactable message's exact bytes, when they are not
			// valid UTF-8: they are the redactable message.
			if m.val[0] != '"' {
				return blob, fmt.Errorf("redactable_message_bytes: cannot unmarshal %s, want a string", rawKind(m.val))
			}
			b, err := base64.StdEncoding.DecodeString(string(unquoteJSON(nil, m.val)))
			if err != nil {
				return blob, fmt.Errorf("redactable_message_bytes: not standard base64: %w", err)
			}
			blob.redactable, blob.hasRedactableBytes = string(b), true
		}
	}
	return blob, nil
}

// blob returns b as a fieldsBlob, its values as they lie in the payload.
func (b *rawBlob) blob() fieldsBlob {
	out := fieldsBlob{Redactable: b.redactable}
	if b.hasFields {
		out.Fields = make(map[string]json.RawMessage, len(b.fields))
		for _, m := range b.fields {
			out.Fields[string(m.key)] = m.val
		}
	}
	if b.hasTypes {
		out.Types = make(map[string]json.RawMessage, len(b.types))
		for _, m := range b.types {
			out.Types[string(m.key)] = m.val
		}
	}
	if b.safe != nil {
		out.Safe = []string{}
		_ = eachElem(b.safe, func(_ int, e []byte) error {
			out.Safe = append(out.Safe, string(unquoteJSON(nil, e)))
			return nil
		})
	}
	return out
}

// lookupMember returns the value of the member key of ms, sorted by key.
func lookupMember(ms []rawMember, key []byte) ([]byte, bool) {
	i, ok := slices.BinarySearchFunc(ms, key, func(m rawMember, k []byte) int { return bytes.Compare(m.key, k) })
	if !ok {
		return nil, false
	}
	return ms[i].val, true
}

// isSafe reports whether key is in the safe_fields array.
func (b *rawBlob) isSafe(key []byte) bool {
	found := false
	if b.safe == nil {
		return false
	}
	var scratch [64]byte
	_ = eachElem(b.safe, func(_ int, e []byte) error {
		if !found && bytes.Equal(unquoteJSON(scratch[:0], e), key) {
			found = true
		}
		return nil
	})
	return found
}

// check applies the rules of fieldsBlob.decode to the payload, with the
// same errors, without decoding a value.
func (b *rawBlob) check() error {
	if len(b.fields) > MaxFields {
		return fmt.Errorf("%d fields in one layer, over MaxFields (%d)", len(b.fields), MaxFields)
	}
	for _, t := range b.types {
		if _, ok := lookupMember(b.fields, t.key); !ok {
			return fmt.Errorf("field_types names %q, which is not a field", t.key)
		}
	}
	if b.safe != nil {
		var scratch [64]byte
		err := eachElem(b.safe, func(_ int, e []byte) error {
			k := unquoteJSON(scratch[:0], e)
			if _, ok := lookupMember(b.fields, k); !ok {
				return fmt.Errorf("safe_fields names %q, which is not a field", k)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	var c fieldChecker
	for _, f := range b.fields {
		if len(f.val) > MaxFieldSize {
			n, err := c.size(f.val)
			if err != nil {
				return fmt.Errorf("field %q: %w", f.key, err)
			}
			if n > MaxFieldSize {
				return fmt.Errorf("field %q is %d bytes as JSON, over MaxFieldSize (%d)", f.key, n, MaxFieldSize)
			}
		}
		typ, _ := lookupMember(b.types, f.key)
		if err := c.value(f.val, typ, 0); err != nil {
			return fmt.Errorf("field %q: %w", f.key, err)
		}
	}
	return nil
}

// decode returns the fields, decoded as fieldsBlob.decode decodes them.
func (b *rawBlob) decode() ([]field, error) {
	fs := make([]field, 0, len(b.fields))
	for _, f := range b.fields {
		v, err := decodeJSONValue(f.val)
		if err != nil {
			return nil, fmt.Errorf("field %q: %w", f.key, err)
		}
		var typ any
		if t, ok := lookupMember(b.types, f.key); ok {
			if err := json.Unmarshal(t, &typ); err != nil {
				return nil, fmt.Errorf("field %q: malformed type: %w", f.key, err)
			}
		}
		if v, err = decodeValue(v, typ, 0); err != nil {
			return nil, fmt.Errorf("field %q: %w", f.key, err)
		}
		fs = append(fs, field{key: string(f.key), value: v, safe: b.isSafe(f.key)})
	}
	sortFields(fs)
	return fs, nil
}

// checkFieldsPayload checks the fields payload data as Decode does, and
// returns its redactable message.
func checkFieldsPayload(data []byte) (string, error) {
	blob, err := parseRawBlob(data)
	if err != nil {
		return "", fmt.Errorf("malformed fields: %w", err)
	}
	return blob.redactable, blob.check()
}

// decodeFieldsPayload returns the fields of a payload that
// checkFieldsPayload accepted.
func decodeFieldsPayload(data []byte) ([]field, error) {
	blob, err := parseRawBlob(data)
	if err != nil {
		return nil, fmt.Errorf("malformed fields: %w", err)
	}
	return blob.decode()
}

// fieldChecker checks field values where they lie. Its scratch buffer
// holds one unquoted string at a time.
type fieldChecker struct {
	scratch []byte
}

// value checks v against typ (a JSON type, nil or null for none) as
// decodeValue would decode it.
func (c *fieldChecker) value(v, typ []byte, depth int) error {
	if (v[0] == '{' || v[0] == '[') && depth >= MaxFieldDepth {
		return fmt.Errorf("nests deeper than MaxFieldDepth (%d)", MaxFieldDepth)
	}
	if typ == nil || typ[0] == 'n' {
		return c.plain(v, depth)
	}
	switch typ[0] {
	case '"':
		return c.typed(v, string(unquoteJSON(nil, typ)), depth)
	case '{':
		if v[0] != '{' {
			return fmt.Errorf("type says a map, value is %s", rawJSONKind(v))
		}
		ts, err := objectMembers(typ)
		if err != nil {
			return err
		}
		return c.members(v, func(k, e []byte) error {
			t, _ := lookupMember(ts, k)
			return c.value(e, t, depth+1)
		})
	case '[':
		if v[0] != '[' {
			return fmt.Errorf("type says a list, value is %s", rawJSONKind(v))
		}
		nt, nl := countElems(typ), countElems(v)
		if nt > nl {
			return fmt.Errorf("type names %d elements, the list has %d", nt, nl)
		}
		var ts [][]byte
		if nt > 0 {
			ts = make([][]byte, 0, nt)
			_ = eachElem(typ, func(_ int, t []byte) error { ts = append(ts, t); return nil })
		}
		return eachElem(v, func(i int, e []byte) error {
			var t []byte
			if i < len(ts) {
				t = ts[i]
			}
			if err := c.value(e, t, depth+1); err != nil {
				return fmt.Errorf("element %d: %w", i, err)
			}
			return nil
		})
	}
	return fmt.Errorf("malformed type %s", rawJSONKind(typ))
}

// members calls f with each member of the object v that a decoded map
// keeps (the last of each key), wrapping its error with the key.
func (c *fieldChecker) members(v []byte, f func(k, e []byte) error) error {
	ms, err := objectMembers(v)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if err := f(m.key, m.val); err != nil {
			return fmt.Errorf("key %q: %w", m.key, err)
		}
	}
	return nil
}

// plain checks v as decodePlain decodes it.
func (c *fieldChecker) plain(v []byte, depth int) error {
	switch v[0] {
	case '{':
		return c.members(v, func(_, e []byte) error { return c.value(e, nil, depth+1) })
	case '[':
		return eachElem(v, func(i int, e []byte) error {
			if err := c.value(e, nil, depth+1); err != nil {
				return fmt.Errorf("element %d: %w", i, err)
			}
			return nil
		})
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		if bytes.ContainsAny(v, ".eE") {
			if _, err := strconv.ParseFloat(bstr(v), 64); err != nil {
				_, err = strconv.ParseFloat(string(v), 64)
				return err
			}
		}
	}
	return nil
}

// valueNamed checks v against the type name typ, as decodeValue does
// for a type given as a string.
func (c *fieldChecker) valueNamed(v []byte, typ string, depth int) error {
	if (v[0] == '{' || v[0] == '[') && depth >= MaxFieldDepth {
		return fmt.Errorf("nests deeper than MaxFieldDepth (%d)", MaxFieldDepth)
	}
	return c.typed(v, typ, depth)
}

// typed checks v as decodeTyped decodes it.
func (c *fieldChecker) typed(v []byte, typ string, depth int) error {
	isNum := v[0] == '-' || v[0] >= '0' && v[0] <= '9'
	isStr := v[0] == '"'
	want := func(kind string) error {
		return fmt.Errorf("type %s wants a JSON %s, value is %s", typ, kind, rawJSONKind(v))
	}
	intOf := func(bits int) error {
		if !isNum {
			return want("number")
		}
		if _, err := strconv.ParseInt(bstr(v), 10, bits); err != nil {
			return fmt.Errorf("%s is not an %s", v, typ)
		}
		return nil
	}
	uintOf := func(bits int) error {
		if !isNum {
			return want("number")
		}
		if _, err := strconv.ParseUint(bstr(v), 10, bits); err != nil {
			return fmt.Errorf("%s is not a %s", v, typ)
		}
		return nil
	}
	floatOf := func(bits int) error {
		switch {
		case isNum:
			if _, err := strconv.ParseFloat(bstr(v), bits); err != nil {
				_, err = strconv.ParseFloat(string(v), bits)
				return err
			}
			return nil
		case isStr:
			if s := c.unquote(v); bytes.Equal(s, []byte("NaN")) || bytes.Equal(s, []byte("+Inf")) || bytes.Equal(s, []byte("-Inf")) {
				return nil
			}
		}
		return want("number")
	}
	switch typ {
	case "string":
		if !isStr {
			return want("string")
		}
		return nil
	case "bool":
		if v[0] == 't' || v[0] == 'f' {
			return nil
		}
		return want("boolean")
	case "int":
		return intOf(0)
	case "int8":
		return intOf(8)
	case "int16":
		return intOf(16)
	case "int32":
		return intOf(32)
	case "int64", "duration":
		return intOf(64)
	case "uint":
		return uintOf(0)
	case "uint8":
		return uintOf(8)
	case "uint16":
		return uintOf(16)
	case "uint32":
		return uintOf(32)
	case "uint64":
		return uintOf(64)
	case "float32":
		return floatOf(32)
	case "float64":
		return floatOf(64)
	case "bytes", "bytestring":
		if !isStr {
			return want("string")
		}
		if err := checkBase64(c.unquote(v)); err != nil {
			return fmt.Errorf("%s: %w", typ, err)
		}
		return nil
	case "time":
		if !isStr {
			return want("string")
		}
		_, err := time.Parse(time.RFC3339Nano, bstr(c.unquote(v)))
		if err != nil {
			_, err = time.Parse(time.RFC3339Nano, string(c.unquote(v)))
		}
		return err
	case "unixtime":
		return checkUnixTime(v)
	}
	if knownContainer(typ) {
		return c.container(v, typ, depth)
	}
	return c.plain(v, depth)
}

// container checks v as decodeContainer decodes it.
func (c *fieldChecker) container(v []byte, name string, depth int) error {
	if v[0] == 'n' {
		return nil
	}
	if elem, ok := strings.CutPrefix(name, "[]"); ok {
		if v[0] != '[' {
			return fmt.Errorf("type %s wants a JSON array, value is %s", name, rawJSONKind(v))
		}
		return eachElem(v, func(i int, e []byte) error {
			if err := c.valueNamed(e, elem, depth+1); err != nil {
				return fmt.Errorf("element %d: %w", i, err)
			}
			return nil
		})
	}
	elem := name[len("map[string]"):]
	if v[0] != '{' {
		return fmt.Errorf("type %s wants a JSON object, value is %s", name, rawJSONKind(v))
	}
	return c.members(v, func(_, e []byte) error { return c.valueNamed(e, elem, depth+1) })
}

// knownContainer reports whether parseType knows the type name, without
// making its Go type.
func knownContainer(name string) bool {
	n := 0
	for n <= maxTypeNesting {
		if rest, ok := strings.CutPrefix(name, "[]"); ok {
			name, n = rest, n+1
		} else if rest, ok := strings.CutPrefix(name, "map[string]"); ok {
			name, n = rest, n+1
		} else {
			break
		}
	}
	_, ok := fieldScalars[name]
	return ok && n > 0 && n <= maxTypeNesting
}

// checkBase64 reports whether s is standard base64, as
// base64.StdEncoding.DecodeString finds, without keeping the bytes.
func checkBase64(s []byte) error {
	var buf [768]byte
	for len(s) > 0 {
		// Whole quanta of 4, so each chunk decodes as the whole would;
		// the last chunk holds the padding.
		n := min(len(s), 1024)
		if n < len(s) {
			n -= n % 4
		}
		if _, err := base64.StdEncoding.Decode(buf[:], s[:n]); err != nil {
			_, err = base64.StdEncoding.DecodeString(string(s))
			return err
		}
		s = s[n:]
	}
	return nil
}

// checkUnixTime checks v as decodeUnixTime reads it.
func checkUnixTime(v []byte) error {
	if v[0] != '[' || countElems(v) != 3 {
		return fmt.Errorf("type unixtime wants a JSON array of 3 integers, value is %s", rawJSONKind(v))
	}
	var n [3]int64
	bits := [3]int{64, 32, 0}
	err := eachElem(v, func(i int, e []byte) error {
		if !(e[0] == '-' || e[0] >= '0' && e[0] <= '9') {
			return fmt.Errorf("unixtime element %d: want a JSON integer, value is %s", i, rawJSONKind(e))
		}
		var err error
		if n[i], err = strconv.ParseInt(bstr(e), 10, bits[i]); err != nil {
			_, err = strconv.ParseInt(string(e), 10, bits[i])
			return fmt.Errorf("unixtime element %d: %w", i, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if n[1] < 0 || n[1] > 999_999_999 {
		return fmt.Errorf("unixtime nanoseconds %d out of range", n[1])
	}
	if n[0] > maxUnixSeconds {
		return fmt.Errorf("unixtime seconds %d out of range", n[0])
	}
	return nil
}

// size returns jsonSize of the value v decodes to.
func (c *fieldChecker) size(v []byte) (int, error) {
	switch v[0] {
	case '"':
		return quotedSize(bstr(c.unquote(v))), nil
	case '{':
		ms, err := objectMembers(v)
		if err != nil {
			return 0, err
		}
		n := 1 + max(len(ms), 1)
		for _, m := range ms {
			e, err := c.size(m.val)
			if err != nil {
				return 0, err
			}
			n += quotedSize(bstr(m.key)) + 1 + e
		}
		return n, nil
	case '[':
		n := 1 + max(countElems(v), 1)
		err := eachElem(v, func(_ int, e []byte) error {
			s, err := c.size(e)
			n += s
			return err
		})
		return n, err
	}
	return len(v), nil // a number as written, true, false, null
}

// unquote returns the JSON string v unquoted, in c's scratch buffer when
// it has escapes.
func (c *fieldChecker) unquote(v []byte) []byte {
	c.scratch = unquoteJSON(c.scratch[:0], v)
	return c.scratch
}

// bstr returns b as a string without copying it, for a call that does
// not keep it.
func bstr(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// rawKind names the JSON type of the value v, as jsonTypeOf does.
func rawKind(v []byte) string {
	switch v[0] {
	case 'n':
		return "null"
	case '"':
		return "string"
	case 't', 'f':
		return "bool"
	case '[':
		return "array"
	case '{':
		return "object"
	}
	return "number " + string(v)
}

// rawJSONKind names the JSON type of the value v, as jsonKind does.
func rawJSONKind(v []byte) string {
	switch v[0] {
	case 'n':
		return "null"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case '[':
		return "an array"
	case '{':
		return "an object"
	}
	return "a number"
}

// The helpers below walk JSON that json.Valid accepted.

// skipSpace returns the index of the first byte at or after i that is
// not white space.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// valueEnd returns the index just after the value that starts at b[i],
// without recursion.
func valueEnd(b []byte, i int) int {
	nest := 0
	for {
		switch b[i] {
		case '"':
			i++
			for b[i] != '"' {
				if b[i] == '\\' {
					i++
				}
				i++
			}
			i++
		case '{', '[':
			nest++
			i++
		case '}', ']':
			nest--
			i++
		case ',', ':', ' ', '\t', '\n', '\r':
			i++
			continue
		default:
			for i < len(b) && strings.IndexByte(" \t\r\n,:[]{}", b[i]) < 0 {
				i++
			}
		}
		if nest == 0 {
			return i
		}
	}
}

// eachElem calls f with each element of the array v.
func eachElem(v []byte, f func(i int, e []byte) error) error {
	i := skipSpace(v, 1)
	for n := 0; v[i] != ']'; n++ {
		end := valueEnd(v, i)
		if err := f(n, v[i:end]); err != nil {
			return err
		}
		i = skipSpace(v, end)
		if v[i] == ',' {
			i = skipSpace(v, i+1)
		}
	}
	return nil
}

// countElems returns the number of elements of the array v.
func countElems(v []byte) int {
	n := 0
	_ = eachElem(v, func(int, []byte) error { n++; return nil })
	return n
}

// objectMembers returns the members of the object v as a decoded map
// keeps them: sorted by their unquoted names, the last of each name.
// Names are unquoted into new memory only when they have escapes.
func objectMembers(v []byte) ([]rawMember, error) {
	i := skipSpace(v, 1)
	var ms []rawMember
	for v[i] != '}' {
		kend := valueEnd(v, i)
		key := unquoteJSON(nil, v[i:kend])
		i = skipSpace(v, kend) + 1 // the colon
		i = skipSpace(v, i)
		end := valueEnd(v, i)
		ms = append(ms, rawMember{key: key, val: v[i:end]})
		i = skipSpace(v, end)
		if v[i] == ',' {
			i = skipSpace(v, i+1)
		}
	}
	if len(ms) < 2 {
		return ms, nil
	}
	slices.SortStableFunc(ms, func(a, b rawMember) int { return bytes.Compare(a.key, b.key) })
	out := ms[:0]
	for j, m := range ms {
		if j+1 < len(ms) && bytes.Equal(ms[j+1].key, m.key) {
			continue // a later member of the same name wins
		}
		out = append(out, m)
	}
	return out, nil
}

// unquoteJSON returns the JSON string q (with its quotes) unquoted as
// encoding/json unquotes it: escapes decoded, each byte of invalid UTF-8
// and each lone surrogate as U+FFFD. It returns q's own bytes when they
// need no change, else appends to dst.
func unquoteJSON(dst, q []byte) []byte {
	s := q[1 : len(q)-1]
	r := 0
	for r < len(s) {
		c := s[r]
		if c == '\\' || c < ' ' {
			break
		}
		if c < utf8.RuneSelf {
			r++
			continue
		}
		rr, size := utf8.DecodeRune(s[r:])
		if rr == utf8.RuneError && size == 1 {
			break
		}
		r += size
	}
	if r == len(s) {
		return s
	}
	b := append(dst, s[:r]...)
	for r < len(s) {
		c := s[r]
		switch {
		case c == '\\':
			r++
			switch s[r] {
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				rr := hex4(s[r+1:])
				r += 5
				if utf16.IsSurrogate(rr) {
					if r+6 <= len(s) && s[r] == '\\' && s[r+1] == 'u' {
						if dec := utf16.DecodeRune(rr, hex4(s[r+2:])); dec != unicode.ReplacementChar {
							r += 6
							b = utf8.AppendRune(b, dec)
							continue
						}
					}
					rr = unicode.ReplacementChar
				}
				b = utf8.AppendRune(b, rr)
				continue
			default: // " \ /
				b = append(b, s[r])
			}
			r++
		case c < utf8.RuneSelf:
			b = append(b, c)
			r++
		default:
			rr, size := utf8.DecodeRune(s[r:])
			r += size
			b = utf8.AppendRune(b, rr)
		}
	}
	return b
}

// hex4 returns the rune of the four hex digits at the start of s.
func hex4(s []byte) rune {
	var r rune
	for _, c := range s[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		default:
			c = c - 'A' + 10
		}
		r = r*16 + rune(c)
	}
	return r
}
