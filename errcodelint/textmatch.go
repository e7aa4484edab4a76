package errcodelint

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

// TextMatch finds decisions made on an error's text: err.Error()
// compared with == or !=, passed to strings.Contains, HasPrefix,
// HasSuffix or EqualFold or to a regexp's Match or Find, or switched on
// — directly, or through a local variable defined as err.Error() and
// never assigned again. err.Error() used to build a message (fmt, log,
// concatenation) is not a decision and is not reported. _test.go files
// are not checked: tests assert on messages.
var TextMatch = &analysis.Analyzer{
	Name:     "textmatch",
	Doc:      "report decisions made on an error's text (err.Error() compared, searched, matched or switched on)",
	URL:      "https://pkg.go.dev/github.com/errcode/errcode/errcodelint#TextMatch",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      runTextMatch,
}

// textFuncs are the functions that decide on a string argument, by full
// name, with how the finding names them.
var textFuncs = map[string]string{
	"strings.Contains":   "strings.Contains",
	"strings.HasPrefix":  "strings.HasPrefix",
	"strings.HasSuffix":  "strings.HasSuffix",
	"strings.EqualFold":  "strings.EqualFold",
	"regexp.MatchString": "regexp.MatchString",
	"regexp.Match":       "regexp.Match",
}

// textSuggestion ends every textmatch finding.
const textSuggestion = "use errcode.Is(err, code) or errors.Is(err, target)"

func runTextMatch(pass *analysis.Pass) (any, error) {
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for _, f := range pass.Files {
		if strings.HasSuffix(pass.Fset.File(f.FileStart).Name(), "_test.go") {
			continue
		}
		root, ok := insp.Root().FindNode(f)
		if !ok {
			continue
		}
		text := textVars(pass.TypesInfo, root)
		isText := func(e ast.Expr) bool {
			if isErrorText(pass.TypesInfo, e) {
				return true
			}
			if id, ok := ast.Unparen(e).(*ast.Ident); ok {
				v, ok := pass.TypesInfo.Uses[id].(*types.Var)
				return ok && text[v]
			}
			return false
		}
		for c := range root.Preorder((*ast.BinaryExpr)(nil), (*ast.CallExpr)(nil), (*ast.SwitchStmt)(nil)) {
			switch n := c.Node().(type) {
			case *ast.BinaryExpr:
				if (n.Op == token.EQL || n.Op == token.NEQ) && (isText(n.X) || isText(n.Y)) {
					report(pass, "textmatch", analysis.Diagnostic{
						Pos: n.Pos(), End: n.End(),
						Message: "decision on an error's text (" + n.Op.String() + "): " + textSuggestion,
					})
				}
			case *ast.CallExpr:
				name := textCallee(pass.TypesInfo, n)
				if name == "" {
					continue
				}
				for _, arg := range n.Args {
					if isText(stripBytes(pass.TypesInfo, arg)) {
						report(pass, "textmatch", analysis.Diagnostic{
							Pos: n.Pos(), End: n.End(),
							Message: "decision on an error's text (" + name + "): " + textSuggestion,
						})
						break
					}
				}
			case *ast.SwitchStmt:
				if n.Tag != nil && isText(n.Tag) {
					report(pass, "textmatch", analysis.Diagnostic{
						Pos: n.Pos(), End: n.Tag.End(),
						Message: "switch on an error's text: use errcode.Match(err, codes...) or errors.Is(err, target)",
					})
				}
			}
		}
	}
	return nil, nil
}

// textCallee returns how a finding names the function call decides with
// on a string or bytes argument; "" if it is none of them.
func textCallee(info *types.Info, call *ast.CallExpr) string {
	name := calleeName(info, call)
	if s, ok := textFuncs[name]; ok {
		return s
	}
	// Every Match… and Find… method of *regexp.Regexp searches its
	// argument: MatchString, Match, FindString, FindStringSubmatch, ….
	if m, ok := strings.CutPrefix(name, "(*regexp.Regexp)."); ok &&
		(strings.HasPrefix(m, "Match") || strings.HasPrefix(m, "Find")) {
		return "regexp " + m
	}
	return ""
}

// stripBytes returns x for []byte(x), e otherwise, so that a regexp's
// Match([]byte(err.Error())) is seen as a match on the text.
func stripBytes(info *types.Info, e ast.Expr) ast.Expr {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return e
	}
	tv, ok := info.Types[call.Fun]
	if !ok || !tv.IsType() {
		return e
	}
	if s, ok := tv.Type.Underlying().(*types.Slice); ok {
		if b, ok := s.Elem().Underlying().(*types.Basic); ok && b.Kind() == types.Byte {
			return call.Args[0]
		}
	}
	return e
}

// textVars returns the local variables of the file at root that hold an
// error's text for all their life: defined as err.Error() (msg :=
// err.Error(), var msg = err.Error()), never assigned again and never
// addressed, so that every use of one is a use of that text.
func textVars(info *types.Info, root inspector.Cursor) map[*types.Var]bool {
	text := make(map[*types.Var]bool)
	tainted := make(map[*types.Var]bool)
	localVar := func(id *ast.Ident, defs bool) *types.Var {
		var obj types.Object
		if defs {
			obj = info.Defs[id]
		} else {
			obj = info.Uses[id]
		}
		v, ok := obj.(*types.Var)
		if !ok || v.IsField() || v.Parent() == nil || v.Parent() == v.Pkg().Scope() {
			return nil
		}
		return v
	}
	define := func(lhs []*ast.Ident, rhs []ast.Expr) {
		for i, id := range lhs {
			v := localVar(id, true)
			if v == nil {
				continue
			}
			if len(lhs) == len(rhs) && isErrorText(info, rhs[i]) {
				text[v] = true
			}
		}
	}
	for c := range root.Preorder((*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil), (*ast.UnaryExpr)(nil), (*ast.RangeStmt)(nil)) {
		switch n := c.Node().(type) {
		case *ast.ValueSpec:
			define(n.Names, n.Values)
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				var ids []*ast.Ident
				for _, l := range n.Lhs {
					id, _ := l.(*ast.Ident)
					ids = append(ids, id)
				}
				// := may also assign to variables declared before.
				for i, id := range ids {
					if id == nil {
						continue
					}
					if v := localVar(id, false); v != nil {
						tainted[v] = true
					} else {
						define(ids[i:i+1], oneOf(n.Rhs, len(ids), i))
					}
				}
				continue
			}
			for _, l := range n.Lhs {
				if id, ok := ast.Unparen(l).(*ast.Ident); ok {
					if v := localVar(id, false); v != nil {
						tainted[v] = true
					}
				}
			}
		case *ast.RangeStmt:
			if n.Tok == token.ASSIGN {
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if id, ok := e.(*ast.Ident); ok {
						if v := localVar(id, false); v != nil {
							tainted[v] = true
						}
					}
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				if id, ok := ast.Unparen(n.X).(*ast.Ident); ok {
					if v := localVar(id, false); v != nil {
						tainted[v] = true
					}
				}
			}
		}
	}
	for v := range tainted {
		delete(text, v)
	}
	return text
}

// oneOf returns the right-hand side that gives the i-th of n left-hand
// sides its value: rhs[i:i+1] when each has its own, nil otherwise.
func oneOf(rhs []ast.Expr, n, i int) []ast.Expr {
	if len(rhs) != n {
		return nil
	}
	return rhs[i : i+1]
}
