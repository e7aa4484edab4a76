package errcodecli

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/errcode/errcode"
)

var showCmd = &command{
	name:    "show",
	summary: "print one code, its ancestors and descendants",
	help: `usage: errcode show [--json] NAME

Show prints the code named NAME, which may be an alias (then it says which
code the alias names): its doc line, aliases, parent, ancestors (parent
first), descendants (its whole subtree, parent before children), retry
decision, gRPC code, HTTP status and retry-after hint. Retry and the
mappings are marked "own" when the code's registration sets them (even to
its parent's value), or "from X" when the code inherits them from its
ancestor X.

An unknown NAME is reported with the closest code names and aliases.

Flags:

	--json  print a JSON object instead: the fields of 'errcode tree --json'
	        and descendants (names, in the same order), and looked_up_as
	        (NAME) when NAME is an alias.

Exit status:

	0  success
	1  NAME is not a code or alias, or the output could not be written
	2  usage error
`,
	run: runShow,
}

// showJSON is what show --json prints.
type showJSON struct {
	codeJSON
	Descendants []string `json:"descendants"`
	LookedUpAs  string   `json:"looked_up_as,omitempty"`
}

func runShow(cmd *command, reg *errcode.Registry, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	pos, status, ok := parseFlags(cmd, fs, args, stdout, stderr)
	if !ok {
		return status
	}
	switch {
	case len(pos) == 0:
		usageError(cmd, stderr, "missing code name")
		return exitUsage
	case len(pos) > 1:
		usageError(cmd, stderr, "one code name at a time, got %d", len(pos))
		return exitUsage
	case pos[0] == "":
		usageError(cmd, stderr, "empty code name")
		return exitUsage
	}

	name := pos[0]
	cat := newCatalog(reg)
	c, found := cat.reg.Lookup(name)
	if !found {
		fmt.Fprintf(stderr, "errcode: unknown code %q\n", name)
		if s := suggest(name, cat.allNames()); len(s) > 0 {
			fmt.Fprintf(stderr, "did you mean: %s?\n", strings.Join(s, ", "))
		} else {
			fmt.Fprintln(stderr, "Run 'errcode tree' for the list of codes.")
		}
		return exitFailure
	}

	var out bytes.Buffer
	if *asJSON {
		v := showJSON{codeJSON: cat.json(c), Descendants: names(cat.descendants(c))}
		if name != c.Name() {
			v.LookedUpAs = name
		}
		writeJSON(&out, v)
	} else {
		cat.writeShow(&out, c, name)
	}
	return emit(stdout, &out, stderr)
}

// writeShow writes the description of c, looked up as name.
func (cat *catalog) writeShow(out *bytes.Buffer, c errcode.Code, name string) {
	if name != c.Name() {
		fmt.Fprintf(out, "%s is an alias of %s.\n\n", name, c.Name())
	}
	field := func(label, value string) { fmt.Fprintf(out, "  %-13s%s\n", label+":", value) }
	list := func(s []string) string {
		if len(s) == 0 {
			return "none"
		}
		return strings.Join(s, ", ")
	}

	out.WriteString(c.Name() + "\n")
	field("doc", c.Doc())
	field("aliases", list(cat.reg.Aliases(c)))
	if p := c.Parent(); p.IsZero() {
		field("parent", "none (a root)")
	} else {
		field("parent", p.Name())
	}
	field("ancestors", list(names(c.Ancestors())))
	field("retry", describeRetry(c))
	field("gRPC", describe(c, grpcSetting, "none"))
	status := "none"
	if s, ok := c.HTTPStatus(); ok {
		status = fmt.Sprintf("%d %s (%s)", s, http.StatusText(s), source(c, c.HTTPStatusFrom()))
	}
	field("HTTP", status)
	field("retry after", describe(c, retryAfterSetting, "none"))
	field("stackless", fmt.Sprint(c.Stackless()))

	var subtree []string
	cat.walk(c, 0, func(d errcode.Code, depth int) {
		if depth > 0 {
			subtree = append(subtree, "  "+strings.Repeat("  ", depth)+d.Name()+"\n")
		}
	})
	if len(subtree) == 0 {
		field("descendants", "none")
		return
	}
	field("descendants", strconv.Itoa(len(subtree)))
	for _, line := range subtree {
		out.WriteString(line)
	}
}

// allNames returns every code name and alias of the catalog.
func (cat *catalog) allNames() []string {
	var out []string
	for _, c := range cat.codes() {
		out = append(out, c.Name())
		out = append(out, cat.reg.Aliases(c)...)
	}
	return out
}
