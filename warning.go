package errcode

import (
	"context"
	"log"

	"github.com/cockroachdb/errors/errbase"
)

// cockroachdb's errbase.DecodeError warns, through the one function
// errbase.SetWarningFn sets for the whole process, about each payload it
// cannot unpack, and then keeps the payload as it came in an opaque
// layer. A payload of a type the receiver does not link is ordinary on
// the wire, and a peer can put a thousand in one error: a thousand log
// lines per decode. errcode therefore sets, once, in its init, a warning
// function that drops the warnings of the decodes errcode runs in a
// context of newDecodeContext ([Registry.Decode], [Registry.DecodeJSON],
// [Trimmer.Encode]; their layers stay opaque, as documented) and passes
// every other warning to log.Printf, as cockroachdb's own default does. cockroachdb has no getter for the function it holds, so errcode
// cannot chain to one set before its init; a program that calls
// errbase.SetWarningFn after errcode's init (in main, or in the init of a
// package that imports errcode) replaces errcode's, and then decides what
// errcode's decodes log. README.md says so.
func init() {
	errbase.SetWarningFn(decodeWarning)
}

// decodeWarning is the warning function errcode gives cockroachdb.
func decodeWarning(ctx context.Context, format string, args ...any) {
	if _, ok := ctx.Value(decodeStateKey{}).(*decodeState); ok {
		return
	}
	log.Printf(format, args...)
}
