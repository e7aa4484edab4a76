package errcodecli

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	cerrors "github.com/cockroachdb/errors"
	"github.com/errcode/errcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runCLI runs the command line args with empty standard input and
// returns its output and exit status.
func runCLI(tb testing.TB, args ...string) (stdout, stderr string, status int) {
	tb.Helper()
	return runCLIStdin(tb, nil, args...)
}

// runCLIStdin runs the command line args with stdin as standard input
// and returns its output and exit status.
func runCLIStdin(tb testing.TB, stdin []byte, args ...string) (stdout, stderr string, status int) {
	tb.Helper()
	var out, errOut bytes.Buffer
	status = Main(errcode.Default, args, bytes.NewReader(stdin), &out, &errOut)
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
		{"decode empty stdin", []string{"decode"}, 2, "", "errcode decode: empty input\n"},
		{"decode --help", []string{"decode", "--help"}, 0, "usage: errcode decode [--json] [FILE|-]", ""},
		{"help decode", []string{"help", "decode"}, 0, "protobuf  the protobuf form as raw bytes", ""},
		{"decode missing file", []string{"decode", filepath.Join(t.TempDir(), "nonexistent")}, 1, "", "no such file or directory"},
		{"decode two inputs", []string{"decode", "a", "b"}, 2, "", "errcode decode: one input at a time, got 2"},
		{"decode bad flag", []string{"decode", "--pretty"}, 2, "", "errcode decode: flag provided but not defined: -pretty"},
		{"misspelt decode", []string{"decdoe"}, 2, "", "did you mean: decode?"},
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
	for _, want := range []string{"tree", "show", "docs", "decode", "help", "0  success", "1  unknown code (show)", "2  usage error or malformed input"} {
		assert.Contains(t, stdout, want)
	}
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
			"gRPC: Unavailable (own); HTTP: 503 (own); retry after: 1s (own); stackless",
		}},
		{"VmQemuCrashError", []string{
			"VmQemuCrashError",
			"QEMU exited during boot",
			"retry: transient (from TransientError)",
			"gRPC: Unavailable (from TransientError); HTTP: 503 (from TransientError)",
		}},
		{"VmDependencyError", []string{
			"VmDependencyError",
			"required binary, image or system user missing",
			"retry: permanent (from PermanentError)",
			"gRPC: FailedPrecondition (own); HTTP: 500 (own)",
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

// TestDescribe checks where a value is said to come from: a code that
// sets the value its parent already has owns it.
func TestDescribe(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc     string
		giveCode errcode.Code
		give     setting
		want     string
	}{
		{"VmCapacityError gRPC, same value as its parent's", errcode.VmCapacityError, grpcSetting, "Unavailable (own)"},
		{"VmCapacityError HTTP, same value as its parent's", errcode.VmCapacityError, httpSetting, "503 (own)"},
		{"VmCapacityError retry after", errcode.VmCapacityError, retryAfterSetting, "1s (own)"},
		{"VmQemuCrashError gRPC, inherited", errcode.VmQemuCrashError, grpcSetting, "Unavailable (from TransientError)"},
		{"VmQemuCrashError HTTP, inherited", errcode.VmQemuCrashError, httpSetting, "503 (from TransientError)"},
		{"VmQemuCrashError retry after, none", errcode.VmQemuCrashError, retryAfterSetting, "none"},
		{"VmDependencyError HTTP, same value as its grandparent's", errcode.VmDependencyError, httpSetting, "500 (own)"},
		{"VmPermanentError HTTP, inherited", errcode.VmPermanentError, httpSetting, "500 (from PermanentError)"},
		{"TransientError gRPC, own", errcode.TransientError, grpcSetting, "Unavailable (own)"},
		{"SandboxError gRPC, none", errcode.SandboxError, grpcSetting, "none"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got := describe(tt.giveCode, tt.give, "none")
			assert.Equal(t, tt.want, got, "describe(%s) = %q; want %q", tt.giveCode, got, tt.want)
		})
	}
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
			"  retry:       transient (from TransientError)",
			"  gRPC:        Unavailable (own)",
			"  HTTP:        503 Service Unavailable (own)",
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
		"| `VmCapacityError` | `VmTransientError` | transient (from TransientError) | Unavailable (own) | 503 (own) | 1s (own) | — | pool full; back off and retry |",
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
	got, err := os.ReadFile(filepath.Join("..", "CODES.md"))
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

// decodeInputs returns the inputs of the decode tests, built with the
// library: a VmBootTimeoutError with fields, wrapped by WithFields and
// cockroachdb's Wrap, in the protobuf form (raw and base64) and the JSON
// form.
func decodeInputs(tb testing.TB) (raw, asJSON []byte) {
	tb.Helper()
	inner := errcode.VmBootTimeoutError.New("guest agent not ready", "vm_id", "vm-42", "attempt", int32(3))
	err := cerrors.Wrap(errcode.WithFields(inner, "host", "h1"), "starting vm")
	raw, encErr := errcode.Encode(err)
	require.NoError(tb, encErr)
	asJSON, encErr = errcode.EncodeJSON(err)
	require.NoError(tb, encErr)
	return raw, asJSON
}

// otherRegistryError returns, encoded, an error whose code
// VmSnapshotRestoreError the Default registry lacks: it comes from a
// registry that has it under VmTransientError.
func otherRegistryError(tb testing.TB) []byte {
	tb.Helper()
	r := errcode.NewRegistry()
	sandbox := r.MustRegister("SandboxError", errcode.Code{})
	transient := r.MustRegister("TransientError", sandbox, errcode.Transient)
	vmTransient := r.MustRegister("VmTransientError", transient)
	restore := r.MustRegister("VmSnapshotRestoreError", vmTransient, errcode.Doc("snapshot restore failed"))
	b, err := errcode.Encode(restore.New("restore failed", "snapshot", "snap-7"))
	require.NoError(tb, err)
	return b
}

// braceProtobuf returns the protobuf form of an error without a code
// whose bytes start with a newline and '{', like JSON after white space:
// the tag of the leaf and its length, 123.
func braceProtobuf(tb testing.TB) []byte {
	tb.Helper()
	for n := range 128 {
		b, err := errcode.Encode(errors.New(strings.Repeat("x", n)))
		require.NoError(tb, err)
		if bytes.HasPrefix(b, []byte("\n{")) {
			return b
		}
	}
	tb.Fatal("no message length gives a leaf of 123 bytes")
	return nil
}

// wrapLines returns s with a line break after every n bytes, as base64
// tools write it.
func wrapLines(s string, n int) string {
	var b strings.Builder
	for len(s) > n {
		b.WriteString(s[:n] + "\n")
		s = s[n:]
	}
	b.WriteString(s + "\n")
	return b.String()
}

func TestDecode(t *testing.T) {
	t.Parallel()
	raw, asJSON := decodeInputs(t)
	// Whether standard base64 of raw ends in padding depends on its length,
	// which depends on the stack traces' file paths: where the test runs.
	stdForm := "protobuf in base64 (standard)"
	if len(raw)%3 != 0 {
		stdForm = "protobuf in base64 (standard, padded)"
	}
	// Base64 in the URL alphabet without '-' or '_' is standard base64 too.
	urlForm := "protobuf in base64 (standard)"
	if strings.ContainsAny(base64.RawURLEncoding.EncodeToString(raw), "-_") {
		urlForm = "protobuf in base64 (URL)"
	}
	chainLines := []string{
		"message:     starting vm: guest agent not ready",
		"code:        VmBootTimeoutError (known)",
		"ancestors:   VmTransientError, TransientError, SandboxError",
		"retry:       transient",
		"  why:       from code VmBootTimeoutError (inherited from TransientError)",
		"gRPC:        DeadlineExceeded",
		"HTTP:        504 Gateway Timeout",
		"retry after: none",
		"fields:      3",
		`  attempt  int32   3`,
		`  host     string  "h1"`,
		`  vm_id    string  "vm-42"`,
		"full error (%+v):",
		"  | errcode: VmBootTimeoutError",
		"  | -- stack trace (sender's):",
	}
	tests := []struct {
		desc      string
		giveInput []byte
		giveFile  bool // from a file named on the command line, else stdin
		giveArgs  []string
		wantForm  string
		wantLines []string
	}{
		{desc: "protobuf from stdin", giveInput: raw, wantForm: "protobuf", wantLines: chainLines},
		{desc: "protobuf from a file", giveInput: raw, giveFile: true, wantForm: "protobuf", wantLines: chainLines},
		{desc: "protobuf from stdin as -", giveInput: raw, giveArgs: []string{"-"}, wantForm: "protobuf", wantLines: chainLines},
		{
			desc:      "base64 with a trailing newline",
			giveInput: []byte(base64.StdEncoding.EncodeToString(raw) + "\n"),
			wantForm:  stdForm, wantLines: chainLines,
		},
		{
			desc:      "base64 URL without padding from a file",
			giveInput: []byte(base64.RawURLEncoding.EncodeToString(raw)), giveFile: true,
			wantForm: urlForm, wantLines: chainLines,
		},
		{
			desc:      "base64 in lines of 76",
			giveInput: []byte(wrapLines(base64.StdEncoding.EncodeToString(raw), 76)),
			wantForm:  stdForm, wantLines: chainLines,
		},
		{
			desc:      "protobuf that starts like JSON",
			giveInput: braceProtobuf(t),
			wantForm:  "protobuf",
			wantLines: []string{"code:        none (no code in the chain)", "retry:       unspecified"},
		},
		{desc: "JSON from stdin", giveInput: asJSON, wantForm: "JSON", wantLines: chainLines},
		{desc: "JSON from a file", giveInput: asJSON, giveFile: true, wantForm: "JSON", wantLines: chainLines},
		{
			desc:      "JSON written by hand, as from Python",
			giveInput: []byte(`{"version":1,"chain":[{"code":"VmCapacityError","message":"pool full"}]}` + "\n"),
			wantForm:  "JSON",
			wantLines: []string{
				"message:     pool full",
				"code:        VmCapacityError (known)",
				"ancestors:   VmTransientError, TransientError, SandboxError",
				"retry:       transient",
				"  why:       from code VmCapacityError (inherited from TransientError)",
				"gRPC:        Unavailable",
				"HTTP:        503 Service Unavailable",
				"retry after: 1s",
				"fields:      none",
			},
		},
		{
			desc:      "a code from another registry",
			giveInput: otherRegistryError(t),
			wantForm:  "protobuf",
			wantLines: []string{
				"message:     restore failed",
				"code:        VmSnapshotRestoreError (not in this build; nearest known ancestor: VmTransientError)",
				"ancestors:   VmTransientError, TransientError, SandboxError (as sent)",
				"retry:       transient",
				"  why:       from code VmSnapshotRestoreError (the sender's decision; the code is not in this build)",
				"gRPC:        Unavailable",
				"fields:      1",
				`  snapshot  string  "snap-7"`,
				"  | errcode: VmSnapshotRestoreError (not in this registry; nearest known ancestor VmTransientError)",
				"  | ancestors: VmTransientError TransientError SandboxError",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"decode"}, tt.giveArgs...)
			stdin := tt.giveInput
			if tt.giveFile {
				file := filepath.Join(t.TempDir(), "err")
				require.NoError(t, os.WriteFile(file, tt.giveInput, 0o600))
				args, stdin = append(args, file), nil
			}
			stdout, stderr, status := runCLIStdin(t, stdin, args...)
			require.Equal(t, 0, status, "run(%q) status; stderr: %s", args, stderr)
			assert.Empty(t, stderr)
			lines := strings.Split(stdout, "\n")
			assert.Equal(t, "form:        "+tt.wantForm, lines[0])
			for _, want := range tt.wantLines {
				assert.Contains(t, lines, want, "run(%q) output:\n%s", args, stdout)
			}
		})
	}
}

