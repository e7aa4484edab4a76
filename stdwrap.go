package errcode

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cockroachdb/errors/errbase"
	"github.com/gogo/protobuf/proto"
)

// The standard library's fmt.Errorf wrapper (*fmt.wrapError) has no
// encoder of its own in cockroachdb/errors: its encoder infers the
// wrapper's prefix by cutting the cause's message off the wrapper's and
// then a ": " (errbase's extractPrefix), and a receiver reads it back as
// "prefix: cause", or as the cause alone when the prefix is empty. For
// fmt.Errorf(": %w", err) that loses the ": ": the prefix ": " is cut to
// "", which reads as err's message alone. errcode registers an encoder for
// the type that sends what cockroachdb would, except where that does not
// rebuild the message exactly: then it sends the whole message as the
// wrapper's own (errbase.FullMessage), as cockroachdb does for a wrapper
// whose message does not end in its cause's. Decode reads it back as a
// real fmt wrapper (fmtwrap.go).

// errors.Join's *errors.joinError has no decoder in cockroachdb/errors
// either: it arrives as cockroachdb's opaque multi-cause leaf, whose
// Error() is the message sent, but whose Format prints through
// errbase.FormatError, which trims the newlines of a branch with an empty
// message (or one that starts or ends in a newline). The original has no
// Format method, and cockroachdb's wrappers print their cause with %v or
// %s (errors.Wrap's Error() is prefix + ": " + %v of the cause), so under
// one the join read otherwise after the hop. errcode decodes it as what
// it was: errors.Join of its decoded branches, which re-encodes to the
// bytes it came as.

func init() {
	key := errbase.GetTypeKey(fmt.Errorf("%w", errors.New("")))
	errbase.RegisterWrapperEncoderWithMessageType(key, encodeFmtWrapper)

	joinKey := errbase.GetTypeKey(errors.Join(errors.New("")))
	errbase.RegisterMultiCauseDecoder(joinKey, decodeJoin)
}

// decodeJoin returns errors.Join of causes. It never returns nil: for a
// multi-cause layer, errbase would then decode the causes a second time,
// and nested layers would make that exponential. A layer whose message is
// not its branches' messages joined by newlines (sent by a peer whose
// branches read otherwise than here) is rebuilt from its branches, as
// errors.Join reads; one with details or a payload, which errors.Join
// never sends, is a malformed payload that Decode refuses.
func decodeJoin(ctx context.Context, causes []error, _ string, details []string, payload proto.Message) error {
	j := errors.Join(causes...)
	if j == nil {
		return nil // no causes: errbase makes an opaque leaf of it
	}
	if len(details) > 0 || payload != nil {
		stateOf(ctx).problem("errcode: decode: an errors.Join layer with details or a payload, which errors.Join does not send")
	}
	return j
}

func encodeFmtWrapper(_ context.Context, err error) (string, []string, proto.Message, errbase.MessageType) {
	msg := err.Error()
	cause := errbase.UnwrapOnce(err)
	if cause == nil {
		return msg, nil, nil, errbase.FullMessage
	}
	prefix, mt := wrapperPrefix(msg, cause.Error())
	return prefix, nil, nil, mt
}

// wrapperPrefix returns what a wrapper whose message is msg, over a cause
// whose message is cause, sends: as errbase's extractPrefix, its prefix
// when msg is "prefix: cause" or cause itself; otherwise msg, which is
// the whole message. That includes ": cause", whose prefix would be
// empty, and "prefix: " over an empty cause: a receiver's wrapper reads
// "prefix: " then, but under another wrapper, which prints it through
// cockroachdb's formatter, as "prefix", the ": " before an empty message
// dropped.
func wrapperPrefix(msg, cause string) (string, errbase.MessageType) {
	if msg == cause {
		return "", errbase.Prefix
	}
	if cause == "" {
		return msg, errbase.FullMessage
	}
	if p, ok := strings.CutSuffix(msg, cause); ok {
		if p, ok := strings.CutSuffix(p, ": "); ok && p != "" {
			return p, errbase.Prefix
		}
	}
	return msg, errbase.FullMessage
}
