package errcodelint

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

// RegisterInit finds codes registered, or aliases added, on a shared
// registry outside program initialisation: a call of Register,
// MustRegister, Alias or MustAlias — the package-level functions, which
// use errcode.Default, and the methods of *errcode.Registry on a
// package-level variable (errcode.Default or a program's own), directly
// or through a local variable assigned one — anywhere but a
// package-level variable's initializer or an init function (or a
// function literal called on the spot in one of them).
//
// A registry made locally (r := errcode.NewRegistry(), as tests do) is
// not shared and not reported; nor is one the analyzer cannot trace to a
// package-level variable (a parameter, a field), where it cannot see
// whether it is shared.
var RegisterInit = &analysis.Analyzer{
	Name:     "registerinit",
	Doc:      "report errcode registrations (Register, MustRegister, Alias, MustAlias) on a shared registry outside package-level variable initializers and init functions",
	URL:      "https://pkg.go.dev/github.com/errcode/errcode/errcodelint#RegisterInit",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      runRegisterInit,
}

// registerFuncs are errcode's registering functions and methods, by full
// name; true for a method, whose receiver decides whether the registry
// is shared.
var registerFuncs = map[string]bool{
	errcodePath + ".Register":                      false,
	errcodePath + ".MustRegister":                  false,
	errcodePath + ".Alias":                         false,
	errcodePath + ".MustAlias":                     false,
	"(*" + errcodePath + ".Registry).Register":     true,
	"(*" + errcodePath + ".Registry).MustRegister": true,
	"(*" + errcodePath + ".Registry).Alias":        true,
	"(*" + errcodePath + ".Registry).MustAlias":    true,
}

func runRegisterInit(pass *analysis.Pass) (any, error) {
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	var aliases map[*types.Var]bool // computed on the first method call
	for c := range insp.Root().Preorder((*ast.CallExpr)(nil)) {
		call := c.Node().(*ast.CallExpr)
		method, ok := registerFuncs[calleeName(pass.TypesInfo, call)]
		if !ok || atInit(c) {
			continue
		}
		fn := typeFunc(pass.TypesInfo, call)
		what := fn.Name() + " on errcode.Default"
		if method {
			if aliases == nil {
				aliases = sharedLocals(pass.TypesInfo, insp)
			}
			recv := ast.Unparen(call.Fun).(*ast.SelectorExpr).X
			if !sharedRegistry(pass.TypesInfo, recv, aliases) {
				continue
			}
			if v := packageVar(pass.TypesInfo, recv); v == nil || v.Pkg().Path() != errcodePath || v.Name() != "Default" {
				what = fn.Name() + " on a shared registry"
			}
		}
		report(pass, "registerinit", analysis.Diagnostic{
			Pos: call.Pos(), End: call.End(),
			Message: what + " outside initialisation: register codes and aliases in a package-level variable's initializer or an init function",
		})
	}
	return nil, nil
}

// typeFunc returns the *types.Func call calls (known to be one).
func typeFunc(info *types.Info, call *ast.CallExpr) *types.Func {
	fun := ast.Unparen(call.Fun)
	if sel, ok := fun.(*ast.SelectorExpr); ok {
		fun = sel.Sel
	}
	return info.Uses[fun.(*ast.Ident)].(*types.Func)
}

// atInit reports whether the call at c runs during package
// initialisation: in a package-level variable's initializer or in an
// init function, and, if inside function literals, only ones called
// where they are written.
func atInit(c inspector.Cursor) bool {
	for p := range c.Enclosing() {
		switch n := p.Node().(type) {
		case *ast.FuncLit:
			call, ok := p.Parent().Node().(*ast.CallExpr)
			if !ok || ast.Unparen(call.Fun) != n {
				return false
			}
		case *ast.FuncDecl:
			return n.Recv == nil && n.Name.Name == "init"
		case *ast.GenDecl:
			_, top := p.Parent().Node().(*ast.File)
			return top && n.Tok == token.VAR
		}
	}
	return false
}

// packageVar returns the package-level variable e names (v or pkg.V);
// nil if it names none.
func packageVar(info *types.Info, e ast.Expr) *types.Var {
	var id *ast.Ident
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		id = x
	case *ast.SelectorExpr:
		if _, ok := info.Selections[x]; ok {
			return nil // a field or method, not a qualified identifier
		}
		id = x.Sel
	default:
		return nil
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok || v.IsField() || v.Pkg() == nil || v.Parent() != v.Pkg().Scope() {
		return nil
	}
	return v
}

// sharedRegistry reports whether e is a shared registry: a package-level
// variable, or a local one in aliases.
func sharedRegistry(info *types.Info, e ast.Expr, aliases map[*types.Var]bool) bool {
	if packageVar(info, e) != nil {
		return true
	}
	if id, ok := ast.Unparen(e).(*ast.Ident); ok {
		v, ok := info.Uses[id].(*types.Var)
		return ok && aliases[v]
	}
	return false
}

// sharedLocals returns the local variables of the package assigned a
// package-level variable's value (r := errcode.Default, r = reg) at
// least once: a registry method called on one may be called on a shared
// registry.
func sharedLocals(info *types.Info, insp *inspector.Inspector) map[*types.Var]bool {
	out := make(map[*types.Var]bool)
	assign := func(lhs, rhs ast.Expr) {
		id, ok := ast.Unparen(lhs).(*ast.Ident)
		if !ok || packageVar(info, rhs) == nil {
			return
		}
		obj := info.Defs[id]
		if obj == nil {
			obj = info.Uses[id]
		}
		if v, ok := obj.(*types.Var); ok && !v.IsField() && v.Parent() != v.Pkg().Scope() {
			out[v] = true
		}
	}
	for c := range insp.Root().Preorder((*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil)) {
		switch n := c.Node().(type) {
		case *ast.ValueSpec:
			if len(n.Values) == len(n.Names) {
				for i, id := range n.Names {
					assign(id, n.Values[i])
				}
			}
		case *ast.AssignStmt:
			if len(n.Lhs) == len(n.Rhs) {
				for i, l := range n.Lhs {
					assign(l, n.Rhs[i])
				}
			}
		}
	}
	return out
}
