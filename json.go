package errcode

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/cockroachdb/errors/errbase"
	"github.com/cockroachdb/errors/errorspb"
	"github.com/cockroachdb/errors/markers"
	"github.com/cockroachdb/errors/withstack"
	"github.com/gogo/protobuf/types"
	"google.golang.org/grpc/codes"
)

// JSONVersion is the version of the JSON wire form that EncodeJSON writes
// and DecodeJSON reads. WIRE.md documents it.
const JSONVersion = 1

// The layer kinds of the JSON form.
const (
	kindCoded      = "coded"       // a coded layer: code, ancestors, retry, message, fields
	kindSentinel   = "sentinel"    // a bare Code returned as an error
	kindFields     = "fields"      // WithFields
	kindRetry      = "retry"       // WithRetry
	kindRetryAfter = "retry_after" // WithRetryAfter
	kindStatus     = "status"      // WithGRPCCode, WithHTTPStatus
	kindStack      = "stack"       // a stack trace (cockroachdb's withStack)
	kindMessage    = "message"     // any other layer with text of its own
	kindMark       = "mark"        // cockroachdb's errors.Mark(err, c) with a Code c
	kindJoin       = "join"        // a multi-cause error; the last layer of its chain
)

type jsonError struct {
	Version    int    `json:"version"`
	Code       string `json:"code,omitempty"`
	Retry      string `json:"retry,omitempty"`
	RetryAfter string `json:"retry_after,omitempty"`
	Message    string `json:"message"`
	// MessageBytes is the exact bytes of Message when they are not valid
	// UTF-8 (Message then holds them with U+FFFD in place of each run of
	// invalid bytes); for readers, as Message is.
	MessageBytes []byte      `json:"message_bytes,omitempty"`
	Chain        []jsonLayer `json:"chain"`
}

type jsonLayer struct {
	Kind       string   `json:"kind,omitempty"`
	Code       string   `json:"code,omitempty"`
	Ancestors  []string `json:"ancestors,omitempty"`
	Parents    []string `json:"parents,omitempty"`
	Retry      string   `json:"retry,omitempty"`
	RetryAfter string   `json:"retry_after,omitempty"`
	GRPCCode   int      `json:"grpc_code,omitempty"`
	HTTPStatus int      `json:"http_status,omitempty"`
	Message    string   `json:"message,omitempty"`
	// MessageBytes is the exact bytes of Message when they are not
	// valid UTF-8, which JSON text cannot carry; see escapeMessage.
	MessageBytes []byte `json:"message_bytes,omitempty"`
	OwnsMessage  bool   `json:"owns_message,omitempty"`
	SafeMessage  bool   `json:"safe_message,omitempty"`
	Redactable   string `json:"redactable_message,omitempty"`
	// RedactableBytes is the exact bytes of Redactable when they are not
	// valid UTF-8, as MessageBytes is for Message.
	RedactableBytes []byte          `json:"redactable_message_bytes,omitempty"`
	Fields          json.RawMessage `json:"fields,omitempty"`
	FieldTypes      json.RawMessage `json:"field_types,omitempty"`
	SafeFields      []string        `json:"safe_fields,omitempty"`
	Stack           string          `json:"stack,omitempty"`
	// StackBytes is the exact bytes of Stack when they are not valid
	// UTF-8 (a path in the sender's stack trace), as MessageBytes is for
	// Message.
	StackBytes []byte        `json:"stack_bytes,omitempty"`
	Causes     [][]jsonLayer `json:"causes,omitempty"`
}

// parsedDoc is a JSON document as DecodeJSON reads it: what the decode
// needs of its top level and its chain.
type parsedDoc struct {
	Version    int
	RetryAfter string
	Chain      []parsedLayer
}

// parsedLayer is a layer of the chain as DecodeJSON reads it. It is
// kept small (a hostile 1 KiB document holds 32 layers, every one parsed
// before any is decoded): the members of a message or join layer are
// here, those of the other kinds in its layerExt, which is shared and
// empty (noExt) for a layer that has none of them. The *_bytes members
// are not here: each wins over its text member as it is read.
type parsedLayer struct {
	*layerExt
	Kind        string
	Message     string
	Causes      [][]parsedLayer
	OwnsMessage bool
	sentMessage bool // the layer has a message member
}

