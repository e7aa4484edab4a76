package errcode

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cockroachdb/errors/errbase"
	"github.com/cockroachdb/errors/errorspb"
	"github.com/gogo/protobuf/proto"
	"github.com/gogo/protobuf/types"
)

// DecodeJSON builds each layer of the parsed form itself rather than
// turning the whole chain into cockroachdb's errorspb tree and handing
// it to errbase.DecodeError (decodeJSONEncoded, which the tests keep
// as the reference): that tree, and errbase's walk of it, cost about a
// kilobyte per layer. jsonDecoder checks each layer as encodeChain
// does, in the same order and with the same errors, and makes errcode's
// layers with the decoders registered for cockroachdb, called with what
// errbase would pass them; a node whose Go type is cockroachdb's (a
// message leaf or a join, which stay opaque, a stack, a mark) is handed
// to errbase.DecodeError alone, its causes decoded already and put in
// causeHole leaves (decodeHole takes them from holes).

// jsonDecoder is the state of one DecodeJSON.
type jsonDecoder struct {
	// The context the decoders get: Background, with the decodeState s
	// under decodeStateKey (see Value).
	context.Context
	s decodeState

	// holes are the causes, decoded, of the node handed to
	// errbase.DecodeError; its causeHole leaves take them in order.
	holes []error
	one   [1]error // holes of a wrapper

	// The node handed to errbase.DecodeError: errbase copies what it
	// keeps, so one serves every node of the decode.
	leaf       errorspb.EncodedErrorLeaf
	leafBox    errorspb.EncodedError_Leaf
	wrapper    errorspb.EncodedWrapper
	wrapperBox errorspb.EncodedError_Wrapper
}

// newJSONDecoder returns the decoder of one DecodeJSON of size bytes,
// binding code names to r.
func newJSONDecoder(r *Registry, size int) *jsonDecoder {
	d := &jsonDecoder{Context: context.Background()}
	d.s = decodeState{reg: r, json: d, size: size}
	d.leafBox.Leaf = &d.leaf
	d.wrapperBox.Wrapper = &d.wrapper
	return d
}

// Value returns the decode's state under decodeStateKey, as
// newDecodeContext's context does, and what the Background context
// holds under any other key.
func (d *jsonDecoder) Value(key any) any {
	if _, ok := key.(decodeStateKey); ok {
		return &d.s
	}
	return d.Context.Value(key)
}

// nextHole returns the next cause of the node handed to
// errbase.DecodeError; nil (an opaque leaf) if there is none left.
func (d *jsonDecoder) nextHole() error {
	if len(d.holes) == 0 {
		return nil
	}
	h := d.holes[0]
	d.holes = d.holes[1:]
	return h
}

// decode decodes the parsed form's chain; problems the decoders found
// are in d.s.problems.
func (d *jsonDecoder) decode(chain []parsedLayer) (error, error) {
	decoded, _, err := d.chain(chain, 0, false)
	return decoded, err
}

// chain decodes chain, depth levels of joins below the top, checking it
// as encodeChain does. With wantMsg, msg is the Error() that
// encodedMessage reads in the chain's encoded form, for a join without a
// message of its own.
func (d *jsonDecoder) chain(chain []parsedLayer, depth int, wantMsg bool) (decoded error, msg string, err error) {
	if len(chain) == 0 {
		return nil, "", errors.New("empty chain")
	}
	chain = splitText(chain)
	if depth+len(chain) > MaxDepth {
		return nil, "", fmt.Errorf("the chain nests deeper than MaxDepth (%d)", MaxDepth)
	}
	last := len(chain) - 1
	var leafMsg string
	decoded, leafMsg, err = d.leafLayer(&chain[last], depth+last)
	if err != nil {
		return nil, "", fmt.Errorf("chain[%d] (%s): %w", last, chain[last].kind(), err)
	}
	for i := last - 1; i >= 0; i-- {
		l := &chain[i]
		kind := l.kind()
		if decoded, err = d.wrapperLayer(l, kind, decoded); err != nil {
			return nil, "", fmt.Errorf("chain[%d] (%s): %w", i, kind, err)
		}
		if decoded == nil {
			return nil, "", fmt.Errorf("chain[%d]: a %s layer must be the last of its chain", i, kind)
		}
	}
	if wantMsg {
		msg = chainMessage(chain, leafMsg)
	}
	return decoded, msg, nil
}

