package errcodesentry

import (
	"go/build"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/cockroachdb/errors/errbase"
	"github.com/cockroachdb/errors/withstack"
	"github.com/getsentry/sentry-go"
)

// The safe details of an errcode coded layer that this package reads (see
// WIRE.md): the code's name, and the sender's stack trace as %+v prints it.
const (
	detailCode  = "code="
	detailStack = "stack="
)

// detail returns the value of the first of details that starts with
// prefix, and whether there is one.
func detail(details []string, prefix string) (string, bool) {
	for _, d := range details {
		if v, ok := strings.CutPrefix(d, prefix); ok {
			return v, true
		}
	}
	return "", false
}

// safeDetails returns the layer's own safe details: nil when it has none.
func safeDetails(layer error) []string {
	if sd, ok := layer.(errbase.SafeDetailer); ok {
		return sd.SafeDetails()
	}
	return nil
}

// stackOf returns the stack trace of one layer of an error, oldest frame
// first, or nil when the layer has none.
//
// cockroachdb's withstack.GetReportableStackTrace answers for a layer with
// program counters (errcode's live coded layers, cockroachdb's withStack,
// pkg/errors) and for the wrappers it knows after a hop; an errcode coded
// layer decoded from the wire has no program counters, and its stack —
// the sender's, formatted — is in its "stack=" safe detail, which
// parseStack reads as cockroachdb reads its own.
func stackOf(layer error) *sentry.Stacktrace {
	if st := withstack.GetReportableStackTrace(layer); st != nil {
		return st
	}
	d := safeDetails(layer)
	if _, coded := detail(d, detailCode); !coded {
		return nil
	}
	if s, ok := detail(d, detailStack); ok {
		return parseStack(s)
	}
	return nil
}

// parseStack returns the frames of a stack trace printed as pkg/errors'
// and cockroachdb's %+v print one — "\nfunction\n\tfile:line" per frame,
// newest first, or "unknown" for a frame without symbols — in Sentry's
// order, oldest first; nil when there is no frame.
//
// The frames are the ones cockroachdb's withstack.GetReportableStackTrace
// makes of the same text (a test holds the two equal): the function split
// into Module (the package path) and Function, the file as AbsPath and,
// less its GOPATH or GOROOT source directory, as Filename, every frame
// in-app.
func parseStack(s string) *sentry.Stacktrace {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	lines := strings.Split(s, "\n")
	var frames []sentry.Frame
	for i := 0; i < len(lines); i++ {
		fn := lines[i]
		var file string
		var line int
		if i+1 < len(lines) && strings.HasPrefix(lines[i+1], "\t") {
			i++
			fileLine := strings.TrimSpace(lines[i])
			file = fileLine
			if j := strings.LastIndexByte(fileLine, ':'); j >= 0 {
				file = fileLine[:j]
				line, _ = strconv.Atoi(fileLine[j+1:])
			}
		}
		f := sentry.Frame{
			AbsPath:  file,
			Filename: trimPath(file),
			Lineno:   line,
			InApp:    true,
			Module:   "unknown",
			Function: fn,
		}
		if fn != "unknown" {
			f.Module, f.Function = splitFunction(fn)
		}
		frames = append(frames, f)
	}
	// Sentry wants the oldest frame first.
	for i, j := 0, len(frames)-1; i < j; i, j = i+1, j-1 {
		frames[i], frames[j] = frames[j], frames[i]
	}
	return &sentry.Stacktrace{Frames: frames}
}

// splitFunction splits a function name as runtime.Func.Name returns it,
// "runtime/debug.*T·ptrmethod", into its package path and the rest,
// "runtime/debug" and "*T.ptrmethod", as cockroachdb's withstack does.
func splitFunction(name string) (module, function string) {
	function = name
	if i := strings.LastIndex(name, "."); i >= 0 {
		module, function = name[:i], name[i+1:]
	}
	return module, strings.ReplaceAll(function, "·", ".")
}

// srcDirs are the GOROOT and GOPATH source directories, each ending in a
// separator, which trimPath removes, as cockroachdb's withstack does.
var srcDirs = func() []string {
	var dirs []string
	for _, d := range build.Default.SrcDirs() {
		if !strings.HasSuffix(d, string(filepath.Separator)) {
			d += string(filepath.Separator)
		}
		dirs = append(dirs, d)
	}
	return dirs
}()

func trimPath(file string) string {
	for _, d := range srcDirs {
		if t, ok := strings.CutPrefix(file, d); ok {
			return t
		}
	}
	return file
}
