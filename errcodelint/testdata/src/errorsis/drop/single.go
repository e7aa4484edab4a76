package drop

import "errors"

import ec "github.com/errcode/errcode"

// The file's only errors import goes, a declaration of its own.
func done(err error) bool {
	return errors.Is(err, Busy) // want `use ec.Is\(err, code\)`
}

var _ = ec.Is
