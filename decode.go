package errcode

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cockroachdb/errors/errbase"
	"github.com/cockroachdb/errors/errorspb"
	"github.com/gogo/protobuf/proto"
	"github.com/gogo/protobuf/types"
	"google.golang.org/protobuf/encoding/protowire"
)

// Registry.Decode reads the protobuf form itself rather than through
// gogo's Unmarshal and errbase.DecodeError, which copy every string of
// the input into an allocation of its own and build the whole
// errorspb tree before the first layer is decoded. protoDecoder builds
// errcode's own layers directly with the decoders registered for
// cockroachdb (so the answers are the same), and hands every other node
// to errbase.DecodeError, alone: its causes are causeHole leaves, whose
// decoder decodes the real cause when cockroachdb asks for it, so that a
// cause is decoded exactly when, and in the order, cockroachdb would
// decode it.
//
// An error of errcode's layers alone is decoded in one walk that also
// checks all that scanError would (decodeFast); at anything else that
// walk gives up, and Decode runs scanError and then decodes again, with
// errbase.DecodeError for the other nodes (decodeScanned).
//
// Decoded strings are copied from the input, a node's message and safe
// details together, into chunks of 2 KiB, or of one node's strings when
// they are larger, or of the input's bytes not copied yet when those are
// fewer (see room). A layer keeps alive the chunks its strings are cut
// from, not the input; family names, framing and unknown fields are not
// copied.

// protoDecoder is the state of one Decode of the protobuf form.
type protoDecoder struct {
	// The context the decoders get: Background, with the decodeState s
	// under decodeStateKey (see Value); one allocation with the rest.
	context.Context

	data []byte // the input, read while decoding and not kept
	s    decodeState
	err  error // the first malformed node, which ends the decode

	// holes are the causes, as spans of data, of the node handed to
	// errbase.DecodeError; its causeHole leaves take them in order.
	holes []span

	// fast is set in Decode's first walk, which runs before any scan: it
	// decodes an error made only of errcode's own layers, checking on its
	// way all that scanError would, and gives up (bailed) at anything
	// else. Decode then scans the input and decodes it again.
	fast, bailed   bool
	layers, budget int
	details        int // safe details read, against detailBudget

	// chunk is what the walk's strings are cut from, and copied the bytes
	// of the input it has copied (see room).
	chunk  strings.Builder
	copied int

	// strs is a slab the layers' safe details are cut from, when a layer
	// has few: one allocation for the details of many layers.
	strs []string
	slab int // the size of the last slab of strs

	// Slabs the coded layers, and what they came with, are cut from (see
	// newCodedLayer).
	layerSlab           []codedErr
	wireSlab            []wireLayer
	layerSize, wireSize int // the lengths of the last slabs
	// coded and codedWire count, on the fast walk's way down the chain,
	// its coded layers and those of them with details not shared with
	// the layer above or a payload: the layers and at most the wireLayers
	// it makes (see slabLen).
	coded, codedWire int
	made, wires      int // the layers and wireLayers cut so far
	// lastDetails are the safe details of the last node with few, which
	// the next node with the same details shares (see readDetails).
	lastDetails []string
}

// newCodedLayer returns a new coded layer, for its decoder to fill in, and
// the wireLayer it came with: nil when it came with no safe details and
// no fields payload. A layer that came with the same details as another
// of the same code in this decode (b, from bindDetails), and no payload,
// shares that one's wireLayer: nothing changes either once made. In
// Decode's own walk both are cut from slabs.
func (s *decodeState) newCodedLayer(b *boundCode, details []string, raw []byte) (*codedErr, *wireLayer) {
	var w *wireLayer
	if details != nil || raw != nil {
		if raw == nil && b != nil && b.wire != nil && slices.Equal(b.wire.details, details) {
			w = b.wire
		} else {
			w = s.newWireLayer(details, raw)
			if raw == nil && b != nil {
				b.wire = w
			}
		}
	}
	d := s.proto
	if d == nil {
		return new(codedErr), w
	}
	if len(d.layerSlab) == 0 {
		d.layerSize = d.slabLen(d.layerSize, d.made, d.coded)
		d.layerSlab = make([]codedErr, d.layerSize)
	}
	e := &d.layerSlab[0]
	d.layerSlab, d.made = d.layerSlab[1:], d.made+1
	return e, w
}

