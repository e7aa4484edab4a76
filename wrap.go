package errcode

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/cockroachdb/errors/errbase"
	"github.com/cockroachdb/redact"
	pkgerrors "github.com/pkg/errors"
	"google.golang.org/grpc/codes"
)

// codedErr is the layer that [Code.New] and [Code.Wrap] make: a leaf when
// cause is nil, a wrapper otherwise.
type codedErr struct {
	code   *code
	msg    string
	cause  error
	skip   error   // below(cause): the next layer a query needs to see
	fields []field // sorted by key, stable: see makeFields

	// stack holds the program counters of the caller of New or Wrap; nil
	// for a Stackless code and for a layer decoded from the wire, whose
	// sender's stack is in wire, formatted.
	stack []uintptr

	// full caches Error() of a wrapper: messages are built once.
	full atomic.Pointer[string]

	// wire holds, for a layer decoded from the wire, the safe details it
	// came with, so that it encodes again to the same bytes; rawFields the
	// fields payload as received.
	wire      []string
	rawFields []byte
}

var (
	_ error                 = (*codedErr)(nil)
	_ fmt.Formatter         = (*codedErr)(nil)
	_ errbase.SafeFormatter = (*codedErr)(nil)
	_ errbase.SafeDetailer  = (*codedErr)(nil)
	_ slog.LogValuer        = (*codedErr)(nil)
)

func (e *codedErr) Error() string {
	if e.cause == nil {
		return e.msg
	}
	if p := e.full.Load(); p != nil {
		return *p
	}
	s := e.cause.Error()
	if e.msg != "" {
		s = e.msg + ": " + s
	}
	e.full.Store(&s)
	return s
}

func (e *codedErr) Cause() error  { return e.cause }
func (e *codedErr) Unwrap() error { return e.cause }

// Is reports whether target is a Code that the layer's code is or
// descends from, for errors.Is.
func (e *codedErr) Is(target error) bool {
	t, ok := target.(Code)
	return ok && Code{e.code}.IsA(t)
}

// SafeDetails returns the code's name, retry decision and ancestors, and
// the stack trace: the layer's safe details on the wire and in
// cockroachdb's reports.
func (e *codedErr) SafeDetails() []string {
	if e.wire != nil {
		return e.wire
	}
	d := codeDetails(e.code)
	if e.stack != nil {
		d = append(d, detailStack+formatStack(e.stack))
	}
	return d
}

// formatStack returns the stack as pkg/errors' and cockroachdb's %+v
// print it — "\nfunction\n\tfile:line" for each frame — with one symbol
// lookup per frame instead of their three.
func formatStack(pcs []uintptr) string {
	var b strings.Builder
	b.Grow(len(pcs) * 96)
	for _, pc := range pcs {
		b.WriteByte('\n')
		fn := runtime.FuncForPC(pc - 1)
		if fn == nil {
			b.WriteString("unknown\n\tunknown:0")
			continue
		}
		file, line := fn.FileLine(pc - 1)
		b.WriteString(fn.Name())
		b.WriteString("\n\t")
		b.WriteString(file)
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(line))
	}
	return b.String()
}

// StackTrace returns the stack of the caller of New or Wrap, for
// cockroachdb's %+v and Sentry reports; nil for a stackless or decoded
// layer.
func (e *codedErr) StackTrace() errbase.StackTrace {
	if e.stack == nil {
		return nil
	}
	st := make(errbase.StackTrace, len(e.stack))
	for i, pc := range e.stack {
		st[i] = pkgerrors.Frame(pc)
	}
	return st
}

// remoteStack returns the sender's stack trace of a layer decoded from
// the wire, as the sender formatted it.
func (e *codedErr) remoteStack() string {
	for _, d := range e.wire {
		if s, ok := strings.CutPrefix(d, detailStack); ok {
			return s
		}
	}
	return ""
}

func (e *codedErr) Format(s fmt.State, verb rune) { errbase.FormatError(e, s, verb) }

func (e *codedErr) SafeFormatError(p errbase.Printer) error {
	if e.msg != "" {
		p.Print(e.msg)
	}
	if p.Detail() {
		printCode(p, e.code)
		printFields(p, e.fields)
		if st := e.remoteStack(); st != "" {
			p.Printf("\n-- stack trace (sender's):%s", redact.Safe(strings.ReplaceAll(st, "\n", "\n  | ")))
		}
	}
	return e.cause
}

func printCode(p errbase.Printer, c *code) {
	if c == nil {
		return
	}
	p.Printf("errcode: %s", redact.Safe(c.name))
	if c.reg == nil {
		if k := c.known(); k != nil {
			p.Printf(" (not in this registry; nearest known ancestor %s)", redact.Safe(k.name))
		} else {
			p.Printf(" (not in this registry)")
		}
	}
	if c.depth > 0 || len(c.wire) > 0 {
		p.Printf("\nancestors: %s", redact.Safe(strings.Join(ancestorNames(c), " ")))
	}
	p.Printf("\nretry: %s", redact.Safe(c.retry.String()))
}

