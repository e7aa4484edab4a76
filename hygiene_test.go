package errcode_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// stackPath matches an absolute source path in stack-trace form,
// "/dir/file.go:12", where it starts a line or follows a space, a quote,
// an '=' or a quoted "\t" or "\n" (as in a fuzz corpus file or a JSON
// string). Its first group is the path itself.
var stackPath = regexp.MustCompile(`(?m)(?:^|[\s"'=]|\\[tn])(/[^\s"'\\]+\.go:\d+)`)

// allowedStackPaths lists, by file (slash-separated, from the module
// root), the exact paths that file may show because they are documented
// examples, not a machine's paths. TestNoMachinePathsInTestdata fails if
// an entry is no longer found, so the list cannot outlive its reason.
var allowedStackPaths = map[string][]string{
	// The JSON example's "stack" member.
	"WIRE.md": {"/src/main.go:42"},
}

// TestNoMachinePathsInTestdata checks that no golden file, fuzz corpus
// entry or other testdata file, and no markdown document, holds an
// absolute source path in stack-trace form: such a path is the machine's
// that wrote the file, so the file differs from one machine to the next
// and tells readers where someone's checkout was. It walks from the
// module root: testdata directories at any depth, *.golden files, *.md
// files; directories whose names start with "." or "_" are skipped, as
// the go command skips them.
func TestNoMachinePathsInTestdata(t *testing.T) {
	root := moduleRoot(t)
	// The checkout's own absolute path is a machine path in any form.
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}

	scanned := 0
	allowedSeen := map[string]bool{}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		inTestdata := slices.Contains(strings.Split(rel, "/"), "testdata")
		if !inTestdata && !strings.HasSuffix(name, ".golden") && !strings.HasSuffix(name, ".md") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		scanned++
		var found []string
		for _, text := range scanTexts(data) {
			for _, m := range stackPath.FindAllStringSubmatch(text, -1) {
				if slices.Contains(allowedStackPaths[rel], m[1]) {
					allowedSeen[rel+" "+m[1]] = true
				} else if !slices.Contains(found, m[1]) {
					found = append(found, m[1])
				}
			}
			if strings.Contains(text, wd) && !slices.Contains(found, wd) {
				found = append(found, wd)
			}
		}
		for _, p := range found {
			t.Errorf("%s holds the machine path %q; build the input in the test, or strip the stack trace", rel, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if scanned == 0 {
		t.Fatalf("no testdata, golden or markdown file found under %s", root)
	}
	for file, paths := range allowedStackPaths {
		for _, p := range paths {
			if !allowedSeen[file+" "+p] {
				t.Errorf("allowedStackPaths[%q] lists %q, which that file no longer holds; drop the entry", file, p)
			}
		}
	}
}

// scanTexts returns the texts of a file to search: the file itself and,
// for a fuzz corpus file ("go test fuzz v1"), each value unquoted, so that
// a path inside an encoded []byte is found however it was escaped.
func scanTexts(data []byte) []string {
	texts := []string{string(data)}
	lines := strings.Split(string(data), "\n")
	if lines[0] != "go test fuzz v1" {
		return texts
	}
	for _, l := range lines[1:] {
		open, end := strings.IndexByte(l, '('), strings.LastIndexByte(l, ')')
		if open < 0 || end <= open {
			continue
		}
		if s, err := strconv.Unquote(l[open+1 : end]); err == nil {
			texts = append(texts, s)
		}
	}
	return texts
}

// moduleRoot returns the directory holding go.mod, from the package's
// directory (the test's working directory) upward.
func moduleRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("go.mod not found above the test's directory")
		}
		dir = parent
	}
}
