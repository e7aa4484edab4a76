package errcode

import (
	"context"
	"fmt"
	"strings"

	"github.com/cockroachdb/errors/errbase"
	"github.com/cockroachdb/redact"
	"github.com/gogo/protobuf/proto"
)

// Public returns a copy of err that holds only what is safe to show
// whoever made the call that failed — the Public disclosure policy of
// errcodegrpc and WriteHTTPError, for an answer that crosses a trust
// boundary:
//
//   - every code, with its ancestry, retry decision and retry-after hint,
//     and every WithRetry, WithRetryAfter, WithGRPCCode and WithHTTPStatus
//     layer, so that every query answers as it does for err (another
//     library's layer keeps no Is method of its own, as on the wire);
//   - each layer's message as redaction marks it: safe text as it is,
//     unsafe text as ‹×› (see [Code.Newf]), so that Public(err).Error() is
//     cockroachdb's errors.Redact(err);
//   - the fields marked with [Safe], no other field;
//   - no stack trace, no file path, no detail of other libraries' layers
//     (hints, telemetry keys, safe details): such a layer keeps only its
//     redacted text, and one without text of its own is left out. A mark
//     of a Code (cockroachdb's errors.Mark) becomes a coded layer of
//     [Default]'s code of that name, with no message of its own, which
//     both wire forms carry.
//
// Public(nil) returns nil. Public of an error Public returned returns an
// equal copy.
func Public(err error) error {
	if err == nil {
		return nil
	}
	return public(err, 0)
}

// A Disclosure says how much of an error a transport shows the caller:
// the policy of [WriteHTTPErrorWith] and of errcodegrpc's server
// interceptors (its WithDisclosure). A Disclosure is itself an
// HTTPOption:
//
//	errcode.WriteHTTPErrorWith(w, err, errcode.DisclosePublic)
type Disclosure int8

const (
	// DiscloseFull, the default, writes the whole error: every message,
	// field and stack trace, for a client inside the trust boundary (a
	// service of the same system).
	DiscloseFull Disclosure = iota
	// DisclosePublic writes [Public](err): codes, retry decisions, hints
	// and status overrides, messages as redaction marks them, only the
	// fields marked [Safe], and no stack trace — for a client outside.
	DisclosePublic
)

// public is Public of one layer and what it wraps. depth bounds the
// recursion as MaxDepth bounds a decoded error; deeper layers keep only
// their redacted text, as one leaf.
func public(err error, depth int) error {
	if err == nil {
		return nil
	}
	if depth >= MaxDepth {
		return &redactedLayer{msg: redact.Sprint(err).Redact()}
	}
	if causes := errbase.UnwrapMulti(err); causes != nil {
		pub := make([]error, 0, len(causes))
		for _, c := range causes {
			if p := public(c, depth+1); p != nil {
				pub = append(pub, p)
			}
		}
		return &redactedJoin{redactedLayer{msg: redact.Sprint(err).Redact(), causes: pub, owns: true}}
	}
	cause := errbase.UnwrapOnce(err)
	pc := public(cause, depth+1)
	switch e := err.(type) {
	case *codedErr:
		l := &codedErr{code: e.code, cause: pc, skip: below(pc), fields: safeFields(e.fieldList())}
		if e.msg != "" {
			r := e.redactedMessage()
			l.msg, l.redactable = r.StripMarkers(), &r
		}
		return l
	case Code:
		return e
	case *withRetry:
		return &withRetry{cause: pc, skip: below(pc), retry: e.retry}
	case *withRetryAfter:
		return &withRetryAfter{cause: pc, skip: below(pc), after: e.after}
	case *withStatus:
		return &withStatus{cause: pc, skip: below(pc), grpc: e.grpc, hasGRPC: e.hasGRPC, http: e.http}
	case *withFields:
		if fs := safeFields(e.fieldList()); len(fs) > 0 {
			return &withFields{cause: pc, skip: below(pc), fields: fs}
		}
		return pc
	case *redactedLayer:
		return &redactedLayer{msg: e.msg, cause: pc, owns: e.owns}
	}
	if name, ok := markName(err); ok && pc != nil {
		// A mark of a Code becomes a coded layer without a message of its
		// own: the queries answer alike, and both wire forms carry it
		// (the JSON form carries no marks).
		if k := registered(Default, name); k != nil {
			return &codedErr{code: k, cause: pc, skip: below(pc)}
		}
	}
	// Another library's layer: its text, redacted, as its own layer.
	whole := redact.Sprint(err).Redact()
	if cause == nil {
		return &redactedLayer{msg: whole}
	}
	rest := redact.Sprint(cause).Redact()
	if prefix, ok := strings.CutSuffix(string(whole), string(rest)); ok {
		prefix = strings.TrimSuffix(prefix, ": ")
		if prefix == "" {
			return pc // a layer with no text of its own: a stack, a hint
		}
		return &redactedLayer{msg: redact.RedactableString(prefix), cause: pc}
	}
	return &redactedLayer{msg: whole, cause: pc, owns: true}
}

