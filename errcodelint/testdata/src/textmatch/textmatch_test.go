package textmatch

import (
	"errors"
	"strings"
	"testing"
)

// Tests assert on messages: _test.go files are not checked.
func TestMessage(t *testing.T) {
	err := errors.New("not found")
	if err.Error() != "not found" || !strings.Contains(err.Error(), "found") {
		t.Errorf("message %q", err.Error())
	}
	switch err.Error() {
	case "":
		t.Log(err.Error())
	}
}