// layerExt holds the members of a parsedLayer that a message or join
// layer does not have. noExt, shared, is never written.
type layerExt struct {
	Code        string
	Ancestors   []string
	Parents     []string
	Retry       string
	RetryAfter  string
	GRPCCode    int
	HTTPStatus  int
	Redactable  string
	Fields      json.RawMessage
	FieldTypes  json.RawMessage
	SafeFields  []string
	Stack       string
	SafeMessage bool
}

// noExt is the layerExt of a parsedLayer with none of its members.
var noExt = &layerExt{}

// setExt gives l x as its layerExt, a copy of it, unless x is empty.
func (l *parsedLayer) setExt(x *layerExt) {
	if x.Code == "" && x.Ancestors == nil && x.Parents == nil && x.Retry == "" &&
		x.RetryAfter == "" && x.GRPCCode == 0 && x.HTTPStatus == 0 && x.Redactable == "" &&
		x.Fields == nil && x.FieldTypes == nil && x.SafeFields == nil && x.Stack == "" && !x.SafeMessage {
		l.layerExt = noExt
		return
	}
	e := *x
	l.layerExt = &e
}

// kind returns the layer's kind, inferred from its members when the
// sender (a non-Go peer, say) did not name it.
func (l *parsedLayer) kind() string {
	switch {
	case l.Kind != "":
		return l.Kind
	case l.Code != "":
		return kindCoded
	case l.Causes != nil:
		return kindJoin
	case l.Fields != nil:
		return kindFields
	case l.RetryAfter != "":
		return kindRetryAfter
	case l.GRPCCode != 0 || l.HTTPStatus != 0:
		return kindStatus
	case l.Retry != "":
		return kindRetry
	case l.Stack != "":
		return kindStack
	}
	return kindMessage
}

var (
	codedMark  = errbase.GetTypeMark(&codedErr{})
	codeMark   = errbase.GetTypeMark(Code{})
	fieldsMark = errbase.GetTypeMark(&withFields{})
	stackMark  = errbase.GetTypeMark(withstack.WithStack(errors.New("")))
	// withMarkMark is the type mark of cockroachdb's mark layer.
	withMarkMark = errbase.GetTypeMark(markers.Mark(errors.New(""), Code{}))
	// The types that JSON message leaves and join layers decode to (and
	// message wrappers before jsonText); no decoder is registered for
	// them, so they stay opaque and re-encode as they came.
	messageMark = errorspb.ErrorTypeMark{FamilyName: "github.com/errcode/errcode/json.message"}
	joinMark    = errorspb.ErrorTypeMark{FamilyName: "github.com/errcode/errcode/json.join"}
)

// EncodeJSON returns err in errcode's JSON form (WIRE.md), for peers that
// do not speak cockroachdb's protobuf: the outermost code, the retry
// decision, the message, and the chain of layers with their codes,
// ancestors, fields and stack traces. Other cockroachdb wrapper details
// (hints, telemetry keys, ...) travel only in the protobuf form. The same
// error always encodes to the same bytes. EncodeJSON(nil) returns an
// error, as does an error past the limits.
func EncodeJSON(err error) ([]byte, error) {
	if err == nil {
		return nil, errors.New("errcode: EncodeJSON of a nil error")
	}
	out, err := jsonOf(err)
	if err != nil {
		return nil, err
	}
	return marshalJSON(out, out.Chain)
}

// jsonOf returns err's JSON form, not yet marshalled; err is not nil.
func jsonOf(err error) (jsonError, error) {
	if err = wireForm(err); err == nil {
		return jsonError{}, errors.New("errcode: EncodeJSON of a nil error")
	}
	chain, cerr := jsonChain(err)
	if cerr != nil {
		return jsonError{}, fmt.Errorf("errcode: encode JSON: %w", cerr)
	}
	out := jsonError{
		Version: JSONVersion,
		Code:    NameOf(err),
		Chain:   chain,
	}
	out.Message, out.MessageBytes = escapeText(err.Error())
	if r := retryOf(err, true); r != Unspecified {
		out.Retry = r.String()
	}
	out.RetryAfter = sentRetryAfter(err)
	return out, nil
}

// marshalJSON returns v, an error's JSON form whose chain is chain (a
// jsonError, or a problem document holding one), marshalled; or an error
// if a receiver would refuse it (see checkJSON).
func marshalJSON(v any, chain []jsonLayer) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("errcode: encode JSON: %w", err)
	}
	if err := checkJSON(b, chain); err != nil {
		return nil, err
	}
	return b, nil
}

