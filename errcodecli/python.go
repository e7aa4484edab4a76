package errcodecli

import (
	"bytes"
	"io"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcodepy"
)

// pythonGenerator writes the Python module of a registry: errcodepy's
// Generate, a variable so that tests can stand another in.
var pythonGenerator = errcodepy.Generate

// allCommands returns the commands in the order help lists them.
func allCommands() []*command {
	return append(commands[:len(commands):len(commands)], pythonCmd)
}

var pythonCmd = &command{
	name:    "python",
	summary: "print the registry as a Python module",
	help: `usage: errcode python [-o FILE]

Python prints the registry's codes as a Python module that mirrors them:
one exception class per code under its parent, and the functions that
read and write errcode's JSON form.

Flags:

	-o FILE  write the module to FILE instead of standard output

Exit status:

	0  success
	1  the registry cannot be written as Python (the error says why), or
	   the output could not be written
	2  usage error
`,
	run: runPython,
}

func runPython(cmd *command, reg *errcode.Registry, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	return runWriter(cmd, args, stdout, stderr, func(out *bytes.Buffer) error {
		return pythonGenerator(out, reg)
	})
}
