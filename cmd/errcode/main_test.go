package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/errcode/errcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runCLI runs the command line args and returns its output and exit
// status.
func runCLI(tb testing.TB, args ...string) (stdout, stderr string, status int) {
	tb.Helper()
	var out, errOut bytes.Buffer
	status = run(args, &out, &errOut)
	return out.String(), errOut.String(), status
}

func TestRunExitStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc       string
		giveArgs   []string
		wantStatus int
		wantStdout string // a substring; "" checks stdout is empty
		wantStderr string // a substring; "" checks stderr is empty
	}{
		{"no command runs tree", nil, 0, "├── TransientError", ""},
		{"tree", []string{"tree"}, 0, "├── TransientError", ""},
		{"default command flags", []string{"--json"}, 0, `"name": "SandboxError"`, ""},
		{"help", []string{"help"}, 0, "Commands:", ""},
		{"--help", []string{"--help"}, 0, "Exit status:", ""},
		{"-h", []string{"-h"}, 0, "Usage:", ""},
		{"help show", []string{"help", "show"}, 0, "usage: errcode show [--json] NAME", ""},
		{"show --help", []string{"show", "--help"}, 0, "usage: errcode show [--json] NAME", ""},
		{"tree -h", []string{"tree", "-h"}, 0, "usage: errcode [tree] [--json]", ""},
		{"docs --help", []string{"docs", "--help"}, 0, "usage: errcode docs [-o FILE]", ""},
		{"show alias", []string{"show", "VmError"}, 0, "VmError is an alias of VmPermanentError.", ""},
		{"flag after name", []string{"show", "VmError", "--json"}, 0, `"looked_up_as": "VmError"`, ""},
		{"docs", []string{"docs"}, 0, "# Error codes", ""},

		{"unknown code", []string{"show", "VmBootTimeout"}, 1, "", "did you mean: VmBootTimeoutError"},
		{"name after --", []string{"show", "--", "--json"}, 1, "", `errcode: unknown code "--json"`},
		{"unwritable docs", []string{"docs", "-o", filepath.Join(t.TempDir(), "no", "such", "dir")}, 1, "", "errcode: "},

		{"show without name", []string{"show"}, 2, "", "errcode show: missing code name"},
		{"show two names", []string{"show", "VmError", "TransientError"}, 2, "", "one code name at a time"},
		{"show empty name", []string{"show", ""}, 2, "", "empty code name"},
		{"unknown command", []string{"frobnicate"}, 2, "", `errcode: unknown command "frobnicate"`},
		{"misspelt command", []string{"shwo"}, 2, "", "did you mean: show?"},
		{"decode not yet", []string{"decode"}, 2, "", `unknown command "decode"`},
		{"bad flag", []string{"tree", "--bogus"}, 2, "", "errcode tree: flag provided but not defined: -bogus"},
		{"bad default flag", []string{"--bogus"}, 2, "", "flag provided but not defined"},
		{"bad show flag", []string{"show", "-x", "VmError"}, 2, "", "usage: errcode show"},
		{"tree argument", []string{"tree", "VmError"}, 2, "", `unexpected argument "VmError"`},
		{"docs argument", []string{"docs", "CODES.md"}, 2, "", `unexpected argument "CODES.md"`},
		{"docs -o without file", []string{"docs", "-o"}, 2, "", "flag needs an argument"},
		{"help unknown", []string{"help", "frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{"help two", []string{"help", "show", "tree"}, 2, "", "too many arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, status := runCLI(t, tt.giveArgs...)
			assert.Equal(t, tt.wantStatus, status, "run(%q) status; stderr:\n%s", tt.giveArgs, stderr)
			for _, c := range []struct{ name, got, want string }{{"stdout", stdout, tt.wantStdout}, {"stderr", stderr, tt.wantStderr}} {
				if c.want == "" {
					assert.Empty(t, c.got, "run(%q) %s", tt.giveArgs, c.name)
				} else {
					assert.Contains(t, c.got, c.want, "run(%q) %s", tt.giveArgs, c.name)
				}
			}
		})
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	stdout, _, status := runCLI(t, "help")
	require.Equal(t, 0, status)
	for _, want := range []string{"tree", "show", "docs", "help", "0  success", "1  unknown code (show)", "2  usage error or malformed input"} {
		assert.Contains(t, stdout, want)
	}
	assert.NotContains(t, stdout, "decode", "help mentions a command that does not exist yet")
	for _, cmd := range commands {
		stdout, _, status := runCLI(t, cmd.name, "--help")
		assert.Equal(t, 0, status, "%s --help", cmd.name)
		assert.Contains(t, stdout, "Exit status:", "%s --help", cmd.name)
		assert.Contains(t, overview(), cmd.summary, "help lists %s", cmd.name)
	}
}