// checkJSON refuses b, the marshalled JSON form of an error whose chain is
// chain, where a receiver would: over MaxEncodedSize, or its chain past
// MaxDepth or the layer or code density limits, counted as the receiver
// counts them.
func checkJSON(b []byte, chain []jsonLayer) error {
	if len(b) > MaxEncodedSize {
		return fmt.Errorf("errcode: encode JSON: %d bytes, over MaxEncodedSize (%d)", len(b), MaxEncodedSize)
	}
	if err := scanJSON(b); err != nil {
		return fmt.Errorf("errcode: encode JSON: %w", err)
	}
	if err := countJSONCodes(&codeSet{size: len(b)}, chain); err != nil {
		return fmt.Errorf("errcode: encode JSON: %w", err)
	}
	return nil
}

// countJSONCodes counts the codes chain names in codes, as DecodeJSON
// counts them (see codeBudget): the key of a coded or sentinel layer is
// the safe details parsedLayer.codeDetails makes of its members.
func countJSONCodes(codes *codeSet, chain []jsonLayer) error {
	for i := range chain {
		l := &chain[i]
		// parsedLayer.kind: a layer with a code and no kind is coded.
		if l.Code != "" && (l.Kind == "" || l.Kind == kindCoded || l.Kind == kindSentinel) {
			r, err := ParseRetry(l.Retry)
			if err != nil {
				return err
			}
			key := codeKey{
				name: l.Code, retry: r.String(), ancestors: strings.Join(l.Ancestors, " "),
				hasName: true, hasRetry: true, hasAncestors: true,
			}
			if len(l.Parents) > 0 { // an empty list is not sent (omitempty)
				key.parents, key.hasParents = strings.Join(l.Parents, " "), true
			}
			if err := codes.add(key); err != nil {
				return err
			}
		}
		for _, c := range l.Causes {
			if err := countJSONCodes(codes, c); err != nil {
				return err
			}
		}
	}
	return nil
}

// jsonChain returns err's chain of layers. Its depth and layers are
// counted on the marshalled form (marshalJSON), as the receiver counts
// them: layers with nothing for JSON to carry do not count.
func jsonChain(err error) ([]jsonLayer, error) {
	var chain []jsonLayer
	for err != nil {
		if err = wireForm(err); err == nil {
			break
		}
		if err := checkLayer(err); err != nil {
			return nil, err
		}
		cause := errbase.UnwrapOnce(err)
		l := jsonLayer{}
		switch e := err.(type) {
		case *codedErr:
			l = codedJSON(kindCoded, e.code, e.wireDetails())
			l.Message, l.SafeMessage = e.msg, e.safeMessage()
			if err := fieldsJSON(&l, e.raw(), e.fields, e.wireRedactable()); err != nil {
				return nil, err
			}
			if e.stack != nil {
				l.Stack = formatStack(e.stack)
			} else {
				l.Stack = e.remoteStack()
			}
		case Code:
			l = codedJSON(kindSentinel, e.c, nil)
		case *withRetry:
			l = jsonLayer{Kind: kindRetry, Retry: e.retry.String()}
		case *withRetryAfter:
			l = jsonLayer{Kind: kindRetryAfter, RetryAfter: e.after.String()}
		case *withStatus:
			l = jsonLayer{Kind: kindStatus, GRPCCode: int(e.grpc), HTTPStatus: e.http}
		case *jsonText:
			l = jsonLayer{Kind: e.kind, Message: e.prefix, OwnsMessage: e.owns}
			if l.Kind == "" {
				l.Kind = kindMessage
			}
		case *withFields:
			l = jsonLayer{Kind: kindFields}
			if err := fieldsJSON(&l, e.rawFields, e.fields, ""); err != nil {
				return nil, err
			}
		default:
			mark := errbase.GetTypeMark(err)
			if name, ok := markName(err); ok {
				// A mark of a Code: its identity, which CodeOf, Is and
				// the top-level code count, travels as the code's name.
				l = jsonLayer{Kind: kindMark, Code: name}
				break
			}
			switch {
			case mark.Equals(stackMark):
				l = jsonLayer{Kind: kindStack}
				if d, ok := err.(errbase.SafeDetailer); ok && len(d.SafeDetails()) > 0 {
					l.Stack = d.SafeDetails()[0]
				}
			case mark.FamilyName == messageMark.FamilyName || mark.FamilyName == joinMark.FamilyName:
				// A layer decoded from JSON: sent again as it came,
				// with its kind and its text, even when empty.
				l = receivedJSONLayer(err, mark, cause)
			case errbase.UnwrapMulti(err) != nil:
				l = jsonLayer{Kind: kindJoin, Message: err.Error()}
			case cause == nil:
				l = jsonLayer{Kind: kindMessage, Message: err.Error()}
			default:
				l = jsonLayer{Kind: kindMessage}
				msg, cmsg := err.Error(), cause.Error()
				// The prefix ": " (fmt.Errorf(": %w", …)) is no empty
				// message: that would read as the cause's message alone.
				if prefix, ok := strings.CutSuffix(msg, cmsg); ok && (prefix == "" || prefix != ": " && strings.HasSuffix(prefix, ": ")) {
					l.Message = strings.TrimSuffix(prefix, ": ")
				} else {
					l.Message, l.OwnsMessage = msg, true
				}
				if l.Message == "" && !l.OwnsMessage {
					// A layer with nothing for JSON to carry (a hint, a
					// telemetry key): only the protobuf form has it.
					err = cause
					continue
				}
			}
		}
		if causes := errbase.UnwrapMulti(err); causes != nil {
			if l.Kind == kindMessage {
				l.Kind = kindJoin
			}
			l.Causes = make([][]jsonLayer, len(causes))
			for i, c := range causes {
				cc, cerr := jsonChain(c)
				if cerr != nil {
					return nil, cerr
				}
				l.Causes[i] = cc
			}
			if l.Message == "" && !l.OwnsMessage {
				// Without a message a join reads as errors.Join reads;
				// owns_message says it is empty.
				for i, c := range causes {
					//errcodelint:ignore textmatch whether a cause's message is empty decides the join's encoding, not what the error is
					if c.Error() != "" || i > 0 {
						l.OwnsMessage = true
						break
					}
				}
			}
			l.escapeMessage()
			chain = append(chain, l)
			break
		}
		l.escapeMessage()
		chain = append(chain, l)
		err = cause
	}
	return chain, nil
}

