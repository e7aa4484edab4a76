package errcode

import (
	"context"
	"errors"
	"fmt"

	"github.com/cockroachdb/errors/errbase"
	"github.com/cockroachdb/errors/errorspb"
	"github.com/gogo/protobuf/proto"
	"github.com/gogo/protobuf/types"
	"google.golang.org/protobuf/encoding/protowire"
)

// Registry.Decode reads the protobuf form itself rather than through
// gogo's Unmarshal and errbase.DecodeError, which copy every string of
// the input into an allocation of its own and build the whole
// errorspb tree before the first layer is decoded. protoDecoder walks the
// bytes once scanError has accepted them, builds errcode's own layers
// directly with the decoders registered for cockroachdb (so the answers
// are the same), and hands every other node to errbase.DecodeError,
// alone: its causes are causeHole leaves, whose decoder decodes the real
// cause when cockroachdb asks for it, so that a cause is decoded exactly
// when, and in the order, cockroachdb would decode it.
//
// Decoded strings share one copy of the input: a layer keeps no more
// than the input's bytes alive, however many strings it holds, but a
// short message keeps the whole input alive as long as it lives.

// protoDecoder is the state of one Decode of the protobuf form.
type protoDecoder struct {
	// The context the decoders get: Background, with the decodeState s
	// under decodeStateKey (see Value); one allocation with the rest.
	context.Context

	data []byte // the input, read while decoding and not kept
	src  string // one copy of data, of which decoded strings are substrings
	s    decodeState
	err  error // the first malformed node, which ends the decode

	// holes are the causes, as spans of data, of the node handed to
	// errbase.DecodeError; its causeHole leaves take them in order.
	holes []span
}

// span is the contents of a field: data[lo:hi].
type span struct{ lo, hi int }

// causeHole stands, in a node that protoDecoder hands cockroachdb, for a
// cause that protoDecoder decodes itself. It never reaches a caller: its
// decoder returns the cause, or nil (cockroachdb's opaque leaf) outside
// a Decode that put it there. Decode hands input naming this type to
// cockroachdb whole, with no holes.
type causeHole struct{}

func (causeHole) Error() string { return "errcode: cause hole" }

var (
	holeFamily       = string(errbase.GetTypeKey(causeHole{}))
	retryFamily      = string(errbase.GetTypeKey(&withRetry{}))
	retryAfterFamily = string(errbase.GetTypeKey(&withRetryAfter{}))
	statusFamily     = string(errbase.GetTypeKey(&withStatus{}))
	jsonTextFamily   = string(errbase.GetTypeKey(&jsonText{}))

	// holeError is the cause a node handed to cockroachdb carries; shared,
	// and never changed.
	holeError = errorspb.EncodedError{Error: &errorspb.EncodedError_Leaf{Leaf: &errorspb.EncodedErrorLeaf{
		Details: errorspb.EncodedErrorDetails{ErrorTypeMark: errorspb.ErrorTypeMark{FamilyName: holeFamily}},
	}}}
)

func init() {
	errbase.RegisterLeafDecoder(errbase.TypeKey(holeFamily), decodeHole)
}

// decodeHole returns the next cause of the node its Decode handed
// cockroachdb, decoded; nil (an opaque leaf, as for any type without a
// decoder) in any other decode.
func decodeHole(ctx context.Context, _ string, _ []string, _ proto.Message) error {
	s, ok := ctx.Value(decodeStateKey{}).(*decodeState)
	if !ok || s.proto == nil || len(s.proto.holes) == 0 {
		return nil
	}
	d := s.proto
	h := d.holes[0]
	d.holes = d.holes[1:]
	return d.decodeError(h)
}

// decodeProto decodes data, which scanError has accepted and which names
// no causeHole, with code names bound to r.
func decodeProto(r *Registry, data []byte) (decoded, err error) {
	d := &protoDecoder{Context: context.Background(), data: data, src: string(data)}
	d.s = decodeState{reg: r, proto: d}
	defer func() {
		// The decoders of other cockroachdb types trust their payloads;
		// a crafted payload must still not take the program down.
		if p := recover(); p != nil {
			decoded, err = nil, fmt.Errorf("errcode: decode: malformed payload: %v", p)
		}
	}()
	decoded = d.decodeError(span{0, len(data)})
	if d.err != nil {
		return nil, fmt.Errorf("errcode: decode: %w", d.err)
	}
	if len(d.s.problems) > 0 {
		return nil, errors.Join(d.s.problems...)
	}
	return decoded, nil
}