// treeNodes returns the nodes of a printed tree in order: for each code
// its name line and the detail lines under it, tree glyphs removed.
func treeNodes(tree string) [][]string {
	var nodes [][]string
	for _, line := range strings.Split(strings.TrimSuffix(tree, "\n"), "\n") {
		text := strings.TrimLeft(line, "│├└─ ")
		isRoot := !strings.HasPrefix(line, "│") && !strings.HasPrefix(line, " ")
		if isRoot || strings.Contains(line, "── ") || len(nodes) == 0 {
			nodes = append(nodes, []string{text})
		} else {
			nodes[len(nodes)-1] = append(nodes[len(nodes)-1], text)
		}
	}
	return nodes
}

// nodeName returns the code name of a node's name line.
func nodeName(node []string) string {
	name, _, _ := strings.Cut(node[0], " ")
	return name
}

func TestTree(t *testing.T) {
	t.Parallel()
	tree, _, status := runCLI(t, "tree")
	require.Equal(t, 0, status)

	nodes := treeNodes(tree)
	byName := make(map[string][]string)
	for _, n := range nodes {
		byName[nodeName(n)] = n
	}

	t.Run("every code once", func(t *testing.T) {
		t.Parallel()
		assert.Len(t, nodes, len(errcode.Codes()))
		for _, c := range errcode.Codes() {
			require.Contains(t, byName, c.Name())
			for _, a := range errcode.Default.Aliases(c) {
				assert.Contains(t, byName[c.Name()][0], a, "%s's alias", c.Name())
			}
		}
	})

	t.Run("layout", func(t *testing.T) {
		t.Parallel()
		lines := strings.Split(tree, "\n")
		assert.Equal(t, "SandboxError", lines[0], "the root comes first")
		assert.Contains(t, lines, "│   │   ├── VmBootTimeoutError  (alias: VmTimeoutError)", "depth 3, not the last child")
		assert.Contains(t, lines, "│   │   └── VmCapacityError", "the last child of VmTransientError")
		assert.Less(t, strings.Index(tree, "── VmTransientError"), strings.Index(tree, "── BalloonTransientError"),
			"children in registration order, each after the subtree of the one before")
		assert.Less(t, strings.Index(tree, "── VmCapacityError"), strings.Index(tree, "── PermanentError"))
	})

	tests := []struct {
		giveName  string
		wantLines []string
	}{
		{"SandboxError", []string{"SandboxError", "base of all sandbox errors", "retry: unspecified", "gRPC: none; HTTP: none"}},
		{"TransientError", []string{"TransientError", "may succeed on retry", "retry: transient (own)", "gRPC: Unavailable (own); HTTP: 503 (own)"}},
		{"VmBootTimeoutError", []string{
			"VmBootTimeoutError  (alias: VmTimeoutError)",
			"guest agent not ready in time (CPU contention)",
			"retry: transient (from TransientError)",
			"gRPC: DeadlineExceeded (own); HTTP: 504 (own)",
		}},
		{"VmOverlayError", []string{
			"VmOverlayError  (aliases: QemuImgError, QemuStorageDaemonError)",
			"qemu-img / qemu-storage-daemon overlay creation failed",
			"retry: transient (from TransientError)",
			"gRPC: Unavailable (from TransientError); HTTP: 503 (from TransientError)",
		}},
		{"VmCapacityError", []string{
			"VmCapacityError",
			"pool full; back off and retry",
			"retry: transient (from TransientError)",
			"gRPC: Unavailable (from TransientError); HTTP: 503 (from TransientError); retry after: 1s (own); stackless",
		}},
		{"VmDependencyError", []string{
			"VmDependencyError",
			"required binary, image or system user missing",
			"retry: permanent (from PermanentError)",
			"gRPC: FailedPrecondition (own); HTTP: 500 (from PermanentError)",
		}},
		{"SocketAuthError", []string{
			"SocketAuthError",
			"Unix socket peer is not the expected user (possible hijack)",
			"retry: unspecified",
			"gRPC: Internal (own); HTTP: 500 (own)",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.giveName, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.wantLines, byName[tt.giveName])
		})
	}
}

