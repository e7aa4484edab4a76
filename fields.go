package errcode

import (
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/cockroachdb/errors/errbase"
	"github.com/cockroachdb/redact"
)

// withFields is the layer [WithFields] makes.
type withFields struct {
	cause     error
	skip      error // below(cause)
	fields    []field
	rawFields []byte // as received from the wire, to encode again unchanged
}

var _ errbase.SafeFormatter = (*withFields)(nil)

func (w *withFields) Error() string { return w.cause.Error() }

func (w *withFields) Cause() error { return w.cause }

func (w *withFields) Unwrap() error { return w.cause }

func (w *withFields) Format(s fmt.State, verb rune) { errbase.FormatError(w, s, verb) }

func (w *withFields) SafeFormatError(p errbase.Printer) error {
	if p.Detail() {
		p.Printf("fields:")
		printFields(p, w.fieldList())
	}
	return w.cause
}

// WithFields returns err with the fields kv attached: log/slog-style
// alternating keys and values, or [slog.Attr] values. The fields are what
// the Python sandbox runner's exception module kept in its context dict. WithFields(nil, ...) returns
// nil; WithFields(err) with no pairs returns err.
//
// Malformed pairs follow log/slog: a key that is not a string (nor an
// Attr) is stored under "!BADKEY" with that value, as is a string left
// without a value. Nothing panics.
//
// A value that contains itself (a map or slice holding itself, pointers
// around a loop), which printing or encoding would follow until the
// program died, is stored as a marker that prints as
// "!CYCLIC(<its type>: not stored)"; Encode and EncodeJSON refuse an
// error holding one, naming the field. The same holds for the fields of
// New and Wrap.
func WithFields(err error, kv ...any) error {
	if err == nil {
		return nil
	}
	fs := makeFields(kv)
	if len(fs) == 0 {
		return err
	}
	return &withFields{cause: err, skip: below(err), fields: fs}
}

// BadKey is the key under which malformed key/value pairs are stored,
// as in log/slog.
const BadKey = "!BADKEY"

type field struct {
	key   string
	value any
	safe  bool // marked with Safe: shown in redacted output and reports
}

// makeFields turns slog-style pairs into fields sorted by key; pairs
// with the same key keep their order, and the last one is the value.
func makeFields(kv []any) []field {
	if len(kv) == 0 {
		return nil
	}
	fs := make([]field, 0, (len(kv)+1)/2)
	for len(kv) > 0 {
		switch k := kv[0].(type) {
		case string:
			if len(kv) == 1 {
				fs = append(fs, newField(BadKey, k))
				kv = kv[1:]
				continue
			}
			fs = append(fs, newField(k, kv[1]))
			kv = kv[2:]
		case slog.Attr:
			if k.Equal(slog.Attr{}) {
				kv = kv[1:]
				continue
			}
			fs = append(fs, newField(k.Key, attrValue(k.Value, 0)))
			kv = kv[1:]
		default:
			fs = append(fs, newField(BadKey, k))
			kv = kv[1:]
		}
	}
	sortFields(fs)
	return fs
}

// Safe marks a field value as safe to report: free of personal or secret
// data. Field values are otherwise redacted in cockroachdb's redacted
// output and Sentry reports; code names, ancestry and retry decisions
// always show. Safe(v) is redact.Safe(v); a value marked with either is
// stored as v itself, so Field[T] and Fields see v, and the mark travels
// on the wire.
//
//	err := errcode.VmConfigError.New("bad vcpu count", "vcpus", errcode.Safe(0))
func Safe(v any) any { return redact.Safe(v) }

// newField returns a field, unwrapping a value marked with Safe; a value
// that contains itself is stored as a marker that says so.
func newField(key string, v any) field {
	switch s := v.(type) {
	case interface{ GetValue() any }:
		if _, ok := v.(redact.SafeValue); ok {
			return field{key: key, value: storedValue(s.GetValue()), safe: true}
		}
	case redact.SafeValue:
		return field{key: key, value: storedValue(v), safe: true}
	}
	return field{key: key, value: storedValue(v)}
}

// attrValue returns a slog.Value as a plain Go value: a group becomes a
// map[string]any.
func attrValue(v slog.Value, depth int) any {
	v = v.Resolve()
	if v.Kind() != slog.KindGroup {
		return v.Any()
	}
	m := make(map[string]any, len(v.Group()))
	for _, a := range v.Group() {
		if depth > 32 {
			m[a.Key] = a.Value.String()
			continue
		}
		m[a.Key] = attrValue(a.Value, depth+1)
	}
	return m
}

