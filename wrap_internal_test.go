package errcode

import (
	"fmt"
	"testing"
)

// TestFormatStackMatchesPkgErrors pins formatStack to the text pkg/errors
// (and so cockroachdb) prints for %+v of a stack trace: receivers parse
// it back into frames.
func TestFormatStackMatchesPkgErrors(t *testing.T) {
	e := VmConfigError.New("x").(*codedErr)
	want := fmt.Sprintf("%+v", e.StackTrace())
	if got := formatStack(e.stack); got != want {
		t.Fatalf("formatStack = %q;\nwant %q", got, want)
	}
}