func TestDecodeRetryReason(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc      string
		giveErr   error
		wantRetry string
		wantWhy   string
	}{
		{"own", errcode.TransientError.New("x"), "transient", "from code TransientError (own)"},
		{"inherited", errcode.VmQemuCrashError.New("x"), "transient", "from code VmQemuCrashError (inherited from TransientError)"},
		{"override", errcode.WithRetry(errcode.VmConfigError.New("x"), errcode.Transient), "transient", "override (WithRetry)"},
		{"override agreeing with the code", errcode.WithRetry(errcode.VmConfigError.New("x"), errcode.Permanent), "permanent", "override (WithRetry)"},
		{"unspecified override defers", errcode.WithRetry(errcode.VmConfigError.New("x"), errcode.Unspecified), "permanent", "from code VmConfigError (inherited from PermanentError)"},
		{"outer code without a decision defers", errcode.SandboxError.Wrap(errcode.VmCapacityError.New("x"), "y"), "transient", "from code VmCapacityError (inherited from TransientError)"},
		{"zero code defers", errcode.Code{}.Wrap(errcode.WithRetry(errcode.VmCapacityError.New("x"), errcode.Permanent), "y"), "permanent", "override (WithRetry)"},
		{"bare code", fmt.Errorf("ctx: %w", errcode.VmConfigError), "permanent", "from code VmConfigError (inherited from PermanentError)"},
		{"multi-cause", errors.Join(errcode.VmCapacityError.New("x"), errcode.VmConfigError.New("y")), "permanent", "the causes of a multi-cause error (permanent if any is, else transient if any is)"},
		{"nothing decides", errcode.SandboxError.New("x"), "unspecified", "nothing decides: no WithRetry override, and no code in the chain has a retry decision"},
		{"retry-after is not an override", errcode.WithRetryAfter(errcode.VmConfigError.New("x"), time.Second), "permanent", "from code VmConfigError (inherited from PermanentError)"},
		{"another wrapper's retry= detail is not an override", cerrors.WithSafeDetails(errcode.VmConfigError.New("x"), "retry=transient"), "permanent", "from code VmConfigError (inherited from PermanentError)"},
		{"another wrapper's code= detail is not a coded layer", cerrors.WithSafeDetails(errcode.VmConfigError.New("x"), "code=PermanentError"), "permanent", "from code VmConfigError (inherited from PermanentError)"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			b, err := errcode.Encode(tt.giveErr)
			require.NoError(t, err)
			stdout, stderr, status := runCLIStdin(t, b, "decode")
			require.Equal(t, 0, status, "stderr: %s", stderr)
			lines := strings.Split(stdout, "\n")
			assert.Contains(t, lines, "retry:       "+tt.wantRetry)
			assert.Contains(t, lines, "  why:       "+tt.wantWhy)
		})
	}
}

