package errcode

import (
	"fmt"
	"log/slog"
	"slices"
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
		printFields(p, w.fields)
	}
	return w.cause
}

// WithFields returns err with the fields kv attached: log/slog-style
// alternating keys and values, or [slog.Attr] values. The fields are what
// the seed module kept in its context dict. WithFields(nil, ...) returns
// nil; WithFields(err) with no pairs returns err.
//
// Malformed pairs follow log/slog: a key that is not a string (nor an
// Attr) is stored under "!BADKEY" with that value, as is a string left
// without a value. Nothing panics.
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

// newField returns a field, unwrapping a value marked with Safe.
func newField(key string, v any) field {
	switch s := v.(type) {
	case interface{ GetValue() any }:
		if _, ok := v.(redact.SafeValue); ok {
			return field{key: key, value: s.GetValue(), safe: true}
		}
	case redact.SafeValue:
		return field{key: key, value: v, safe: true}
	}
	return field{key: key, value: v}
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
		return e.fields
	case *withFields:
		return e.fields
	}
	return nil
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
func Fields(err error) map[string]any {
	var m map[string]any
	walk(err, func(l error) bool {
		fs := layerFields(l)
		for i := len(fs) - 1; i >= 0; i-- {
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
// layer that has it decides) if it holds a T. It returns false when no
// layer has the field or its value is not a T.
func Field[T any](err error, key string) (T, bool) {
	var v any
	var found bool
	walk(err, func(l error) bool {
		v, found = lookupField(layerFields(l), key)
		return found
	})
	t, ok := v.(T)
	return t, found && ok
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
