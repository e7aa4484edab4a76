package errcode

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"google.golang.org/grpc/codes"
)

// MaxNameLen is the longest code or alias name, in bytes, that a
// [Registry] accepts.
const MaxNameLen = 128

// Retry is the retry decision attached to a code or to one error.
type Retry int8

const (
	// Unspecified means no decision: the code defers to its ancestors,
	// and an error whose chain decides nothing is not known to be
	// retryable.
	Unspecified Retry = iota
	// Transient means the operation may succeed if retried.
	Transient
	// Permanent means the operation will not succeed if retried.
	Permanent
)

// String returns "unspecified", "transient" or "permanent"
// (or "Retry(N)" for a value out of range).
func (r Retry) String() string {
	switch r {
	case Unspecified:
		return "unspecified"
	case Transient:
		return "transient"
	case Permanent:
		return "permanent"
	}
	return fmt.Sprintf("Retry(%d)", int8(r))
}

func (r Retry) valid() bool { return r >= Unspecified && r <= Permanent }

// ParseRetry returns the Retry whose [Retry.String] is s.
func ParseRetry(s string) (Retry, error) {
	switch s {
	case "unspecified", "":
		return Unspecified, nil
	case "transient":
		return Transient, nil
	case "permanent":
		return Permanent, nil
	}
	return Unspecified, fmt.Errorf("errcode: unknown retry decision %q (want unspecified, transient or permanent)", s)
}

// An Option configures a code at registration. A [Retry] value is itself
// an Option:
//
//	errcode.MustRegister("TransientError", SandboxError, errcode.Transient, errcode.Doc("may succeed on retry"))
type Option interface {
	apply(*spec)
}

// spec is everything the options of one registration say. It is
// comparable, so an identical re-registration is recognised with ==.
type spec struct {
	retry      Retry
	doc        string
	grpc       codes.Code
	hasGRPC    bool
	http       int
	retryAfter time.Duration
	stackless  bool
	bad        string // the first invalid option, reported by Register
}

func (r Retry) apply(s *spec) {
	if !r.valid() {
		s.setBad(fmt.Sprintf("invalid retry decision %d", int8(r)))
		return
	}
	s.retry = r
}

func (s *spec) setBad(msg string) {
	if s.bad == "" {
		s.bad = msg
	}
}

type optionFunc func(*spec)

func (f optionFunc) apply(s *spec) { f(s) }

// Doc returns an Option that sets the code's one-line documentation.
func Doc(text string) Option {
	return optionFunc(func(s *spec) { s.doc = text })
}

// Stackless returns an Option for codes whose errors are made on hot
// paths: [Code.New], [Code.Newf], [Code.Wrap] and [Code.Wrapf] of such a
// code capture no stack trace, which makes them an order of magnitude
// cheaper. It is not inherited by descendants.
func Stackless() Option {
	return optionFunc(func(s *spec) { s.stackless = true })
}

// GRPCCode returns an Option that maps the code, and its descendants that
// set no mapping of their own, to a gRPC status code. See [GRPCCodeOf].
func GRPCCode(c codes.Code) Option {
	return optionFunc(func(s *spec) {
		if c > codes.Unauthenticated {
			s.setBad(fmt.Sprintf("invalid gRPC code %d", uint32(c)))
			return
		}
		s.grpc, s.hasGRPC = c, true
	})
}

// HTTPStatus returns an Option that maps the code, and its descendants
// that set no mapping of their own, to an HTTP status. See [HTTPStatusOf].
func HTTPStatus(status int) Option {
	return optionFunc(func(s *spec) {
		if status < 100 || status > 599 {
			s.setBad(fmt.Sprintf("invalid HTTP status %d", status))
			return
		}
		s.http = status
	})
}

// RetryAfter returns an Option giving the code's errors, and its
// descendants' that set none of their own, a minimum wait before a retry.
// See [RetryAfterOf].
func RetryAfter(d time.Duration) Option {
	return optionFunc(func(s *spec) {
		if d < 0 {
			s.setBad(fmt.Sprintf("negative retry-after %v", d))
			return
		}
		s.retryAfter = d
	})
}

// pathInline is the depth up to which a code's path lives inside the code
// itself, so that IsA reads one object, not two.
const pathInline = 12

