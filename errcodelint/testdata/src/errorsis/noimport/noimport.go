package noimport

import (
	"errors"

	"errorsis/codes"
)

// The file does not import errcode: the finding says so and offers no
// fix, which would need one.
func missing(err error) bool {
	return errors.Is(err, codes.NotFound) // want `errors.Is with an errcode Code: use errcode.Is\(err, code\), which does not allocate \(import "github.com/errcode/errcode"\)`
}