// layerFields returns the fields of one layer of a chain.
func layerFields(err error) []field {
	switch e := err.(type) {
	case *codedErr:
		return e.fieldList()
	case *withFields:
		return e.fieldList()
	}
	return nil
}

// fieldList returns the layer's fields: those it was made with, or for a
// layer decoded from the wire, those of its payload.
func (e *codedErr) fieldList() []field { return fieldsOf(e.fields, e.raw()) }

// fieldList returns the layer's fields, as codedErr.fieldList does.
func (w *withFields) fieldList() []field { return fieldsOf(w.fields, w.rawFields) }

// fieldsOf returns fs, the fields of a layer made in this process, or
// the fields of raw, the payload of a layer decoded from the wire,
// decoded anew on each call. The decoded values are not cached: the
// layer would then keep them alive, many times the size of raw, for as
// long as it lives, and a cache read by concurrent callers needs a lock
// or an atomic besides.
func fieldsOf(fs []field, raw []byte) []field {
	if raw == nil || fs != nil {
		return fs
	}
	dfs, err := decodeFieldsPayload(raw)
	if err != nil {
		return nil // Decode checked raw with the same rules: not reached
	}
	return dfs
}

// lookupField returns the last value of key among fs.
func lookupField(fs []field, key string) (any, bool) {
	i, ok := slices.BinarySearchFunc(fs, key, func(f field, k string) int { return strings.Compare(f.key, k) })
	if !ok {
		return nil, false
	}
	for i+1 < len(fs) && fs[i+1].key == key {
		i++
	}
	return fs[i].value, true
}

// Fields returns every field in err's chain merged into one map, the
// value of an outer layer winning over an inner one's (and, within one
// layer, the last pair with a key winning). It returns nil when there are
// none.
func Fields(err error) map[string]any { return mergeFields(err, false) }

// SafeFields returns the fields of err's chain marked with [Safe], merged
// as [Fields] merges them: Fields of [Public](err), without redacting
// anything else. An unmarked value is left out, and so gives way to a
// Safe value of the same key further in. It returns nil when there are
// none.
func SafeFields(err error) map[string]any { return mergeFields(err, true) }

func mergeFields(err error, safeOnly bool) map[string]any {
	var m map[string]any
	walk(err, func(l error) bool {
		fs := layerFields(l)
		for i := len(fs) - 1; i >= 0; i-- {
			if safeOnly && !fs[i].safe {
				continue
			}
			if m == nil {
				m = make(map[string]any)
			}
			if _, seen := m[fs[i].key]; !seen {
				m[fs[i].key] = fs[i].value
			}
		}
		return false
	})
	return m
}

// Field returns the value of the field key in err's chain (the outermost
// layer that has it decides) if it holds a T, or a number that converts
// to T exactly. It returns false when no layer has the field, or its
// value is neither.
//
// Numbers convert between the built-in integer and floating-point types
// (int, int8 … uint64, float32, float64) when the value fits exactly, so
// Field reads what was stored whichever width stored it:
//
//	err := errcode.VmConfigError.New("bad", slog.Int("vcpus", 4)) // stores int64(4)
//	errcode.Field[int](err, "vcpus")     // 4, true
//	errcode.Field[float64](err, "vcpus") // 4.0, true
//	errcode.Field[int8](err, "vcpus")    // 4, true
//	errcode.Field[string](err, "vcpus")  // "", false
//
//	big := errcode.WithFields(err, "vcpus", 300)
//	errcode.Field[uint8](big, "vcpus")   // 0, false: 300 does not fit
//
// Named types do not convert: a time.Duration is read as a time.Duration,
// never as an int64, and an int64 never as a time.Duration.
func Field[T any](err error, key string) (T, bool) {
	var v any
	var found bool
	walk(err, func(l error) bool {
		v, found = lookupField(layerFields(l), key)
		return found
	})
	if !found {
		var zero T
		return zero, false
	}
	if t, ok := v.(T); ok {
		return t, true
	}
	return convertNumber[T](v)
}

// number is a value of a built-in numeric type: an int64 when signed, a
// uint64 when unsigned, else a float64.
type number struct {
	kind byte // 's', 'u' or 'f'
	s    int64
	u    uint64
	f    float64
}