// escapeMessage sets l's message_bytes to its message when that is not
// valid UTF-8, which JSON cannot carry (encoding/json would write U+FFFD
// for each invalid byte, and the text would arrive altered), and its
// message to the text with U+FFFD in place of each run of invalid bytes,
// for readers that do not know message_bytes; and likewise its
// redactable_message and stack.
func (l *jsonLayer) escapeMessage() {
	l.Message, l.MessageBytes = escapeText(l.Message)
	l.Redactable, l.RedactableBytes = escapeText(l.Redactable)
	l.Stack, l.StackBytes = escapeText(l.Stack)
}

// escapeText returns s and nil when s is valid UTF-8; otherwise s with
// U+FFFD in place of each run of invalid bytes, and s's bytes.
func escapeText(s string) (string, []byte) {
	if utf8.ValidString(s) {
		return s, nil
	}
	return strings.ToValidUTF8(s, "\uFFFD"), []byte(s)
}

// receivedJSONLayer returns the layer that err, decoded from a JSON
// message or join layer (or one of a kind this release does not know, its
// kind kept as mark's extension), came from.
func receivedJSONLayer(err error, mark errorspb.ErrorTypeMark, cause error) jsonLayer {
	l := jsonLayer{Kind: mark.Extension, Message: err.Error()}
	if l.Kind == "" {
		l.Kind = kindMessage
		if mark.FamilyName == joinMark.FamilyName {
			l.Kind = kindJoin
		}
	}
	if f, ok := err.(errbase.SafeFormatter); ok && cause != nil {
		var p prefixPrinter
		next := f.SafeFormatError(&p)
		l.Message, l.OwnsMessage = p.String(), next == nil
	}
	return l
}

// prefixPrinter collects what an opaque wrapper's SafeFormatError prints
// without detail: its own message.
type prefixPrinter struct{ strings.Builder }

func (p *prefixPrinter) Print(args ...any)                 { fmt.Fprint(p, args...) }
func (p *prefixPrinter) Printf(format string, args ...any) { fmt.Fprintf(p, format, args...) }
func (p *prefixPrinter) Detail() bool                      { return false }

// codedJSON describes a code: as its sender did, for a layer decoded from
// the wire, so that it encodes again unchanged.
func codedJSON(kind string, c *code, wire []string) jsonLayer {
	l := jsonLayer{Kind: kind}
	if c == nil {
		return l
	}
	w := wireCode{name: c.name, retry: c.sentRetry(), ancestors: ancestorNames(c)}
	if c.reg == nil {
		w.parents = c.wireParents
	}
	if wire != nil {
		if pw, err := parseDetails(wire); err == nil {
			w = pw
		}
	}
	l.Code, l.Ancestors, l.Parents = w.name, w.ancestors, w.parents
	if w.retry != Unspecified {
		l.Retry = w.retry.String()
	}
	return l
}

