package errcodelint

import "golang.org/x/tools/go/analysis"

// Analyzers returns the analyzers of this package, in the order
// errcodelint runs them. ErrorsIs is among them so that its flag exists;
// it reports nothing unless that flag is set.
func Analyzers() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		TextMatch,
		RegisterInit,
		Boundary,
		ErrorsIs,
	}
}