// numberOf returns v as a number if its type is one of the built-in
// integer or floating-point types (not a named type such as
// time.Duration).
func numberOf(v any) (number, bool) {
	switch v := v.(type) {
	case int:
		return number{kind: 's', s: int64(v)}, true
	case int8:
		return number{kind: 's', s: int64(v)}, true
	case int16:
		return number{kind: 's', s: int64(v)}, true
	case int32:
		return number{kind: 's', s: int64(v)}, true
	case int64:
		return number{kind: 's', s: v}, true
	case uint:
		return number{kind: 'u', u: uint64(v)}, true
	case uint8:
		return number{kind: 'u', u: uint64(v)}, true
	case uint16:
		return number{kind: 'u', u: uint64(v)}, true
	case uint32:
		return number{kind: 'u', u: uint64(v)}, true
	case uint64:
		return number{kind: 'u', u: v}, true
	case uintptr:
		return number{kind: 'u', u: uint64(v)}, true
	case float32:
		return number{kind: 'f', f: float64(v)}, true
	case float64:
		return number{kind: 'f', f: v}, true
	}
	return number{}, false
}

// toInt returns n as a signed integer of the given width, if it is one.
func (n number) toInt(bits int) (int64, bool) {
	lo, hi := -math.Ldexp(1, bits-1), math.Ldexp(1, bits-1) // [lo, hi)
	switch n.kind {
	case 's':
		return n.s, bits == 64 || (n.s >= int64(lo) && n.s < int64(hi))
	case 'u':
		return int64(n.u), n.u < uint64(hi)
	}
	if n.f != math.Trunc(n.f) || n.f < lo || n.f >= hi {
		return 0, false
	}
	return int64(n.f), true
}

// toUint returns n as an unsigned integer of the given width, if it is
// one.
func (n number) toUint(bits int) (uint64, bool) {
	hi := math.Ldexp(1, bits) // [0, hi)
	switch n.kind {
	case 's':
		return uint64(n.s), n.s >= 0 && (bits == 64 || uint64(n.s) < uint64(hi))
	case 'u':
		return n.u, bits == 64 || n.u < uint64(hi)
	}
	if n.f != math.Trunc(n.f) || n.f < 0 || n.f >= hi {
		return 0, false
	}
	return uint64(n.f), true
}

// toFloat returns n as a float of the given width, if it is exactly one.
func (n number) toFloat(bits int) (float64, bool) {
	f := n.f
	switch n.kind {
	case 's':
		f = float64(n.s)
		if f >= math.Ldexp(1, 63) || int64(f) != n.s {
			return 0, false
		}
	case 'u':
		f = float64(n.u)
		if f >= math.Ldexp(1, 64) || uint64(f) != n.u {
			return 0, false
		}
	}
	if bits == 32 && float64(float32(f)) != f && !math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// convertNumber returns v as a T when v is a number of a built-in type, T
// is a built-in numeric type, and the value fits T exactly; else the zero
// T and false.
func convertNumber[T any](v any) (T, bool) {
	var t T
	n, ok := numberOf(v)
	if !ok {
		return t, false
	}
	var (
		i int64
		u uint64
		f float64
	)
	switch p := any(&t).(type) {
	case *int:
		i, ok = n.toInt(strconv.IntSize)
		*p = int(i)
	case *int8:
		i, ok = n.toInt(8)
		*p = int8(i)
	case *int16:
		i, ok = n.toInt(16)
		*p = int16(i)
	case *int32:
		i, ok = n.toInt(32)
		*p = int32(i)
	case *int64:
		*p, ok = n.toInt(64)
	case *uint:
		u, ok = n.toUint(strconv.IntSize)
		*p = uint(u)
	case *uint8:
		u, ok = n.toUint(8)
		*p = uint8(u)
	case *uint16:
		u, ok = n.toUint(16)
		*p = uint16(u)
	case *uint32:
		u, ok = n.toUint(32)
		*p = uint32(u)
	case *uint64:
		*p, ok = n.toUint(64)
	case *uintptr:
		u, ok = n.toUint(strconv.IntSize)
		*p = uintptr(u)
	case *float32:
		f, ok = n.toFloat(32)
		*p = float32(f)
	case *float64:
		*p, ok = n.toFloat(64)
	default:
		ok = false
	}
	if !ok {
		var zero T
		return zero, false
	}
	return t, true
}

func sortFields(fs []field) {
	slices.SortStableFunc(fs, func(a, b field) int { return strings.Compare(a.key, b.key) })
}

// printFields prints fields for %+v: values are unsafe unless marked Safe.
func printFields(p errbase.Printer, fs []field) {
	for _, f := range fs {
		if f.safe {
			p.Printf("\n%s: %v", redact.Safe(f.key), redact.Safe(f.value))
		} else {
			p.Printf("\n%s: %v", redact.Safe(f.key), f.value)
		}
	}
}
