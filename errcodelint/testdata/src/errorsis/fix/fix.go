package fix

import (
	"errors"
	"io"

	"github.com/errcode/errcode"
)

var NotFound = errcode.MustRegister("NotFound", errcode.Code{})

type wrapper struct{ errcode.Code }

func check(err error, c errcode.Code) bool {
	if errors.Is(err, NotFound) { // want `errors.Is with an errcode Code: use errcode.Is\(err, code\), which does not allocate`
		return true
	}
	if errors.Is(err, c) { // want `errors.Is with an errcode Code`
		return true
	}
	// Not a Code: errors.Is is the question to ask.
	var target error = NotFound
	return errors.Is(err, io.EOF) || errors.Is(err, target) || errors.Is(err, wrapper{c}) || errcode.Is(err, c)
}
