package errcodecli

import (
	"strconv"

	"github.com/errcode/errcode"
)

// catalog is a registry's codes laid out as a tree.
type catalog struct {
	reg      *errcode.Registry
	roots    []errcode.Code
	children map[errcode.Code][]errcode.Code // in registration order
}

func newCatalog(reg *errcode.Registry) *catalog {
	cat := &catalog{reg: reg, children: make(map[errcode.Code][]errcode.Code)}
	for _, c := range reg.Codes() {
		if p := c.Parent(); p.IsZero() {
			cat.roots = append(cat.roots, c)
		} else {
			cat.children[p] = append(cat.children[p], c)
		}
	}
	return cat
}

// walk calls f on c and its descendants in tree order: a parent before
// its children, the children in registration order. depth counts from 0
// for c.
func (cat *catalog) walk(c errcode.Code, depth int, f func(c errcode.Code, depth int)) {
	f(c, depth)
	for _, k := range cat.children[c] {
		cat.walk(k, depth+1, f)
	}
}

// codes returns every code in tree order, roots first.
func (cat *catalog) codes() []errcode.Code {
	var out []errcode.Code
	for _, r := range cat.roots {
		cat.walk(r, 0, func(c errcode.Code, _ int) { out = append(out, c) })
	}
	return out
}

// descendants returns c's descendants in tree order, c excluded.
func (cat *catalog) descendants(c errcode.Code) []errcode.Code {
	var out []errcode.Code
	cat.walk(c, 0, func(d errcode.Code, depth int) {
		if depth > 0 {
			out = append(out, d)
		}
	})
	return out
}

// A setting is one inheritable property of a code: its value as text
// ("" when the code has none) and the code whose own option sets it (the
// zero Code when none does).
type setting struct {
	value func(errcode.Code) string
	from  func(errcode.Code) errcode.Code
}

var (
	grpcSetting       = setting{grpcValue, errcode.Code.GRPCCodeFrom}
	httpSetting       = setting{httpValue, errcode.Code.HTTPStatusFrom}
	retryAfterSetting = setting{retryAfterValue, errcode.Code.RetryAfterFrom}
)

func grpcValue(c errcode.Code) string {
	if g, ok := c.GRPCCode(); ok {
		return g.String()
	}
	return ""
}

// httpStatus returns the code's HTTP status, or 0 when it has none.
func httpStatus(c errcode.Code) int {
	if s, ok := c.HTTPStatus(); ok {
		return s
	}
	return 0
}

func httpValue(c errcode.Code) string {
	if s, ok := c.HTTPStatus(); ok {
		return strconv.Itoa(s)
	}
	return ""
}

func retryAfterValue(c errcode.Code) string {
	if d := c.RetryAfter(); d > 0 {
		return d.String()
	}
	return ""
}

// source returns "own" when from is c, else "from " and from's name.
// A code that sets the value its parent already has (VmCapacityError sets
// TransientError's gRPC code) owns it.
func source(c, from errcode.Code) string {
	if from == c {
		return "own"
	}
	return "from " + from.Name()
}

// describe returns c's value of s with its source, like
// "Unavailable (from TransientError)", or none when c has no value.
func describe(c errcode.Code, s setting, none string) string {
	v := s.value(c)
	if v == "" {
		return none
	}
	return v + " (" + source(c, s.from(c)) + ")"
}

// describeRetry returns c's retry decision with its source, like
// "transient (own)"; "unspecified" has none.
func describeRetry(c errcode.Code) string {
	if c.Retry() == errcode.Unspecified {
		return c.Retry().String()
	}
	return c.Retry().String() + " (" + source(c, c.RetryFrom()) + ")"
}

// codeJSON is a code as tree --json and show --json print it. Every
// field is always present: "", 0 or [] for none.
type codeJSON struct {
	Name       string   `json:"name"`
	Parent     string   `json:"parent"`
	Ancestors  []string `json:"ancestors"` // parent first
	Retry      string   `json:"retry"`
	RetryFrom  string   `json:"retry_from"`
	GRPCCode   string   `json:"grpc_code"`
	HTTPStatus int      `json:"http_status"`
	RetryAfter string   `json:"retry_after"`
	Stackless  bool     `json:"stackless"`
	Aliases    []string `json:"aliases"`
	Doc        string   `json:"doc"`
}

func (cat *catalog) json(c errcode.Code) codeJSON {
	return codeJSON{
		Name:       c.Name(),
		Parent:     c.Parent().Name(),
		Ancestors:  names(c.Ancestors()),
		Retry:      c.Retry().String(),
		RetryFrom:  c.RetryFrom().Name(),
		GRPCCode:   grpcValue(c),
		HTTPStatus: httpStatus(c),
		RetryAfter: retryAfterValue(c),
		Stackless:  c.Stackless(),
		Aliases:    nonNil(cat.reg.Aliases(c)),
		Doc:        c.Doc(),
	}
}

// names returns the names of cs, never nil.
func names(cs []errcode.Code) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name()
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
