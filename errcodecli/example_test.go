package errcodecli_test

import (
	"os"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcodecli"
)

// A program's own catalog, described by the errcode command.
func ExampleMain() {
	codes := errcode.NewRegistry()
	store := codes.MustRegister("StoreError", errcode.Code{}, errcode.Doc("the store failed"))
	codes.MustRegister("StoreBusyError", store, errcode.Transient, errcode.Doc("try again"))

	// In a main: os.Exit(errcodecli.Main(codes, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	errcodecli.Main(codes, []string{"tree"}, os.Stdin, os.Stdout, os.Stderr)
	// Output:
	// StoreError
	// │   the store failed
	// │   retry: unspecified
	// │   gRPC: none; HTTP: none
	// └── StoreBusyError
	//         try again
	//         retry: transient (own)
	//         gRPC: none; HTTP: none
}
