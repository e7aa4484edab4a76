package errcodelint

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// Boundary reports errors made without a code that cross a boundary:
// returned from a gRPC service method, or passed to errcode's
// WriteHTTPError or WriteHTTPErrorWith inside an HTTP handler.
//
// A gRPC service method is a method, named in the service, of a type
// that embeds an Unimplemented…Server struct, or of a type that
// implements a …Server interface (one without "_" in its name, so not a
// stream's) declared in a *_grpc.pb.go file of its own package or of one
// it imports. An HTTP handler is a function or function literal whose
// parameters are (http.ResponseWriter, *http.Request), or a method named
// ServeHTTP; a WriteHTTPError call anywhere inside one, closures
// included, counts.
//
// An error is "without a code" when the analyzer sees where it was made
// and that place is one of:
//
//   - errors.New of the standard library;
//   - fmt.Errorf with a constant format that has no %w verb;
//   - github.com/cockroachdb/errors's New or NewWithDepth, or its Newf,
//     Errorf, NewWithDepthf, AssertionFailedf or
//     AssertionFailedWithDepthf with a constant format that has no %w
//     verb (error arguments formatted with another verb become secondary
//     errors, which are not on the chain).
//
// It sees where the error was made when the crossing expression is such
// a call itself, or a variable declared inside the function (not a
// parameter or result) whose every assignment in the enclosing function,
// closures included, is such a call or nil, and whose address is never
// taken. Generated files (with the standard "Code generated … DO NOT
// EDIT." comment) are not checked. Anything else — an error from errcode (Code.New, Wrap…), from
// any other call, a format with %w (its chain may carry a code), a
// format that is not a constant, a package-level variable — is not
// reported.
var Boundary = &analysis.Analyzer{
	Name:     "boundary",
	Doc:      "report errors made without a code (errors.New, fmt.Errorf, cockroachdb's New) returned from a gRPC service method or written with errcode.WriteHTTPError in an HTTP handler",
	URL:      "https://pkg.go.dev/github.com/errcode/errcode/errcodelint#Boundary",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      runBoundary,
}

// uncodedMakers maps the full name of each function that makes an error
// without a code to the index of its format argument, or -1 when it
// takes no format (and never wraps).
var uncodedMakers = map[string]int{
	"errors.New":                        -1,
	"fmt.Errorf":                        0,
	"github.com/cockroachdb/errors.New": -1,
	"github.com/cockroachdb/errors.NewWithDepth":              -1,
	"github.com/cockroachdb/errors.Newf":                      0,
	"github.com/cockroachdb/errors.Errorf":                    0,
	"github.com/cockroachdb/errors.NewWithDepthf":             1,
	"github.com/cockroachdb/errors.AssertionFailedf":          0,
	"github.com/cockroachdb/errors.AssertionFailedWithDepthf": 1,
}

// httpWriters maps the full name of each function that writes an error
// as an HTTP response to the index of its error argument.
var httpWriters = map[string]int{
	"github.com/errcode/errcode.WriteHTTPError":     1,
	"github.com/errcode/errcode.WriteHTTPErrorWith": 1,
}

func runBoundary(pass *analysis.Pass) (any, error) {
	b := &boundary{
		pass:   pass,
		ifaces: grpcServerInterfaces(pass),
		vars:   map[ast.Node]map[*types.Var]*localError{},
	}
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	filter := []ast.Node{(*ast.ReturnStmt)(nil), (*ast.CallExpr)(nil)}
	insp.WithStack(filter, func(n ast.Node, push bool, stack []ast.Node) bool {
		if !push {
			return true
		}
		if f, ok := stack[0].(*ast.File); ok && ast.IsGenerated(f) {
			return false // its author cannot change it
		}
		switch n := n.(type) {
		case *ast.ReturnStmt:
			b.checkReturn(n, stack)
		case *ast.CallExpr:
			b.checkHTTPWrite(n, stack)
		}
		return true
	})
	return nil, nil
}

type boundary struct {
	pass   *analysis.Pass
	ifaces []*types.Named
	// vars caches, per outermost function, what is known of its local
	// error variables.
	vars map[ast.Node]map[*types.Var]*localError
}

// localError is what the analyzer knows of a local variable: whether it
// is declared in the function, whether anything other than an uncoded
// maker or nil is (or may be) assigned to it, and the makers assigned.
type localError struct {
	declared bool
	other    bool
	makers   []string
}

// checkReturn reports the uncoded errors ret returns, if the function it
// returns from is a gRPC service method.
func (b *boundary) checkReturn(ret *ast.ReturnStmt, stack []ast.Node) {
	fn := innermostFunc(stack)
	decl, ok := fn.(*ast.FuncDecl)
	if !ok || !b.isServiceMethod(decl) {
		return
	}
	obj, ok := b.pass.TypesInfo.Defs[decl.Name].(*types.Func)
	if !ok {
		return
	}
	results := obj.Signature().Results()
	if len(ret.Results) != results.Len() {
		return // a bare return, or a call returning several values
	}
	for i, e := range ret.Results {
		if !isErrorType(results.At(i).Type()) {
			continue
		}
		b.checkCrossing(e, stack, "gRPC")
	}
}