func printFields(p errbase.Printer, fs []field) {
	for _, f := range fs {
		if f.safe {
			p.Printf("\n%s: %v", redact.Safe(f.key), redact.Safe(f.value))
		} else {
			p.Printf("\n%s: %v", redact.Safe(f.key), f.value)
		}
	}
}

// ancestorNames returns the names of c's ancestors, parent first: the
// sender's names for a code only known from the wire.
func ancestorNames(c *code) []string {
	if c.reg == nil {
		return c.wire
	}
	out := make([]string, 0, c.depth)
	for i := c.depth - 1; i >= 0; i-- {
		out = append(out, c.path[i].name)
	}
	return out
}

// New returns an error with code c and message msg, and a stack trace
// unless c is [Stackless]. kv are log/slog-style key/value pairs stored as
// fields (see [WithFields]). Error() returns msg.
func (c Code) New(msg string, kv ...any) error {
	return c.withStack(&codedErr{code: c.c, msg: msg, fields: makeFields(kv)})
}

// Newf returns an error with code c and the message fmt.Sprintf(format,
// args...), and a stack trace unless c is [Stackless].
func (c Code) Newf(format string, args ...any) error {
	return c.withStack(&codedErr{code: c.c, msg: fmt.Sprintf(format, args...)})
}

// Wrap returns an error with code c that wraps err, with message msg and
// fields kv, and a stack trace unless c is [Stackless]. Its Error() reads
// "msg: " followed by err's message (just err's message when msg is "").
// Wrap(nil, ...) returns nil.
func (c Code) Wrap(err error, msg string, kv ...any) error {
	if err == nil {
		return nil
	}
	return c.withStack(&codedErr{code: c.c, msg: msg, cause: err, skip: below(err), fields: makeFields(kv)})
}

// Wrapf is like [Code.Wrap] with the message fmt.Sprintf(format, args...).
// Wrapf(nil, ...) returns nil.
func (c Code) Wrapf(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return c.withStack(&codedErr{code: c.c, msg: fmt.Sprintf(format, args...), cause: err, skip: below(err)})
}

// stackDepth is the most frames a coded layer records, as in
// cockroachdb's withStack.
const stackDepth = 32

// withStack records in e the stack of the user of New or Wrap (the
// caller of withStack's caller) unless c is Stackless.
func (c Code) withStack(e *codedErr) error {
	if c.c != nil && c.c.spec.stackless {
		return e
	}
	var pcs [stackDepth]uintptr
	n := runtime.Callers(3, pcs[:])
	e.stack = append([]uintptr(nil), pcs[:n]...)
	return e
}

// withRetry is the layer [WithRetry] makes.
type withRetry struct {
	cause error
	skip  error // below(cause)
	retry Retry
}

var (
	_ errbase.SafeFormatter = (*withRetry)(nil)
	_ errbase.SafeDetailer  = (*withRetry)(nil)
)

func (w *withRetry) Error() string                 { return w.cause.Error() }
func (w *withRetry) Cause() error                  { return w.cause }
func (w *withRetry) Unwrap() error                 { return w.cause }
func (w *withRetry) SafeDetails() []string         { return []string{detailRetry + w.retry.String()} }
func (w *withRetry) Format(s fmt.State, verb rune) { errbase.FormatError(w, s, verb) }

func (w *withRetry) SafeFormatError(p errbase.Printer) error {
	if p.Detail() {
		p.Printf("retry override: %s", redact.Safe(w.retry.String()))
	}
	return w.cause
}

// WithRetry returns err with its retry decision overridden to r: the
// outermost override decides [RetryOf] (see the precedence rule in the
// package documentation). WithRetry(nil, r) returns nil; an override of
// [Unspecified] decides nothing and defers to what it wraps.
func WithRetry(err error, r Retry) error {
	if err == nil {
		return nil
	}
	if !r.valid() {
		r = Unspecified
	}
	return &withRetry{cause: err, skip: below(err), retry: r}
}

// withFields is the layer [WithFields] makes.
type withFields struct {
	cause     error
	skip      error // below(cause)
	fields    []field
	rawFields []byte // as received from the wire, to encode again unchanged
}

var _ errbase.SafeFormatter = (*withFields)(nil)

func (w *withFields) Error() string                 { return w.cause.Error() }
func (w *withFields) Cause() error                  { return w.cause }
func (w *withFields) Unwrap() error                 { return w.cause }
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

