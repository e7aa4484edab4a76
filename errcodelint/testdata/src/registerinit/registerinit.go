package registerinit

import (
	"github.com/errcode/errcode"
	ec "github.com/errcode/errcode"
)

// At initialisation: a package-level variable's initializer, an init
// function, a function literal called on the spot in either.
var (
	NotFound = errcode.MustRegister("NotFound", errcode.Code{})
	reg      = errcode.NewRegistry()
	Busy     = reg.MustRegister("Busy", errcode.Code{})
	Gone     = func() errcode.Code {
		c := reg.MustRegister("Gone", errcode.Code{})
		reg.MustAlias("Vanished", c)
		return c
	}()
)

func init() {
	errcode.MustAlias("Missing", NotFound)
	_, _ = ec.Register("Late", errcode.Code{})
	_ = errcode.Default.Alias("Absent", NotFound)
	func() { reg.MustRegister("Inner", Busy) }()
}

// Outside initialisation, on a shared registry: reported.
func handler(name string) errcode.Code {
	c := errcode.MustRegister(name, NotFound) // want `MustRegister on errcode.Default outside initialisation: register codes and aliases in a package-level variable's initializer or an init function`
	_, _ = ec.Register(name+"2", c)           // want `Register on errcode.Default outside initialisation`
	_ = errcode.Alias(name+"3", c)            // want `Alias on errcode.Default outside initialisation`
	errcode.MustAlias(name+"4", c)            // want `MustAlias on errcode.Default outside initialisation`
	errcode.Default.MustRegister(name+"5", c) // want `MustRegister on errcode.Default outside initialisation`
	reg.MustRegister(name+"6", c)             // want `MustRegister on a shared registry outside initialisation`
	_ = (reg).Alias(name+"7", c)              // want `Alias on a shared registry outside initialisation`
	r := reg
	r.MustAlias(name+"8", c) // want `MustAlias on a shared registry outside initialisation`
	var d = errcode.Default
	d.MustRegister(name+"9", c) // want `MustRegister on a shared registry outside initialisation`
	return c
}

// Function literals that are not called where they are written run
// later, whenever they are called.
var later = func() { errcode.MustRegister("Later", errcode.Code{}) } // want `MustRegister on errcode.Default outside initialisation`

func init() {
	register := func() { reg.MustRegister("Deferred", errcode.Code{}) } // want `MustRegister on a shared registry outside initialisation`
	_ = register
}

// A local variable in a function is not a package-level one.
func local() {
	var c = errcode.MustRegister("Local", errcode.Code{}) // want `MustRegister on errcode.Default outside initialisation`
	_ = c
}

// A registry made locally is not shared; one the analyzer cannot trace
// (a parameter, a field) is not reported.
type server struct{ reg *errcode.Registry }

func (s *server) setup(r *errcode.Registry) {
	own := errcode.NewRegistry()
	own.MustRegister("Own", errcode.Code{})
	_ = own.Alias("Mine", errcode.Code{})
	errcode.NewRegistry().MustRegister("Fresh", errcode.Code{})
	var other *errcode.Registry
	other = errcode.NewRegistry()
	other.MustAlias("Other", errcode.Code{})
	r.MustRegister("Param", errcode.Code{})
	s.reg.MustRegister("Field", errcode.Code{})
	_, _ = errcode.Default.Lookup("NotFound")
	_, _ = errcode.Lookup("NotFound")
}

// Functions of the same names elsewhere are not errcode's.
type registry struct{}

func (registry) MustRegister(name string) {}

func Register(name string) {}

func notErrcode(r registry) {
	r.MustRegister("x")
	Register("y")
}

// A directive suppresses a finding.
func suppressed() {
	//errcodelint:ignore registerinit the plugin loader registers its codes once, before serving
	errcode.MustRegister("Plugin", errcode.Code{})
}
