// Package clean asks errcode what an error is, and prints its text.
package clean

import (
	"fmt"

	"github.com/errcode/errcode"
)

var CleanNotFound = errcode.MustRegister("CleanNotFound", errcode.Code{})

func Describe(err error) string {
	if errcode.Is(err, CleanNotFound) {
		return "missing: " + err.Error()
	}
	return fmt.Sprintf("failed: %s", err.Error())
}