// decodeCockroach decodes data, which scanError has accepted, with
// gogo's Unmarshal and errbase.DecodeError, as Decode did before it read
// the protobuf itself; Decode uses it for input that names causeHole.
func decodeCockroach(r *Registry, data []byte) (decoded, err error) {
	var enc errorspb.EncodedError
	if err := enc.Unmarshal(data); err != nil {
		return nil, fmt.Errorf("errcode: decode: malformed protobuf: %w", err)
	}
	ctx, s := newDecodeContext(r)
	defer func() {
		if p := recover(); p != nil {
			decoded, err = nil, fmt.Errorf("errcode: decode: malformed payload: %v", p)
		}
	}()
	decoded = errbase.DecodeError(ctx, enc)
	if len(s.problems) > 0 {
		return nil, errors.Join(s.problems...)
	}
	return decoded, nil
}

// Value returns the decode's state under decodeStateKey, as
// newDecodeContext's context does, and what the Background context
// holds under any other key.
func (d *protoDecoder) Value(key any) any {
	if _, ok := key.(decodeStateKey); ok {
		return &d.s
	}
	return d.Context.Value(key)
}

// failed is what a node decodes to when it cannot be decoded: the decode
// reports an error, and failed only stands in for the node until it does.
var failed = errors.New("errcode: a layer that did not decode")

// malformed records the first node gogo would not unmarshal and returns
// failed.
func (d *protoDecoder) malformed(err error) error {
	if d.err == nil {
		d.err = fmt.Errorf("malformed protobuf: %w", err)
	}
	return failed
}

// str returns the contents of sp as a string that shares d.src.
func (d *protoDecoder) str(sp span) string { return d.src[sp.lo:sp.hi] }

// decodeError decodes the EncodedError in sp. It never returns nil.
func (d *protoDecoder) decodeError(sp span) error {
	it := d.fields(sp)
	var node span
	leaf := false
	for it.next() {
		switch it.num {
		case fieldErrorLeaf:
			node, leaf = it.val, true
		case fieldErrorWrapper:
			node, leaf = it.val, false
		}
	}
	if it.err != nil {
		return d.malformed(it.err)
	}
	if leaf {
		return d.decodeLeaf(node)
	}
	return d.decodeWrapper(node)
}

// node is what decodeLeaf and decodeWrapper read of an EncodedErrorDetails.
type node struct {
	family  string
	details []string // reportable_payload; nil when there is none
	hasAny  bool     // full_details is present
	anyURL  span
	anyVal  span
}

// readDetails reads the EncodedErrorDetails in sp.
func (d *protoDecoder) readDetails(sp span) (node, error) {
	var n node
	var first [8]string // the safe details, when there are no more
	count := 0
	it := d.fields(sp)
	for it.next() {
		switch it.num {
		case 2: // error_type_mark
			mit := d.fields(it.val)
			for mit.next() {
				if mit.num == fieldMarkFamily {
					n.family = d.str(mit.val)
				}
			}
			if mit.err != nil {
				return n, mit.err
			}
		case 3: // reportable_payload
			if count < len(first) {
				first[count] = d.str(it.val)
			}
			count++
		case fieldDetailsPayload:
			n.hasAny = true
			ait := d.fields(it.val)
			for ait.next() {
				switch ait.num {
				case fieldAnyTypeURL:
					n.anyURL = ait.val
				case fieldAnyValue:
					n.anyVal = ait.val
				}
			}
			if ait.err != nil {
				return n, ait.err
			}
		}
	}
	switch {
	case it.err != nil || count == 0:
		return n, it.err
	case count <= len(first):
		n.details = append([]string(nil), first[:count]...)
		return n, nil
	}
	n.details = make([]string, 0, count)
	it = d.fields(sp)
	for it.next() {
		if it.num == 3 {
			n.details = append(n.details, d.str(it.val))
		}
	}
	return n, it.err
}

// payload returns an errcode layer's payload as cockroachdb hands it to
// the layer's decoder: a BytesValue, or nil when there is none or it
// does not unmarshal (cockroachdb warns and passes nil). scanError
// refused any other type for the layers whose decoders read a payload;
// the others ignore theirs.
func (d *protoDecoder) payload(n *node) proto.Message {
	if !n.hasAny || anyMessageName(d.data[n.anyURL.lo:n.anyURL.hi]) != bytesValueName {
		return nil
	}
	b := new(types.BytesValue)
	if b.Unmarshal(d.data[n.anyVal.lo:n.anyVal.hi]) != nil {
		return nil
	}
	return b
}