// fieldsJSON sets the fields and the redactable message of l from a
// layer's payload: raw as received, or else made from fs and redactable.
func fieldsJSON(l *jsonLayer, raw []byte, fs []field, redactable string) error {
	if raw == nil {
		if len(fs) == 0 && redactable == "" {
			return nil
		}
		var err error
		if raw, err = marshalLayer(fs, redactable); err != nil {
			return err
		}
	}
	rb, err := parseRawBlob(raw)
	if err != nil {
		return fmt.Errorf("malformed fields: %w", err)
	}
	blob := rb.blob()
	if blob.Fields != nil {
		if l.Fields, err = json.Marshal(blob.Fields); err != nil {
			return err
		}
	}
	if blob.Types != nil {
		l.FieldTypes, err = json.Marshal(blob.Types)
	}
	l.SafeFields, l.Redactable = blob.Safe, blob.Redactable
	return err
}

// DecodeJSON returns the error that [EncodeJSON], or a non-Go peer
// following WIRE.md, encoded in data, its code names bound to [Default];
// see [Registry.DecodeJSON].
func DecodeJSON(data []byte) (decoded, err error) { return Default.DecodeJSON(data) }

// DecodeJSON returns the error encoded in data in errcode's JSON form,
// with code names bound to r as [Registry.Decode] binds them. Member
// names are matched exactly, case included, as non-Go readers match
// them; unknown members (a "Chain" among them) are ignored, so that newer
// senders do not break older receivers. Empty input, input over
// [MaxEncodedSize], malformed or wrong-typed JSON, another version, a
// chain deeper than [MaxDepth], more than [MaxLayers] layers in the whole
// tree (counted before any is unmarshalled, and with names matched as
// encoding/json matches them, so a "CHAIN" counts too), or fields past
// [MaxFields], [MaxFieldSize] or [MaxFieldDepth] give a nil decoded and
// an err that says what was wrong.
func (r *Registry) DecodeJSON(data []byte) (decoded, err error) {
	in, err := readJSONForm(data)
	if err != nil {
		return nil, err
	}
	d := newJSONDecoder(r, len(data))
	if decoded, err = d.decode(in.Chain); err != nil {
		return nil, fmt.Errorf("errcode: decode JSON: %w", err)
	}
	if len(d.s.problems) > 0 {
		return nil, errors.Join(d.s.problems...)
	}
	keepSentRetryAfter(decoded, in.RetryAfter)
	return decoded, nil
}

// readJSONForm checks data as DecodeJSON's input — not empty, within
// MaxEncodedSize, past the pre-scan — and parses it, refusing another
// version.
func readJSONForm(data []byte) (parsedDoc, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return parsedDoc{}, errors.New("errcode: decode JSON: empty input")
	}
	if len(data) > MaxEncodedSize {
		return parsedDoc{}, fmt.Errorf("errcode: decode JSON: %d bytes, over MaxEncodedSize (%d)", len(data), MaxEncodedSize)
	}
	if err := scanJSON(data); err != nil {
		return parsedDoc{}, fmt.Errorf("errcode: decode JSON: %w", err)
	}
	in, err := parseJSONForm(data)
	if err != nil {
		return parsedDoc{}, fmt.Errorf("errcode: decode JSON: %w", err)
	}
	if in.Version != JSONVersion {
		return parsedDoc{}, fmt.Errorf("errcode: decode JSON: version %d, this release reads version %d (is \"version\" missing?)", in.Version, JSONVersion)
	}
	return in, nil
}

// decodeJSONEncoded decodes the parsed form's chain as DecodeJSON did
// before it built the layers itself (jsonDecoder): through cockroachdb's
// errorspb tree (encodeChain) and errbase.DecodeError. The tests keep it
// as the reference DecodeJSON must answer like.
func (r *Registry) decodeJSONEncoded(chain []parsedLayer, size int) (decoded, err error) {
	enc, err := encodeChain(chain, 0, &codeSet{size: size})
	if err != nil {
		return nil, fmt.Errorf("errcode: decode JSON: %w", err)
	}
	ctx, s := newDecodeContext(r)
	decoded = errbase.DecodeError(ctx, enc)
	if len(s.problems) > 0 {
		return nil, errors.Join(s.problems...)
	}
	return decoded, nil
}