// newWireLayer returns a new wireLayer of details and raw: in Decode's
// own walk, cut from a slab.
func (s *decodeState) newWireLayer(details []string, raw []byte) *wireLayer {
	var rawp *[]byte
	if raw != nil {
		rawp = new([]byte)
		*rawp = raw
	}
	d := s.proto
	if d == nil {
		return &wireLayer{details: details, rawFields: rawp}
	}
	if len(d.wireSlab) == 0 {
		d.wireSize = d.slabLen(d.wireSize, d.wires, d.codedWire)
		d.wireSlab = make([]wireLayer, d.wireSize)
	}
	w := &d.wireSlab[0]
	d.wireSlab, d.wires = d.wireSlab[1:], d.wires+1
	*w = wireLayer{details: details, rawFields: rawp}
	return w
}

// slabLen returns the length of the next slab of a decode's layers, of
// which made are cut already: twice the last one's, from 2 up to 64, and
// no more than the layers the input's layerBudget has left, so that a
// slab's unused tail never outweighs the layers cut from it. The fast
// walk's first slab is sized to want, the layers it counted on its way
// down the chain (see decodeWrapper), all that it makes.
func (d *protoDecoder) slabLen(last, made, want int) int {
	n := 2
	switch {
	case d.fast && made == 0 && want > 0:
		n = want
	case last > 0:
		n = min(2*last, 64)
	}
	return max(1, min(n, d.budget-made))
}

