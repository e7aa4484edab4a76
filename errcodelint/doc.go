// Package errcodelint holds go/analysis analyzers that find where a
// program still guesses what an error is — by its text — or lets an
// error leave it without a code, and where it registers codes outside
// program initialisation.
//
// The checks (each an [analysis.Analyzer] of this package; [Analyzers]
// lists them all, errorsis reporting nothing unless its flag is set):
//
//   - textmatch: a decision on an error's text — err.Error() compared
//     with ==, !=, strings.Contains, HasPrefix, HasSuffix, EqualFold, a
//     regexp, or switched on, directly or through a local variable that
//     holds the text. _test.go files are exempt.
//   - registerinit: Register, MustRegister, Alias or MustAlias of a
//     shared registry (Default, or a package-level one) outside a
//     package-level variable's initializer or an init function; a
//     registry made locally (errcode.NewRegistry in the function) is
//     exempt.
//   - boundary: an error made without a code (errors.New; fmt.Errorf, or
//     cockroachdb's Newf, Errorf, NewWithDepthf, AssertionFailedf and
//     AssertionFailedWithDepthf, with a constant format and no %w;
//     cockroachdb's New and NewWithDepth) returned from a gRPC service
//     method, or passed to WriteHTTPError or WriteHTTPErrorWith in an HTTP
//     handler, where the analyzer can see where it was made: the call
//     itself, or a local variable every assignment of which is such a
//     call or nil.
//   - errorsis (off unless its flag enable is set: -errorsis.enable):
//     errors.Is(err, c) for an errcode Code c, where errcode.Is answers
//     without allocating; a suggested fix rewrites the call where the
//     file imports errcode.
//
// A finding is suppressed by a comment on its line, or alone on the line
// above it, that names its check (several separated by commas, or
// "all") and says why:
//
//	//errcodelint:ignore textmatch the message is the vendor's documented contract
//
// Command errcodelint runs them, standalone or as go vet's tool:
//
//	go vet -vettool=$(command -v errcodelint) ./...
package errcodelint
