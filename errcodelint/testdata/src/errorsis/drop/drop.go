package drop

import (
	"fmt"

	crdb "github.com/cockroachdb/errors"
	ec "github.com/errcode/errcode"
)

var Busy = ec.MustRegister("Busy", ec.Code{})

// Every use of crdb is rewritten: the fix drops its import too.
func retry(err error) bool {
	fmt.Println("checking")
	return crdb.Is(err, Busy) || crdb.Is(err, (Busy)) // want `use ec.Is\(err, code\)` `use ec.Is\(err, code\)`
}
