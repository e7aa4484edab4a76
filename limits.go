package errcode

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"unsafe"

	"github.com/cockroachdb/errors/errorspb"
	"github.com/gogo/protobuf/proto"
	"github.com/gogo/protobuf/types"
	"google.golang.org/protobuf/encoding/protowire"
)

// Limits on what Decode, DecodeJSON and the transport helpers accept from
// outside. Input past any of them is refused with an error naming the
// limit; Encode and EncodeJSON refuse to produce what a receiver would
// refuse.
const (
	// MaxEncodedSize is the largest encoded error, in bytes.
	MaxEncodedSize = 1 << 20
	// MaxDepth is the deepest nesting of layers: a chain of MaxDepth
	// wrappers, or causes of causes of a multi-cause error.
	MaxDepth = 128
	// MaxFields is the most fields one layer may carry.
	MaxFields = 256
	// MaxFieldSize is the largest encoded field value, in bytes.
	MaxFieldSize = 64 << 10
	// MaxFieldDepth is the deepest nesting of maps and lists in a field
	// value.
	MaxFieldDepth = 16
	// MaxLayers is the most layers one encoded error may hold, counted
	// over its whole tree: every wrapper, leaf and cause of a
	// multi-cause error, and the errors nested in payloads.
	MaxLayers = 1024
)

// The layer density limit: besides MaxLayers, an encoded error may hold
// only so many layers for its size, so that tiny layers cannot multiply
// the memory a decode takes (see WIRE.md's limits).
const (
	minLayerAllowance = 32  // layers any encoded error may hold
	minLayerBytes     = 128 // bytes of input per layer past those
)

// layerBudget returns the most layers and causes an encoded error of n bytes may hold.
func layerBudget(n int) int { return min(MaxLayers, minLayerAllowance+n/minLayerBytes) }

// errLayerBudget is the refusal of an error of n bytes with more layers
// than layerBudget(n).
func errLayerBudget(n int) error {
	if b := layerBudget(n); b < MaxLayers {
		return fmt.Errorf("the error holds more than %d layers and causes, the most its %d bytes may hold (%d + 1 per %d bytes, at most MaxLayers (%d))",
			b, n, minLayerAllowance, minLayerBytes, MaxLayers)
	}
	return fmt.Errorf("the error holds more than MaxLayers (%d) layers", MaxLayers)
}

// The safe details density limit: an encoded error may hold only so many
// safe details (reportable_payload entries, counted over its whole tree)
// for its size, so that empty details, two bytes each on the wire, cannot
// multiply the memory a decode takes (see WIRE.md's limits).
const (
	minDetailAllowance = 16 // safe details any encoded error may hold
	minDetailBytes     = 8  // bytes of input per safe detail past those
)

// detailBudget returns the most safe details an encoded error of n bytes
// may hold.
func detailBudget(n int) int { return minDetailAllowance + n/minDetailBytes }

// errDetailBudget is the refusal of an error of n bytes with more safe
// details than detailBudget(n).
func errDetailBudget(n int) error {
	return fmt.Errorf("the error holds more than %d safe details, the most its %d bytes may hold (%d + 1 per %d bytes)",
		detailBudget(n), n, minDetailAllowance, minDetailBytes)
}

// The code density limit: an encoded error may name only so many
// distinct codes for its size — distinct by name, retry decision,
// ancestors and parents as sent — so that names the receiver lacks, each
// a code record of its own, cannot multiply the memory a decode takes
// (see WIRE.md's limits). It does not depend on the receiver's registry,
// so that a sender's Encode refuses exactly what every receiver does.
const (
	minCodeAllowance = 16   // codes any encoded error may name
	minCodeBytes     = 1024 // bytes of input per code past those
)

// codeBudget returns the most distinct codes an encoded error of n bytes
// may name.
func codeBudget(n int) int { return minCodeAllowance + n/minCodeBytes }

// codeBudgetError is the refusal of an error of size bytes naming more
// distinct codes than codeBudget(size).
type codeBudgetError struct{ size int }

func (e codeBudgetError) Error() string {
	return fmt.Sprintf("the error names more than %d distinct codes, the most its %d bytes may hold (%d + 1 per %d bytes)",
		codeBudget(e.size), e.size, minCodeAllowance, minCodeBytes)
}

// codeSet counts the distinct codes an error of size bytes names against
// its codeBudget: the first few in few, the rest in more. In scanError
// its keys are views of the input scanned (see keyView), which outlives
// the scan.
type codeSet struct {
	size int
	n    int
	few  [4]codeKey
	more map[codeKey]struct{}
}

