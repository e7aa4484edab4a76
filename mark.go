package errcode

import (
	"errors"
	"fmt"
	"reflect"

	"github.com/cockroachdb/errors/errbase"
	"github.com/cockroachdb/errors/errorspb"
	"github.com/cockroachdb/errors/markers"
)

// cockroachdb's errors.Mark(err, c) gives err the identity of c: it wraps
// err in an unexported layer, markers.withMark, that holds c's message
// and type mark. The queries read a mark of a Code as that code: its
// message is the code's name, which they look up in a registry.
//
// The layer's fields are read with reflect: the field indices are found
// once, here, and reading an unexported string or slice field through
// reflect.Value neither allocates nor panics (only Interface would). If
// a new version of cockroachdb/errors changes the layout, markLayout.err
// says what moved and marks are ignored; TestMarkLayout fails loudly.

// markLayout is where a withMark layer keeps its mark, found at init and
// never changed.
var markLayout = findMarkLayout()

// codeTypeMark is the type mark of a Code: what a mark of a Code carries.
var codeTypeMark = errbase.GetTypeMark(Code{})

type markFields struct {
	typ    reflect.Type // *markers.withMark; nil when err is not nil
	mark   int          // withMark.mark, an errorMark
	msg    int          // errorMark.msg, a string
	types  int          // errorMark.types, a []errorspb.ErrorTypeMark
	family int          // ErrorTypeMark.FamilyName
	ext    int          // ErrorTypeMark.Extension
	err    error        // why the layout was not understood; nil if it was
}

// findMarkLayout returns the layout, or one with a nil typ and the
// reason in err when the layout is not the one expected.
func findMarkLayout() markFields {
	m := findMarkFields()
	if m.err != nil {
		m.typ = nil
	}
	return m
}

func findMarkFields() markFields {
	m := markFields{typ: reflect.TypeOf(markers.Mark(errors.New(""), Code{}))}
	field := func(t reflect.Type, name string, kind reflect.Kind) int {
		if m.err != nil {
			return -1
		}
		if t.Kind() != reflect.Struct {
			m.err = fmt.Errorf("errcode: cockroachdb's mark layer %v: %v is not a struct", m.typ, t)
			return -1
		}
		f, ok := t.FieldByName(name)
		if !ok || len(f.Index) != 1 || f.Type.Kind() != kind {
			m.err = fmt.Errorf("errcode: cockroachdb's mark layer %v: %v has no %s field of kind %v", m.typ, t, name, kind)
			return -1
		}
		return f.Index[0]
	}
	if m.typ == nil || m.typ.Kind() != reflect.Pointer {
		m.err = fmt.Errorf("errcode: cockroachdb's mark layer is %v, not a pointer", m.typ)
		return m
	}
	wm := m.typ.Elem()
	m.mark = field(wm, "mark", reflect.Struct)
	if m.err != nil {
		return m
	}
	em := wm.Field(m.mark).Type
	m.msg = field(em, "msg", reflect.String)
	m.types = field(em, "types", reflect.Slice)
	if m.err != nil {
		return m
	}
	tm := em.Field(m.types).Type.Elem()
	if tm != reflect.TypeOf(errorspb.ErrorTypeMark{}) {
		m.err = fmt.Errorf("errcode: cockroachdb's mark layer %v: its types are %v, not errorspb.ErrorTypeMark", m.typ, tm)
		return m
	}
	m.family = field(tm, "FamilyName", reflect.String)
	m.ext = field(tm, "Extension", reflect.String)
	return m
}

// markName returns the code name that err carries if err is a mark of a
// Code (made by cockroachdb's errors.Mark(x, c) with a Code c, live or
// decoded): the mark's message, when its type mark is exactly that of a
// Code. It does not allocate.
func markName(err error) (string, bool) {
	m := &markLayout
	if reflect.TypeOf(err) != m.typ || m.typ == nil {
		return "", false
	}
	mark := reflect.ValueOf(err).Elem().Field(m.mark)
	types := mark.Field(m.types)
	if types.Len() != 1 {
		return "", false
	}
	t := types.Index(0)
	if t.Field(m.family).String() != codeTypeMark.FamilyName || t.Field(m.ext).String() != codeTypeMark.Extension {
		return "", false
	}
	return mark.Field(m.msg).String(), true
}

// isMark reports whether err is a mark layer, of a Code or not.
func isMark(err error) bool {
	return reflect.TypeOf(err) == markLayout.typ && err != nil
}

// markCode returns the code of r that err marks err with, or nil when err
// is not a mark of a Code, r is nil or r lacks the name.
func markCode(err error, r *Registry) *code {
	name, ok := markName(err)
	if !ok {
		return nil
	}
	return registered(r, name)
}

// registered returns the code r has under name (an alias included), or
// nil, also for a nil r. It does not allocate.
func registered(r *Registry, name string) *code {
	if r == nil {
		return nil
	}
	v, ok := r.byName.Load(name)
	if !ok {
		return nil
	}
	return v.(*code)
}