func TestDecodeMalformed(t *testing.T) {
	t.Parallel()
	raw, _ := decodeInputs(t)
	tests := []struct {
		desc       string
		giveInput  []byte
		wantStderr string // the whole line after "errcode decode: "
	}{
		{"empty", nil, "empty input"},
		{"white space only", []byte(" \n\t\n"), "empty input"},
		{"garbage text", []byte("hello, world!"), "not JSON (no '{'), base64 (',' is not in the standard base64 alphabet) or protobuf"},
		{"garbage bytes", []byte{0xff, 0x00, 0xfe, 0x01}, "protobuf form: malformed protobuf: proto: cannot parse reserved wire type"},
		{"truncated protobuf", raw[:len(raw)/2], "protobuf form: malformed protobuf: unexpected EOF"},
		{"truncated base64", []byte(base64.StdEncoding.EncodeToString(raw[:len(raw)/2])), "base64 form: decodes to " + strconv.Itoa(len(raw)/2) + " bytes that are not an encoded error: malformed protobuf: unexpected EOF"},
		{"base64 of one character too many", []byte("QUJDR"), "not JSON (no '{'), base64 (5 base64 characters cannot be whole bytes; truncated?) or protobuf"},
		{"JSON of another version", []byte(`{"version":2,"chain":[]}`), `JSON form: version 2, this release reads version 1 (is "version" missing?)`},
		{"malformed JSON", []byte(`{"version":1,`), "JSON form: unexpected end of JSON input"},
		{"JSON with an empty chain", []byte(`  {"version":1,"chain":[]}`), "JSON form: empty chain"},
		{"too large", bytes.Repeat([]byte("A"), 2*errcode.MaxEncodedSize+1), "input is larger than 2097152 bytes (twice errcode.MaxEncodedSize, room for base64): too large for an encoded error"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, status := runCLIStdin(t, tt.giveInput, "decode")
			assert.Equal(t, 2, status, "decode status; stderr: %s", stderr)
			assert.Empty(t, stdout)
			assert.Equal(t, "errcode decode: "+tt.wantStderr+"\n", stderr)
		})
	}
}

