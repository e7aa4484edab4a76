package errcode

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"
)

// parseJSONForm returns the JSON form in data with its member names
// matched exactly, as every non-Go reader matches them: encoding/json
// would also take "Chain" or "CODE" for "chain" and "code". A member
// whose name differs from a documented one, if only in case, is unknown
// and ignored. null is read as an absent member, as encoding/json reads
// it, and of a member repeated the last counts.
//
// data is read where it lies, once json.Valid has accepted it: no value
// is made for what the form does not keep, and a layer's fields and
// field_types are kept as JSON, written as encoding/json would write
// them decoded into plain values (keys sorted, the last of a repeated
// key, strings escaped as it escapes them, numbers as sent), without a
// value made for any of their elements. Input that json.Valid refuses
// is read by parseJSONGeneric, for its error.
func parseJSONForm(data []byte) (parsedDoc, error) {
	if !json.Valid(data) {
		return parseJSONGeneric(data)
	}
	var in parsedDoc
	v := bytes.TrimSpace(data)
	switch v[0] {
	case 'n':
		return in, nil
	case '{':
	default:
		return in, fmt.Errorf("cannot unmarshal %s into errcode's JSON form, an object", rawKind(v))
	}
	var version, chain []byte
	eachMember(v, func(key, val []byte) {
		switch string(key) {
		case "version":
			version = val
		case "chain":
			chain = val
		case "retry_after":
			// For readers, and kept to be sent on as it came
			// (keepSentRetryAfter); anything but a string is ignored.
			if val[0] == '"' {
				in.RetryAfter = string(unquoteJSON(nil, val))
			}
		}
	})
	r := rawReader{}
	r.path = r.pathBuf[:0]
	in.Version = r.int("version", version)
	in.Chain = r.chain("chain", chain, 0)
	return in, r.err
}

// eachMember calls f with each member of the object v, its name
// unquoted (f may not keep it: it may be v's own memory) and its value;
// a null value is passed as nil. Only a key with escapes is copied.
func eachMember(v []byte, f func(key, val []byte)) {
	i := skipSpace(v, 1)
	for v[i] != '}' {
		kend := valueEnd(v, i)
		key := unquoteJSON(nil, v[i:kend])
		i = skipSpace(v, skipSpace(v, kend)+1) // past the colon
		end := valueEnd(v, i)
		val := v[i:end]
		if val[0] == 'n' {
			val = nil
		}
		f(key, val)
		i = skipSpace(v, end)
		if v[i] == ',' {
			i = skipSpace(v, i+1)
		}
	}
}

// rawReader reads members of the JSON form from their values as they
// lie in the input; the first error sticks, and after it nothing is read.
type rawReader struct {
	// path is where the reader is, written out (at) only for an error:
	// empty at the top level, segChain and 0 in the first layer. Its
	// memory is pathBuf until a chain nests deeper.
	path    []int32
	pathBuf [16]int32
	err     error
	c       canonicalWriter
}

// A segment of rawReader's path: an element's index, or a member.
const (
	segChain  = -1 // "chain"
	segCauses = -2 // "causes"
)

func (p *rawReader) push(seg int) {
	if len(p.path) == cap(p.path) {
		// Once: room for any chain the reader reads (MaxDepth).
		p.path = append(make([]int32, 0, max(2*MaxDepth+4, 2*len(p.path))), p.path...)
	}
	p.path = append(p.path, int32(seg))
}
func (p *rawReader) pop() { p.path = p.path[:len(p.path)-1] }

// at returns the path of the member name where the reader is, as
// "chain[0].causes[1][0].kind"; of where it is itself if name is "".
func (p *rawReader) at(name string) string {
	var b []byte
	for _, s := range p.path {
		switch s {
		case segChain:
			b = append(b, "chain"...)
		case segCauses:
			b = append(b, ".causes"...)
		default:
			b = append(append(append(b, '['), strconv.Itoa(int(s))...), ']')
		}
	}
	if name != "" {
		if len(b) > 0 {
			b = append(b, '.')
		}
		b = append(b, name...)
	}
	return string(b)
}

func (p *rawReader) fail(name string, v []byte, want string) {
	if p.err == nil {
		p.err = fmt.Errorf("%s: cannot unmarshal %s, want %s", p.at(name), rawKind(v), want)
	}
}

