package errcodelint

import (
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// ignoreDirective starts the comment that suppresses findings:
//
//	//errcodelint:ignore textmatch the message is a third party's contract
//
// It names one check, several separated by commas, or "all", then why;
// it suppresses those checks' findings on its own line, or, alone on a
// line, on the next one.
const ignoreDirective = "//errcodelint:ignore "

// suppressed reports whether a directive suppresses the finding of check
// at pos.
func suppressed(pass *analysis.Pass, pos token.Pos, check string) bool {
	file := fileOf(pass, pos)
	if file == nil {
		return false
	}
	line := pass.Fset.Position(pos).Line
	for _, cg := range file.Comments {
		for _, c := range cg.List {
			names, ok := strings.CutPrefix(c.Text, ignoreDirective)
			if !ok {
				continue
			}
			at := pass.Fset.Position(c.Slash).Line
			if at != line && at != line-1 {
				continue
			}
			names, _, _ = strings.Cut(strings.TrimSpace(names), " ")
			for _, n := range strings.Split(names, ",") {
				if n == check || n == "all" {
					return true
				}
			}
		}
	}
	return false
}

// fileOf returns the file of the package that holds pos; nil if none.
func fileOf(pass *analysis.Pass, pos token.Pos) *ast.File {
	for _, f := range pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}

// report reports d unless a directive suppresses check at d.Pos.
func report(pass *analysis.Pass, check string, d analysis.Diagnostic) {
	if suppressed(pass, d.Pos, check) {
		return
	}
	d.Category = check
	pass.Report(d)
}
