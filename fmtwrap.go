package errcode

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/cockroachdb/errors/errbase"
	"github.com/cockroachdb/errors/errorspb"
)

// fmt.Errorf's wrappers, *fmt.wrapError (one %w) and *fmt.wrapErrors
// (several), have no decoder in cockroachdb/errors: they arrive as its
// opaque wrapper and opaque multi-cause leaf. Their Error() is the
// message sent, but they print through errbase.FormatError, and a
// wrapper above them prints them so (errors.Wrap's Error() is prefix +
// ": " + %v of its cause; a coded layer prints the chain below it with
// the formatter). The original has no Format method: the formatter
// prints it by its Error(), cutting its cause's message off as
// errbase's extractPrefix does. The opaque layer prints its message
// through redact instead, which marks bytes that are not valid UTF-8
// with '?' (and turns '‹' and '›' into '?'), and prints its prefix
// where the original's extractPrefix reads another one (": " over a
// cause with an empty message).
//
// A wrapper's decoder cannot rebuild the message: errbase calls it
// without the wire's message type, and without that a prefix "x" may
// mean the message "x: cause" or "x" alone. Decode reads the protobuf
// form itself and sees it, so it decodes such a node (through
// cockroachdb, as any node not errcode's) and then, where the node is
// exactly what a fmt wrapper with that message sends, makes the opaque
// layer a real fmt wrapper with the sender's message over the decoded
// causes: the same type, the same Error(), printed by the formatter as
// the sender's was, and encoded again to the same node. A node that
// is not (safe details or a payload, a type name or an extension of
// its own, or a prefix errcode's encoder would not send for that
// message: wrapperPrefix) stays cockroachdb's opaque layer, which
// re-encodes to the bytes it came as. A fmt wrapper whose %w operand
// was nil, a leaf, stays opaque too: fmt.Errorf cannot build one with
// another message. cockroachdb's own errors.DecodeError, which errcode
// does not run for these nodes, still decodes them as opaque layers.

var (
	fmtWrapErrorKey   = string(errbase.GetTypeKey(fmt.Errorf("%w", errors.New(""))))
	fmtWrapErrorsKey  = string(errbase.GetTypeKey(fmt.Errorf("%w%w", errors.New(""), errors.New(""))))
	fmtWrapErrorsType = reflect.TypeOf(fmt.Errorf("%w%w", errors.New(""), errors.New("")))
)

// stdFmtLayer returns e, which errbase.DecodeError decoded from enc, or,
// when enc is a node a fmt.Errorf wrapper sends and e is cockroachdb's
// opaque layer of it, a real fmt wrapper with the message sent over e's
// causes. It reads only enc's type for any other node.
func stdFmtLayer(enc *errorspb.EncodedError, e error) error {
	if w := enc.GetWrapper(); w != nil && w.Details.ErrorTypeMark.FamilyName == fmtWrapErrorKey {
		if !opaqueFmt(e, &w.Details, fmtWrapErrorKey, fmtWrapErrorType) {
			return e
		}
		cause := errbase.UnwrapOnce(e)
		if cause == nil {
			return e
		}
		return fmtWrapper(e, cause, w.Message, errbase.MessageType(w.MessageType))
	}
	if l := enc.GetLeaf(); l != nil && l.Details.ErrorTypeMark.FamilyName == fmtWrapErrorsKey {
		if !opaqueFmt(e, &l.Details, fmtWrapErrorsKey, fmtWrapErrorsType) {
			return e
		}
		causes := errbase.UnwrapMulti(e)
		if len(causes) == 0 {
			return e
		}
		return fmtWrappers(e, causes, l.Message)
	}
	return e
}

// opaqueFmt reports whether e is cockroachdb's opaque layer of a node
// whose details d are what a fmt wrapper of type key, typ, sends: its
// type and nothing else.
func opaqueFmt(e error, d *errorspb.EncodedErrorDetails, key string, typ reflect.Type) bool {
	return reflect.TypeOf(e) != typ && string(errbase.GetTypeKey(e)) == key &&
		d.OriginalTypeName == key && d.ErrorTypeMark.Extension == "" &&
		len(d.ReportablePayload) == 0 && d.FullDetails == nil
}

// fmtWrapper returns a *fmt.wrapError over cause whose message is what
// the wire's prefix and message type say, if errcode's encoder sends
// that wrapper as prefix and mt; opaque otherwise.
func fmtWrapper(opaque, cause error, prefix string, mt errbase.MessageType) error {
	causeMsg := cause.Error()
	msg := prefix
	if mt != errbase.FullMessage {
		switch {
		case mt != errbase.Prefix:
			return opaque
		case prefix == "":
			msg = causeMsg
		default:
			msg = prefix + ": " + causeMsg
		}
	}
	if p, t := wrapperPrefix(msg, causeMsg); p != prefix || t != mt {
		return opaque
	}
	// %.0w wraps cause and prints nothing of it.
	w := fmt.Errorf("%s%.0w", msg, cause)
	//errcodelint:ignore textmatch checks that fmt rebuilt the message as it was sent, not what the error is
	if w.Error() != msg { // cause's Error() panicked; fmt printed that
		return opaque
	}
	return w
}

// fmtWrappers returns a *fmt.wrapErrors over causes whose message is
// msg, as it was sent.
func fmtWrappers(opaque error, causes []error, msg string) error {
	var format strings.Builder
	format.WriteString("%s")
	args := make([]any, 0, 1+len(causes))
	args = append(args, msg)
	for i, c := range causes {
		format.WriteString("%.0[" + strconv.Itoa(i+2) + "]w")
		args = append(args, c)
	}
	if len(causes) == 1 { // a second %w of it, for fmt.Errorf to build a wrapErrors
		format.WriteString("%.0[2]w")
	}
	w := fmt.Errorf(format.String(), args...)
	//errcodelint:ignore textmatch checks that fmt rebuilt the message as it was sent, not what the error is
	if w.Error() != msg || reflect.TypeOf(w) != fmtWrapErrorsType {
		return opaque
	}
	return w
}