func (p *rawReader) string(name string, v []byte) string {
	if v == nil || p.err != nil {
		return ""
	}
	if v[0] != '"' {
		p.fail(name, v, "a string")
		return ""
	}
	return string(unquoteJSON(nil, v))
}

func (p *rawReader) bool(name string, v []byte) bool {
	if v == nil || p.err != nil {
		return false
	}
	if v[0] != 't' && v[0] != 'f' {
		p.fail(name, v, "true or false")
	}
	return v[0] == 't'
}

// int reads an integer as encoding/json reads one into an int: "1.0" and
// "1e2" are not integers.
func (p *rawReader) int(name string, v []byte) int {
	if v == nil || p.err != nil {
		return 0
	}
	if c := v[0]; c != '-' && (c < '0' || c > '9') {
		p.fail(name, v, "an integer")
		return 0
	}
	i, err := strconv.ParseInt(bstr(v), 10, 0)
	if err != nil {
		p.fail(name, v, "an integer")
		return 0
	}
	return int(i)
}

func (p *rawReader) strings(name string, v []byte) []string {
	if v == nil || p.err != nil {
		return nil
	}
	if v[0] != '[' {
		p.fail(name, v, "an array of strings")
		return nil
	}
	out := make([]string, 0, countElems(v))
	_ = eachElem(v, func(i int, e []byte) error {
		if e[0] != '"' {
			p.fail(name+"["+strconv.Itoa(i)+"]", e, "a string")
			return p.err
		}
		out = append(out, string(unquoteJSON(nil, e)))
		return nil
	})
	if p.err != nil {
		return nil
	}
	return out
}

// bytes reads a member that carries text as standard base64 of its
// bytes; ok is false when it is absent (or null).
func (p *rawReader) bytes(name string, v []byte) (string, bool) {
	if v == nil {
		return "", false
	}
	b, err := base64.StdEncoding.DecodeString(p.string(name, v))
	if err != nil && p.err == nil {
		p.err = fmt.Errorf("%s: not standard base64: %w", p.at(name), err)
	}
	return string(b), true
}

// raw returns the member as encoding/json writes it decoded into plain
// values (see parseJSONForm), for the members (fields, field_types) that
// the field codec reads.
func (p *rawReader) raw(v []byte) json.RawMessage {
	if v == nil || p.err != nil {
		return nil
	}
	return p.c.write(make([]byte, 0, len(v)+16), v)
}

// chain reads a chain of layers; depth is how deeply it nests in joins.
// A chain is not read past MaxDepth: encodeChain refuses it anyway.
func (p *rawReader) chain(name string, v []byte, depth int) []parsedLayer {
	if v == nil || p.err != nil {
		return nil
	}
	if v[0] != '[' {
		p.fail(name, v, "an array of layers")
		return nil
	}
	p.push(segChain)
	defer p.pop()
	return p.layers(v, depth)
}

// layers reads the chain v, where the reader is.
func (p *rawReader) layers(v []byte, depth int) []parsedLayer {
	n := countElems(v)
	if depth+n > MaxDepth {
		p.err = fmt.Errorf("%s: the chain nests deeper than MaxDepth (%d)", p.at(""), MaxDepth)
		return nil
	}
	chain := make([]parsedLayer, n)
	_ = eachElem(v, func(i int, e []byte) error {
		p.push(i)
		defer p.pop()
		if e[0] != '{' {
			p.err = fmt.Errorf("%s: cannot unmarshal %s, want a layer (an object)", p.at(""), rawKind(e))
			return p.err
		}
		chain[i] = p.layer(e, depth+i)
		return p.err
	})
	if p.err != nil {
		return nil
	}
	return chain
}

// The members of a layer that parseJSONForm reads.
const (
	mKind = iota
	mCode
	mAncestors
	mParents
	mRetry
	mRetryAfter
	mGRPCCode
	mHTTPStatus
	mMessage
	mOwnsMessage
	mSafeMessage
	mRedactable
	mFields
	mFieldTypes
	mSafeFields
	mStack
	mMessageBytes
	mRedactableBytes
	mStackBytes
	mCauses
	nMembers
)

