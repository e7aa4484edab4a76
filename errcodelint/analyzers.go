package errcodelint

import "golang.org/x/tools/go/analysis"

// Analyzers returns the analyzers of this package, in the order
// errcodelint runs them.
func Analyzers() []*analysis.Analyzer {
	return []*analysis.Analyzer{Boundary}
}