// keepSentRetryAfter keeps the top-level retry_after member of a decoded
// document, as it came, on the layer whose code's own hint the sender's
// RetryAfterOf read: the first coded layer RetryAfterOf meets, unless a
// retry-after layer comes first (whose hint travelled as a layer). A
// bare code or a mark decoded as the receiver's cannot keep it: there,
// as for an error from the protobuf form, the receiver's hint is sent on.
func keepSentRetryAfter(decoded error, sent string) {
	walk(decoded, func(l error) bool {
		switch e := l.(type) {
		case *withRetryAfter:
			return true
		case *codedErr:
			if e.wireDetails() != nil {
				e.sentAfter = &sent
			}
			return true
		}
		return layerCode(l) != nil
	})
}

// sentRetryAfter returns the top-level retry_after member of err's JSON
// form: RetryAfterOf(err) as a Go duration ("" for none), except that a
// layer decoded from a JSON document gives, for its code's own hint,
// what that document's top level said, so that the document encodes
// again to the bytes it came as.
func sentRetryAfter(err error) string {
	var out string
	walk(err, func(l error) bool {
		switch e := l.(type) {
		case *withRetryAfter:
			if e.after > 0 {
				out = e.after.String()
			}
			return true
		case *codedErr:
			if e.sentAfter != nil {
				out = *e.sentAfter
				return true
			}
		}
		if k := layerCode(l); k != nil && k.retryAfter > 0 {
			out = k.retryAfter.String()
			return true
		}
		return false
	})
	return out
}

// encodeChain turns a JSON chain into cockroachdb's EncodedError, so that
// both wire forms decode through the same decoders; cc counts its codes.
func encodeChain(chain []parsedLayer, depth int, cc *codeSet) (errorspb.EncodedError, error) {
	if len(chain) == 0 {
		return errorspb.EncodedError{}, errors.New("empty chain")
	}
	chain = splitText(chain)
	if depth+len(chain) > MaxDepth {
		return errorspb.EncodedError{}, fmt.Errorf("the chain nests deeper than MaxDepth (%d)", MaxDepth)
	}
	var enc errorspb.EncodedError
	for i := len(chain) - 1; i >= 0; i-- {
		l := &chain[i]
		kind := l.kind()
		msg, details, err := l.details(kind)
		if err == nil && (kind == kindCoded || kind == kindSentinel) {
			err = cc.add(keyOf(details.ReportablePayload))
		}
		if err != nil {
			return enc, fmt.Errorf("chain[%d] (%s): %w", i, kind, err)
		}
		if i == len(chain)-1 {
			leaf, err := l.leaf(kind, msg, details, depth+i, cc)
			if err != nil {
				return enc, fmt.Errorf("chain[%d] (%s): %w", i, kind, err)
			}
			enc = errorspb.EncodedError{Error: &errorspb.EncodedError_Leaf{Leaf: leaf}}
			continue
		}
		w := &errorspb.EncodedWrapper{Cause: enc, Message: msg, Details: details}
		switch kind {
		case kindCoded, kindFields, kindRetry, kindRetryAfter, kindStatus, kindStack, kindMark:
		default:
			if kind == kindJoin || kind == kindSentinel {
				return enc, fmt.Errorf("chain[%d]: a %s layer must be the last of its chain", i, kind)
			}
			// A message layer, or one of a kind from a newer sender:
			// keep its text, and its kind to send it on.
			w.Details = jsonTextDetails(kind, l.OwnsMessage)
			if l.OwnsMessage {
				w.MessageType = errorspb.MessageType_FULL_MESSAGE
			}
		}
		w.Details.OriginalTypeName = w.Details.ErrorTypeMark.FamilyName
		enc = errorspb.EncodedError{Error: &errorspb.EncodedError_Wrapper{Wrapper: w}}
	}
	return enc, nil
}