// redactedMessage returns the layer's own message as redaction leaves
// it: a safe literal as redact.Safe prints it, the unsafe parts of a
// Newf message, or a message unsafe as a whole, as ‹×›.
func (e *codedErr) redactedMessage() redact.RedactableString {
	switch e.redactable {
	case nil:
		return redact.Sprint(redact.Safe(e.msg))
	case msgUnsafe:
		return redact.Sprint(e.msg).Redact()
	}
	return e.redactable.Redact()
}

// safeFields returns the fields of fs marked with Safe, or nil.
func safeFields(fs []field) []field {
	var out []field
	for _, f := range fs {
		if f.safe {
			out = append(out, f)
		}
	}
	return out
}

// redactedLayer is what [Public] leaves of another library's layer: its
// text, redacted, in front of what it wraps (or as the whole message,
// when owns is set or it is a leaf), and the layers it wraps.
type redactedLayer struct {
	msg    redact.RedactableString // its unsafe parts ‹×›
	cause  error
	causes []error // for a redactedJoin; then msg is its whole text
	owns   bool    // msg is the whole message, not a prefix
}

var (
	_ errbase.SafeFormatter = (*redactedLayer)(nil)
	_ fmt.Formatter         = (*redactedLayer)(nil)
)

func (l *redactedLayer) Error() string {
	switch {
	case l.cause == nil || l.owns:
		return l.msg.StripMarkers()
	case l.msg == "":
		return l.cause.Error()
	}
	return l.msg.StripMarkers() + ": " + l.cause.Error()
}

func (l *redactedLayer) Unwrap() error {
	if l.causes != nil {
		return nil
	}
	return l.cause
}

// Cause is Unwrap, for cockroachdb's and pkg/errors' walks.
func (l *redactedLayer) Cause() error { return l.Unwrap() }

// Format formats the layer as cockroachdb's errors are formatted.
func (l *redactedLayer) Format(s fmt.State, verb rune) { errbase.FormatError(l, s, verb) }

// SafeFormatError prints the redacted text, whose markers stay.
func (l *redactedLayer) SafeFormatError(p errbase.Printer) error {
	p.Print(l.msg)
	if l.owns || l.causes != nil {
		return nil
	}
	return l.cause
}

// redactedJoin is a redactedLayer of several causes: a separate type, so
// that errors.Unwrap and errors.Is see exactly one of the two Unwrap
// methods.
type redactedJoin struct{ redactedLayer }

func (j *redactedJoin) Unwrap() []error { return j.causes }

func init() {
	key := errbase.GetTypeKey(&redactedLayer{})
	errbase.RegisterLeafEncoder(key, encodeRedacted)
	errbase.RegisterWrapperEncoderWithMessageType(key, encodeRedactedWrapper)
	errbase.RegisterMultiCauseEncoder(errbase.GetTypeKey(&redactedJoin{}), encodeRedactedJoin)
}

// The encoders send the redacted text as the layer's message; a receiver
// has no decoder for these types and keeps them as cockroachdb's opaque
// layers, whose text is what was sent.

func encodeRedacted(_ context.Context, err error) (string, []string, proto.Message) {
	return err.(*redactedLayer).msg.StripMarkers(), nil, nil
}

func encodeRedactedWrapper(_ context.Context, err error) (string, []string, proto.Message, errbase.MessageType) {
	l := err.(*redactedLayer)
	if l.owns {
		return l.msg.StripMarkers(), nil, nil, errbase.FullMessage
	}
	return l.msg.StripMarkers(), nil, nil, errbase.Prefix
}

func encodeRedactedJoin(_ context.Context, err error) (string, []string, proto.Message) {
	return err.(*redactedJoin).msg.StripMarkers(), nil, nil
}