// checkHTTPWrite reports the uncoded error call writes, if call is
// WriteHTTPError or WriteHTTPErrorWith inside an HTTP handler.
func (b *boundary) checkHTTPWrite(call *ast.CallExpr, stack []ast.Node) {
	fn, ok := typeutil.Callee(b.pass.TypesInfo, call).(*types.Func)
	if !ok {
		return
	}
	arg, ok := httpWriters[fn.FullName()]
	if !ok || arg >= len(call.Args) {
		return
	}
	inHandler := false
	for _, n := range stack {
		if b.isHTTPHandler(n) {
			inHandler = true
			break
		}
	}
	if inHandler {
		b.checkCrossing(call.Args[arg], stack, "HTTP")
	}
}

// checkCrossing reports e if it is an error the analyzer sees was made
// without a code.
func (b *boundary) checkCrossing(e ast.Expr, stack []ast.Node, where string) {
	e = ast.Unparen(e)
	var what string
	if maker, ok := b.uncodedMaker(e); ok {
		what = maker
	} else if id, ok := e.(*ast.Ident); ok {
		v, ok := b.pass.TypesInfo.Uses[id].(*types.Var)
		if !ok {
			return
		}
		le := b.localErrors(outermostFunc(stack))[v]
		if le == nil || !le.declared || le.other || len(le.makers) == 0 {
			return
		}
		what = id.Name + ", from " + strings.Join(le.makers, ", ")
	} else {
		return
	}
	report(b.pass, b.pass.Analyzer.Name, analysis.Diagnostic{
		Pos:     e.Pos(),
		End:     e.End(),
		Message: "error without a code (" + what + ") crosses the " + where + " boundary: make it with an errcode Code (Code.New/Wrap)",
	})
}

// uncodedMaker returns the full name of the function e calls if e makes
// an error without a code.
func (b *boundary) uncodedMaker(e ast.Expr) (string, bool) {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return "", false
	}
	fn, ok := typeutil.Callee(b.pass.TypesInfo, call).(*types.Func)
	if !ok {
		return "", false
	}
	name := fn.FullName()
	format, ok := uncodedMakers[name]
	if !ok {
		return "", false
	}
	if format < 0 {
		return name, true
	}
	if format >= len(call.Args) {
		return "", false
	}
	tv, ok := b.pass.TypesInfo.Types[call.Args[format]]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false // not a constant: it may wrap
	}
	if hasWrapVerb(constant.StringVal(tv.Value)) {
		return "", false
	}
	return name, true
}

// hasWrapVerb reports whether the format has a %w verb (with any flags,
// argument index, width or precision).
func hasWrapVerb(format string) bool {
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		if i < len(format) && format[i] == '%' {
			continue
		}
		for i < len(format) && strings.IndexByte("+-# 0123456789.*[]", format[i]) >= 0 {
			i++
		}
		if i < len(format) && format[i] == 'w' {
			return true
		}
	}
	return false
}

// localErrors returns what is known of the local variables of fn (a
// FuncDecl or FuncLit, with the closures inside it).
func (b *boundary) localErrors(fn ast.Node) map[*types.Var]*localError {
	if m, ok := b.vars[fn]; ok {
		return m
	}
	m := map[*types.Var]*localError{}
	b.vars[fn] = m
	var body *ast.BlockStmt
	switch fn := fn.(type) {
	case *ast.FuncDecl:
		body = fn.Body
	case *ast.FuncLit:
		body = fn.Body
	}
	if body == nil {
		return m
	}
	info := b.pass.TypesInfo
	get := func(e ast.Expr) *localError {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return nil
		}
		v, ok := info.ObjectOf(id).(*types.Var)
		if !ok {
			return nil
		}
		le := m[v]
		if le == nil {
			le = &localError{}
			m[v] = le
		}
		return le
	}
	assign := func(le *localError, rhs ast.Expr) {
		if rhs == nil {
			return // declared without a value: nil
		}
		if tv, ok := info.Types[ast.Unparen(rhs)]; ok && tv.IsNil() {
			return
		}
		if maker, ok := b.uncodedMaker(rhs); ok {
			le.makers = appendNew(le.makers, maker)
			return
		}
		le.other = true
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ValueSpec:
			for i, name := range n.Names {
				le := get(name)
				if le == nil {
					continue
				}
				le.declared = true
				switch {
				case len(n.Values) == 0:
					assign(le, nil)
				case len(n.Values) == len(n.Names):
					assign(le, n.Values[i])
				default:
					le.other = true
				}
			}
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				le := get(lhs)
				if le == nil {
					continue
				}
				if id, ok := lhs.(*ast.Ident); ok && n.Tok == token.DEFINE && info.Defs[id] != nil {
					le.declared = true
				}
				if (n.Tok == token.ASSIGN || n.Tok == token.DEFINE) && len(n.Lhs) == len(n.Rhs) {
					assign(le, n.Rhs[i])
				} else {
					le.other = true
				}
			}
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if le := get(e); le != nil {
					le.other = true
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				if le := get(n.X); le != nil {
					le.other = true
				}
			}
		}
		return true
	})
	return m
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// isServiceMethod reports whether decl is a gRPC service method: a
// method of the service's server, named in the service.
func (b *boundary) isServiceMethod(decl *ast.FuncDecl) bool {
	if decl.Recv == nil || !decl.Name.IsExported() {
		return false
	}
	fn, ok := b.pass.TypesInfo.Defs[decl.Name].(*types.Func)
	if !ok {
		return false
	}
	recv := fn.Signature().Recv().Type()
	if p, ok := recv.(*types.Pointer); ok {
		recv = p.Elem()
	}
	named, ok := recv.(*types.Named)
	if !ok {
		return false
	}
	name := decl.Name.Name
	if st, ok := named.Underlying().(*types.Struct); ok {
		for i := range st.NumFields() {
			f := st.Field(i)
			if !f.Embedded() || !isUnimplementedServer(f.Type()) {
				continue
			}
			if hasMethod(types.NewPointer(deref(f.Type())), name) {
				return true
			}
		}
	}
	for _, iface := range b.ifaces {
		it := iface.Underlying().(*types.Interface)
		if !hasMethod(it, name) {
			continue
		}
		if types.Implements(named, it) || types.Implements(types.NewPointer(named), it) {
			return true
		}
	}
	return false
}