// jsonCode mirrors the objects of tree --json, as a user decodes them.
type jsonCode struct {
	Name       string   `json:"name"`
	Parent     string   `json:"parent"`
	Ancestors  []string `json:"ancestors"`
	Retry      string   `json:"retry"`
	RetryFrom  string   `json:"retry_from"`
	GRPCCode   string   `json:"grpc_code"`
	HTTPStatus int      `json:"http_status"`
	RetryAfter string   `json:"retry_after"`
	Stackless  bool     `json:"stackless"`
	Aliases    []string `json:"aliases"`
	Doc        string   `json:"doc"`
}

func TestTreeJSON(t *testing.T) {
	t.Parallel()
	stdout, _, status := runCLI(t, "tree", "--json")
	require.Equal(t, 0, status)
	short, _, _ := runCLI(t, "--json")
	assert.Equal(t, stdout, short, "errcode --json = errcode tree --json")

	var raw []map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &raw))
	require.Len(t, raw, 25)
	keys := []string{"name", "parent", "ancestors", "retry", "retry_from", "grpc_code", "http_status", "retry_after", "stackless", "aliases", "doc"}
	for _, obj := range raw {
		for _, k := range keys {
			assert.Contains(t, obj, k, "code %v", obj["name"])
			assert.NotNil(t, obj[k], "code %v: %s", obj["name"], k)
		}
		assert.Len(t, obj, len(keys), "code %v: fields", obj["name"])
	}

	var got []jsonCode
	require.NoError(t, json.Unmarshal([]byte(stdout), &got))
	byName := make(map[string]jsonCode)
	for _, c := range got {
		byName[c.Name] = c
	}
	for _, c := range errcode.Codes() {
		assert.Contains(t, byName, c.Name())
	}

	tests := []jsonCode{
		{Name: "SandboxError", Ancestors: []string{}, Retry: "unspecified", Aliases: []string{}, Doc: "base of all sandbox errors"},
		{
			Name: "TransientError", Parent: "SandboxError", Ancestors: []string{"SandboxError"},
			Retry: "transient", RetryFrom: "TransientError", GRPCCode: "Unavailable", HTTPStatus: 503,
			Aliases: []string{}, Doc: "may succeed on retry",
		},
		{
			Name: "VmCapacityError", Parent: "VmTransientError", Ancestors: []string{"VmTransientError", "TransientError", "SandboxError"},
			Retry: "transient", RetryFrom: "TransientError", GRPCCode: "Unavailable", HTTPStatus: 503,
			RetryAfter: "1s", Stackless: true, Aliases: []string{}, Doc: "pool full; back off and retry",
		},
		{
			Name: "VmOverlayError", Parent: "VmTransientError", Ancestors: []string{"VmTransientError", "TransientError", "SandboxError"},
			Retry: "transient", RetryFrom: "TransientError", GRPCCode: "Unavailable", HTTPStatus: 503,
			Aliases: []string{"QemuImgError", "QemuStorageDaemonError"}, Doc: "qemu-img / qemu-storage-daemon overlay creation failed",
		},
		{
			Name: "VmConfigError", Parent: "VmPermanentError", Ancestors: []string{"VmPermanentError", "PermanentError", "SandboxError"},
			Retry: "permanent", RetryFrom: "PermanentError", GRPCCode: "InvalidArgument", HTTPStatus: 400,
			Aliases: []string{}, Doc: "invalid VM configuration",
		},
	}
	for _, want := range tests {
		t.Run(want.Name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, want, byName[want.Name])
		})
	}
}