func TestDecodeJSONOutput(t *testing.T) {
	t.Parallel()
	raw, asJSON := decodeInputs(t)
	tests := []struct {
		desc      string
		giveInput []byte
		wantCode  string
	}{
		{"from protobuf", raw, "VmBootTimeoutError"},
		{"from base64", []byte(base64.URLEncoding.EncodeToString(raw)), "VmBootTimeoutError"},
		{"from JSON", asJSON, "VmBootTimeoutError"},
		{"unknown code", otherRegistryError(t), "VmSnapshotRestoreError"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, status := runCLIStdin(t, tt.giveInput, "decode", "--json")
			require.Equal(t, 0, status, "stderr: %s", stderr)
			assert.Empty(t, stderr)

			var got map[string]any
			require.NoError(t, json.Unmarshal([]byte(stdout), &got), "output:\n%s", stdout)
			assert.Equal(t, float64(1), got["version"])
			assert.Equal(t, tt.wantCode, got["code"])
			assert.Equal(t, "transient", got["retry"])
			assert.Contains(t, stdout, "\n  \"chain\": [\n", "indented")

			decoded, err := errcode.DecodeJSON([]byte(stdout))
			require.NoError(t, err)
			assert.Equal(t, tt.wantCode, errcode.NameOf(decoded))
		})
	}
}
