// Package errcodecli is the errcode command, for any [errcode.Registry]:
// a program that keeps its codes in its own registry runs [Main] over it
// to describe its codes and decode errors that carry them, as
// cmd/errcode does over [errcode.Default].
//
//	func main() {
//		os.Exit(errcodecli.Main(myapp.Codes, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
//	}
//
// The commands are tree (the default), show, docs and decode; "help"
// lists them with their flags and exit statuses. Help and messages name
// the program "errcode".
package errcodecli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/errcode/errcode"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1 // show: unknown code; decode: input not read; any command: output not written
	exitUsage   = 2 // usage error or malformed input
)

// A command is one subcommand: its help text (synopsis first) and what
// it does with the arguments after its name. Only decode reads stdin.
type command struct {
	name    string
	summary string // one line for the command list
	help    string
	run     func(cmd *command, reg *errcode.Registry, args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// commands are the subcommands in the order help lists them; run
// dispatches on their names.
var commands = []*command{treeCmd, showCmd, docsCmd, decodeCmd}

// defaultCmd runs when no command is named, also when the arguments
// start with one of its flags ("errcode --json").
var defaultCmd = treeCmd

// Main runs the errcode command line args (without the program name)
// over the codes of r, with stdin as standard input, and returns the
// exit status: 0 for success, 1 for an unknown code (show), input that
// could not be read (decode) or output that could not be written, 2 for
// a usage error or malformed input. decode binds code names to r, as
// r.Decode does. Main panics if r is nil.
func Main(r *errcode.Registry, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if r == nil {
		panic("errcodecli: Main called with a nil Registry")
	}
	if len(args) == 0 {
		return defaultCmd.run(defaultCmd, r, nil, stdin, stdout, stderr)
	}
	switch name := args[0]; {
	case name == "help" || isHelpFlag(name):
		return runHelp(args[1:], stdout, stderr)
	case strings.HasPrefix(name, "-"):
		return defaultCmd.run(defaultCmd, r, args, stdin, stdout, stderr)
	}
	cmd := lookupCommand(args[0])
	if cmd == nil {
		unknownCommand(args[0], stderr)
		return exitUsage
	}
	return cmd.run(cmd, r, args[1:], stdin, stdout, stderr)
}

func lookupCommand(name string) *command {
	for _, c := range allCommands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

func isHelpFlag(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help" || arg == "--h"
}

func unknownCommand(name string, stderr io.Writer) {
	fmt.Fprintf(stderr, "errcode: unknown command %q\n", name)
	cmds := allCommands()
	names := make([]string, len(cmds))
	for i, c := range cmds {
		names[i] = c.name
	}
	if s := suggest(name, names); len(s) > 0 {
		fmt.Fprintf(stderr, "did you mean: %s?\n", strings.Join(s, ", "))
	}
	fmt.Fprintln(stderr, "Run 'errcode help' for usage.")
}

// runHelp prints the help for the command named in args, or the
// overview when there is none.
func runHelp(args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 0 || args[0] == "help" || isHelpFlag(args[0]):
		fmt.Fprint(stdout, overview())
		return exitOK
	case len(args) > 1:
		fmt.Fprintln(stderr, "errcode help: too many arguments; usage: errcode help [command]")
		return exitUsage
	}
	cmd := lookupCommand(args[0])
	if cmd == nil {
		unknownCommand(args[0], stderr)
		return exitUsage
	}
	fmt.Fprint(stdout, cmd.help)
	return exitOK
}

// overview returns the help for errcode itself.
func overview() string {
	var b strings.Builder
	b.WriteString(`errcode describes the error codes of a registry of
github.com/errcode/errcode: their place in the tree, retry decisions,
gRPC and HTTP mappings, retry-after hints, aliases and docs. It also
decodes errors that errcode encoded, in either wire form.

Usage:

	errcode [command] [flags] [arguments]

Commands:

`)
	for _, c := range allCommands() {
		fmt.Fprintf(&b, "\t%-8s%s\n", c.name, c.summary)
	}
	fmt.Fprintf(&b, "\t%-8s%s\n", "help", "print help for a command")
	fmt.Fprintf(&b, `
Without a command, errcode runs %q.
Run 'errcode help <command>' or 'errcode <command> --help' for details.

Exit status:

	0  success
	1  unknown code (show), the input could not be read (decode), or the
	   output could not be written
	2  usage error or malformed input
`, defaultCmd.name)
	return b.String()
}

// parseFlags parses args with fs, which may also follow the positional
// arguments ("show NAME --json"); everything after "--" is positional.
// It returns the positional arguments and ok, or, when the command is
// over (after --help or a bad flag), !ok and the exit status.
func parseFlags(cmd *command, fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (pos []string, status int, ok bool) {
	fs.SetOutput(io.Discard) // errors are reported below, help is cmd.help
	fs.Usage = func() {}
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, cmd.help)
			return nil, exitOK, false
		}
		if err != nil {
			usageError(cmd, stderr, "%v", err)
			return nil, exitUsage, false
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" || len(rest) == 0 {
			return append(pos, rest...), exitOK, true
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// usageError reports a usage error of cmd to stderr.
func usageError(cmd *command, stderr io.Writer, format string, args ...any) {
	fmt.Fprintf(stderr, "errcode %s: %s\n", cmd.name, fmt.Sprintf(format, args...))
	synopsis, _, _ := strings.Cut(cmd.help, "\n")
	fmt.Fprintf(stderr, "%s\nRun 'errcode %s --help' for details.\n", synopsis, cmd.name)
}

// emit writes out to w, reporting a failure to stderr.
func emit(w io.Writer, out *bytes.Buffer, stderr io.Writer) int {
	if _, err := out.WriteTo(w); err != nil {
		fmt.Fprintf(stderr, "errcode: writing output: %v\n", err)
		return exitFailure
	}
	return exitOK
}
