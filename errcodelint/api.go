package errcodelint

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"
)

// errcodePath is the import path of package errcode, whose API the
// analyzers recognise by its types, never by the text of a name.
const errcodePath = "github.com/errcode/errcode"

// errorType is the predeclared interface error.
var errorType = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

// calleeName returns the full name (types.Func.FullName, such as
// "strings.Contains" or "(*regexp.Regexp).MatchString") of the function
// or method call calls statically; "" for a call of a function value, a
// conversion or a builtin.
func calleeName(info *types.Info, call *ast.CallExpr) string {
	if fn, ok := typeutil.Callee(info, call).(*types.Func); ok {
		return fn.FullName()
	}
	return ""
}

// isErrorText reports whether e is x.Error() for an x whose type
// implements error: a call of the method Error() string of an error.
func isErrorText(info *types.Info, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 0 {
		return false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Error" {
		return false
	}
	s, ok := info.Selections[sel]
	if !ok || s.Kind() != types.MethodVal {
		return false
	}
	return types.Implements(s.Recv(), errorType)
}

// isErrcodeCode reports whether t is errcode's Code.
func isErrcodeCode(t types.Type) bool {
	named, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	obj := named.Obj()
	return obj.Pkg() != nil && obj.Pkg().Path() == errcodePath && obj.Name() == "Code"
}
