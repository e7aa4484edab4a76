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
// whose message does not end in its cause's.

func init() {
	key := errbase.GetTypeKey(fmt.Errorf("%w", errors.New("")))
	errbase.RegisterWrapperEncoderWithMessageType(key, encodeFmtWrapper)
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
// when msg is "prefix: cause" or cause itself; otherwise (": cause"
// among them) msg, which is the whole message.
func wrapperPrefix(msg, cause string) (string, errbase.MessageType) {
	if msg == cause {
		return "", errbase.Prefix
	}
	if p, ok := strings.CutSuffix(msg, cause); ok {
		if p, ok := strings.CutSuffix(p, ": "); ok && p != "" {
			return p, errbase.Prefix
		}
	}
	return msg, errbase.FullMessage
}
