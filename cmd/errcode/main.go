// Command errcode describes the error codes registered in the Default
// registry of github.com/errcode/errcode: as a tree, one code at a time,
// as JSON, or as the Markdown table checked in as CODES.md; and it reads
// errors encoded by errcode (either wire form) and says what they carry.
//
//	errcode                  # the catalog as a tree
//	errcode show VmError     # one code (or alias), its ancestors and descendants
//	errcode docs -o CODES.md # the Markdown table (see generate.go)
//	errcode decode err.b64   # an encoded error: code, ancestry, retry, fields, stack
//	errcode decode st.b64    # a grpc-status-details-bin value: code, message, details
//	errcode python -o m.py   # the catalog as a Python module (see errcodepy)
//
// Run "errcode help" for the commands, their flags and exit statuses. The
// command is [errcodecli.Main] over [errcode.Default]; a program with its
// own registry runs errcodecli.Main over that.
package main

import (
	"os"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcodecli"
)

func main() {
	os.Exit(errcodecli.Main(errcode.Default, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
