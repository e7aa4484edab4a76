// Package errcode declares, for the analyzers' tests, the part of
// errcode's API they recognise, with the real package's signatures
// (TestStubsMatch compares them); the bodies do nothing.
package errcode

type code struct{}

type Code struct{ c *code }

func (c Code) Error() string        { return "" }
func (c Code) Is(target error) bool { return false }

type Option interface{ option() }

type RegistryOption interface{ registryOption() }

type Registry struct{}

func NewRegistry(opts ...RegistryOption) *Registry { return &Registry{} }

var Default = NewRegistry()

func (r *Registry) Register(name string, parent Code, opts ...Option) (Code, error) {
	return Code{}, nil
}
func (r *Registry) MustRegister(name string, parent Code, opts ...Option) Code { return Code{} }
func (r *Registry) Alias(alias string, c Code) error                           { return nil }
func (r *Registry) MustAlias(alias string, c Code) Code                        { return c }
func (r *Registry) Lookup(name string) (Code, bool)                            { return Code{}, false }

func Register(name string, parent Code, opts ...Option) (Code, error) { return Code{}, nil }
func MustRegister(name string, parent Code, opts ...Option) Code      { return Code{} }
func Alias(alias string, c Code) error                                { return nil }
func MustAlias(alias string, c Code) Code                             { return c }
func Lookup(name string) (Code, bool)                                 { return Code{}, false }

func Is(err error, c Code) bool                        { return false }
func Match(err error, candidates ...Code) (Code, bool) { return Code{}, false }
