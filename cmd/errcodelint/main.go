// Command errcodelint runs the analyzers of package errcodelint: over
// packages, or as go vet's tool.
//
//	errcodelint ./...
//	go vet -vettool=$(command -v errcodelint) ./...
//
// See package errcodelint for the checks and how to suppress a finding.
package main

import (
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/errcode/errcode/errcodelint"
)

func main() { multichecker.Main(errcodelint.Analyzers()...) }