// details returns the message and the cockroachdb details of one layer.
func (l *parsedLayer) details(kind string) (string, errorspb.EncodedErrorDetails, error) {
	var d errorspb.EncodedErrorDetails
	switch kind {
	case kindCoded, kindSentinel:
		var err error
		if d.ReportablePayload, err = l.codeDetails(kind); err != nil {
			return "", d, err
		}
		d.ErrorTypeMark = codedMark
		if kind == kindSentinel {
			d.ErrorTypeMark = codeMark
		}
		if kind == kindSentinel {
			return l.Code, d, nil
		}
		if err := l.fieldsPayload(&d); err != nil {
			return "", d, err
		}
	case kindFields:
		d.ErrorTypeMark = errbase.GetTypeMark(&withFields{})
		if err := l.fieldsPayload(&d); err != nil {
			return "", d, err
		}
		return "", d, nil
	case kindRetry:
		r, err := ParseRetry(l.Retry)
		if err != nil {
			return "", d, err
		}
		d.ErrorTypeMark = errbase.GetTypeMark(&withRetry{})
		d.ReportablePayload = (&withRetry{retry: r}).SafeDetails()
		return "", d, nil
	case kindRetryAfter:
		d.ErrorTypeMark = errbase.GetTypeMark(&withRetryAfter{})
		d.ReportablePayload = []string{detailRetryAfter + l.RetryAfter}
		return "", d, nil
	case kindStatus:
		w := &withStatus{grpc: codes.Code(l.GRPCCode), hasGRPC: l.GRPCCode != 0, http: l.HTTPStatus}
		if _, err := parseStatusDetails(w.SafeDetails()); err != nil {
			return "", d, err
		}
		d.ErrorTypeMark = errbase.GetTypeMark(&withStatus{})
		d.ReportablePayload = w.SafeDetails()
		return "", d, nil
	case kindStack:
		d.ErrorTypeMark = stackMark
		d.ReportablePayload = []string{l.Stack}
		return "", d, nil
	case kindMark:
		// What cockroachdb's errors.Mark(err, c) sends for a Code c.
		if err := validName("code", l.Code); err != nil {
			return "", d, err
		}
		d.ErrorTypeMark = withMarkMark
		d.OriginalTypeName = withMarkMark.FamilyName
		var err error
		d.FullDetails, err = types.MarshalAny(&errorspb.MarkPayload{Msg: l.Code, Types: []errorspb.ErrorTypeMark{codeMark}})
		return "", d, err
	}
	d.OriginalTypeName = d.ErrorTypeMark.FamilyName
	return l.Message, d, nil
}

// codeDetails returns the safe details of a coded or sentinel layer,
// checked as the decoders check them.
func (l *parsedLayer) codeDetails(kind string) ([]string, error) {
	retry, err := ParseRetry(l.Retry)
	if err != nil {
		return nil, err
	}
	var details []string
	w := wireCode{name: l.Code, retry: retry, ancestors: l.Ancestors, parents: l.Parents}
	if w.name != "" || w.retry != Unspecified || w.ancestors != nil || w.parents != nil {
		// Only a layer made with the zero Code has no code name.
		if err := w.validate(); err != nil {
			return nil, err
		}
		details = codeDetails(&code{name: w.name, wireRetry: w.retry, wireAncestors: strings.Join(w.ancestors, " "), wireParents: w.parents})
	}
	if kind == kindSentinel {
		return details, nil
	}
	if l.SafeMessage {
		details = append(details, detailMessage+messageSafe)
	}
	if l.Stack != "" {
		details = append(details, detailStack+l.Stack)
	}
	return details, nil
}

func (l *parsedLayer) fieldsPayload(d *errorspb.EncodedErrorDetails) error {
	d.OriginalTypeName = d.ErrorTypeMark.FamilyName
	raw, err := l.fieldsRaw()
	if raw == nil || err != nil {
		return err
	}
	d.FullDetails, err = types.MarshalAny(&types.BytesValue{Value: raw})
	return err
}

// fieldsRaw returns the payload of a layer's fields and redactable
// message, checked as the decoders check it; nil when it has none.
func (l *parsedLayer) fieldsRaw() ([]byte, error) {
	if l.Fields == nil {
		if l.FieldTypes != nil || l.SafeFields != nil {
			return nil, errors.New("field_types or safe_fields without fields")
		}
		if l.Redactable == "" {
			return nil, nil
		}
	}
	blob := fieldsBlob{Safe: l.SafeFields, Redactable: l.Redactable}
	if l.Fields != nil {
		if err := json.Unmarshal(l.Fields, &blob.Fields); err != nil {
			return nil, fmt.Errorf("fields: %w", err)
		}
	}
	if l.FieldTypes != nil {
		if err := json.Unmarshal(l.FieldTypes, &blob.Types); err != nil {
			return nil, fmt.Errorf("field_types: %w", err)
		}
	}
	raw, err := json.Marshal(blob)
	if err != nil {
		return nil, err
	}
	if _, err := checkFieldsPayload(raw); err != nil {
		return nil, err
	}
	return raw, nil
}