func TestShow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc      string
		giveArgs  []string
		wantLines []string
	}{
		{"alias", []string{"show", "VmError"}, []string{
			"VmError is an alias of VmPermanentError.",
			"VmPermanentError",
			"  doc:         permanent VM errors",
			"  aliases:     VmError",
			"  parent:      PermanentError",
			"  ancestors:   PermanentError, SandboxError",
			"  retry:       permanent (from PermanentError)",
			"  gRPC:        Internal (from PermanentError)",
			"  HTTP:        500 Internal Server Error (from PermanentError)",
			"  descendants: 2",
			"    VmConfigError",
			"    VmDependencyError",
		}},
		{"subtree", []string{"show", "TransientError"}, []string{
			"  retry:       transient (own)",
			"  descendants: 8",
			"    VmTransientError",
			"      VmBootTimeoutError",
			"      VmCapacityError",
			"    BalloonTransientError",
		}},
		{"leaf", []string{"show", "VmCapacityError"}, []string{
			"  retry after: 1s (own)",
			"  stackless:   true",
			"  descendants: none",
		}},
		{"root", []string{"show", "SandboxError"}, []string{
			"  parent:      none (a root)",
			"  ancestors:   none",
			"  retry:       unspecified",
			"  gRPC:        none",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, status := runCLI(t, tt.giveArgs...)
			require.Equal(t, 0, status, "stderr: %s", stderr)
			lines := strings.Split(stdout, "\n")
			for _, want := range tt.wantLines {
				assert.Contains(t, lines, want)
			}
		})
	}
}

func TestShowJSON(t *testing.T) {
	t.Parallel()
	type showCode struct {
		jsonCode
		Descendants []string `json:"descendants"`
		LookedUpAs  string   `json:"looked_up_as"`
	}
	tests := []struct {
		giveName        string
		wantName        string
		wantDescendants []string
		wantLookedUpAs  string
	}{
		{"VmError", "VmPermanentError", []string{"VmConfigError", "VmDependencyError"}, "VmError"},
		{"VmPermanentError", "VmPermanentError", []string{"VmConfigError", "VmDependencyError"}, ""},
		{"CommunicationError", "CommunicationError", []string{"SocketAuthError"}, ""},
		{"AssetNotFoundError", "AssetNotFoundError", []string{}, ""},
		{"TransientError", "TransientError", []string{
			"VmTransientError", "VmBootTimeoutError", "VmOverlayError", "VmQemuCrashError", "VmGvproxyError",
			"VmCapacityError", "BalloonTransientError", "CommunicationTransientError",
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.giveName, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, status := runCLI(t, "show", "--json", tt.giveName)
			require.Equal(t, 0, status, "stderr: %s", stderr)
			var got showCode
			require.NoError(t, json.Unmarshal([]byte(stdout), &got))
			assert.Equal(t, tt.wantName, got.Name)
			assert.Equal(t, tt.wantDescendants, got.Descendants)
			assert.Equal(t, tt.wantLookedUpAs, got.LookedUpAs)
		})
	}
}

func TestShowUnknown(t *testing.T) {
	t.Parallel()
	tests := []struct {
		giveName   string
		wantStderr string
	}{
		{"VmBootTimeout", "errcode: unknown code \"VmBootTimeout\"\ndid you mean: VmBootTimeoutError, VmBootError?\n"},
		{"sandboxerror", "errcode: unknown code \"sandboxerror\"\ndid you mean: SandboxError?\n"},
		{"VmEror", "errcode: unknown code \"VmEror\"\ndid you mean: VmError?\n"},
		{"Nonsense", "errcode: unknown code \"Nonsense\"\nRun 'errcode tree' for the list of codes.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.giveName, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, status := runCLI(t, "show", tt.giveName)
			assert.Equal(t, 1, status)
			assert.Empty(t, stdout)
			assert.Equal(t, tt.wantStderr, stderr)
		})
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	candidates := []string{"VmError", "VmBootError", "VmBootTimeoutError", "VmTimeoutError", "SandboxError", "SnapshotError", "AssetError"}
	tests := []struct {
		give string
		want []string
	}{
		{"VmBootTimeout", []string{"VmBootTimeoutError", "VmBootError"}},
		{"VMERROR", []string{"VmError"}},
		{"VmErrr", []string{"VmError"}},
		{"VmxxxError", []string{"VmError", "VmBootError", "AssetError"}}, // at most three
		{"Foo", nil},
		{"", nil},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, suggest(tt.give, candidates), "suggest(%q)", tt.give)
	}
}

