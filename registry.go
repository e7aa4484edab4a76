package errcode

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// MaxNameLen is the longest code or alias name, in bytes, that a
// [Registry] accepts.
const MaxNameLen = 128

// A Registry holds a tree of codes. Registration is meant for program
// initialisation; reads (Lookup, IsA, Retry and the chain queries) take no
// lock and never wait for a concurrent Register. A Registry is safe for
// concurrent use.
type Registry struct {
	mu       sync.Mutex             // serialises writers
	byName   sync.Map               // name or alias -> *code; lock-free loads
	byReason sync.Map               // reason -> *code
	list     atomic.Pointer[[]Code] // registration order; append-only
	domain   string                 // see Domain; set only by NewRegistry
}

// NewRegistry returns an empty Registry, its error domain
// [DefaultDomain] unless an option sets another.
func NewRegistry(opts ...RegistryOption) *Registry {
	r := &Registry{domain: DefaultDomain}
	for _, o := range opts {
		if o != nil {
			o.applyRegistry(r)
		}
	}
	return r
}

// Default is the registry that holds the sandbox catalog (see codes.go),
// that the package-level functions act on, and that decoding binds code
// names to.
var Default = NewRegistry()

func validName(kind, name string) error {
	switch {
	case name == "":
		return fmt.Errorf("errcode: empty %s name", kind)
	case len(name) > MaxNameLen:
		return fmt.Errorf("errcode: %s name %.20q... is %d bytes, over the limit of %d (MaxNameLen)", kind, name, len(name), MaxNameLen)
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
	reason := s.reason
	if reason == "" {
		reason = reasonOf(name)
		if err := validReason(reason); err != nil {
			return Code{}, fmt.Errorf("errcode: registering %q: the reason derived from the name, %q, %v; "+
				"give one with the Reason option", name, reason, err)
		}
	}
	if n := ancestryLen(parent.c); n > MaxAncestryLen {
		return Code{}, fmt.Errorf("errcode: registering %q: its ancestors' names take %d bytes, over MaxAncestryLen (%d)",
			name, n, MaxAncestryLen)
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	if v, ok := r.byName.Load(name); ok {
		old := v.(*code)
		switch {
		case old.name != name:
			return Code{}, fmt.Errorf("errcode: registering %q: the name is an alias of %q", name, old.name)
		case old.parent == parent.c && *old.spec == s:
			return Code{old}, nil
		case old.parent != parent.c:
			return Code{}, fmt.Errorf("errcode: registering %q: already registered under parent %q, not %q",
				name, Code{old.parent}.Name(), parent.Name())
		default:
			return Code{}, fmt.Errorf("errcode: registering %q: already registered with other options", name)
		}
	}

	if v, ok := r.byReason.Load(reason); ok {
		return Code{}, fmt.Errorf("errcode: registering %q: its reason %q is %q's; give another with the Reason option",
			name, reason, v.(*code).name)
	}

	c := newRegistered(r, name, reason, parent.c, s)
	r.byName.Store(name, c)
	r.byReason.Store(reason, c)
	var list []Code
	if p := r.list.Load(); p != nil {
		list = *p
	}
	list = append(list, Code{c}) // readers hold their own length; see Codes
	r.list.Store(&list)
	return Code{c}, nil
}

// MustRegister is like [Registry.Register] but panics with Register's
// error (an error value, so a recover can inspect it) where Register
// returns one.
func (r *Registry) MustRegister(name string, parent Code, opts ...Option) Code {
	c, err := r.Register(name, parent, opts...)
	if err != nil {
		panic(err)
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

// MustAlias is like [Registry.Alias] but panics with Alias's error where
// Alias returns one. It returns c, so that an alias can be declared as a
// variable:
//
//	var VmError = reg.MustAlias("VmError", VmPermanentError)
func (r *Registry) MustAlias(alias string, c Code) Code {
	if err := r.Alias(alias, c); err != nil {
		panic(err)
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
	//errcodelint:ignore registerinit the package-level API forwards to Default; registerinit checks its callers
	return Default.Register(name, parent, opts...)
}

// MustRegister registers a code in [Default]; see [Registry.MustRegister].
func MustRegister(name string, parent Code, opts ...Option) Code {
	//errcodelint:ignore registerinit the package-level API forwards to Default; registerinit checks its callers
	return Default.MustRegister(name, parent, opts...)
}

// Alias registers an alias in [Default]; see [Registry.Alias].
func Alias(alias string, c Code) error {
	//errcodelint:ignore registerinit the package-level API forwards to Default; registerinit checks its callers
	return Default.Alias(alias, c)
}

// MustAlias registers an alias in [Default] and returns c; see
// [Registry.MustAlias].
func MustAlias(alias string, c Code) Code {
	//errcodelint:ignore registerinit the package-level API forwards to Default; registerinit checks its callers
	return Default.MustAlias(alias, c)
}

// Lookup looks a name or alias up in [Default]; see [Registry.Lookup].
func Lookup(name string) (Code, bool) { return Default.Lookup(name) }

// Codes returns every code of [Default] in registration order.
func Codes() []Code { return Default.Codes() }
