package errcode

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// parseJSONGeneric is parseJSONForm for input that json.Valid refuses:
// it parses data into plain values with json.Decoder, which names the
// syntax error as it always has. Valid input never comes here (see
// jsonparse.go).
func parseJSONGeneric(data []byte) (parsedDoc, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return parsedDoc{}, errors.New("unexpected end of JSON input")
		}
		return parsedDoc{}, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return parsedDoc{}, errors.New("invalid character after the top-level value")
	}
	var in parsedDoc
	if v == nil {
		return in, nil
	}
	top, ok := v.(map[string]any)
	if !ok {
		return in, fmt.Errorf("cannot unmarshal %s into errcode's JSON form, an object", jsonTypeOf(v))
	}
	p := jsonReader{obj: top}
	in.Version = p.int("version")
	in.Chain = p.chain("chain", 0)
	return in, p.err
}

// jsonReader reads the members of one object; the first error sticks.
type jsonReader struct {
	obj  map[string]any
	path string // "" at the top level, "chain[0]." in a layer
	err  error
}

func (p *jsonReader) fail(name string, v any, want string) {
	if p.err == nil {
		p.err = fmt.Errorf("%s%s: cannot unmarshal %s, want %s", p.path, name, jsonTypeOf(v), want)
	}
}

// get returns the member name; absent and null are both nil.
func (p *jsonReader) get(name string) any {
	if p.err != nil {
		return nil
	}
	return p.obj[name]
}

func (p *jsonReader) has(name string) bool {
	v, ok := p.obj[name]
	return ok && v != nil
}

func (p *jsonReader) string(name string) string {
	v := p.get(name)
	if v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		p.fail(name, v, "a string")
	}
	return s
}

func (p *jsonReader) bool(name string) bool {
	v := p.get(name)
	if v == nil {
		return false
	}
	b, ok := v.(bool)
	if !ok {
		p.fail(name, v, "true or false")
	}
	return b
}

// int reads an integer as encoding/json reads one into an int: "1.0" and
// "1e2" are not integers.
func (p *jsonReader) int(name string) int {
	v := p.get(name)
	if v == nil {
		return 0
	}
	n, ok := v.(json.Number)
	if !ok {
		p.fail(name, v, "an integer")
		return 0
	}
	i, err := strconv.ParseInt(string(n), 10, 0)
	if err != nil {
		p.fail(name, n, "an integer")
		return 0
	}
	return int(i)
}

func (p *jsonReader) strings(name string) []string {
	v := p.get(name)
	if v == nil {
		return nil
	}
	a, ok := v.([]any)
	if !ok {
		p.fail(name, v, "an array of strings")
		return nil
	}
	out := make([]string, len(a))
	for i, e := range a {
		if out[i], ok = e.(string); !ok {
			p.fail(name+"["+strconv.Itoa(i)+"]", e, "a string")
			return nil
		}
	}
	return out
}

// bytes reads a member that carries text as standard base64 of its
// bytes; ok is false when it is absent (or null).
func (p *jsonReader) bytes(name string) (string, bool) {
	if !p.has(name) {
		return "", false
	}
	b, err := base64.StdEncoding.DecodeString(p.string(name))
	if err != nil && p.err == nil {
		p.err = fmt.Errorf("%s%s: not standard base64: %w", p.path, name, err)
	}
	return string(b), true
}

// raw returns the member as JSON, for the members (fields, field_types)
// that the field codec reads.
func (p *jsonReader) raw(name string) json.RawMessage {
	v := p.get(name)
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil && p.err == nil {
		p.err = fmt.Errorf("%s%s: %w", p.path, name, err)
	}
	return b
}

// chain reads a chain of layers; depth is how deeply it nests in joins.
// A chain is not read past MaxDepth: encodeChain refuses it anyway.
func (p *jsonReader) chain(name string, depth int) []parsedLayer {
	v := p.get(name)
	if v == nil {
		return nil
	}
	a, ok := v.([]any)
	if !ok {
		p.fail(name, v, "an array of layers")
		return nil
	}
	return p.layers(p.path+name, a, depth)
}

func (p *jsonReader) layers(path string, a []any, depth int) []parsedLayer {
	if depth+len(a) > MaxDepth {
		p.err = fmt.Errorf("%s: the chain nests deeper than MaxDepth (%d)", path, MaxDepth)
		return nil
	}
	chain := make([]parsedLayer, len(a))
	for i, e := range a {
		lp := path + "[" + strconv.Itoa(i) + "]"
		obj, ok := e.(map[string]any)
		if !ok {
			p.err = fmt.Errorf("%s: cannot unmarshal %s, want a layer (an object)", lp, jsonTypeOf(e))
			return nil
		}
		lr := jsonReader{obj: obj, path: lp + "."}
		chain[i] = lr.layer(depth + i)
		if lr.err != nil {
			p.err = lr.err
			return nil
		}
	}
	return chain
}

func (p *jsonReader) layer(depth int) parsedLayer {
	// Read in the order of jsonLayer's members, so that the first error
	// is the one it always was.
	l := parsedLayer{Kind: p.string("kind")}
	x := layerExt{
		Code:       p.string("code"),
		Ancestors:  p.strings("ancestors"),
		Parents:    p.strings("parents"),
		Retry:      p.string("retry"),
		RetryAfter: p.string("retry_after"),
		GRPCCode:   p.int("grpc_code"),
		HTTPStatus: p.int("http_status"),
	}
	l.Message, l.sentMessage = p.string("message"), p.has("message")
	l.OwnsMessage = p.bool("owns_message")
	x.SafeMessage = p.bool("safe_message")
	x.Redactable = p.string("redactable_message")
	x.Fields = p.raw("fields")
	x.FieldTypes = p.raw("field_types")
	x.SafeFields = p.strings("safe_fields")
	x.Stack = p.string("stack")
	// The exact text, when it is not valid UTF-8: each *_bytes member
	// wins over its text member, which then holds it with U+FFFD.
	if b, ok := p.bytes("message_bytes"); ok {
		l.Message, l.sentMessage = b, true
	}
	if b, ok := p.bytes("redactable_message_bytes"); ok {
		x.Redactable = b
	}
	if b, ok := p.bytes("stack_bytes"); ok {
		x.Stack = b
	}
	l.setExt(&x)
	v := p.get("causes")
	if v == nil {
		return l
	}
	a, ok := v.([]any)
	if !ok {
		p.fail("causes", v, "an array of chains")
		return l
	}
	l.Causes = make([][]parsedLayer, len(a))
	for i, c := range a {
		ca, ok := c.([]any)
		if !ok {
			p.fail("causes["+strconv.Itoa(i)+"]", c, "a chain (an array of layers)")
			return l
		}
		if l.Causes[i] = p.layers(p.path+"causes["+strconv.Itoa(i)+"]", ca, depth+1); p.err != nil {
			return l
		}
	}
	return l
}

// jsonTypeOf names the JSON type of v, a value json.Decoder made.
func jsonTypeOf(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "bool"
	case json.Number:
		return "number " + string(v)
	case []any:
		return "array"
	case map[string]any:
		return "object"
	default:
		return fmt.Sprintf("%T", v)
	}
}
