package errcode

import (
	"fmt"
	"log/slog"
	"runtime"
	"strconv"
	"strings"

	"github.com/cockroachdb/errors/errbase"
	"github.com/cockroachdb/redact"
	pkgerrors "github.com/pkg/errors"
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

	// redactable is the message as cockroachdb's redact writes it, its
	// unsafe parts between redaction markers, for redacted output; Error()
	// reads msg. nil when msg is a safe literal (New, Wrap, or a decoded
	// layer whose sender said so); msgUnsafe when msg is unsafe as a whole
	// (decoded from a sender that said nothing about its safety). A
	// pointer, so that the layer New makes stays in its allocation size
	// class.
	redactable *redact.RedactableString

	// wire holds, for a layer decoded from the wire, what it came with
	// (see wireLayer); nil for a layer made in this process. A pointer, so
	// that a decoded layer fits a smaller allocation size class and layers
	// that came with the same details share them.
	wire *wireLayer

	// sentAfter holds, for the layer of a JSON document whose code's own
	// retry-after hint its top-level "retry_after" member gave, that
	// member as it came ("" when absent), so that the document encodes
	// again with it even where the receiver's registry gives the code
	// another hint; nil otherwise (see sentRetryAfter).
	sentAfter *string
}

// wireLayer is what a coded layer decoded from the wire came with, so
// that it encodes again to the same bytes: its safe details, and its
// fields payload as received (a pointer: 32 bytes a layer, not 48, for
// the many layers without one). Never changed once made: layers of one
// decode with the same details and no payload share one.
type wireLayer struct {
	details   []string
	rawFields *[]byte
}

// wireDetails returns the safe details a layer decoded from the wire came
// with; nil for a layer made in this process.
func (e *codedErr) wireDetails() []string {
	if e.wire == nil {
		return nil
	}
	return e.wire.details
}

// raw returns the fields payload a layer decoded from the wire came with,
// as received; nil if none, or for a layer made in this process.
func (e *codedErr) raw() []byte {
	if e.wire == nil {
		return nil
	}
	if e.wire.rawFields == nil {
		return nil
	}
	return *e.wire.rawFields
}

var (
	_ error                 = (*codedErr)(nil)
	_ fmt.Formatter         = (*codedErr)(nil)
	_ errbase.SafeFormatter = (*codedErr)(nil)
	_ errbase.SafeDetailer  = (*codedErr)(nil)
	_ slog.LogValuer        = (*codedErr)(nil)
	_ errbase.SafeFormatter = Code{}
)

func (e *codedErr) Error() string {
	if e.cause == nil {
		return e.msg
	}
	// Built on each call: a cache made the first call, the one a service
	// makes when it logs or returns an error, a third slower
	// (BenchmarkError/*/cold).
	if e.msg == "" {
		return e.cause.Error()
	}
	return e.msg + ": " + e.cause.Error()
}

func (e *codedErr) Cause() error { return e.cause }

func (e *codedErr) Unwrap() error { return e.cause }

// Is reports whether target is a Code that the layer's code is or
// descends from, for errors.Is.
func (e *codedErr) Is(target error) bool {
	t, ok := target.(Code)
	return ok && Code{e.code}.IsA(t)
}

// As sets *target to the layer's code when target is a *Code, for
// errors.As(err, &c): the code [CodeOf] would give for this layer, which
// for a code known only from the wire is its nearest ancestor the
// registry knows. It reports false, so that errors.As looks further in,
// for any other target and for a wire-only code with no known ancestor.
func (e *codedErr) As(target any) bool {
	p, ok := target.(*Code)
	if !ok {
		return false
	}
	k := e.code.known()
	if k == nil {
		return false
	}
	*p = Code{k}
	return true
}

