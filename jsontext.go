package errcode

import (
	"context"
	"fmt"
	"strings"

	"github.com/cockroachdb/errors/errbase"
	"github.com/cockroachdb/errors/errorspb"
	"github.com/gogo/protobuf/proto"
)

// jsonText is a JSON message layer that wraps a cause (or a wrapper of a
// kind this release does not know), decoded. cockroachdb's opaque wrapper
// would do, but its Error() formats the cause with %s, which runs
// cockroachdb's formatter and drops a trailing newline and blank lines
// of the cause's message (a join with an empty branch, a tool's output):
// jsonText's Error() is exactly prefix + ": " + the cause's Error().
type jsonText struct {
	cause  error
	prefix string
	owns   bool   // the prefix is the whole message (owns_message)
	kind   string // "" for message, else the unknown kind as sent
}

var (
	_ errbase.SafeDetailer  = (*jsonText)(nil)
	_ errbase.SafeFormatter = (*jsonText)(nil)
	_ fmt.Formatter         = (*jsonText)(nil)
)

// The safe details of a jsonText, for the protobuf form.
const (
	detailKind = "kind="        // the kind, when it is not message
	detailOwns = "owns_message" // the message is the whole text
)

var jsonTextMark = errbase.GetTypeMark(&jsonText{})

func init() {
	key := errbase.GetTypeKey(&jsonText{})
	errbase.RegisterWrapperEncoderWithMessageType(key, encodeJSONText)
	errbase.RegisterWrapperDecoder(key, decodeJSONText)
}

func (e *jsonText) Error() string {
	switch {
	case e.owns:
		return e.prefix
	case e.prefix == "":
		return e.cause.Error()
	}
	return e.prefix + ": " + e.cause.Error()
}

func (e *jsonText) Cause() error  { return e.cause }
func (e *jsonText) Unwrap() error { return e.cause }

// SafeDetails returns the layer's kind and whether it owns its message;
// its text is not safe.
func (e *jsonText) SafeDetails() []string {
	var d []string
	if e.kind != "" {
		d = append(d, detailKind+e.kind)
	}
	if e.owns {
		d = append(d, detailOwns)
	}
	return d
}

func (e *jsonText) SafeFormatError(p errbase.Printer) (next error) {
	if e.prefix != "" {
		p.Print(e.prefix)
	}
	if e.owns {
		return nil
	}
	return e.cause
}

func (e *jsonText) Format(s fmt.State, verb rune) { errbase.FormatError(e, s, verb) }

func encodeJSONText(_ context.Context, err error) (string, []string, proto.Message, errbase.MessageType) {
	e := err.(*jsonText)
	mt := errbase.Prefix
	if e.owns {
		mt = errbase.FullMessage
	}
	return e.prefix, e.SafeDetails(), nil, mt
}

func decodeJSONText(_ context.Context, cause error, msg string, details []string, _ proto.Message) error {
	e := &jsonText{cause: cause, prefix: msg}
	for _, d := range details {
		switch {
		case d == detailOwns:
			e.owns = true
		case strings.HasPrefix(d, detailKind):
			e.kind = d[len(detailKind):]
		}
	}
	return e
}

// jsonTextDetails returns the details of a JSON layer with text that
// wraps a cause: a message layer, or one of a kind this release does not
// know.
func jsonTextDetails(kind string, owns bool) errorspb.EncodedErrorDetails {
	if kind == kindMessage {
		kind = ""
	}
	e := &jsonText{kind: kind, owns: owns}
	return errorspb.EncodedErrorDetails{
		OriginalTypeName:  jsonTextMark.FamilyName,
		ErrorTypeMark:     jsonTextMark,
		ReportablePayload: e.SafeDetails(),
	}
}
