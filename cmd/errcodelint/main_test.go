package main_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The findings in testdata/lintdemo, by file, line and column.
const (
	wantText     = "demo/demo.go:14:9: decision on an error's text (strings.Contains): use errcode.Is(err, code) or errors.Is(err, target)"
	wantRegister = "demo/demo.go:18:9: MustRegister on errcode.Default outside initialisation"
	wantErrorsIs = "demo/demo.go:27:9: errors.Is with an errcode Code: use errcode.Is(err, code), which does not allocate"
	// demo.go:23 is the same decision, under a directive; nodirective.go
	// is it without one.
	wantUndirected = "nodirective/nodirective.go:5:9: decision on an error's text (==)"
)

// findingRE matches a finding's position at the start of a line.
var findingRE = regexp.MustCompile(`(?m)^\S+\.go:\d+:\d+: `)

// TestCommand builds errcodelint and runs it, standalone and as go vet's
// tool, over testdata/lintdemo: a module that requires this one through
// a replace to the repository's root, written at run time.
func TestCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and a module")
	}
	goBin, err := exec.LookPath("go")
	require.NoError(t, err, "go is not on PATH")
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	tool := filepath.Join(t.TempDir(), "errcodelint")
	build := exec.Command(goBin, "build", "-o", tool, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)

	mod := newDemoModule(t, root)
	env := append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")

	tests := []struct {
		desc     string
		giveArgs []string
		wantExit int
		want     []string
	}{
		{
			desc:     "standalone",
			giveArgs: []string{tool, "./..."},
			wantExit: 3,
			want:     []string{wantText, wantRegister, wantUndirected},
		},
		{
			desc:     "standalone, errorsis enabled",
			giveArgs: []string{tool, "-errorsis.enable", "./..."},
			wantExit: 3,
			want:     []string{wantText, wantRegister, wantErrorsIs, wantUndirected},
		},
		{
			desc:     "standalone, clean package",
			giveArgs: []string{tool, "-errorsis.enable", "./clean"},
			wantExit: 0,
		},
		{
			desc:     "go vet",
			giveArgs: []string{goBin, "vet", "-vettool=" + tool, "./..."},
			wantExit: 1,
			want:     []string{wantText, wantRegister, wantUndirected},
		},
		{
			desc:     "go vet, errorsis enabled",
			giveArgs: []string{goBin, "vet", "-vettool=" + tool, "-errorsis.enable", "./..."},
			wantExit: 1,
			want:     []string{wantText, wantRegister, wantErrorsIs, wantUndirected},
		},
		{
			desc:     "go vet, clean package",
			giveArgs: []string{goBin, "vet", "-vettool=" + tool, "-errorsis.enable", "./clean"},
			wantExit: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			cmd := exec.Command(tt.giveArgs[0], tt.giveArgs[1:]...)
			cmd.Dir, cmd.Env = mod, env
			out, err := cmd.CombinedOutput()
			exit := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				exit = ee.ExitCode()
			} else {
				require.NoError(t, err)
			}
			text := filepath.ToSlash(string(out))
			assert.Equal(t, tt.wantExit, exit, "%s: exit status; output:\n%s", strings.Join(tt.giveArgs[1:], " "), text)
			for _, w := range tt.want {
				assert.Contains(t, text, w)
			}
			assert.Len(t, findingRE.FindAllString(text, -1), len(tt.want), "findings in:\n%s", text)
			assert.NotContains(t, text, "demo/demo.go:23:", "the directive's finding was reported")
		})
	}
}

// newDemoModule copies testdata/lintdemo to a directory of its own and
// makes it a module that requires errcode from root, with root's
// go.sum, and returns the directory.
func newDemoModule(t *testing.T, root string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "lintdemo"))))
	goMod := "module example.com/lintdemo\n\ngo 1.26\n\n" +
		"require github.com/errcode/errcode v0.0.0\n\n" +
		"replace github.com/errcode/errcode => " + filepath.ToSlash(root) + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(goMod), 0o644))
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644))
	return dir
}