// chainMessage returns what encodedMessage returns for chain encoded by
// encodeChain, its leaf's message leafMsg.
func chainMessage(chain []parsedLayer, leafMsg string) string {
	var b strings.Builder
	for i := range chain[:len(chain)-1] {
		l := &chain[i]
		switch l.kind() {
		case kindCoded:
		case kindFields, kindRetry, kindRetryAfter, kindStatus, kindStack, kindMark:
			continue // splitText left them no text
		default:
			if l.OwnsMessage {
				b.WriteString(l.Message)
				return b.String()
			}
		}
		if l.Message != "" {
			b.WriteString(l.Message)
			b.WriteString(": ")
		}
	}
	if b.Len() == 0 {
		return leafMsg
	}
	b.WriteString(leafMsg)
	return b.String()
}

// payloadOf returns the payload errbase hands a layer's decoder for the
// fields raw: nil when there are none.
func payloadOf(raw []byte) proto.Message {
	if raw == nil {
		return nil
	}
	return &types.BytesValue{Value: raw}
}

// ok returns e, or errFailed when its decoder returned nil: it reported
// a problem, which DecodeJSON returns, and errFailed only stands in for
// the layer until it does.
func ok(e error) error {
	if e == nil {
		return errFailed
	}
	return e
}

// wrapperLayer decodes l, of kind kind, around cause; nil, with no
// error, for a kind that must be the last of its chain.
func (d *jsonDecoder) wrapperLayer(l *parsedLayer, kind string, cause error) (error, error) {
	switch kind {
	case kindCoded:
		details, err := d.codeDetails(l, kind)
		if err != nil {
			return nil, err
		}
		raw, err := l.fieldsRaw()
		if err != nil {
			return nil, err
		}
		return ok(decodeCodedWrapper(d, cause, l.Message, details, payloadOf(raw))), nil
	case kindFields:
		raw, err := l.fieldsRaw()
		if err != nil {
			return nil, err
		}
		return ok(decodeWithFields(d, cause, "", nil, payloadOf(raw))), nil
	case kindRetry:
		r, err := ParseRetry(l.Retry)
		if err != nil {
			return nil, err
		}
		return ok(decodeWithRetry(d, cause, "", (&withRetry{retry: r}).SafeDetails(), nil)), nil
	case kindRetryAfter:
		return ok(decodeWithRetryAfter(d, cause, "", []string{detailRetryAfter + l.RetryAfter}, nil)), nil
	case kindStatus, kindStack, kindMark:
		_, det, err := l.details(kind)
		if err != nil {
			return nil, err
		}
		if kind == kindStatus {
			return ok(decodeWithStatus(d, cause, "", det.ReportablePayload, nil)), nil
		}
		det.OriginalTypeName = det.ErrorTypeMark.FamilyName
		d.wrapper = errorspb.EncodedWrapper{Cause: holeError, Details: det}
		d.one[0] = cause
		d.holes = d.one[:]
		e := errbase.DecodeError(d, errorspb.EncodedError{Error: &d.wrapperBox})
		d.one[0], d.holes = nil, nil
		return e, nil
	case kindSentinel:
		if _, err := d.codeDetails(l, kind); err != nil {
			return nil, err
		}
		return nil, nil
	case kindJoin:
		return nil, nil
	}
	// A message layer, or one of a kind from a newer sender: its text,
	// and its kind to send it on, as decodeJSONText reads them from
	// jsonTextDetails.
	e := &jsonText{cause: cause, prefix: l.Message, owns: l.OwnsMessage}
	if kind != kindMessage {
		e.kind = kind
	}
	return e, nil
}

// codeDetails returns the safe details of the coded or sentinel layer l,
// checked as the decoders check them, and binds them: a code past the
// input's codeBudget is refused here, where the error can say which
// layer named it. The decoder that makes the layer finds the code bound.
func (d *jsonDecoder) codeDetails(l *parsedLayer, kind string) ([]string, error) {
	details, err := l.codeDetails(kind)
	if err != nil {
		return nil, err
	}
	if _, err := d.s.bindDetails(details); err != nil {
		return nil, err
	}
	return details, nil
}

