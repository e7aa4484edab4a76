package errcode

import (
	"net/http"
	"time"

	"google.golang.org/grpc/codes"
)

// pathInline is the depth up to which a code's path lives inside the code
// itself, so that IsA reads one object, not two.
const pathInline = 12

// code is the data of one code, fixed when it is registered (or, for a
// code only known from the wire, when it is decoded) and never changed.
type code struct {
	// path holds the code's ancestors, root first: path[:depth]. A
	// registered code's path holds the code itself last, path[depth]; a
	// code only known from the wire shares its parent's path, which ends
	// at the parent. c IsA a iff a == c or a.depth < c.depth and
	// c.path[a.depth] == a, a constant-time check whatever the depth. For
	// a registered code shallower than pathInline, path's array is
	// allocated with the code (see newRegistered).
	depth int
	path  []*code

	name   string
	reason string // AIP-193's; "" for a code known only from the wire
	parent *code
	reg    *Registry // nil for a code only known from the wire
	// spec is the code's registration options; for a code only known
	// from the wire, the shared wireSpec, which sets nothing.
	spec *spec

	// Resolved from the code and its ancestors at registration.
	retry      Retry
	retryFrom  *code // the code whose flag retry is; nil when Unspecified
	grpc       codes.Code
	hasGRPC    bool
	http       int
	retryAfter time.Duration
	// The codes whose own settings grpc, http and retryAfter are.
	grpcFrom, httpFrom, retryAfterFrom *code

	// wireAncestors and wireRetry hold, for a code only known from the
	// wire, the ancestor names (in the sender's method-resolution order,
	// parent first) and the retry decision the sender gave, and
	// wireParents its direct parents when the sender gave several, so
	// that it encodes again unchanged. wireAncestors is the names as one
	// string, separated by single spaces (a substring of the decode's
	// input when the sender spaced them so), split where the names are
	// needed: 16 bytes per code, not per name.
	wireAncestors string
	wireRetry     Retry
	wireParents   []string

	// mro holds, for a code only known from the wire whose known
	// ancestors are not one chain sent nearest first (a Python class with
	// several bases), the ancestors the registry knows, in the order sent,
	// each once: IsA consults them, and their paths, when path does not
	// hold the ancestor; with their ancestors in the registry they make
	// the known part of its method-resolution order (see walkMRO). nil for
	// every other code.
	mro []*code
}

// sentRetry returns the retry decision c travels with: its resolved one,
// or, for a code only known from the wire, the one its sender gave.
func (c *code) sentRetry() Retry {
	if c.reg == nil {
		return c.wireRetry
	}
	return c.retry
}

// Code is a registered error code. It is small and comparable; the zero
// Code means "no code".
//
// A Code is its own sentinel error: errors.Is(err, c) — the standard
// library's and cockroachdb's — reports whether err carries c or one of
// its descendants. (cockroachdb's errors.Is also matches a bare Code
// against a bare Code of the same name in another Registry, as it matches
// errors that crossed the wire by type and message; [Is] and [Code.IsA]
// tell registries apart.)
//
// A code known only from a decoded error, whose sender gave it several
// parents (a Python class with several bases), descends from every
// ancestry the registry knows ([Code.IsA]), and takes each setting —
// [Code.Retry], [Code.GRPCCode], [Code.HTTPStatus], [Code.RetryAfter] —
// from the first class of its sender's method-resolution order that sets
// it itself, as Python's attribute lookup does; its own retry decision,
// when the sender sent one, wins (WIRE.md, "Several parents").
type Code struct {
	c *code
}

// IsZero reports whether c is the zero Code.
func (c Code) IsZero() bool { return c.c == nil }

// Name returns the code's registered name, or "" for the zero Code.
func (c Code) Name() string {
	if c.c == nil {
		return ""
	}
	return c.c.name
}

// String returns the code's name.
func (c Code) String() string { return c.Name() }

// Parent returns the code's parent, or the zero Code for a root.
func (c Code) Parent() Code {
	if c.c == nil {
		return Code{}
	}
	return Code{c.c.parent}
}