func (l *parsedLayer) leaf(kind, msg string, d errorspb.EncodedErrorDetails, depth int, cc *codeSet) (*errorspb.EncodedErrorLeaf, error) {
	leaf := &errorspb.EncodedErrorLeaf{Message: msg, Details: d}
	switch kind {
	case kindCoded, kindSentinel:
		return leaf, nil
	case kindJoin:
		return l.joinLeaf(leaf, joinMark, depth, cc)
	case kindFields, kindRetry, kindRetryAfter, kindStatus, kindStack, kindMark:
		return nil, errors.New("the last layer of a chain must be coded, sentinel, message or join")
	case kindMessage:
		leaf.Details.ErrorTypeMark = messageMark
	default:
		// A kind from a newer sender: keep its text, its causes and its
		// kind to send them on.
		mark := errorspb.ErrorTypeMark{FamilyName: messageMark.FamilyName, Extension: kind}
		if l.Causes != nil {
			mark.FamilyName = joinMark.FamilyName
			return l.joinLeaf(leaf, mark, depth, cc)
		}
		leaf.Details.ErrorTypeMark = mark
	}
	leaf.Details.OriginalTypeName = messageMark.FamilyName
	return leaf, nil
}

// joinLeaf makes leaf a join of l's causes, marked mark. A join sent
// without a message (and without owns_message, which makes it empty)
// reads like errors.Join: its branches' messages joined by newlines.
func (l *parsedLayer) joinLeaf(leaf *errorspb.EncodedErrorLeaf, mark errorspb.ErrorTypeMark, depth int, cc *codeSet) (*errorspb.EncodedErrorLeaf, error) {
	leaf.Details.ErrorTypeMark = mark
	leaf.Details.OriginalTypeName = mark.FamilyName
	for i, c := range l.Causes {
		enc, err := encodeChain(c, depth+1, cc)
		if err != nil {
			return nil, fmt.Errorf("causes[%d]: %w", i, err)
		}
		leaf.MultierrorCauses = append(leaf.MultierrorCauses, &enc)
	}
	if len(leaf.MultierrorCauses) == 0 {
		return nil, errors.New("a join without causes")
	}
	if !l.sentMessage && !l.OwnsMessage {
		msgs := make([]string, len(leaf.MultierrorCauses))
		for i, c := range leaf.MultierrorCauses {
			msgs[i] = encodedMessage(c)
		}
		leaf.Message = strings.Join(msgs, "\n")
	}
	return leaf, nil
}

// encodedMessage returns the Error() of the error enc decodes to: each
// wrapper's message is a prefix, "prefix: " before its cause's, unless it
// is empty or owns the whole message.
func encodedMessage(enc *errorspb.EncodedError) string {
	var b strings.Builder
	for w := enc.GetWrapper(); w != nil; w = enc.GetWrapper() {
		if w.MessageType == errorspb.MessageType_FULL_MESSAGE {
			b.WriteString(w.Message)
			return b.String()
		}
		if w.Message != "" {
			b.WriteString(w.Message)
			b.WriteString(": ")
		}
		enc = &w.Cause
	}
	if leaf := enc.GetLeaf(); leaf != nil {
		b.WriteString(leaf.Message)
	}
	return b.String()
}

// splitText returns chain with each layer of a kind that has no text of
// its own (fields, retry, retry_after, status, stack) but a message
// split in two: that layer, then a message layer with the text, so that
// no text is dropped. It returns chain itself when there is none.
func splitText(chain []parsedLayer) []parsedLayer {
	var out []parsedLayer
	for i := range chain {
		l := &chain[i]
		textless := false
		switch l.kind() {
		case kindFields, kindRetry, kindRetryAfter, kindStatus, kindStack, kindMark:
			textless = l.Message != "" || l.OwnsMessage
		}
		if !textless {
			if out != nil {
				out = append(out, *l)
			}
			continue
		}
		if out == nil {
			out = append(make([]parsedLayer, 0, len(chain)+1), chain[:i]...)
		}
		layer := *l
		layer.Kind = layer.kind()
		layer.Message, layer.OwnsMessage, layer.sentMessage = "", false, false
		out = append(out, layer, parsedLayer{layerExt: noExt, Kind: kindMessage, Message: l.Message, OwnsMessage: l.OwnsMessage, sentMessage: true})
	}
	if out == nil {
		return chain
	}
	return out
}
