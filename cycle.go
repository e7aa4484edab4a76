package errcode

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
)

// cyclicValue is what New, Wrap and WithFields store in place of a field
// value that contains itself (a map holding itself, a slice holding
// itself, pointers around a loop) or nests deeper than maxValueNesting:
// printing such a value, logging it or encoding it would recurse until
// the program dies. Encode and EncodeJSON refuse an error holding one.
type cyclicValue struct {
	typ string // the value's Go type
}

// maxValueNesting bounds how deep storedValue looks into a field value.
const maxValueNesting = 1 << 12

func (c cyclicValue) String() string {
	return fmt.Sprintf("!CYCLIC(%s: not stored)", c.typ)
}

// storedValue returns v, or a cyclicValue when v contains itself.
func storedValue(v any) any {
	switch v.(type) {
	case nil, string, bool, int, int64, uint64, float64:
		return v
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Map, reflect.Slice, reflect.Pointer, reflect.Interface, reflect.Struct, reflect.Array:
	default:
		return v
	}
	w := cycleWalk{state: map[cycleKey]bool{}}
	if !w.acyclic(rv, 0) {
		return cyclicValue{typ: rv.Type().String()}
	}
	return v
}

// cycleKey identifies what a map, slice or pointer refers to.
type cycleKey struct {
	typ reflect.Type
	ptr uintptr
	len int
}

// cycleWalk is a depth-first walk that tells a loop (a reference met
// again while it is still being walked) from sharing (met again once
// walked), so a value that shares much is still walked once.
type cycleWalk struct {
	state map[cycleKey]bool // true: being walked; false: done
}

// selfFormatting lists the interfaces through which a value prints or
// marshals itself: fmt, slog and encoding/json do not walk into such a
// value, and neither does the cycle walk, so a type such as Code, whose
// internals point back at each other, is stored as it is.
var selfFormatting = []reflect.Type{
	reflect.TypeFor[fmt.Stringer](),
	reflect.TypeFor[fmt.Formatter](),
	reflect.TypeFor[error](),
	reflect.TypeFor[json.Marshaler](),
	reflect.TypeFor[encoding.TextMarshaler](),
}

func (w *cycleWalk) acyclic(v reflect.Value, depth int) bool {
	if depth > maxValueNesting {
		return false
	}
	if v.Kind() != reflect.Interface {
		for _, i := range selfFormatting {
			if v.Type().Implements(i) {
				return true
			}
		}
	}
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			return true
		}
		return w.acyclic(v.Elem(), depth+1)
	case reflect.Struct:
		for i := range v.NumField() {
			if !w.acyclic(v.Field(i), depth+1) {
				return false
			}
		}
		return true
	case reflect.Array:
		for i := range v.Len() {
			if !w.acyclic(v.Index(i), depth+1) {
				return false
			}
		}
		return true
	case reflect.Map, reflect.Slice, reflect.Pointer:
	default:
		return true
	}
	if v.IsNil() {
		return true
	}
	k := cycleKey{typ: v.Type(), ptr: v.Pointer()}
	if v.Kind() == reflect.Slice {
		k.len = v.Len()
	}
	if walking, seen := w.state[k]; seen {
		return !walking
	}
	w.state[k] = true
	ok := true
	switch v.Kind() {
	case reflect.Pointer:
		ok = w.acyclic(v.Elem(), depth+1)
	case reflect.Slice:
		for i := 0; ok && i < v.Len(); i++ {
			ok = w.acyclic(v.Index(i), depth+1)
		}
	case reflect.Map:
		for it := v.MapRange(); ok && it.Next(); {
			ok = w.acyclic(it.Key(), depth+1) && w.acyclic(it.Value(), depth+1)
		}
	}
	w.state[k] = false
	return ok
}
