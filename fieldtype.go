package errcode

import (
	"encoding/base64"
	"fmt"
	"math"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"
)

// Typed slices and maps on the wire (see WIRE.md, "Fields"): a value of
// an unnamed type []T or map[string]T, T a scalar of fieldScalars or
// itself such a slice or map, travels as a JSON array or object with the
// type name "[]T" or "map[string]T" in field_types. A receiver that does
// not know the name reads the value as plain JSON.

// maxTypeNesting is how many "[]" and "map[string]" a type name may
// start with. It bounds the Go types a peer can make a receiver build
// (reflect keeps every type it makes); values nested deeper travel as
// their JSON.
const maxTypeNesting = 3

// fieldScalars maps the type names of scalars to their Go types.
// "bytestring" and "unixtime" are the forms of a string that is not
// valid UTF-8 and of a time RFC 3339 cannot carry exactly.
var fieldScalars = map[string]reflect.Type{
	"string":     reflect.TypeFor[string](),
	"bytestring": reflect.TypeFor[string](),
	"bool":       reflect.TypeFor[bool](),
	"int":        reflect.TypeFor[int](),
	"int8":       reflect.TypeFor[int8](),
	"int16":      reflect.TypeFor[int16](),
	"int32":      reflect.TypeFor[int32](),
	"int64":      reflect.TypeFor[int64](),
	"uint":       reflect.TypeFor[uint](),
	"uint8":      reflect.TypeFor[uint8](),
	"uint16":     reflect.TypeFor[uint16](),
	"uint32":     reflect.TypeFor[uint32](),
	"uint64":     reflect.TypeFor[uint64](),
	"float32":    reflect.TypeFor[float32](),
	"float64":    reflect.TypeFor[float64](),
	"bytes":      reflect.TypeFor[[]byte](),
	"time":       reflect.TypeFor[time.Time](),
	"unixtime":   reflect.TypeFor[time.Time](),
	"duration":   reflect.TypeFor[time.Duration](),
}

// scalarNames maps Go types to the type names they are sent with.
var scalarNames = func() map[reflect.Type]string {
	m := make(map[reflect.Type]string)
	for name, t := range fieldScalars {
		if name != "bytestring" && name != "unixtime" {
			m[t] = name
		}
	}
	return m
}()

// typeName returns the wire type name of a slice or map type t, if t is
// one the notation carries.
func typeName(t reflect.Type, nesting int) (string, bool) {
	if name, ok := scalarNames[t]; ok {
		return name, nesting > 0
	}
	if nesting >= maxTypeNesting || t.Name() != "" {
		return "", false
	}
	switch t.Kind() {
	case reflect.Slice:
		if elem, ok := typeName(t.Elem(), nesting+1); ok {
			return "[]" + elem, true
		}
	case reflect.Map:
		if t.Key() != fieldScalars["string"] {
			return "", false
		}
		if elem, ok := typeName(t.Elem(), nesting+1); ok {
			return "map[string]" + elem, true
		}
	}
	return "", false
}

// parseType returns the Go type of a slice or map type name, if it is
// one this release knows.
func parseType(name string) (reflect.Type, bool) {
	var outer []string
	for len(outer) <= maxTypeNesting {
		if rest, ok := strings.CutPrefix(name, "[]"); ok {
			outer, name = append(outer, "[]"), rest
		} else if rest, ok := strings.CutPrefix(name, "map[string]"); ok {
			outer, name = append(outer, "map"), rest
		} else {
			break
		}
	}
	t, ok := fieldScalars[name]
	if !ok || len(outer) == 0 || len(outer) > maxTypeNesting {
		return nil, false
	}
	for i := len(outer) - 1; i >= 0; i-- {
		if outer[i] == "[]" {
			t = reflect.SliceOf(t)
		} else {
			t = reflect.MapOf(fieldScalars["string"], t)
		}
	}
	return t, true
}

// encodeContainer returns the JSON value of rv, a typed slice or map
// whose type name is name, and the name to send: the leaf "string"
// becomes "bytestring" when a string in rv is not valid UTF-8, and
// "time" becomes "unixtime" when RFC 3339 cannot carry a time in rv.
func encodeContainer(rv reflect.Value, name string, depth int) (any, string, error) {
	jv, alt, err := encodeElems(rv, depth, false)
	if err != nil || !alt {
		return jv, name, err
	}
	jv, _, err = encodeElems(rv, depth, true)
	if leaf, ok := strings.CutSuffix(name, "string"); ok {
		return jv, leaf + "bytestring", err
	}
	return jv, strings.TrimSuffix(name, "time") + "unixtime", err
}