// leafLayer decodes l, the last layer of a chain, depth levels below
// the top; msg is the message its encoded leaf carries.
func (d *jsonDecoder) leafLayer(l *parsedLayer, depth int) (decoded error, msg string, err error) {
	kind := l.kind()
	switch kind {
	case kindCoded, kindSentinel:
		details, err := d.codeDetails(l, kind)
		if err != nil {
			return nil, "", err
		}
		if kind == kindSentinel {
			return ok(decodeCode(d, l.Code, details, nil)), l.Code, nil
		}
		raw, err := l.fieldsRaw()
		if err != nil {
			return nil, "", err
		}
		return ok(decodeCodedLeaf(d, l.Message, details, payloadOf(raw))), l.Message, nil
	case kindFields, kindRetry, kindRetryAfter, kindStatus, kindStack, kindMark:
		if _, _, err := l.details(kind); err != nil {
			return nil, "", err
		}
		return nil, "", errors.New("the last layer of a chain must be coded, sentinel, message or join")
	}
	d.leaf = errorspb.EncodedErrorLeaf{Message: l.Message}
	det := &d.leaf.Details
	switch {
	case kind == kindMessage:
		det.ErrorTypeMark = messageMark
		det.OriginalTypeName = messageMark.FamilyName
	case kind == kindJoin || l.Causes != nil:
		// A join, or a kind from a newer sender with causes.
		det.ErrorTypeMark = joinMark
		if kind != kindJoin {
			det.ErrorTypeMark.Extension = kind
		}
		det.OriginalTypeName = joinMark.FamilyName
		return d.join(l, depth)
	default:
		// A kind from a newer sender: keep its text and its kind to send
		// them on.
		det.ErrorTypeMark = errorspb.ErrorTypeMark{FamilyName: messageMark.FamilyName, Extension: kind}
		det.OriginalTypeName = messageMark.FamilyName
	}
	return errbase.DecodeError(d, errorspb.EncodedError{Error: &d.leafBox}), l.Message, nil
}

// join decodes the join l, whose leaf node d.leaf holds but for its
// causes, as joinLeaf makes it: a join sent without a message (and
// without owns_message, which makes it empty) reads like errors.Join.
func (d *jsonDecoder) join(l *parsedLayer, depth int) (error, string, error) {
	leaf := d.leaf // d.leaf serves the causes' nodes meanwhile
	if len(l.Causes) == 0 {
		return nil, "", errors.New("a join without causes")
	}
	wantMsg := !l.sentMessage && !l.OwnsMessage
	causes := make([]error, len(l.Causes))
	var msgs []string
	if wantMsg {
		msgs = make([]string, len(l.Causes))
	}
	for i, c := range l.Causes {
		var err error
		var m string
		if causes[i], m, err = d.chain(c, depth+1, wantMsg); err != nil {
			return nil, "", fmt.Errorf("causes[%d]: %w", i, err)
		}
		if wantMsg {
			msgs[i] = m
		}
	}
	if wantMsg {
		leaf.Message = strings.Join(msgs, "\n")
	}
	leaf.MultierrorCauses = holeErrors(len(causes))
	d.leaf = leaf
	d.holes = causes
	e := errbase.DecodeError(d, errorspb.EncodedError{Error: &d.leafBox})
	d.holes, d.leaf = nil, errorspb.EncodedErrorLeaf{}
	return e, leaf.Message, nil
}

// manyHoles is what holeErrors returns for up to MaxLayers causes.
var manyHoles = func() []*errorspb.EncodedError {
	h := make([]*errorspb.EncodedError, MaxLayers)
	for i := range h {
		h[i] = &holeError
	}
	return h
}()

// holeErrors returns n causeHole leaves, for the causes of a node.
// errbase only reads them.
func holeErrors(n int) []*errorspb.EncodedError {
	if n <= len(manyHoles) {
		return manyHoles[:n:n]
	}
	h := make([]*errorspb.EncodedError, n)
	for i := range h {
		h[i] = &holeError
	}
	return h
}