var layerMembers = map[string]int{
	"kind": mKind, "code": mCode, "ancestors": mAncestors, "parents": mParents,
	"retry": mRetry, "retry_after": mRetryAfter, "grpc_code": mGRPCCode,
	"http_status": mHTTPStatus, "message": mMessage, "owns_message": mOwnsMessage,
	"safe_message": mSafeMessage, "redactable_message": mRedactable,
	"fields": mFields, "field_types": mFieldTypes, "safe_fields": mSafeFields,
	"stack": mStack, "message_bytes": mMessageBytes,
	"redactable_message_bytes": mRedactableBytes, "stack_bytes": mStackBytes,
	"causes": mCauses,
}

func (p *rawReader) layer(v []byte, depth int) parsedLayer {
	var m [nMembers][]byte
	eachMember(v, func(key, val []byte) {
		if i, ok := layerMembers[string(key)]; ok {
			m[i] = val
		}
	})
	// Read in the order of jsonLayer's members, so that the first error
	// is the one it always was.
	l := parsedLayer{Kind: p.string("kind", m[mKind])}
	x := layerExt{
		Code:       p.string("code", m[mCode]),
		Ancestors:  p.strings("ancestors", m[mAncestors]),
		Parents:    p.strings("parents", m[mParents]),
		Retry:      p.string("retry", m[mRetry]),
		RetryAfter: p.string("retry_after", m[mRetryAfter]),
		GRPCCode:   p.int("grpc_code", m[mGRPCCode]),
		HTTPStatus: p.int("http_status", m[mHTTPStatus]),
	}
	l.Message, l.sentMessage = p.string("message", m[mMessage]), m[mMessage] != nil
	l.OwnsMessage = p.bool("owns_message", m[mOwnsMessage])
	x.SafeMessage = p.bool("safe_message", m[mSafeMessage])
	x.Redactable = p.string("redactable_message", m[mRedactable])
	x.Fields = p.raw(m[mFields])
	x.FieldTypes = p.raw(m[mFieldTypes])
	x.SafeFields = p.strings("safe_fields", m[mSafeFields])
	x.Stack = p.string("stack", m[mStack])
	// The exact text, when it is not valid UTF-8: each *_bytes member
	// wins over its text member, which then holds it with U+FFFD.
	if b, ok := p.bytes("message_bytes", m[mMessageBytes]); ok {
		l.Message, l.sentMessage = b, true
	}
	if b, ok := p.bytes("redactable_message_bytes", m[mRedactableBytes]); ok {
		x.Redactable = b
	}
	if b, ok := p.bytes("stack_bytes", m[mStackBytes]); ok {
		x.Stack = b
	}
	l.setExt(&x)
	c := m[mCauses]
	if c == nil || p.err != nil {
		return l
	}
	if c[0] != '[' {
		p.fail("causes", c, "an array of chains")
		return l
	}
	l.Causes = make([][]parsedLayer, countElems(c))
	_ = eachElem(c, func(i int, e []byte) error {
		if e[0] != '[' {
			p.fail("causes["+strconv.Itoa(i)+"]", e, "a chain (an array of layers)")
			return p.err
		}
		p.push(segCauses)
		p.push(i)
		l.Causes[i] = p.layers(e, depth+1)
		p.pop()
		p.pop()
		return p.err
	})
	return l
}

// canonicalWriter writes a JSON value as encoding/json writes it once
// decoded into plain values with UseNumber: objects with their keys
// sorted, the last of a repeated key kept, strings escaped as
// json.Marshal escapes them (HTML characters included), numbers and
// literals as they are, no white space. Its scratch memory serves every
// value it writes, so that it makes nothing per element.
type canonicalWriter struct {
	members []memberRef // the members of the objects being sorted, a stack
	keys    []byte      // unquoted keys that had escapes, a stack
	str     []byte      // scratch for one unquoted string
}

// write appends v, valid JSON, to dst as encoding/json would write it.
func (c *canonicalWriter) write(dst, v []byte) []byte {
	v = bytes.TrimSpace(v)
	switch v[0] {
	case '"':
		s := unquoteJSON(c.str[:0], v)
		if len(s) > 0 && &s[0] != &v[1] { // not v's own bytes: scratch to keep
			c.str = s[:0]
		}
		return appendJSONString(dst, s)
	case '[':
		dst = append(dst, '[')
		_ = eachElem(v, func(i int, e []byte) error {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = c.write(dst, e)
			return nil
		})
		return append(dst, ']')
	case '{':
		return c.object(dst, v)
	}
	return append(dst, v...)
}

