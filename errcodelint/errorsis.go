package errcodelint

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

// ErrorsIs finds errors.Is(err, c) — the standard library's or
// cockroachdb's — where c is an errcode Code, and suggests
// errcode.Is(err, c), which answers the same question for a Code without
// allocating. It is off by default: it reports nothing unless its flag
// enable is set (-errorsis.enable on the command line). Where the file
// imports errcode, the finding carries a fix that rewrites the call
// (and drops the errors import when no other use of it remains); where
// it does not, the message says so and no fix is offered.
var ErrorsIs = &analysis.Analyzer{
	Name:     "errorsis",
	Doc:      "report errors.Is(err, c) for an errcode Code c, where errcode.Is(err, c) answers without allocating (off unless -errorsis.enable)",
	URL:      "https://pkg.go.dev/github.com/errcode/errcode/errcodelint#ErrorsIs",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      runErrorsIs,
}

// errorsIsEnabled is ErrorsIs's flag enable.
var errorsIsEnabled bool

func init() {
	ErrorsIs.Flags.BoolVar(&errorsIsEnabled, "enable", false, "run the errorsis check (off by default)")
}

// errorsIsFuncs are the errors.Is functions the check knows, by full name.
var errorsIsFuncs = map[string]bool{
	"errors.Is":                        true,
	"github.com/cockroachdb/errors.Is": true,
}

func runErrorsIs(pass *analysis.Pass) (any, error) {
	if !errorsIsEnabled {
		return nil, nil
	}
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for _, f := range pass.Files {
		root, ok := insp.Root().FindNode(f)
		if !ok {
			continue
		}
		var calls []*ast.CallExpr
		for c := range root.Preorder((*ast.CallExpr)(nil)) {
			call := c.Node().(*ast.CallExpr)
			if len(call.Args) == 2 && errorsIsFuncs[calleeName(pass.TypesInfo, call)] &&
				isErrcodeCode(pass.TypesInfo.TypeOf(call.Args[1])) {
				calls = append(calls, call)
			}
		}
		if len(calls) == 0 {
			continue
		}
		name, imported := importName(pass, f, errcodePath)
		drop := unusedAfter(pass, f, calls)
		for _, call := range calls {
			d := analysis.Diagnostic{Pos: call.Pos(), End: call.End()}
			if !imported {
				d.Message = "errors.Is with an errcode Code: use errcode.Is(err, code), which does not allocate (import " + strconv.Quote(errcodePath) + ")"
				report(pass, "errorsis", d)
				continue
			}
			is := "Is"
			if name != "." {
				is = name + ".Is"
			}
			d.Message = "errors.Is with an errcode Code: use " + is + "(err, code), which does not allocate"
			fix := analysis.SuggestedFix{
				Message:   "Use " + is,
				TextEdits: []analysis.TextEdit{{Pos: call.Fun.Pos(), End: call.Fun.End(), NewText: []byte(is)}},
			}
			fix.TextEdits = append(fix.TextEdits, drop...)
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
			report(pass, "errorsis", d)
		}
	}
	return nil, nil
}

// importName returns the name file f refers to the package at path by
// ("." for a dot import), and whether f imports it.
func importName(pass *analysis.Pass, f *ast.File, path string) (string, bool) {
	for _, spec := range f.Imports {
		p, err := strconv.Unquote(spec.Path.Value)
		if err != nil || p != path {
			continue
		}
		if spec.Name != nil {
			if spec.Name.Name == "_" {
				continue
			}
			return spec.Name.Name, true
		}
		if pn, ok := pass.TypesInfo.Implicits[spec].(*types.PkgName); ok {
			return pn.Name(), true
		}
	}
	return "", false
}

// unusedAfter returns the edits that delete the imports of the errors
// packages that calls use, where calls are every use of that import in
// f — so that once every call is rewritten, no unused import remains.
// Each fix carries the same deletion; identical edits coalesce when
// fixes are applied together. A dot import is never deleted.
func unusedAfter(pass *analysis.Pass, f *ast.File, calls []*ast.CallExpr) []analysis.TextEdit {
	rewritten := make(map[*ast.Ident]bool)
	for _, call := range calls {
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			if x, ok := sel.X.(*ast.Ident); ok {
				rewritten[x] = true
			}
		}
	}
	var edits []analysis.TextEdit
	for _, spec := range f.Imports {
		var pn *types.PkgName
		if spec.Name != nil {
			pn, _ = pass.TypesInfo.Defs[spec.Name].(*types.PkgName)
		} else {
			pn, _ = pass.TypesInfo.Implicits[spec].(*types.PkgName)
		}
		if pn == nil || !errorsIsFuncs[pn.Imported().Path()+".Is"] {
			continue
		}
		uses, mine := 0, 0
		for id, obj := range pass.TypesInfo.Uses {
			if obj == pn {
				uses++
				if rewritten[id] {
					mine++
				}
			}
		}
		if mine > 0 && uses == mine {
			edits = append(edits, deleteImport(pass, f, spec))
		}
	}
	return edits
}

// deleteImport returns the edit that deletes spec from f: the whole
// declaration if spec is its only one, else spec's line when it has the
// line to itself, else spec alone.
func deleteImport(pass *analysis.Pass, f *ast.File, spec *ast.ImportSpec) analysis.TextEdit {
	tf := pass.Fset.File(spec.Pos())
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok {
			continue
		}
		i := slices.Index(gd.Specs, ast.Spec(spec))
		if i < 0 {
			continue
		}
		if len(gd.Specs) == 1 {
			return analysis.TextEdit{Pos: gd.Pos(), End: lineEnd(tf, gd.End())}
		}
		line := tf.Line(spec.Pos())
		alone := tf.Line(spec.End()) == line &&
			(i == 0 || tf.Line(gd.Specs[i-1].End()) < line) &&
			(i == len(gd.Specs)-1 || tf.Line(gd.Specs[i+1].Pos()) > line)
		if alone {
			return analysis.TextEdit{Pos: tf.LineStart(line), End: lineEnd(tf, spec.End())}
		}
		break
	}
	return analysis.TextEdit{Pos: spec.Pos(), End: spec.End()}
}

// lineEnd returns the start of the line after pos's, or the end of the
// file if pos is on its last line.
func lineEnd(tf *token.File, pos token.Pos) token.Pos {
	if line := tf.Line(pos); line < tf.LineCount() {
		return tf.LineStart(line + 1)
	}
	return token.Pos(tf.Base() + tf.Size())
}