// add counts the code of key k, and refuses a code past the budget.
func (cs *codeSet) add(k codeKey) error {
	if !k.hasName {
		return nil
	}
	for i := range min(cs.n, len(cs.few)) {
		if cs.few[i] == k {
			return nil
		}
	}
	if cs.n < len(cs.few) {
		cs.few[cs.n] = k
	} else {
		if _, ok := cs.more[k]; ok {
			return nil
		}
		if cs.more == nil {
			cs.more = make(map[codeKey]struct{})
		}
		cs.more[k] = struct{}{}
	}
	if cs.n++; cs.n > codeBudget(cs.size) {
		return codeBudgetError{cs.size}
	}
	return nil
}

// keyView adds the safe detail v to k, as keyOf reads details: a view of
// v, not a copy, for a key that lives no longer than the input scanned.
func keyView(k *codeKey, v []byte) {
	take := func(prefix string, has *bool, dst *string) bool {
		if *has || !bytes.HasPrefix(v, []byte(prefix)) {
			return false
		}
		*has, *dst = true, unsafe.String(unsafe.SliceData(v[len(prefix):]), len(v)-len(prefix))
		return true
	}
	_ = take(detailCode, &k.hasName, &k.name) || take(detailRetry, &k.hasRetry, &k.retry) ||
		take(detailAncestors, &k.hasAncestors, &k.ancestors) || take(detailParents, &k.hasParents, &k.parents)
}

// The protobuf field numbers of errorspb, for scanError.
const (
	fieldErrorLeaf       = 1 // EncodedError.leaf
	fieldErrorWrapper    = 2 // EncodedError.wrapper
	fieldLeafDetails     = 2 // EncodedErrorLeaf.details
	fieldDetailsSafe     = 3 // EncodedErrorDetails.reportable_payload
	fieldLeafCauses      = 3 // EncodedErrorLeaf.multierror_causes
	fieldWrapperCause    = 1 // EncodedWrapper.cause
	fieldWrapperDetails  = 3 // EncodedWrapper.details
	fieldDetailsTypeMark = 2 // EncodedErrorDetails.error_type_mark
	fieldDetailsPayload  = 4 // EncodedErrorDetails.full_details
	fieldMarkFamily      = 1 // ErrorTypeMark.family_name
	fieldAnyTypeURL      = 1 // google.protobuf.Any.type_url
	fieldAnyValue        = 2 // google.protobuf.Any.value
)

// scanState is what scanError counts over one encoded error.
type scanState struct {
	size    int // the encoded error's length, for its layerBudget, detailBudget and codeBudget
	layers  int
	details int // safe details
	codes   codeSet
	// hole reports whether a node has the type of causeHole, which only
	// Decode itself may put in what it hands cockroachdb.
	hole bool
	// inPayload counts the payloads the scan is in. Decode reads the
	// error's own tree itself, and checks its messages' wire types as
	// gogo would; an error in a payload is unmarshalled by gogo, which
	// decides.
	inPayload int
}

// shape returns sh in the error's own tree, and no shape in a payload.
func (st *scanState) shape(sh msgShape) msgShape {
	if st.inPayload > 0 {
		return msgShape{}
	}
	return sh
}

// newScanState returns the state of a scan of an encoded error of n
// bytes.
func newScanState(n int) *scanState { return &scanState{size: n, codes: codeSet{size: n}} }

// The shapes of errorspb's messages: which field numbers scanFields
// checks the wire type of, as gogo's Unmarshal refuses a known field of
// the wrong type.
var (
	shapeError   = msgShape{name: "EncodedError", bytes: 1<<1 | 1<<2}
	shapeLeaf    = msgShape{name: "EncodedErrorLeaf", bytes: 1<<1 | 1<<2 | 1<<3}
	shapeWrapper = msgShape{name: "EncodedWrapper", bytes: 1<<1 | 1<<2 | 1<<3, varint: 1 << 4}
	shapeDetails = msgShape{name: "EncodedErrorDetails", bytes: 1<<1 | 1<<2 | 1<<3 | 1<<4}
	shapeMark    = msgShape{name: "ErrorTypeMark", bytes: 1<<1 | 1<<2}
	shapeAny     = msgShape{name: "google.protobuf.Any", bytes: 1<<1 | 1<<2}
)

// msgShape names a message and, as bit masks over field numbers below
// 16, its fields of the bytes and varint wire types.
type msgShape struct {
	name          string
	bytes, varint uint16
}