// decodeWrapper decodes the EncodedWrapper in sp.
func (d *protoDecoder) decodeWrapper(sp span) error {
	var cause, details span
	var msg string
	var mt uint64
	it := d.fields(sp)
	for it.next() {
		switch it.num {
		case fieldWrapperCause:
			cause = it.val
		case 2: // message
			msg = d.str(it.val)
		case fieldWrapperDetails:
			details = it.val
		case 4: // message_type
			mt = it.v
		}
	}
	if it.err != nil {
		return d.malformed(it.err)
	}
	n, err := d.readDetails(details)
	if err != nil {
		return d.malformed(err)
	}
	var dec func(context.Context, error, string, []string, proto.Message) error
	switch n.family {
	case codedFamily:
		dec = decodeCodedWrapper
	case retryFamily:
		dec = decodeWithRetry
	case retryAfterFamily:
		dec = decodeWithRetryAfter
	case statusFamily:
		dec = decodeWithStatus
	case fieldsFamily:
		dec = decodeWithFields
	case jsonTextFamily:
		dec = decodeJSONText
	default:
		return d.viaCockroach(sp, details, []span{cause}, func(det errorspb.EncodedErrorDetails) errorspb.EncodedError {
			return errorspb.EncodedError{Error: &errorspb.EncodedError_Wrapper{Wrapper: &errorspb.EncodedWrapper{
				Cause: holeError, Message: msg, Details: det, MessageType: errorspb.MessageType(int32(mt)),
			}}}
		})
	}
	c := d.decodeError(cause)
	if e := dec(d, c, msg, n.details, d.payload(&n)); e != nil {
		return e
	}
	// The decoder reported a problem, and Decode will return it; failed
	// stands for cockroachdb's opaque wrapper until then.
	return failed
}

// decodeLeaf decodes the EncodedErrorLeaf in sp.
func (d *protoDecoder) decodeLeaf(sp span) error {
	var details span
	var msg string
	ncauses := 0
	it := d.fields(sp)
	for it.next() {
		switch it.num {
		case 1: // message
			msg = d.str(it.val)
		case fieldLeafDetails:
			details = it.val
		case fieldLeafCauses:
			ncauses++
		}
	}
	if it.err != nil {
		return d.malformed(it.err)
	}
	n, err := d.readDetails(details)
	if err != nil {
		return d.malformed(err)
	}
	var causes []span
	if ncauses > 0 {
		causes = make([]span, 0, ncauses)
		it = d.fields(sp)
		for it.next() {
			if it.num == fieldLeafCauses {
				causes = append(causes, it.val)
			}
		}
	}
	var dec func(context.Context, string, []string, proto.Message) error
	switch n.family {
	case codedFamily:
		dec = decodeCodedLeaf
	case codeFamily:
		dec = decodeCode
	default:
		return d.viaCockroach(sp, details, causes, func(det errorspb.EncodedErrorDetails) errorspb.EncodedError {
			holes := make([]*errorspb.EncodedError, len(causes))
			for i := range holes {
				holes[i] = &holeError
			}
			return errorspb.EncodedError{Error: &errorspb.EncodedError_Leaf{Leaf: &errorspb.EncodedErrorLeaf{
				Message: msg, Details: det, MultierrorCauses: holes,
			}}}
		})
	}
	if e := dec(d, msg, n.details, d.payload(&n)); e != nil {
		return e // its causes, if any, are not decoded, as cockroachdb does not
	}
	// The decoder reported a problem: cockroachdb goes on to decode the
	// causes into an opaque leaf, and Decode reports their problems too.
	for _, c := range causes {
		d.decodeError(c)
	}
	return failed
}

// viaCockroach decodes a node that is not errcode's with
// errbase.DecodeError: build makes the node from its details, unmarshalled
// by gogo, with a causeHole for each of its causes, which decode from
// causes in order as cockroachdb asks for them.
func (d *protoDecoder) viaCockroach(sp, details span, causes []span, build func(errorspb.EncodedErrorDetails) errorspb.EncodedError) error {
	var det errorspb.EncodedErrorDetails
	if err := det.Unmarshal(d.data[details.lo:details.hi]); err != nil {
		return d.malformed(err)
	}
	enc := build(det)
	saved := d.holes
	d.holes = causes
	e := errbase.DecodeError(d, enc)
	d.holes = saved
	return e
}

// fields returns an iterator over the fields of the message in sp.
func (d *protoDecoder) fields(sp span) fieldIter {
	return fieldIter{b: d.data, pos: sp.lo, end: sp.hi}
}

// fieldIter reads the fields of one message of data[pos:end], which
// scanError has checked.
type fieldIter struct {
	b        []byte
	pos, end int
	num      protowire.Number
	val      span   // a bytes field's contents
	v        uint64 // a varint field's value
	err      error
}

// next reads the next field, and reports whether there was one.
func (it *fieldIter) next() bool {
	if it.pos >= it.end || it.err != nil {
		return false
	}
	b := it.b[it.pos:it.end]
	num, typ, n := protowire.ConsumeTag(b)
	if n < 0 {
		it.err = protowire.ParseError(n)
		return false
	}
	it.num = num
	b = b[n:]
	var m int
	switch typ {
	case protowire.BytesType:
		var v []byte
		v, m = protowire.ConsumeBytes(b)
		if m >= 0 {
			lo := it.pos + n + m - len(v)
			it.val = span{lo, lo + len(v)}
		}
	case protowire.VarintType:
		it.v, m = protowire.ConsumeVarint(b)
	default:
		m = protowire.ConsumeFieldValue(num, typ, b)
	}
	if m < 0 {
		it.err = protowire.ParseError(m)
		return false
	}
	it.pos += n + m
	return true
}