func (c *canonicalWriter) object(dst, v []byte) []byte {
	// Most objects have plain keys in order, none repeated: those are
	// written as they are read; at the first that is not, what was
	// written is dropped and the object is written from sorted members.
	start := len(dst)
	dst = append(dst, '{')
	var prev []byte
	i := skipSpace(v, 1)
	for n := 0; v[i] != '}'; n++ {
		kend := valueEnd(v, i)
		key := v[i+1 : kend-1]
		if !plainKey(key) || n > 0 && bytes.Compare(prev, key) >= 0 {
			return c.sorted(dst[:start], v)
		}
		prev = key
		if n > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, key)
		dst = append(dst, ':')
		i = skipSpace(v, skipSpace(v, kend)+1)
		end := valueEnd(v, i)
		dst = c.write(dst, v[i:end])
		i = skipSpace(v, end)
		if v[i] == ',' {
			i = skipSpace(v, i+1)
		}
	}
	return append(dst, '}')
}

// plainKey reports whether the quoted contents key unquote to
// themselves: no escape, no control byte, valid UTF-8.
func plainKey(key []byte) bool {
	return bytes.IndexByte(key, '\\') < 0 && !hasControl(key) && utf8.Valid(key)
}

// memberRef is a member of an object that canonicalWriter sorts: its
// key is v[klo:khi], or keys[klo:khi] when it had escapes, and its value
// v[vlo:vhi].
type memberRef struct {
	klo, khi, vlo, vhi int32
	unquoted           bool
}

// sorted appends the object v with its members sorted by unquoted key,
// the last of each key kept.
func (c *canonicalWriter) sorted(dst, v []byte) []byte {
	base, kbase := len(c.members), len(c.keys)
	i := skipSpace(v, 1)
	for v[i] != '}' {
		kend := valueEnd(v, i)
		m := memberRef{klo: int32(i + 1), khi: int32(kend - 1)}
		if !plainKey(v[i+1 : kend-1]) {
			k := len(c.keys)
			c.keys = unquoteJSON(c.keys, v[i:kend])
			m.klo, m.khi, m.unquoted = int32(k), int32(len(c.keys)), true
		}
		i = skipSpace(v, skipSpace(v, kend)+1)
		end := valueEnd(v, i)
		m.vlo, m.vhi = int32(i), int32(end)
		c.members = append(c.members, m)
		i = skipSpace(v, end)
		if v[i] == ',' {
			i = skipSpace(v, i+1)
		}
	}
	key := func(m memberRef) []byte {
		if m.unquoted {
			return c.keys[m.klo:m.khi]
		}
		return v[m.klo:m.khi]
	}
	ms := c.members[base:]
	slices.SortStableFunc(ms, func(a, b memberRef) int { return bytes.Compare(key(a), key(b)) })
	dst = append(dst, '{')
	first := true
	for j := range ms {
		if j+1 < len(ms) && bytes.Equal(key(ms[j+1]), key(ms[j])) {
			continue // a later member of the same name wins
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = appendJSONString(dst, key(ms[j]))
		dst = append(dst, ':')
		dst = c.write(dst, v[ms[j].vlo:ms[j].vhi])
	}
	// The stacks may have grown: keep their memory, drop this object's.
	c.members, c.keys = c.members[:base], c.keys[:kbase]
	return append(dst, '}')
}

// hasControl reports whether b holds a byte below 0x20, which valid JSON
// text does not hold unescaped.
func hasControl(b []byte) bool {
	for _, c := range b {
		if c < ' ' {
			return true
		}
	}
	return false
}

// appendJSONString appends s as json.Marshal writes a string: '"', '\'
// and control characters escaped (\b, \f, \n, \r, \t by name), '<', '>'
// and '&' as \u003c…, U+2028 and U+2029 escaped, each byte of invalid
// UTF-8 as \ufffd.
func appendJSONString(dst, s []byte) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= ' ' && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