// scanError walks the protobuf of an EncodedError before it is decoded,
// to refuse what would make the decoder recurse too deep, allocate
// without bound or dereference an empty error: nesting past MaxDepth,
// more than MaxLayers layers, an error node that is neither a leaf nor a
// wrapper, a wrapper without a cause. EncodedErrors nested in payloads
// (cockroachdb's secondary errors and barriers) are scanned too, and a
// payload of another type that could nest without bound is refused.
//
// Protobuf merges the repeats of a singular message field: two causes,
// or two full_details of which one holds the type and the other the
// value, would decode as one that the scan never saw whole. No encoder
// writes a singular field twice, so scanError refuses a repeat.
func scanError(b []byte, depth int, st *scanState) error {
	if depth >= MaxDepth {
		return fmt.Errorf("the error nests deeper than MaxDepth (%d)", MaxDepth)
	}
	if st.layers++; st.layers > layerBudget(st.size) {
		return errLayerBudget(st.size)
	}
	set := false
	err := scanFields(b, st.shape(shapeError), func(num protowire.Number, v []byte) error {
		switch num {
		case fieldErrorLeaf:
			if set {
				return errRepeated("leaf or wrapper")
			}
			set = true
			hasDetails := false
			return scanFields(v, st.shape(shapeLeaf), func(num protowire.Number, v []byte) error {
				switch num {
				case fieldLeafCauses:
					return scanError(v, depth+1, st)
				case fieldLeafDetails:
					if hasDetails {
						return errRepeated("details")
					}
					hasDetails = true
					return scanDetails(v, depth, st)
				}
				return nil
			})
		case fieldErrorWrapper:
			if set {
				return errRepeated("leaf or wrapper")
			}
			set = true
			hasCause, hasDetails := false, false
			err := scanFields(v, st.shape(shapeWrapper), func(num protowire.Number, v []byte) error {
				switch num {
				case fieldWrapperCause:
					if hasCause {
						return errRepeated("cause")
					}
					hasCause = true
					return scanError(v, depth+1, st)
				case fieldWrapperDetails:
					if hasDetails {
						return errRepeated("details")
					}
					hasDetails = true
					return scanDetails(v, depth, st)
				}
				return nil
			})
			if err == nil && !hasCause {
				err = errors.New("a wrapper without a cause")
			}
			return err
		}
		return nil
	})
	if err == nil && !set {
		err = errors.New("an error that is neither a leaf nor a wrapper")
	}
	return err
}

func errRepeated(field string) error {
	return fmt.Errorf("a repeated %s, which protobuf would merge", field)
}

func scanDetails(b []byte, depth int, st *scanState) error {
	var family, payloadURL []byte
	var key codeKey
	hasMark, hasPayload := false, false
	err := scanFields(b, st.shape(shapeDetails), func(num protowire.Number, v []byte) error {
		if num == fieldDetailsSafe {
			if st.details++; st.details > detailBudget(st.size) {
				return errDetailBudget(st.size)
			}
			keyView(&key, v)
			return nil
		}
		if num == fieldDetailsTypeMark {
			if hasMark {
				return errRepeated("error_type_mark")
			}
			hasMark = true
			hasFamily := false
			return scanFields(v, st.shape(shapeMark), func(num protowire.Number, v []byte) error {
				if num == fieldMarkFamily {
					if hasFamily {
						return errRepeated("family_name")
					}
					hasFamily = true
					family = v
				}
				return nil
			})
		}
		if num != fieldDetailsPayload {
			return nil
		}
		if hasPayload {
			return errRepeated("full_details")
		}
		hasPayload = true
		var value []byte
		hasURL, hasValue := false, false
		err := scanFields(v, st.shape(shapeAny), func(num protowire.Number, v []byte) error {
			switch num {
			case fieldAnyTypeURL:
				if hasURL {
					return errRepeated("type_url")
				}
				hasURL = true
				payloadURL = v
			case fieldAnyValue:
				if hasValue {
					return errRepeated("payload value")
				}
				hasValue = true
				value = v
			}
			return nil
		})
		if err != nil {
			return err
		}
		return scanPayload(payloadURL, value, depth, st)
	})
	if err != nil {
		return err
	}
	if string(family) == holeFamily {
		st.hole = true
	}
	if string(family) == codedFamily || string(family) == codeFamily {
		if err := st.codes.add(key); err != nil {
			return err
		}
	}
	// errcode's own layers carry fields in a BytesValue. cockroachdb hands
	// a decoder no payload at all when it cannot unpack one, which would
	// drop the fields without a word: refuse instead.
	if (string(family) == codedMark.FamilyName || string(family) == fieldsMark.FamilyName) &&
		len(payloadURL) > 0 && anyMessageName(payloadURL) != bytesValueName {
		return fmt.Errorf("an errcode layer whose fields payload is a %q, want google.protobuf.BytesValue", payloadURL)
	}
	return nil
}

var bytesValueName = proto.MessageName((*types.BytesValue)(nil))

// anyMessageName returns the message name of an Any's type URL, what
// follows its last slash, as gogo reads it; "" for a URL without a slash,
// which gogo refuses.
func anyMessageName(url []byte) string {
	i := bytes.LastIndexByte(url, '/')
	if i < 0 {
		return ""
	}
	return string(url[i+1:])
}