// Ancestors returns the code's ancestors, parent first and root last; nil
// for a root or the zero Code. For a code only known from the wire whose
// sender put it under several ancestries that this registry knows (a
// Python class with several bases), they are the known ancestors in the
// order that resolves its settings, each once (see [Code.IsA]).
func (c Code) Ancestors() []Code {
	if c.c == nil {
		return nil
	}
	if c.c.mro != nil {
		var out []Code
		c.c.walkMRO(func(k *code) bool {
			out = append(out, Code{k})
			return false
		})
		return out
	}
	if c.c.depth == 0 {
		return nil
	}
	out := make([]Code, 0, c.c.depth)
	for i := c.c.depth - 1; i >= 0; i-- {
		out = append(out, Code{c.c.path[i]})
	}
	return out
}

// Doc returns the code's one-line documentation.
func (c Code) Doc() string {
	if c.c == nil {
		return ""
	}
	return c.c.spec.doc
}

// Retry returns the code's retry decision: its own flag if one was given
// at registration, else its nearest ancestor's, else [Unspecified].
func (c Code) Retry() Retry {
	if c.c == nil {
		return Unspecified
	}
	return c.c.retry
}

// RetryFrom returns the code whose flag [Code.Retry] reports: c itself
// when the flag is its own, an ancestor when inherited, the zero Code
// when the retry decision is Unspecified.
func (c Code) RetryFrom() Code {
	if c.c == nil {
		return Code{}
	}
	return Code{c.c.retryFrom}
}

// GRPCCode returns the gRPC status code the code maps to, its own or
// inherited (see the [GRPCCode] option), and true; or codes.Unknown and
// false when there is no mapping — the status [GRPCCodeOf] gives an
// error without one. The zero Code has no mapping.
func (c Code) GRPCCode() (codes.Code, bool) {
	if c.c == nil || !c.c.hasGRPC {
		return codes.Unknown, false
	}
	return c.c.grpc, true
}

// GRPCCodeFrom returns the code whose own [GRPCCode] option
// [Code.GRPCCode] reports: c itself or an ancestor; the zero Code when
// there is no mapping.
func (c Code) GRPCCodeFrom() Code {
	if c.c == nil {
		return Code{}
	}
	return Code{c.c.grpcFrom}
}

// HTTPStatus returns the HTTP status the code maps to, its own or
// inherited (see the [HTTPStatus] option), and true; or 500 (Internal
// Server Error) and false when there is no mapping — the status
// [HTTPStatusOf] gives an error without one. The zero Code has no
// mapping.
func (c Code) HTTPStatus() (int, bool) {
	if c.c == nil || c.c.http == 0 {
		return http.StatusInternalServerError, false
	}
	return c.c.http, true
}

// HTTPStatusFrom returns the code whose own [HTTPStatus] option
// [Code.HTTPStatus] reports: c itself or an ancestor; the zero Code when
// there is no mapping.
func (c Code) HTTPStatusFrom() Code {
	if c.c == nil {
		return Code{}
	}
	return Code{c.c.httpFrom}
}

// RetryAfter returns the minimum wait before retrying the code's errors,
// its own or inherited; 0 if none was set.
func (c Code) RetryAfter() time.Duration {
	if c.c == nil {
		return 0
	}
	return c.c.retryAfter
}

// RetryAfterFrom returns the code whose own [RetryAfter] option
// [Code.RetryAfter] reports: c itself or an ancestor; the zero Code when
// there is no hint.
func (c Code) RetryAfterFrom() Code {
	if c.c == nil {
		return Code{}
	}
	return Code{c.c.retryAfterFrom}
}

// Stackless reports whether the code was registered with [Stackless].
func (c Code) Stackless() bool { return c.c != nil && c.c.spec.stackless }

// Registry returns the registry the code belongs to; nil for the zero
// Code and for a code only known from a decoded error.
func (c Code) Registry() *Registry {
	if c.c == nil {
		return nil
	}
	return c.c.reg
}

