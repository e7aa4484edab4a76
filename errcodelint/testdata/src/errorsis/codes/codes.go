// Package codes holds a program's codes, for packages that use them
// without importing errcode.
package codes

import "github.com/errcode/errcode"

var NotFound = errcode.MustRegister("NotFound", errcode.Code{})