// walk calls f on err and every error in its tree, depth first (an
// outer layer before what it wraps, a multi-cause error's first branch
// first), until f returns true. It reports whether f did.
func walk(err error, f func(error) bool) bool {
	for err != nil {
		if f(err) {
			return true
		}
		next, causes := unwrap(err)
		for _, c := range causes {
			if walk(c, f) {
				return true
			}
		}
		err = next
	}
	return false
}

// unwrap returns what one layer wraps, as far as the queries are
// concerned: its cause, or its causes when it has several (then cause is
// nil). It asks cockroachdb's way (Unwrap() []error, then Cause(), then
// Unwrap()), with errcode's own layers first: a concrete type check is
// cheaper than an interface one, and they skip straight to the next layer
// a query needs (see below).
func unwrap(err error) (cause error, causes []error) {
	switch e := err.(type) {
	case *codedErr:
		return e.skip, nil
	case *withFields:
		return e.skip, nil
	case *withRetry:
		return e.skip, nil
	case *withRetryAfter:
		return e.skip, nil
	case Code:
		return nil, nil
	case interface{ Unwrap() []error }:
		return nil, e.Unwrap()
	case interface{ Cause() error }:
		return e.Cause(), nil
	case interface{ Unwrap() error }:
		return e.Unwrap(), nil
	}
	return nil, nil
}

// below returns the first layer of err's chain, err itself included, that
// a query needs to see: one of errcode's layers, a Code, or a multi-cause
// error; nil when there is none. Every query looks only at those, so an
// errcode layer keeps below(cause) and the walk skips the layers between,
// which are fixed once made.
func below(err error) error {
	for err != nil {
		switch err.(type) {
		case *codedErr, *withFields, *withRetry, *withRetryAfter, Code:
			return err
		}
		next, causes := unwrap(err)
		if causes != nil {
			return err
		}
		err = next
	}
	return nil
}

// layerCode returns the code of one layer of a chain: that of a coded
// layer or of a bare Code; nil for any other layer.
func layerCode(err error) *code {
	switch e := err.(type) {
	case *codedErr:
		return e.code
	case Code:
		return e.c
	}
	return nil
}

// Is reports whether any error in err's tree carries c or a descendant of
// c. It gives the same answer as errors.Is(err, c) without allocating. Is
// returns false when err is nil or c is zero.
func Is(err error, c Code) bool {
	if c.c == nil {
		return false
	}
	return is(err, c)
}

// is is Is without the closure of walk: the hottest query gets the
// tightest loop.
func is(err error, c Code) bool {
	for err != nil {
		switch e := err.(type) {
		case *codedErr:
			if (Code{e.code}).IsA(c) {
				return true
			}
		case Code:
			if e.IsA(c) {
				return true
			}
		}
		next, causes := unwrap(err)
		for _, b := range causes {
			if is(b, c) {
				return true
			}
		}
		err = next
	}
	return false
}

// CodeOf returns the outermost code in err's tree (depth first, first
// branch first), or the zero Code if there is none. For an error decoded
// from a peer whose code this process's registry lacks, it returns the
// nearest ancestor the registry knows; see [NameOf].
func CodeOf(err error) Code {
	var k *code
	walk(err, func(l error) bool {
		k = layerCode(l).known()
		return k != nil
	})
	return Code{k}
}

// NameOf returns the name of the outermost code in err's tree as its
// sender named it — also when this process's registry lacks the code —
// or "" if there is none.
func NameOf(err error) string {
	k, _ := outermost(err)
	return Code{k}.Name()
}

// AncestorNamesOf returns the ancestor names, parent first, of the
// outermost code in err's tree, as its sender named them: for a code this
// process's registry lacks, the ancestry that came with it on the wire.
// It returns nil when err has no code or the code is a root.
func AncestorNamesOf(err error) []string {
	k, layer := outermost(err)
	if k == nil {
		return nil
	}
	if layer != nil && layer.wire != nil {
		if w, err := parseDetails(layer.wire); err == nil {
			return w.ancestors
		}
	}
	return ancestorNames(k)
}

// outermost returns the outermost code in err's tree, and the coded
// layer that carries it (nil when it is a bare Code).
func outermost(err error) (k *code, layer *codedErr) {
	walk(err, func(l error) bool {
		k = layerCode(l)
		layer, _ = l.(*codedErr)
		return k != nil
	})
	return k, layer
}

// Match is for dispatch in handlers. It takes the outermost code in err
// that is or descends from any of the candidates, and returns the
// candidate nearest to it (the deepest; a tie goes to the earlier
// candidate). With candidates SandboxError, TransientError and
// VmCapacityError, a VmCapacityError matches VmCapacityError and a
// VmBootTimeoutError matches TransientError. It returns false when no
// code in err descends from a candidate.
func Match(err error, candidates ...Code) (Code, bool) {
	best := match(err, candidates)
	return best, best.c != nil
}