// IsA reports whether c is ancestor or c itself descends from ancestor.
// It is reflexive, false when either Code is zero, takes constant time
// whatever the depth or the number of codes, and does not allocate.
//
// A code only known from a decoded error descends from every ancestor
// its sender listed that the registry knows, and from their ancestors:
// a Python peer's class SocketTransientError(TransientError,
// CommunicationError) IsA TransientError and IsA CommunicationError.
// Such a code, with more than one known ancestry, takes time
// proportional to the number of its known ancestors when the first
// ancestry does not hold ancestor.
func (c Code) IsA(ancestor Code) bool {
	// The path check first: it holds a registered code itself, and the
	// ancestors of every code; a code only known from the wire shares its
	// parent's path (one shorter), so it needs a == x.
	a, x := ancestor.c, c.c
	return a != nil && x != nil && (uint(a.depth) < uint(len(x.path)) && x.path[a.depth] == a || a == x || x.mro != nil && x.inMRO(a))
}

// inMRO reports whether a is one of x.mro or an ancestor of one.
func (x *code) inMRO(a *code) bool {
	for _, k := range x.mro {
		if a.depth <= k.depth && k.path[a.depth] == a {
			return true
		}
	}
	return false
}

// Error returns the code's name, so that a bare Code can be returned as
// an error.
func (c Code) Error() string { return c.Name() }

// Is reports whether target is a Code that c is (or descends from). It
// makes errors.Is(c, ancestor) true.
func (c Code) Is(target error) bool {
	t, ok := target.(Code)
	return ok && c.IsA(t)
}

// SafeDetails returns the code's name, retry decision and ancestors, so
// that they show in cockroachdb's errors.GetSafeDetails and reports when
// a bare Code is returned as an error.
func (c Code) SafeDetails() []string { return codeDetails(c.c) }

// known returns the nearest code that belongs to a registry: c itself,
// or, for a code only known from the wire, its nearest registered
// ancestor.
func (c *code) known() *code {
	for c != nil && c.reg == nil {
		c = c.parent
	}
	return c
}

// registeredCode is a registered code with its options and the array of
// a short path, in one allocation.
type registeredCode struct {
	c      code
	spec   spec
	inline [pathInline]*code
}

// newRegistered returns a code registered in r with options s, its path
// and inherited settings resolved.
func newRegistered(r *Registry, name, reason string, parent *code, s spec) *code {
	rc := &registeredCode{spec: s}
	c := &rc.c
	c.name, c.reason, c.parent, c.reg, c.spec = name, reason, parent, r, &rc.spec
	if parent != nil {
		c.depth = parent.depth + 1
	}
	if c.depth < pathInline {
		c.path = rc.inline[:c.depth+1]
	} else {
		c.path = make([]*code, c.depth+1)
	}
	c.path[c.depth] = c
	if parent != nil {
		copy(c.path, parent.path)
	}
	c.resolve()
	return c
}

// wireSpec is the options of every code only known from the wire: none.
var wireSpec spec

// newWireOnly returns a code only known from the wire, below parent
// (nil: a root), its path and inherited settings resolved. Its path is
// parent's, which holds its ancestors.
func newWireOnly(name string, parent *code) *code {
	c := &code{name: name, parent: parent, spec: &wireSpec}
	if parent != nil {
		c.depth, c.path = parent.depth+1, parent.path
	}
	c.resolve()
	return c
}

// resolve fills in the inherited settings from the parent and the code's
// own.
func (c *code) resolve() {
	if p := c.parent; p != nil {
		c.retry, c.retryFrom = p.retry, p.retryFrom
		c.grpc, c.hasGRPC, c.grpcFrom = p.grpc, p.hasGRPC, p.grpcFrom
		c.http, c.httpFrom = p.http, p.httpFrom
		c.retryAfter, c.retryAfterFrom = p.retryAfter, p.retryAfterFrom
	}
	if c.spec.retry != Unspecified {
		c.retry, c.retryFrom = c.spec.retry, c
	}
	if c.spec.hasGRPC {
		c.grpc, c.hasGRPC, c.grpcFrom = c.spec.grpc, true, c
	}
	if c.spec.http != 0 {
		c.http, c.httpFrom = c.spec.http, c
	}
	if c.spec.retryAfter != 0 {
		c.retryAfter, c.retryAfterFrom = c.spec.retryAfter, c
	}
}