// code is the data of one code, fixed when it is registered (or, for a
// code only known from the wire, when it is decoded) and never changed.
type code struct {
	// path holds the code's ancestors, root first, and the code itself
	// last: path[depth] == self. c IsA a iff a.depth <= c.depth and
	// c.path[a.depth] == a, a constant-time check whatever the depth.
	// For a code shallower than pathInline, path's array is inline.
	depth  int
	path   []*code
	inline [pathInline]*code

	name   string
	parent *code
	reg    *Registry // nil for a code only known from the wire
	spec   spec

	// Resolved from the code and its ancestors at registration.
	retry      Retry
	retryFrom  *code // the code whose flag retry is; nil when Unspecified
	grpc       codes.Code
	hasGRPC    bool
	http       int
	retryAfter time.Duration
	// The codes whose own settings grpc, http and retryAfter are.
	grpcFrom, httpFrom, retryAfterFrom *code

	// wire holds, for a code only known from the wire, the ancestor names
	// the sender gave (parent first), so that it encodes again unchanged.
	wire []string
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
// for a root or the zero Code.
func (c Code) Ancestors() []Code {
	if c.c == nil || c.c.depth == 0 {
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
// inherited, and whether there is one.
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

// HTTPStatusFrom returns the code whose own [HTTPStatus] option
// [Code.HTTPStatus] reports: c itself or an ancestor; the zero Code when
// there is no mapping.
func (c Code) HTTPStatusFrom() Code {
	if c.c == nil {
		return Code{}
	}
	return Code{c.c.httpFrom}
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

// HTTPStatus returns the HTTP status the code maps to, its own or
// inherited, or 0 if there is none.
func (c Code) HTTPStatus() int {
	if c.c == nil {
		return 0
	}
	return c.c.http
}

// RetryAfter returns the minimum wait before retrying the code's errors,
// its own or inherited; 0 if none was set.
func (c Code) RetryAfter() time.Duration {
	if c.c == nil {
		return 0
	}
	return c.c.retryAfter
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
func (c Code) IsA(ancestor Code) bool {
	a, x := ancestor.c, c.c
	return a != nil && x != nil && a.depth <= x.depth && x.path[a.depth] == a
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

// A Registry holds a tree of codes. Registration is meant for program
// initialisation; reads (Lookup, IsA, Retry and the chain queries) take no
// lock and never wait for a concurrent Register. A Registry is safe for
// concurrent use.
type Registry struct {
	mu     sync.Mutex             // serialises writers
	byName sync.Map               // name or alias -> *code; lock-free loads
	list   atomic.Pointer[[]Code] // registration order; append-only
}

// NewRegistry returns an empty Registry.
func NewRegistry() *Registry { return &Registry{} }

// Default is the registry that holds the sandbox catalog (see codes.go),
// that the package-level functions act on, and that decoding binds code
// names to.
var Default = NewRegistry()

func validName(kind, name string) error {
	switch {
	case name == "":
		return fmt.Errorf("errcode: empty %s name", kind)
	case len(name) > MaxNameLen:
		return fmt.Errorf("errcode: %s name %.20q... is %d bytes, over the limit of %d", kind, name, len(name), MaxNameLen)
	}
	ascii := true
	for i := 0; i < len(name); i++ {
		if b := name[i]; b >= utf8.RuneSelf {
			ascii = false
			break
		} else if b <= ' ' || b == 0x7f {
			return fmt.Errorf("errcode: %s name %q contains whitespace or a control character at byte %d", kind, name, i)
		}
	}
	if ascii {
		return nil
	}
	if !utf8.ValidString(name) {
		return fmt.Errorf("errcode: %s name %q is not valid UTF-8", kind, name)
	}
	if i := strings.IndexFunc(name, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }); i >= 0 {
		return fmt.Errorf("errcode: %s name %q contains whitespace or a control character at byte %d", kind, name, i)
	}
	return nil
}

// Register adds a code named name under parent (a root when parent is
// zero) and returns it. It returns an error that names the problem for
// an empty name, a name with whitespace or control characters or over
// [MaxNameLen] bytes, a name already taken by another code or an alias,
// a parent of another Registry, or an invalid Option. Registering the
// identical (name, parent, options) again returns the existing code.
func (r *Registry) Register(name string, parent Code, opts ...Option) (Code, error) {
	if err := validName("code", name); err != nil {
		return Code{}, err
	}
	var s spec
	for _, o := range opts {
		if o != nil {
			o.apply(&s)
		}
	}
	if s.bad != "" {
		return Code{}, fmt.Errorf("errcode: registering %q: %s", name, s.bad)
	}
	if parent.c != nil && parent.c.reg != r {
		return Code{}, fmt.Errorf("errcode: registering %q: parent %q belongs to another Registry", name, parent.c.name)
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	if v, ok := r.byName.Load(name); ok {
		old := v.(*code)
		switch {
		case old.name != name:
			return Code{}, fmt.Errorf("errcode: registering %q: the name is an alias of %q", name, old.name)
		case old.parent == parent.c && old.spec == s:
			return Code{old}, nil
		case old.parent != parent.c:
			return Code{}, fmt.Errorf("errcode: registering %q: already registered under parent %q, not %q",
				name, Code{old.parent}.Name(), parent.Name())
		default:
			return Code{}, fmt.Errorf("errcode: registering %q: already registered with other options", name)
		}
	}

	c := &code{name: name, parent: parent.c, reg: r, spec: s}
	c.resolve()
	r.byName.Store(name, c)
	var list []Code
	if p := r.list.Load(); p != nil {
		list = *p
	}
	list = append(list, Code{c}) // readers hold their own length; see Codes
	r.list.Store(&list)
	return Code{c}, nil
}

// resolve fills in the path and the inherited settings from the parent.
func (c *code) resolve() {
	p := c.parent
	if p != nil {
		c.depth = p.depth + 1
	}
	if c.depth < pathInline {
		c.path = c.inline[:c.depth+1]
	} else {
		c.path = make([]*code, c.depth+1)
	}
	c.path[c.depth] = c
	if p != nil {
		copy(c.path, p.path)
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

// MustRegister is like [Registry.Register] but panics where Register
// returns an error.
func (r *Registry) MustRegister(name string, parent Code, opts ...Option) Code {
	c, err := r.Register(name, parent, opts...)
	if err != nil {
		panic(err.Error())
	}
	return c
}

// Alias registers alias as another name for c: [Registry.Lookup] of
// alias returns c, and an error sent under the alias by an older peer
// decodes as c. It returns an error for an invalid name, a name already
// taken, or a code of another Registry. Repeating an identical Alias is
// not an error.
func (r *Registry) Alias(alias string, c Code) error {
	if err := validName("alias", alias); err != nil {
		return err
	}
	if c.c == nil {
		return fmt.Errorf("errcode: alias %q: the zero Code", alias)
	}
	if c.c.reg != r {
		return fmt.Errorf("errcode: alias %q: code %q belongs to another Registry", alias, c.c.name)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if v, ok := r.byName.Load(alias); ok {
		old := v.(*code)
		switch {
		case old == c.c && old.name != alias:
			return nil
		case old.name == alias:
			return fmt.Errorf("errcode: alias %q: the name is taken by a code", alias)
		default:
			return fmt.Errorf("errcode: alias %q: already an alias of %q", alias, old.name)
		}
	}
	r.byName.Store(alias, c.c)
	return nil
}

// MustAlias is like [Registry.Alias] but panics where Alias returns an
// error.
func (r *Registry) MustAlias(alias string, c Code) Code {
	if err := r.Alias(alias, c); err != nil {
		panic(err.Error())
	}
	return c
}

// Lookup returns the code registered under name, which may be an alias:
// Lookup("VmError") returns VmPermanentError.
func (r *Registry) Lookup(name string) (Code, bool) {
	v, ok := r.byName.Load(name)
	if !ok {
		return Code{}, false
	}
	return Code{v.(*code)}, true
}

// Codes returns every code of the registry in registration order.
func (r *Registry) Codes() []Code {
	p := r.list.Load()
	if p == nil {
		return nil
	}
	return append([]Code(nil), *p...)
}

// Aliases returns the aliases of c in r, sorted.
func (r *Registry) Aliases(c Code) []string {
	var out []string
	r.byName.Range(func(k, v any) bool {
		if v.(*code) == c.c && k.(string) != c.c.name {
			out = append(out, k.(string))
		}
		return true
	})
	slices.Sort(out)
	return out
}

// Register registers a code in [Default]; see [Registry.Register].
func Register(name string, parent Code, opts ...Option) (Code, error) {
	return Default.Register(name, parent, opts...)
}

// MustRegister registers a code in [Default]; see [Registry.MustRegister].
func MustRegister(name string, parent Code, opts ...Option) Code {
	return Default.MustRegister(name, parent, opts...)
}

// Alias registers an alias in [Default]; see [Registry.Alias].
func Alias(alias string, c Code) error { return Default.Alias(alias, c) }

// Lookup looks a name or alias up in [Default]; see [Registry.Lookup].
func Lookup(name string) (Code, bool) { return Default.Lookup(name) }

// Codes returns every code of [Default] in registration order.
func Codes() []Code { return Default.Codes() }