// isUnimplementedServer reports whether t (or what it points to) is a
// named struct called Unimplemented…Server.
func isUnimplementedServer(t types.Type) bool {
	n, ok := deref(t).(*types.Named)
	if !ok {
		return false
	}
	if _, ok := n.Underlying().(*types.Struct); !ok {
		return false
	}
	name := n.Obj().Name()
	return len(name) > len("UnimplementedServer") &&
		strings.HasPrefix(name, "Unimplemented") && strings.HasSuffix(name, "Server")
}

func deref(t types.Type) types.Type {
	if p, ok := t.(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

func hasMethod(t types.Type, name string) bool {
	sel := types.NewMethodSet(t).Lookup(nil, name)
	return sel != nil
}

// grpcServerInterfaces returns the …Server interfaces (without "_" in
// their names) declared in *_grpc.pb.go files of pass's package and the
// packages it imports.
func grpcServerInterfaces(pass *analysis.Pass) []*types.Named {
	var out []*types.Named
	pkgs := append([]*types.Package{pass.Pkg}, pass.Pkg.Imports()...)
	for _, pkg := range pkgs {
		scope := pkg.Scope()
		for _, name := range scope.Names() {
			tn, ok := scope.Lookup(name).(*types.TypeName)
			if !ok || !tn.Exported() || !strings.HasSuffix(name, "Server") || strings.Contains(name, "_") {
				continue
			}
			named, ok := tn.Type().(*types.Named)
			if !ok {
				continue
			}
			if _, ok := named.Underlying().(*types.Interface); !ok {
				continue
			}
			if strings.HasSuffix(pass.Fset.Position(tn.Pos()).Filename, "_grpc.pb.go") {
				out = append(out, named)
			}
		}
	}
	return out
}

// isHTTPHandler reports whether n is a function whose parameters are
// (http.ResponseWriter, *http.Request), or a method named ServeHTTP.
func (b *boundary) isHTTPHandler(n ast.Node) bool {
	var sig *types.Signature
	switch n := n.(type) {
	case *ast.FuncDecl:
		if n.Recv != nil && n.Name.Name == "ServeHTTP" {
			return true
		}
		fn, ok := b.pass.TypesInfo.Defs[n.Name].(*types.Func)
		if !ok {
			return false
		}
		sig = fn.Signature()
	case *ast.FuncLit:
		sig, _ = b.pass.TypesInfo.TypeOf(n).(*types.Signature)
	}
	if sig == nil || sig.Params().Len() != 2 {
		return false
	}
	req, ok := sig.Params().At(1).Type().(*types.Pointer)
	return ok && isNetHTTP(sig.Params().At(0).Type(), "ResponseWriter") && isNetHTTP(req.Elem(), "Request")
}

func isNetHTTP(t types.Type, name string) bool {
	n, ok := t.(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "net/http" && n.Obj().Name() == name
}

// isErrorType reports whether t is the predeclared error type.
func isErrorType(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// innermostFunc returns the innermost FuncDecl or FuncLit of stack.
func innermostFunc(stack []ast.Node) ast.Node {
	for i := len(stack) - 1; i >= 0; i-- {
		switch stack[i].(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return stack[i]
		}
	}
	return nil
}

// outermostFunc returns the outermost FuncDecl or FuncLit of stack.
func outermostFunc(stack []ast.Node) ast.Node {
	for _, n := range stack {
		switch n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return n
		}
	}
	return nil
}