// encodeElems returns the JSON value of rv; with alt, strings and times
// in their alternate forms. needAlt reports a string or time the
// preferred form cannot carry.
func encodeElems(rv reflect.Value, depth int, alt bool) (jv any, needAlt bool, err error) {
	switch v := rv.Interface().(type) {
	case string:
		if alt {
			return base64.StdEncoding.EncodeToString([]byte(v)), false, nil
		}
		return v, !utf8.ValidString(v), nil
	case time.Time:
		if alt {
			return unixTimeJSON(v), false, unixTimeDepth(depth)
		}
		s, ok := rfc3339(v)
		return s, !ok, nil
	case []byte:
		jv, _, err := encodeValue(v, depth)
		return jv, false, err
	}
	switch rv.Kind() {
	case reflect.Slice:
		if rv.IsNil() {
			return nil, false, nil
		}
		if depth >= MaxFieldDepth {
			return nil, false, errFieldDepth
		}
		l := make([]any, rv.Len())
		for i := range l {
			e, na, err := encodeElems(rv.Index(i), depth+1, alt)
			if err != nil {
				return nil, false, err
			}
			l[i], needAlt = e, needAlt || na
		}
		return l, needAlt, nil
	case reflect.Map:
		if rv.IsNil() {
			return nil, false, nil
		}
		if depth >= MaxFieldDepth {
			return nil, false, errFieldDepth
		}
		m := make(map[string]any, rv.Len())
		for it := rv.MapRange(); it.Next(); {
			k := it.Key().String()
			if !utf8.ValidString(k) {
				return nil, false, fmt.Errorf("map key %q is not valid UTF-8", k)
			}
			e, na, err := encodeElems(it.Value(), depth+1, alt)
			if err != nil {
				return nil, false, err
			}
			m[k], needAlt = e, needAlt || na
		}
		return m, needAlt, nil
	}
	jv, _, err = encodeValue(rv.Interface(), depth)
	return jv, false, err
}

// decodeContainer returns v, a value decoded from JSON, as the typed
// slice or map t whose type name is name.
func decodeContainer(v any, name string, t reflect.Type, depth int) (any, error) {
	if v == nil {
		return reflect.Zero(t).Interface(), nil
	}
	switch t.Kind() {
	case reflect.Slice:
		l, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("type %s wants a JSON array, value is %s", name, jsonKind(v))
		}
		elem := name[len("[]"):]
		out := reflect.MakeSlice(t, len(l), len(l))
		for i, e := range l {
			d, err := decodeValue(e, elem, depth+1)
			if err != nil {
				return nil, fmt.Errorf("element %d: %w", i, err)
			}
			out.Index(i).Set(reflect.ValueOf(d))
		}
		return out.Interface(), nil
	default:
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("type %s wants a JSON object, value is %s", name, jsonKind(v))
		}
		elem := name[len("map[string]"):]
		out := reflect.MakeMapWithSize(t, len(m))
		for k, e := range m {
			d, err := decodeValue(e, elem, depth+1)
			if err != nil {
				return nil, fmt.Errorf("key %q: %w", k, err)
			}
			out.SetMapIndex(reflect.ValueOf(k), reflect.ValueOf(d))
		}
		return out.Interface(), nil
	}
}

// rfc3339 returns t in RFC 3339 with nanoseconds, and whether that form
// parses back to the same instant: it does not for years outside
// 0000–9999 or a zone offset with seconds (local mean time, LMT).
func rfc3339(t time.Time) (string, bool) {
	s := t.Format(time.RFC3339Nano)
	p, err := time.Parse(time.RFC3339Nano, s)
	return s, err == nil && p.Equal(t)
}

// unixTimeJSON returns t as the unixtime form: [seconds since the Unix
// epoch, nanoseconds 0–999999999, zone offset in seconds east of UTC].
func unixTimeJSON(t time.Time) []any {
	_, off := t.Zone()
	return []any{t.Unix(), t.Nanosecond(), off}
}

// maxUnixSeconds is the last second a time.Time holds: Go counts
// seconds from year 1 in an int64.
const maxUnixSeconds = math.MaxInt64 - 62135596800

// unixTimeDepth returns an error if a unixtime array at depth would nest
// deeper than MaxFieldDepth.
func unixTimeDepth(depth int) error {
	if depth >= MaxFieldDepth {
		return errFieldDepth
	}
	return nil
}

// decodeUnixTime returns the time of the unixtime form v.
func decodeUnixTime(v any) (time.Time, error) {
	l, ok := v.([]any)
	if !ok || len(l) != 3 {
		return time.Time{}, fmt.Errorf("type unixtime wants a JSON array of 3 integers, value is %s", jsonKind(v))
	}
	var n [3]int64
	for i, bits := range []int{64, 32, 0} {
		var err error
		if n[i], err = intOfJSON(l[i], bits); err != nil {
			return time.Time{}, fmt.Errorf("unixtime element %d: %w", i, err)
		}
	}
	if n[1] < 0 || n[1] > 999_999_999 {
		return time.Time{}, fmt.Errorf("unixtime nanoseconds %d out of range", n[1])
	}
	if n[0] > maxUnixSeconds {
		return time.Time{}, fmt.Errorf("unixtime seconds %d out of range", n[0])
	}
	t := time.Unix(n[0], n[1])
	if n[2] == 0 {
		return t.UTC(), nil
	}
	return t.In(time.FixedZone("", int(n[2]))), nil
}