// SafeDetails returns the code's name, retry decision and ancestors,
// whether the message is a safe literal (never the message itself), and
// the stack trace: the layer's safe details on the wire and in
// cockroachdb's reports.
func (e *codedErr) SafeDetails() []string {
	if w := e.wireDetails(); w != nil {
		return w
	}
	d := codeDetails(e.code)
	if e.safeMessage() {
		d = append(d, detailMessage+messageSafe)
	}
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
	s, _ := safeDetail(e.wireDetails(), detailStack)
	return s
}

func (e *codedErr) Format(s fmt.State, verb rune) { errbase.FormatError(e, s, verb) }

func (e *codedErr) SafeFormatError(p errbase.Printer) error {
	if e.msg != "" {
		// A safe literal is printed as redact.Safe prints it: redaction
		// markers in it become '?', so it cannot open or close a marker.
		switch e.redactable {
		case nil:
			p.Print(redact.Safe(e.msg))
		case msgUnsafe:
			p.Print(e.msg)
		default:
			p.Print(*e.redactable)
		}
	}
	if p.Detail() {
		printCode(p, e.code)
		printFields(p, e.fieldList())
		if st := e.remoteStack(); st != "" {
			p.Printf("\n-- stack trace (sender's):%s", redact.Safe(strings.ReplaceAll(st, "\n", "\n  | ")))
		}
	}
	return e.cause
}

// msgUnsafe is codedErr.redactable for a message that is unsafe as a
// whole.
var msgUnsafe = new(redact.RedactableString)

// redactablef returns the message redact.Sprintf(format, args...) makes:
// the format is safe, the arguments unsafe unless they are
// redact.SafeValue or redact.SafeFormatter values.
func redactablef(format string, args []any) *redact.RedactableString {
	r := redact.Sprintf(format, args...)
	return &r
}

// sentName returns the name the layer's code travels under: for a layer
// decoded from the wire, the name it came with (an alias, say), else its
// code's name; "" for the zero Code.
func (e *codedErr) sentName() string {
	if w := e.wireDetails(); w != nil {
		name, _ := safeDetail(w, detailCode)
		return name
	}
	return Code{e.code}.Name()
}

// sentRetry returns the retry decision the layer's code travels with:
// for a layer decoded from the wire, the one it came with.
func (e *codedErr) sentRetry() Retry {
	if w := e.wireDetails(); w != nil {
		v, _ := safeDetail(w, detailRetry)
		r, _ := ParseRetry(v) // checked when decoded
		return r
	}
	if e.code == nil {
		return Unspecified
	}
	return e.code.retry
}

// safeMessage reports whether the layer's message is a safe literal.
func (e *codedErr) safeMessage() bool { return e.msg != "" && e.redactable == nil }

// wireRedactable returns the redactable message the layer sends in its
// payload: "" when it has none of its own, or already sends its payload
// as received.
func (e *codedErr) wireRedactable() string {
	if e.raw() != nil || e.redactable == nil || e.redactable == msgUnsafe {
		return ""
	}
	return string(*e.redactable)
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
	if c.depth > 0 || c.wireAncestors != "" {
		p.Printf("\nancestors: %s", redact.Safe(ancestorText(c)))
	}
	p.Printf("\nretry: %s", redact.Safe(c.retry.String()))
}

// SafeFormatError prints the code's name, which is safe to report, for a
// bare Code returned as an error; with %+v, its ancestors and retry
// decision too.
func (c Code) SafeFormatError(p errbase.Printer) error {
	p.Print(redact.Safe(c.Name()))
	if p.Detail() {
		printCode(p, c.c)
	}
	return nil
}

// ancestorNames returns the names of c's ancestors, parent first: the
// sender's names for a code only known from the wire.
func ancestorNames(c *code) []string {
	if c.reg == nil {
		if c.wireAncestors == "" {
			return nil
		}
		return strings.Split(c.wireAncestors, " ")
	}
	out := make([]string, 0, c.depth)
	for i := c.depth - 1; i >= 0; i-- {
		out = append(out, c.path[i].name)
	}
	return out
}

