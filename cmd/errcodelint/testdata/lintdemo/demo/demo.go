// Package demo has one finding of each check, and one suppressed.
package demo

import (
	"errors"
	"strings"

	"github.com/errcode/errcode"
)

var DemoNotFound = errcode.MustRegister("DemoNotFound", errcode.Code{})

func Find(err error) bool {
	return strings.Contains(err.Error(), "not found")
}

func Late() errcode.Code {
	return errcode.MustRegister("DemoLate", errcode.Code{})
}

func Known(err error) bool {
	//errcodelint:ignore textmatch the peer documents this message as its contract
	return err.Error() == "EOF"
}

func Sentinel(err error) bool {
	return errors.Is(err, DemoNotFound)
}