func TestLevenshtein(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"", "abc", 3},
		{"kitten", "sitting", 3},
		{"flaw", "lawn", 2},
		{"héllo", "hello", 1},
		{"VmError", "VmError", 0},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, levenshtein(tt.a, tt.b), "levenshtein(%q, %q)", tt.a, tt.b)
	}
}

func TestDocs(t *testing.T) {
	t.Parallel()
	stdout, _, status := runCLI(t, "docs")
	require.Equal(t, 0, status)
	assert.Contains(t, stdout, "\n# Error codes\n")
	assert.Contains(t, stdout, "generated by `go generate ./...` from the Default registry")
	assert.Contains(t, stdout, "must not be edited by hand")
	assert.Contains(t, stdout, "\n| name | parent | retry | gRPC | HTTP | retry after | aliases | doc |\n|---|---|---|---|---|---|---|---|\n")

	rows := 0
	for _, line := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(line, "| `") {
			rows++
		}
	}
	assert.Equal(t, len(errcode.Codes()), rows, "one row per code")
	for _, c := range errcode.Codes() {
		assert.Contains(t, stdout, "\n| `"+c.Name()+"` | ", "row of %s", c.Name())
	}
	for _, want := range []string{
		"| `SandboxError` | — | unspecified | — | — | — | — | base of all sandbox errors |",
		"| `TransientError` | `SandboxError` | transient (own) | Unavailable (own) | 503 (own) | — | — | may succeed on retry |",
		"| `VmBootTimeoutError` | `VmTransientError` | transient (from TransientError) | DeadlineExceeded (own) | 504 (own) | — | `VmTimeoutError` | guest agent not ready in time (CPU contention) |",
		"| `VmOverlayError` | `VmTransientError` | transient (from TransientError) | Unavailable (from TransientError) | 503 (from TransientError) | — | `QemuImgError`, `QemuStorageDaemonError` | qemu-img / qemu-storage-daemon overlay creation failed |",
	} {
		assert.Contains(t, stdout, "\n"+want+"\n")
	}
}

func TestDocsFile(t *testing.T) {
	t.Parallel()
	want, _, _ := runCLI(t, "docs")
	file := filepath.Join(t.TempDir(), "CODES.md")
	stdout, stderr, status := runCLI(t, "docs", "-o", file)
	require.Equal(t, 0, status, "stderr: %s", stderr)
	assert.Empty(t, stdout)
	got, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, want, string(got))
}

// TestCodesMDUpToDate fails when the checked-in CODES.md is not what the
// registry generates now.
func TestCodesMDUpToDate(t *testing.T) {
	t.Parallel()
	want, _, status := runCLI(t, "docs")
	require.Equal(t, 0, status)
	got, err := os.ReadFile(filepath.Join("..", "..", "CODES.md"))
	require.NoError(t, err, "CODES.md is missing: run go generate ./...")
	if string(got) != want {
		gotLines, wantLines := strings.Split(string(got), "\n"), strings.Split(want, "\n")
		i := 0
		for i < min(len(gotLines), len(wantLines)) && gotLines[i] == wantLines[i] {
			i++
		}
		line := func(s []string) string {
			if i < len(s) {
				return s[i]
			}
			return "(end of file)"
		}
		t.Fatalf("CODES.md is stale: run go generate ./...\nfirst difference at line %d:\nCODES.md:  %s\ngenerated: %s", i+1, line(gotLines), line(wantLines))
	}
}