// scanPayload checks a payload that cockroachdb will unpack: an
// EncodedError is scanned as part of the error; a type this program
// does not know stays opaque; a known type must be one whose messages
// cannot nest deeper than its Go type does, or unmarshalling it could
// recurse as deep as the input allows.
func scanPayload(url, value []byte, depth int, st *scanState) error {
	name := url
	if i := bytes.LastIndexByte(url, '/'); i >= 0 {
		name = url[i+1:]
	}
	switch string(name) {
	case encodedErrorName:
		st.inPayload++
		defer func() { st.inPayload-- }()
		return scanError(value, depth+1, st)
	case bytesValueName:
		return nil // errcode's own payload
	}
	t := proto.MessageType(string(name))
	if t == nil {
		return nil
	}
	if !boundedType(t) {
		return fmt.Errorf("a payload of type %q, which can nest without bound", name)
	}
	return nil
}

var encodedErrorName = proto.MessageName((*errorspb.EncodedError)(nil))

var boundedTypes sync.Map // reflect.Type → bool

// boundedType reports whether the messages of Go type t nest no deeper
// than the type does: no type reachable from t through fields, pointers,
// slices, maps or the wrappers of a oneof reaches t again, and every
// oneof's wrappers are known.
func boundedType(t reflect.Type) bool {
	if b, ok := boundedTypes.Load(t); ok {
		return b.(bool)
	}
	b := boundedFrom(t, map[reflect.Type]bool{})
	boundedTypes.Store(t, b)
	return b
}

// boundedFrom walks the types reachable from t; seen holds the types
// being walked (true) and those already found bounded (false).
func boundedFrom(t reflect.Type, seen map[reflect.Type]bool) bool {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		t = t.Elem()
	}
	if t.Kind() == reflect.Map {
		return boundedFrom(t.Key(), seen) && boundedFrom(t.Elem(), seen)
	}
	if t.Kind() == reflect.Interface {
		return false // a oneof: walked through its wrappers, below
	}
	if t.Kind() != reflect.Struct {
		return true
	}
	if onPath, ok := seen[t]; ok {
		return !onPath
	}
	seen[t] = true
	ok := true
	for i := 0; ok && i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Type.Kind() == reflect.Interface {
			continue // oneofs, walked below
		}
		ok = boundedFrom(f.Type, seen)
	}
	if ok {
		ok = boundedOneofs(t, seen)
	}
	seen[t] = false
	return ok
}

// boundedOneofs walks the wrapper types of struct t's oneofs; a struct
// with an interface field whose wrappers it does not list is unbounded.
func boundedOneofs(t reflect.Type, seen map[reflect.Type]bool) bool {
	hasInterface := false
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).Type.Kind() == reflect.Interface {
			hasInterface = true
		}
	}
	if !hasInterface {
		return true
	}
	m, ok := reflect.New(t).Interface().(interface{ XXX_OneofWrappers() []any })
	if !ok {
		return false
	}
	for _, w := range m.XXX_OneofWrappers() {
		if !boundedFrom(reflect.TypeOf(w), seen) {
			return false
		}
	}
	return true
}

// scanFields calls f with the number and contents of each
// length-delimited field in b, a message of shape sh, and checks that the
// others are well formed and that each field sh names has its wire type.
func scanFields(b []byte, sh msgShape, f func(protowire.Number, []byte) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return fmt.Errorf("malformed protobuf: %w", protowire.ParseError(n))
		}
		if err := sh.check(num, typ); err != nil {
			return err
		}
		b = b[n:]
		if typ != protowire.BytesType {
			n = protowire.ConsumeFieldValue(num, typ, b)
			if n < 0 {
				return fmt.Errorf("malformed protobuf: %w", protowire.ParseError(n))
			}
			b = b[n:]
			continue
		}
		v, n := protowire.ConsumeBytes(b)
		if n < 0 {
			return fmt.Errorf("malformed protobuf: %w", protowire.ParseError(n))
		}
		b = b[n:]
		if err := f(num, v); err != nil {
			return err
		}
	}
	return nil
}

// check refuses a field of sh whose wire type is not the one sh gives it.
func (sh msgShape) check(num protowire.Number, typ protowire.Type) error {
	if num >= 16 {
		return nil
	}
	want := typ
	switch bit := uint16(1) << num; {
	case sh.bytes&bit != 0:
		want = protowire.BytesType
	case sh.varint&bit != 0:
		want = protowire.VarintType
	}
	if typ != want {
		return fmt.Errorf("malformed protobuf: %s field %d has wire type %d, want %d", sh.name, num, typ, want)
	}
	return nil
}
