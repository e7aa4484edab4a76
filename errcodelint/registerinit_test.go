package errcodelint_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/errcode/errcode/errcodelint"
)

func TestRegisterInit(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), errcodelint.RegisterInit, "registerinit")
}
