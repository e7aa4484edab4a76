// Package off has findings of errorsis only when it is enabled.
package off

import (
	"errors"

	"github.com/errcode/errcode"
)

var NotFound = errcode.MustRegister("NotFound", errcode.Code{})

func check(err error) bool { return errors.Is(err, NotFound) }
