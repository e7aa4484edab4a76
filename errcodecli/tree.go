package errcodecli

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"strings"

	"github.com/errcode/errcode"
)

var treeCmd = &command{
	name:    "tree",
	summary: "print the catalog as a tree",
	help: `usage: errcode [tree] [--json]

Tree prints every code of the registry as a tree: roots first,
each code's children in registration order. A code's name is followed by
its aliases (other names for the same code); under it come its doc line,
its retry decision, its gRPC code and HTTP status, its retry-after hint
if it has one, and "stackless" if its errors capture no stack trace. A
retry decision or mapping is marked "own" when the code's registration
sets it (even to its parent's value), or "from X" when the code inherits
it from its ancestor X.

Flags:

	--json  print a JSON array of code objects instead, in the same order,
	        with the fields name, parent, ancestors (parent first), retry,
	        retry_from, grpc_code (like "Unavailable"), http_status,
	        retry_after (like "1s"), stackless, aliases and doc; a code
	        without a value has "", 0 or [].

Exit status:

	0  success
	1  the output could not be written
	2  usage error
`,
	run: runTree,
}

func runTree(cmd *command, reg *errcode.Registry, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	pos, status, ok := parseFlags(cmd, fs, args, stdout, stderr)
	if !ok {
		return status
	}
	if len(pos) > 0 {
		usageError(cmd, stderr, "unexpected argument %q", pos[0])
		return exitUsage
	}

	cat := newCatalog(reg)
	var out bytes.Buffer
	if *asJSON {
		codes := cat.codes()
		all := make([]codeJSON, len(codes))
		for i, c := range codes {
			all[i] = cat.json(c)
		}
		writeJSON(&out, all)
	} else {
		for i, r := range cat.roots {
			if i > 0 {
				out.WriteByte('\n')
			}
			cat.writeTree(&out, r, "", "")
		}
	}
	return emit(stdout, &out, stderr)
}

// writeTree writes c and its subtree: c's name line starts with
// linePrefix, and every line under it with prefix.
func (cat *catalog) writeTree(out *bytes.Buffer, c errcode.Code, linePrefix, prefix string) {
	kids := cat.children[c]
	out.WriteString(linePrefix + c.Name())
	switch as := cat.reg.Aliases(c); len(as) {
	case 0:
	case 1:
		out.WriteString("  (alias: " + as[0] + ")")
	default:
		out.WriteString("  (aliases: " + strings.Join(as, ", ") + ")")
	}
	out.WriteByte('\n')

	detail := prefix + "    "
	if len(kids) > 0 {
		detail = prefix + "│   "
	}
	if doc := c.Doc(); doc != "" {
		out.WriteString(detail + doc + "\n")
	}
	out.WriteString(detail + "retry: " + describeRetry(c) + "\n")
	out.WriteString(detail + "gRPC: " + describe(c, grpcSetting, "none") +
		"; HTTP: " + describe(c, httpSetting, "none"))
	if c.RetryAfter() > 0 {
		out.WriteString("; retry after: " + describe(c, retryAfterSetting, ""))
	}
	if c.Stackless() {
		out.WriteString("; stackless")
	}
	out.WriteByte('\n')

	for i, k := range kids {
		if i == len(kids)-1 {
			cat.writeTree(out, k, prefix+"└── ", prefix+"    ")
		} else {
			cat.writeTree(out, k, prefix+"├── ", prefix+"│   ")
		}
	}
}

// writeJSON writes v as indented JSON.
func writeJSON(out *bytes.Buffer, v any) {
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		panic("errcode: encoding JSON: " + err.Error()) // only strings, ints and bools
	}
}