// take returns n strings cut from the slab. A new slab has room for the
// details of two layers like this one, or twice as many strings as the
// last slab, up to 64.
func (d *protoDecoder) take(n int) []string {
	if len(d.strs) < n {
		d.slab = min(max(2*d.slab, 2*n), 64)
		d.strs = make([]string, d.slab)
	}
	out := d.strs[:n:n]
	d.strs = d.strs[n:]
	return out
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

// ownFamilyOf returns the family name b spells if it is one of errcode's
// layers, which Decode decodes itself, and "" if it is not.
func ownFamilyOf(b []byte) string {
	for _, f := range [...]string{codedFamily, codeFamily, retryFamily, retryAfterFamily, statusFamily, fieldsFamily, jsonTextFamily} {
		if string(b) == f {
			return f
		}
	}
	return ""
}

func init() {
	errbase.RegisterLeafDecoder(errbase.TypeKey(holeFamily), decodeHole)
}

// decodeHole returns the next cause of the node its Decode handed
// cockroachdb, decoded; nil (an opaque leaf, as for any type without a
// decoder) in any other decode.
func decodeHole(ctx context.Context, _ string, _ []string, _ proto.Message) error {
	s, ok := ctx.Value(decodeStateKey{}).(*decodeState)
	if ok && s.json != nil {
		return s.json.nextHole()
	}
	if !ok || s.proto == nil || len(s.proto.holes) == 0 {
		return nil
	}
	d := s.proto
	h := d.holes[0]
	d.holes = d.holes[1:]
	return d.decodeError(h, 0) // after scanError: the depth is not checked again
}

// newProtoDecoder returns the decoder of one Decode of data, binding
// code names to r.
func newProtoDecoder(r *Registry, data []byte) *protoDecoder {
	d := &protoDecoder{Context: context.Background(), data: data, budget: layerBudget(len(data))}
	d.s = decodeState{reg: r, proto: d, size: len(data)}
	return d
}

// decodeFast decodes d's input in one walk if it holds nothing but
// errcode's own layers and passes all that scanError checks, and
// reports whether it did; if not, d is ready for decodeScanned.
func (d *protoDecoder) decodeFast() (decoded, err error, ok bool) {
	d.fast = true
	decoded, err = d.decode()
	if d.bailed {
		d.fast, d.bailed, d.err, d.s.problems, d.layers, d.details, d.copied = false, false, nil, nil, 0, 0, 0
		return nil, nil, false
	}
	return decoded, err, true
}

// decodeScanned decodes d's input, which scanError has accepted and
// which names no causeHole.
func (d *protoDecoder) decodeScanned() (decoded, err error) { return d.decode() }

func (d *protoDecoder) decode() (decoded, err error) {
	defer func() {
		// The decoders of other cockroachdb types trust their payloads;
		// a crafted payload must still not take the program down.
		if p := recover(); p != nil {
			decoded, err = nil, fmt.Errorf("errcode: decode: malformed payload: %v", p)
		}
	}()
	decoded = d.decodeError(span{0, len(d.data)}, 0)
	if d.bailed {
		return nil, nil
	}
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

// errFailed is what a node decodes to when it cannot be decoded: the decode
// reports an error, and errFailed only stands in for the node until it does.
var errFailed = errors.New("errcode: a layer that did not decode")

// giveUp ends the fast walk at what it does not decode itself.
func (d *protoDecoder) giveUp() error {
	d.bailed = true
	return errFailed
}

// bad ends the fast walk at what scanError refuses, which scanError then
// names; after scanError, it cannot happen.
func (d *protoDecoder) bad() error {
	if d.fast {
		return d.giveUp()
	}
	return d.malformed(errors.New("a node scanError should have refused"))
}

// unusual reports whether the fast walk ends at a node it does not
// decode itself: a node that is not errcode's, causes of a coded leaf, a
// payload of another type than errcode's.
func (d *protoDecoder) unusual() bool {
	if d.fast {
		d.bailed = true
	}
	return d.fast
}

// malformed records the first node gogo would not unmarshal and returns
// errFailed.
func (d *protoDecoder) malformed(err error) error {
	if d.err == nil {
		d.err = fmt.Errorf("malformed protobuf: %w", err)
	}
	return errFailed
}

// str returns a copy of the contents of sp (see copyStrs).
func (d *protoDecoder) str(sp span) string { return d.copyStrs(sp, nil, nil) }

// decodeError decodes the EncodedError in sp, depth levels below the
// top. It never returns nil.
func (d *protoDecoder) decodeError(sp span, depth int) error {
	if d.bailed {
		return errFailed
	}
	if d.fast {
		if depth >= MaxDepth {
			return d.giveUp()
		}
		if d.layers++; d.layers > d.budget {
			return d.giveUp()
		}
	}
	it := d.fields(sp)
	var node span
	set, leaf := false, false
	for it.next() {
		switch it.num {
		case fieldErrorLeaf, fieldErrorWrapper:
			if set || it.typ != protowire.BytesType {
				return d.bad()
			}
			set, node, leaf = true, it.val, it.num == fieldErrorLeaf
		}
	}
	if it.err != nil || !set {
		return d.bad()
	}
	if leaf {
		return d.decodeLeaf(node, depth)
	}
	return d.decodeWrapper(node, depth)
}

// node is what decodeLeaf and decodeWrapper read of an EncodedErrorDetails.
type node struct {
	family  string   // one of errcode's families, or "" for any other
	msg     string   // the node's message, which the caller gives readDetails
	details []string // reportable_payload; nil when there is none, or the node is not errcode's
	fresh   bool     // details are not shared with the node above
	hasAny  bool     // full_details is present
	anyURL  span
	anyVal  span
}

// readDetails reads the EncodedErrorDetails in sp, and the message in msg
// of the node they belong to; ok is false where scanError would refuse
// them. The message and the safe details of one of errcode's layers are
// copied from the input into one new string, unless the layer shares the
// last layer's details; those of another node are not read (its decoder
// gets them from gogo's Unmarshal).
func (d *protoDecoder) readDetails(sp, msg span) (n node, ok bool) {
	var first [8]span   // the safe details, when there are no more
	count, size := 0, 0 // the safe details, and their bytes
	hasMark := false
	it := d.fields(sp)
	for it.next() {
		if it.num <= fieldDetailsPayload && it.typ != protowire.BytesType {
			return n, false
		}
		switch it.num {
		case fieldDetailsTypeMark:
			if hasMark {
				return n, false
			}
			hasMark = true
			hasFamily := false
			mit := d.fields(it.val)
			for mit.next() {
				if mit.num <= 2 && mit.typ != protowire.BytesType {
					return n, false
				}
				if mit.num == fieldMarkFamily {
					if hasFamily {
						return n, false
					}
					hasFamily = true
					n.family = ownFamilyOf(d.data[mit.val.lo:mit.val.hi])
				}
			}
			if mit.err != nil {
				return n, false
			}
		case fieldDetailsSafe:
			if count < len(first) {
				first[count] = it.val
			}
			count, size = count+1, size+it.val.hi-it.val.lo
		case fieldDetailsPayload:
			if n.hasAny {
				return n, false
			}
			n.hasAny = true
			hasURL, hasValue := false, false
			ait := d.fields(it.val)
			for ait.next() {
				if ait.num <= fieldAnyValue && ait.typ != protowire.BytesType {
					return n, false
				}
				switch ait.num {
				case fieldAnyTypeURL:
					if hasURL {
						return n, false
					}
					hasURL, n.anyURL = true, ait.val
				case fieldAnyValue:
					if hasValue {
						return n, false
					}
					hasValue, n.anyVal = true, ait.val
				}
			}
			if ait.err != nil {
				return n, false
			}
		}
	}
	if d.details += count; d.fast && d.details > detailBudget(len(d.data)) {
		return n, false // for scanError to refuse and name the limit
	}
	if it.err != nil {
		return n, false
	}
	if n.family == "" && d.fast {
		return n, true // the fast walk gives up at this node: no need of its strings
	}
	if count == 0 || n.family == "" || count <= len(first) && d.sameDetails(first[:count]) {
		// No details, or not errcode's, or shared with the last layer's.
		if count > 0 && n.family != "" {
			n.details = d.lastDetails // never changed: shared
		}
		n.msg = d.str(msg)
		return n, true
	}
	if count > len(first) {
		n.details = make([]string, count)
		n.msg, n.fresh = d.copyManyStrs(msg, sp, size, n.details), true
		return n, true
	}
	n.details = d.take(count)
	n.msg, n.fresh = d.copyStrs(msg, first[:count], n.details), true
	d.lastDetails = n.details
	return n, true
}

// copyManyStrs is copyStrs for the message in msg and the safe details
// of the EncodedErrorDetails in sp, len(out) of them and size bytes,
// which readDetails has read: it reads them again rather than keep their
// spans.
func (d *protoDecoder) copyManyStrs(msg, sp span, size int, out []string) string {
	total := msg.hi - msg.lo + size
	if total == 0 {
		return ""
	}
	b := d.room(total)
	start := b.Len()
	b.Write(d.data[msg.lo:msg.hi])
	i := 0
	for it := d.fields(sp); it.next(); {
		if it.num == fieldDetailsSafe {
			at := b.Len()
			b.Write(d.data[it.val.lo:it.val.hi])
			out[i] = b.String()[at:] // the bytes written stay as they are
			i++
		}
	}
	return b.String()[start : start+msg.hi-msg.lo]
}

// room returns the Builder the walk's strings are written to, with room
// for n more bytes. A new chunk holds n bytes, or 2 KiB if n is smaller,
// but no more than the bytes of the input the walk has not copied yet
// (a walk copies each byte of the input at most once). A chunk is
// replaced only when its room is less than the n that does not fit: so
// a walk's chunks add up to at most twice the bytes it copies, plus the
// room left in its last chunk.
func (d *protoDecoder) room(n int) *strings.Builder {
	if d.chunk.Cap()-d.chunk.Len() < n {
		d.chunk = strings.Builder{}
		d.chunk.Grow(max(n, min(2048, len(d.data)-d.copied)))
	}
	d.copied += n
	return &d.chunk
}

// sameDetails reports whether the safe details in spans are those of
// lastDetails.
func (d *protoDecoder) sameDetails(spans []span) bool {
	if len(spans) != len(d.lastDetails) {
		return false
	}
	for i, sp := range spans {
		if string(d.data[sp.lo:sp.hi]) != d.lastDetails[i] {
			return false
		}
	}
	return true
}

// copyStrs copies the contents of msg and spans from the input into one
// string, and returns msg's part of it, setting out[i] to spans[i]'s.
// The strings of one walk are cut from chunks (see room), so that
// strings a walk decodes keep no more of the input alive than their own
// bytes and those of the chunks' other strings.
func (d *protoDecoder) copyStrs(msg span, spans []span, out []string) string {
	total := msg.hi - msg.lo
	for _, sp := range spans {
		total += sp.hi - sp.lo
	}
	if total == 0 {
		clear(out)
		return ""
	}
	b := d.room(total)
	start := b.Len()
	b.Write(d.data[msg.lo:msg.hi])
	for _, sp := range spans {
		b.Write(d.data[sp.lo:sp.hi])
	}
	s := b.String()[start:]
	at := msg.hi - msg.lo
	for i, sp := range spans {
		out[i] = s[at : at+sp.hi-sp.lo]
		at += sp.hi - sp.lo
	}
	return s[:msg.hi-msg.lo]
}

// payload returns an errcode layer's payload as cockroachdb hands it to
// the layer's decoder: a BytesValue, or nil when there is none or it
// does not unmarshal (cockroachdb warns and passes nil). scanError
// refused any other type for the layers whose decoders read a payload;
// the others ignore theirs. The fast walk gives up at any other type,
// for scanError to judge.
func (d *protoDecoder) payload(n *node) (proto.Message, bool) {
	if !n.hasAny {
		return nil, true
	}
	if anyMessageName(d.data[n.anyURL.lo:n.anyURL.hi]) != bytesValueName {
		return nil, !d.unusual()
	}
	b := new(types.BytesValue)
	if b.Unmarshal(d.data[n.anyVal.lo:n.anyVal.hi]) != nil {
		return nil, true
	}
	return b, true
}

// decodeWrapper decodes the EncodedWrapper in sp.
func (d *protoDecoder) decodeWrapper(sp span, depth int) error {
	var cause, details, msg span
	var mt uint64
	hasCause, hasDetails := false, false
	it := d.fields(sp)
	for it.next() {
		if it.num <= fieldWrapperDetails && it.typ != protowire.BytesType {
			return d.bad()
		}
		switch it.num {
		case fieldWrapperCause:
			if hasCause {
				return d.bad()
			}
			hasCause, cause = true, it.val
		case 2: // message
			msg = it.val
		case fieldWrapperDetails:
			if hasDetails {
				return d.bad()
			}
			hasDetails, details = true, it.val
		case 4: // message_type
			if it.typ != protowire.VarintType {
				return d.bad()
			}
			mt = it.v
		}
	}
	if it.err != nil || !hasCause {
		return d.bad()
	}
	n, ok := d.readDetails(details, msg)
	if !ok {
		return d.bad()
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
		if d.unusual() {
			return errFailed
		}
		return d.viaCockroach(details, []span{cause}, func(det errorspb.EncodedErrorDetails) errorspb.EncodedError {
			return errorspb.EncodedError{Error: &errorspb.EncodedError_Wrapper{Wrapper: &errorspb.EncodedWrapper{
				Cause: holeError, Message: n.msg, Details: det, MessageType: errorspb.MessageType(int32(mt)),
			}}}
		})
	}
	payload, ok := d.payload(&n)
	if !ok {
		return errFailed
	}
	d.count(&n)
	c := d.decodeError(cause, depth+1)
	if d.bailed {
		return errFailed
	}
	if e := dec(d, c, n.msg, n.details, payload); e != nil {
		return e
	}
	// The decoder reported a problem, and Decode will return it; errFailed
	// stands for cockroachdb's opaque wrapper until then.
	return errFailed
}

// count counts n in coded and codedWire, on the fast walk's way down, if
// it is a coded layer.
func (d *protoDecoder) count(n *node) {
	if d.fast && n.family == codedFamily {
		d.coded++
		if n.fresh || n.hasAny {
			d.codedWire++
		}
	}
}

// decodeLeaf decodes the EncodedErrorLeaf in sp.
func (d *protoDecoder) decodeLeaf(sp span, depth int) error {
	var details, msg span
	ncauses := 0
	hasDetails := false
	it := d.fields(sp)
	for it.next() {
		if it.num <= fieldLeafCauses && it.typ != protowire.BytesType {
			return d.bad()
		}
		switch it.num {
		case 1: // message
			msg = it.val
		case fieldLeafDetails:
			if hasDetails {
				return d.bad()
			}
			hasDetails, details = true, it.val
		case fieldLeafCauses:
			ncauses++
		}
	}
	if it.err != nil {
		return d.bad()
	}
	if ncauses > 0 && d.unusual() {
		return errFailed
	}
	n, ok := d.readDetails(details, msg)
	if !ok {
		return d.bad()
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
		if d.unusual() {
			return errFailed
		}
		return d.viaCockroach(details, causes, func(det errorspb.EncodedErrorDetails) errorspb.EncodedError {
			holes := make([]*errorspb.EncodedError, len(causes))
			for i := range holes {
				holes[i] = &holeError
			}
			return errorspb.EncodedError{Error: &errorspb.EncodedError_Leaf{Leaf: &errorspb.EncodedErrorLeaf{
				Message: n.msg, Details: det, MultierrorCauses: holes,
			}}}
		})
	}
	payload, ok := d.payload(&n)
	if !ok {
		return errFailed
	}
	d.count(&n)
	if e := dec(d, n.msg, n.details, payload); e != nil {
		return e // its causes, if any, are not decoded, as cockroachdb does not
	}
	// The decoder reported a problem: cockroachdb goes on to decode the
	// causes into an opaque leaf, and Decode reports their problems too.
	for _, c := range causes {
		d.decodeError(c, depth+1)
	}
	return errFailed
}

// viaCockroach decodes a node that is not errcode's with
// errbase.DecodeError: build makes the node from its details, unmarshalled
// by gogo, with a causeHole for each of its causes, which decode from
// causes in order as cockroachdb asks for them.
func (d *protoDecoder) viaCockroach(details span, causes []span, build func(errorspb.EncodedErrorDetails) errorspb.EncodedError) error {
	var det errorspb.EncodedErrorDetails
	if err := det.Unmarshal(d.data[details.lo:details.hi]); err != nil {
		return d.malformed(err)
	}
	enc := build(det)
	saved := d.holes
	d.holes = causes
	e := errbase.DecodeError(d, enc)
	d.holes = saved
	return stdFmtLayer(&enc, e) // a fmt.Errorf wrapper's opaque layer made real (fmtwrap.go)
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
	typ      protowire.Type
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
	// Most fields here have a one-byte tag and a length under 16 KiB, a
	// varint of one or two bytes: read those inline, as protowire would,
	// the rest with protowire.
	if len(b) >= 2 && b[0] < 0x80 && b[0]>>3 != 0 && b[0]&7 == byte(protowire.BytesType) {
		l, n := int(b[1]), 2
		if l >= 0x80 {
			if len(b) < 3 || b[2] >= 0x80 {
				goto general
			}
			l, n = l&0x7f|int(b[2])<<7, 3
		}
		if l <= len(b)-n {
			it.num, it.typ = protowire.Number(b[0]>>3), protowire.BytesType
			it.val = span{it.pos + n, it.pos + n + l}
			it.pos += n + l
			return true
		}
	}
general:
	num, typ, n := protowire.ConsumeTag(b)
	if n < 0 {
		it.err = protowire.ParseError(n)
		return false
	}
	it.num, it.typ = num, typ
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
