package errcodelint_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/errcode/errcode/errcodelint"
)

func TestTextMatch(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), errcodelint.TextMatch, "textmatch")
}