// ancestorText returns the names of c's ancestors as ancestorNames does,
// separated by single spaces.
func ancestorText(c *code) string {
	if c.reg == nil {
		return c.wireAncestors
	}
	return strings.Join(ancestorNames(c), " ")
}

// New returns an error with code c and message msg, and a stack trace
// unless c is [Stackless]. kv are log/slog-style key/value pairs stored as
// fields (see [WithFields]). Error() returns msg. As with cockroachdb's
// errors.New, msg is a literal and safe to report: it shows in redacted
// output; field values do not unless marked with [Safe].
func (c Code) New(msg string, kv ...any) error {
	return c.withStack(&codedErr{code: c.c, msg: msg, fields: makeFields(kv)})
}

// Newf returns an error with code c and the message fmt.Sprintf(format,
// args...), and a stack trace unless c is [Stackless]. In redacted output,
// as with cockroachdb's errors.Newf, the format is safe and the arguments
// are redacted unless they are safe values (redact.Safe, [Safe]).
func (c Code) Newf(format string, args ...any) error {
	return c.withStack(&codedErr{code: c.c, msg: fmt.Sprintf(format, args...), redactable: redactablef(format, args)})
}

// Wrap returns an error with code c that wraps err, with message msg and
// fields kv, and a stack trace unless c is [Stackless]. Its Error() reads
// "msg: " followed by err's message (just err's message when msg is "").
// msg is safe to report, as [Code.New]'s is. Wrap(nil, ...) returns nil.
func (c Code) Wrap(err error, msg string, kv ...any) error {
	if err == nil {
		return nil
	}
	return c.withStack(&codedErr{code: c.c, msg: msg, cause: err, skip: below(err), fields: makeFields(kv)})
}

// Wrapf is like [Code.Wrap] with the message fmt.Sprintf(format, args...),
// redacted as [Code.Newf]'s is. Wrapf(nil, ...) returns nil.
func (c Code) Wrapf(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return c.withStack(&codedErr{code: c.c, msg: fmt.Sprintf(format, args...), redactable: redactablef(format, args),
		cause: err, skip: below(err)})
}

// stackDepth is the most frames a coded layer records, as in
// cockroachdb's withStack.
const stackDepth = 32

// withStack records in e the stack of the user of New or Wrap (the
// caller of withStack's caller) unless c is Stackless.
func (c Code) withStack(e *codedErr) error { return c.withStackAt(e, 1) }

// withStackAt records in e the stack that starts depth frames above the
// caller of withStackAt's caller, unless c is Stackless.
func (c Code) withStackAt(e *codedErr, depth int) error {
	if c.c != nil && c.c.spec.stackless {
		return e
	}
	var pcs [stackDepth]uintptr
	n := runtime.Callers(3+max(depth, 0), pcs[:])
	e.stack = append([]uintptr(nil), pcs[:n]...)
	return e
}

// NewWithDepth is like [Code.New], but its stack trace starts depth
// frames above its caller: a helper that makes errors for its callers
// passes 1, so that the trace starts at the helper's caller, not in the
// helper. NewWithDepth(0, ...) is New; a negative depth counts as 0.
//
//	func errBadVcpus(n int) error {
//		return errcode.VmConfigError.NewWithDepth(1, "bad vcpu count", "vcpus", n)
//	}
func (c Code) NewWithDepth(depth int, msg string, kv ...any) error {
	return c.withStackAt(&codedErr{code: c.c, msg: msg, fields: makeFields(kv)}, depth)
}

// WrapWithDepth is like [Code.Wrap], but its stack trace starts depth
// frames above its caller, as with [Code.NewWithDepth].
// WrapWithDepth(depth, nil, ...) returns nil.
func (c Code) WrapWithDepth(depth int, err error, msg string, kv ...any) error {
	if err == nil {
		return nil
	}
	return c.withStackAt(&codedErr{code: c.c, msg: msg, cause: err, skip: below(err), fields: makeFields(kv)}, depth)
}