// match is Match's walk, without walk's closure.
func match(err error, candidates []Code) Code {
	for err != nil {
		if k := (Code{layerCode(err)}); k.c != nil {
			var best Code
			for _, c := range candidates {
				if k.IsA(c) && (best.c == nil || c.c.depth > best.c.depth) {
					best = c
				}
			}
			if best.c != nil {
				return best
			}
		}
		next, causes := unwrap(err)
		for _, b := range causes {
			if best := match(b, candidates); best.c != nil {
				return best
			}
		}
		err = next
	}
	return Code{}
}

// RetryOf returns the retry decision for err:
//
//  1. Walk from the outermost layer inward. The first layer that decides,
//     decides: a [WithRetry] override, or a coded layer whose code's
//     Retry() is not Unspecified.
//  2. A coded layer whose code is Unspecified defers to what it wraps.
//  3. A multi-cause layer decides Permanent if any branch is Permanent,
//     else Transient if any branch is Transient, else it defers.
//  4. No deciding layer: Unspecified.
func RetryOf(err error) Retry {
	for err != nil {
		var r Retry
		switch e := err.(type) {
		case *withRetry:
			r = e.retry
		case *codedErr:
			if e.code != nil {
				r = e.code.retry
			}
		case Code:
			r = e.Retry()
		}
		if r != Unspecified {
			return r
		}
		next, causes := unwrap(err)
		if causes != nil {
			for _, c := range causes {
				switch RetryOf(c) {
				case Permanent:
					return Permanent
				case Transient:
					r = Transient
				}
			}
			return r
		}
		err = next
	}
	return Unspecified
}

// IsRetryable reports whether [RetryOf](err) is [Transient].
func IsRetryable(err error) bool { return RetryOf(err) == Transient }

// GRPCCodeOf returns the gRPC status code of the outermost code in err's
// tree that maps to one (see [GRPCCode]), or codes.Unknown when none
// does; codes.OK for a nil err. It does not allocate.
func GRPCCodeOf(err error) codes.Code {
	if err == nil {
		return codes.OK
	}
	g := codes.Unknown
	walk(err, func(l error) bool {
		if k := layerCode(l); k != nil && k.hasGRPC {
			g = k.grpc
			return true
		}
		return false
	})
	return g
}

// HTTPStatusOf returns the HTTP status of the outermost code in err's
// tree that maps to one (see [HTTPStatus]), or 500 when none does; 200
// for a nil err. It does not allocate.
func HTTPStatusOf(err error) int {
	if err == nil {
		return http.StatusOK
	}
	s := http.StatusInternalServerError
	walk(err, func(l error) bool {
		if k := layerCode(l); k != nil && k.http != 0 {
			s = k.http
			return true
		}
		return false
	})
	return s
}

// withRetryAfter is the layer [WithRetryAfter] makes.
type withRetryAfter struct {
	cause error
	skip  error // below(cause)
	after time.Duration
}

var (
	_ errbase.SafeFormatter = (*withRetryAfter)(nil)
	_ errbase.SafeDetailer  = (*withRetryAfter)(nil)
)

func (w *withRetryAfter) Error() string                 { return w.cause.Error() }
func (w *withRetryAfter) Cause() error                  { return w.cause }
func (w *withRetryAfter) Unwrap() error                 { return w.cause }
func (w *withRetryAfter) SafeDetails() []string         { return []string{detailRetryAfter + w.after.String()} }
func (w *withRetryAfter) Format(s fmt.State, verb rune) { errbase.FormatError(w, s, verb) }

func (w *withRetryAfter) SafeFormatError(p errbase.Printer) error {
	if p.Detail() {
		p.Printf("retry after: %s", redact.Safe(w.after.String()))
	}
	return w.cause
}

// WithRetryAfter returns err with a hint that a retry should wait at
// least d; it overrides the hint of err's codes (see [RetryAfter]).
// WithRetryAfter(nil, d) returns nil; a negative d counts as 0.
func WithRetryAfter(err error, d time.Duration) error {
	if err == nil {
		return nil
	}
	return &withRetryAfter{cause: err, skip: below(err), after: max(d, 0)}
}

// RetryAfterOf returns the minimum wait before retrying err: that of the
// outermost [WithRetryAfter] layer or coded layer whose code has a
// [RetryAfter] hint, or 0 when there is none.
func RetryAfterOf(err error) time.Duration {
	var d time.Duration
	walk(err, func(l error) bool {
		switch e := l.(type) {
		case *withRetryAfter:
			d = e.after
			return true
		}
		if k := layerCode(l); k != nil && k.retryAfter > 0 {
			d = k.retryAfter
			return true
		}
		return false
	})
	return d
}
