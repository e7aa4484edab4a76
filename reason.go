package errcode

import (
	"fmt"
	"strings"
)

// MaxReasonLen is the longest reason a code may have, in bytes: AIP-193's
// limit on google.rpc.ErrorInfo's reason.
const MaxReasonLen = 63

// MaxAncestryLen bounds a code's ancestry: the names of its ancestors,
// space-separated, parent first — as they travel in the "ancestors" of a
// gRPC ErrorInfo's metadata and in the wire forms — are at most this many
// bytes. Register refuses a code past it.
const MaxAncestryLen = 1024

// DefaultDomain is the domain of a [Registry] made without [Domain],
// [Default] included: the error domain of google.rpc.ErrorInfo (AIP-193)
// that the registry's reasons belong to.
const DefaultDomain = "github.com/errcode/errcode"

// A RegistryOption configures a [Registry] made with [NewRegistry].
type RegistryOption interface {
	applyRegistry(*Registry)
}

type registryOptionFunc func(*Registry)

func (f registryOptionFunc) applyRegistry(r *Registry) { f(r) }

// Domain returns a RegistryOption that sets the registry's error domain
// (AIP-193): the logical grouping its codes' reasons belong to, typically
// the registered service name of whatever owns the catalog, such as
// "sandbox.example.com". An empty domain leaves [DefaultDomain].
func Domain(domain string) RegistryOption {
	return registryOptionFunc(func(r *Registry) {
		if domain != "" {
			r.domain = domain
		}
	})
}

// Domain returns the registry's error domain; see [Domain].
func (r *Registry) Domain() string {
	if r.domain == "" {
		return DefaultDomain // a Registry not made by NewRegistry
	}
	return r.domain
}

// Reason returns an Option that sets the code's reason (AIP-193's
// google.rpc.ErrorInfo reason) instead of the one derived from its name.
// It is the way to register a name whose derived reason is invalid or
// taken by another code. The reason must match [A-Z][A-Z0-9_]*[A-Z0-9]
// and be at most [MaxReasonLen] bytes. See [Code.Reason].
func Reason(reason string) Option {
	return optionFunc(func(s *spec) {
		if err := validReason(reason); err != nil {
			s.setBad(fmt.Sprintf("reason %q %v", reason, err))
			return
		}
		s.reason = reason
	})
}

// Reason returns the code's reason, the machine-readable identifier of
// google.rpc.ErrorInfo (AIP-193): the one set with the [Reason] option,
// else its name in UPPER_SNAKE_CASE, words split where a lower-case
// letter meets an upper-case one and where a letter meets a digit
// (VmCapacityError → VM_CAPACITY_ERROR, Vm2Error → VM_2_ERROR). An alias
// is its code, and so has its code's reason. A code known only from the
// wire has its own name's reason when that is valid, else its nearest
// known ancestor's; "" when it has neither, and for the zero Code.
func (c Code) Reason() string {
	for k := c.c; k != nil; k = k.parent {
		if k.reason != "" {
			return k.reason
		}
		if k.reg != nil {
			return "" // registration gives every code a reason
		}
		if r := reasonOf(k.name); validReason(r) == nil {
			return r
		}
	}
	return ""
}

// ReasonOf returns the reason (see [Code.Reason]) of the outermost code
// in err's tree, or "" if there is none. For a code known only from the
// wire, that is its own name's reason when valid, else its nearest known
// ancestor's — where [CodeOf] gives that ancestor.
func ReasonOf(err error) string {
	k, _ := outermost(err)
	return Code{k}.Reason()
}

// LookupReason returns the code of r whose reason is reason.
func (r *Registry) LookupReason(reason string) (Code, bool) {
	v, ok := r.byReason.Load(reason)
	if !ok {
		return Code{}, false
	}
	return Code{v.(*code)}, true
}

// ancestryLen returns the length of the ancestry of a code whose parent
// is p: the names of p and its ancestors, space-separated.
func ancestryLen(p *code) int {
	if p == nil {
		return 0
	}
	n := p.depth // the spaces
	for i := 0; i <= p.depth; i++ {
		n += len(p.path[i].name)
	}
	return n
}

// reasonOf returns name in UPPER_SNAKE_CASE: an underscore where a
// lower-case ASCII letter is followed by an upper-case one and where an
// ASCII letter meets a digit, then every letter upper-cased. Anything
// else is kept as it is, for validReason to judge.
func reasonOf(name string) string {
	var b strings.Builder
	b.Grow(len(name) + 8)
	for i := 0; i < len(name); i++ {
		c := name[i]
		if i > 0 {
			p := name[i-1]
			if isLower(p) && isUpper(c) || isLetter(p) && isDigit(c) || isDigit(p) && isLetter(c) {
				b.WriteByte('_')
			}
		}
		if isLower(c) {
			c -= 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

func isLower(c byte) bool  { return c >= 'a' && c <= 'z' }
func isUpper(c byte) bool  { return c >= 'A' && c <= 'Z' }
func isLetter(c byte) bool { return isLower(c) || isUpper(c) }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// validReason returns nil when reason is a valid AIP-193 reason, else
// what is wrong with it, to follow the reason in a message.
func validReason(reason string) error {
	switch {
	case reason == "":
		return fmt.Errorf("is empty")
	case len(reason) > MaxReasonLen:
		return fmt.Errorf("is %d bytes, over %d", len(reason), MaxReasonLen)
	case len(reason) < 2 || !isUpper(reason[0]):
		return fmt.Errorf("does not match [A-Z][A-Z0-9_]*[A-Z0-9]")
	}
	for i := 1; i < len(reason); i++ {
		c := reason[i]
		if !isUpper(c) && !isDigit(c) && (c != '_' || i == len(reason)-1) {
			return fmt.Errorf("does not match [A-Z][A-Z0-9_]*[A-Z0-9]")
		}
	}
	return nil
}
