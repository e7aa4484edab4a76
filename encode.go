package errcode

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	// The decoders of cockroachdb's own wrappers: without them a peer's
	// errors.Wrap arrives as an opaque layer.
	_ "github.com/cockroachdb/errors"
	"github.com/cockroachdb/errors/errbase"
	"github.com/gogo/protobuf/proto"
	"github.com/gogo/protobuf/types"
	"google.golang.org/grpc/codes"
)

func init() {
	leafKey := errbase.GetTypeKey(&codedErr{})
	errbase.RegisterLeafEncoder(leafKey, encodeCodedLeaf)
	errbase.RegisterLeafDecoder(leafKey, decodeCodedLeaf)
	errbase.RegisterWrapperEncoderWithMessageType(leafKey, encodeCodedWrapper)
	errbase.RegisterWrapperDecoder(leafKey, decodeCodedWrapper)

	codeKey := errbase.GetTypeKey(Code{})
	errbase.RegisterLeafEncoder(codeKey, encodeCode)
	errbase.RegisterLeafDecoder(codeKey, decodeCode)

	retryKey := errbase.GetTypeKey(&withRetry{})
	errbase.RegisterWrapperEncoder(retryKey, encodeWithRetry)
	errbase.RegisterWrapperDecoder(retryKey, decodeWithRetry)

	afterKey := errbase.GetTypeKey(&withRetryAfter{})
	errbase.RegisterWrapperEncoder(afterKey, encodeWithRetryAfter)
	errbase.RegisterWrapperDecoder(afterKey, decodeWithRetryAfter)

	statusKey := errbase.GetTypeKey(&withStatus{})
	errbase.RegisterWrapperEncoder(statusKey, encodeWithStatus)
	errbase.RegisterWrapperDecoder(statusKey, decodeWithStatus)

	fieldsKey := errbase.GetTypeKey(&withFields{})
	errbase.RegisterWrapperEncoder(fieldsKey, encodeWithFields)
	errbase.RegisterWrapperDecoder(fieldsKey, decodeWithFields)
}

// The encoders and decoders registered with cockroachdb/errors.

func encodeCodedLeaf(_ context.Context, err error) (string, []string, proto.Message) {
	e := err.(*codedErr)
	return e.msg, e.SafeDetails(), fieldsPayload(e.raw(), e.fields, e.wireRedactable())
}

func encodeCodedWrapper(_ context.Context, err error) (string, []string, proto.Message, errbase.MessageType) {
	e := err.(*codedErr)
	return e.msg, e.SafeDetails(), fieldsPayload(e.raw(), e.fields, e.wireRedactable()), errbase.Prefix
}

func decodeCodedLeaf(ctx context.Context, msg string, details []string, payload proto.Message) error {
	return decodeCoded(ctx, nil, msg, details, payload)
}

func decodeCodedWrapper(ctx context.Context, cause error, msg string, details []string, payload proto.Message) error {
	return decodeCoded(ctx, cause, msg, details, payload)
}

func decodeCoded(ctx context.Context, cause error, msg string, details []string, payload proto.Message) error {
	s := stateOf(ctx)
	b, err := s.bindDetails(details)
	if err != nil {
		s.refuse(err)
		return nil
	}
	raw, redactable, err := payloadFields(payload)
	if err != nil {
		s.problem("errcode: decode: code %q: %w", b.key.name, err)
		return nil
	}
	e, wire := s.newCodedLayer(b, details, raw)
	// e is new, all zero: field by field, a pointer costs a write barrier
	// of its own, not one for the whole struct.
	e.code, e.msg, e.redactable = b.c, msg, decodedRedactable(details, redactable)
	e.cause, e.skip, e.wire = cause, below(cause), wire
	return e
}

func encodeCode(_ context.Context, err error) (string, []string, proto.Message) {
	c := err.(Code)
	return c.Name(), codeDetails(c.c), nil
}

func decodeCode(ctx context.Context, _ string, details []string, _ proto.Message) error {
	s := stateOf(ctx)
	b, err := s.bindDetails(details)
	if err != nil {
		s.refuse(err)
		return nil
	}
	return Code{b.c}
}

func encodeWithRetry(_ context.Context, err error) (string, []string, proto.Message) {
	return "", err.(*withRetry).SafeDetails(), nil
}

func decodeWithRetry(ctx context.Context, cause error, _ string, details []string, _ proto.Message) error {
	v, ok := safeDetail(details, detailRetry)
	if !ok {
		stateOf(ctx).problem("errcode: decode: retry override without a decision")
		return nil
	}
	r, err := ParseRetry(v)
	if err != nil {
		stateOf(ctx).problem("errcode: decode: retry override: %w", err)
		return nil
	}
	return &withRetry{cause: cause, skip: below(cause), retry: r}
}

func encodeWithRetryAfter(_ context.Context, err error) (string, []string, proto.Message) {
	return "", err.(*withRetryAfter).SafeDetails(), nil
}

func decodeWithRetryAfter(ctx context.Context, cause error, _ string, details []string, _ proto.Message) error {
	v, ok := safeDetail(details, detailRetryAfter)
	if !ok {
		stateOf(ctx).problem("errcode: decode: retry-after layer without a duration")
		return nil
	}
	after, err := time.ParseDuration(v)
	if err != nil || after < 0 {
		stateOf(ctx).problem("errcode: decode: retry-after %q is not a duration of 0 or more", v)
		return nil
	}
	return &withRetryAfter{cause: cause, skip: below(cause), after: after}
}

func encodeWithStatus(_ context.Context, err error) (string, []string, proto.Message) {
	return "", err.(*withStatus).SafeDetails(), nil
}

func decodeWithStatus(ctx context.Context, cause error, _ string, details []string, _ proto.Message) error {
	w, err := parseStatusDetails(details)
	if err != nil {
		stateOf(ctx).problem("errcode: decode: %w", err)
		return nil
	}
	w.cause, w.skip = cause, below(cause)
	return w
}

// parseStatusDetails returns the status override that details describe,
// refusing a status an error cannot travel with and a layer that sets
// none.
func parseStatusDetails(details []string) (*withStatus, error) {
	w := &withStatus{}
	if v, ok := safeDetail(details, detailGRPCCode); ok {
		n, err := strconv.Atoi(v)
		if err != nil || !validGRPCCode(codes.Code(n)) {
			return nil, fmt.Errorf("gRPC code override %q is not a gRPC code from 1 to 16", v)
		}
		w.grpc, w.hasGRPC = codes.Code(n), true
	}
	if v, ok := safeDetail(details, detailHTTPStatus); ok {
		n, err := strconv.Atoi(v)
		if err != nil || !validHTTPStatus(n) {
			return nil, fmt.Errorf("HTTP status override %q is not a status from 400 to 599", v)
		}
		w.http = n
	}
	if !w.hasGRPC && w.http == 0 {
		return nil, errors.New("a status override without a gRPC code or an HTTP status")
	}
	return w, nil
}

func encodeWithFields(_ context.Context, err error) (string, []string, proto.Message) {
	w := err.(*withFields)
	return "", nil, fieldsPayload(w.rawFields, w.fields, "")
}

func decodeWithFields(ctx context.Context, cause error, _ string, _ []string, payload proto.Message) error {
	raw, _, err := payloadFields(payload)
	if err != nil {
		stateOf(ctx).problem("errcode: decode: fields: %w", err)
		return nil
	}
	return &withFields{cause: cause, skip: below(cause), rawFields: raw}
}

// fieldsPayload returns the payload that carries fields and a redactable
// message: their JSON form (see WIRE.md) in a BytesValue, which every
// receiver can unpack. A layer decoded from the wire sends the bytes it
// received.
func fieldsPayload(raw []byte, fs []field, redactable string) proto.Message {
	if raw == nil && (len(fs) > 0 || redactable != "") {
		var err error
		if raw, err = marshalLayer(fs, redactable); err != nil {
			// Encode refuses such an error; cockroachdb's EncodeError,
			// which cannot fail, sends what a receiver accepts and says
			// what it left out.
			raw = marshalFieldsWithin(fs, redactable)
		}
	}
	if raw == nil {
		return nil
	}
	return &types.BytesValue{Value: raw}
}

// marshalFieldsWithin returns the wire form of fs within the limits: a
// value past them is replaced by a string that says why, and the fields
// past MaxFields by one field, DroppedKey, that counts them.
func marshalFieldsWithin(fs []field, redactable string) []byte {
	var kept []field
	for _, f := range fs {
		if _, err := marshalFields([]field{f}); err != nil {
			f = field{key: f.key, value: "errcode: value not sent: " + err.Error()}
		}
		if n := len(kept); n > 0 && kept[n-1].key == f.key {
			kept[n-1] = f
			continue
		}
		kept = append(kept, f)
	}
	if len(kept) > MaxFields {
		dropped := len(kept) - (MaxFields - 1)
		kept = append(kept[:MaxFields-1], field{key: DroppedKey,
			value: fmt.Sprintf("%d fields not sent: over MaxFields (%d)", dropped, MaxFields)})
		sortFields(kept)
	}
	raw, err := marshalLayer(kept, redactable)
	if err != nil {
		raw, _ = marshalLayer([]field{{key: DroppedKey, value: "fields not sent: " + err.Error()}}, redactable)
	}
	return raw
}

// DroppedKey is the field under which cockroachdb's errors.EncodeError of
// an error with fields past the limits says what it did not send. (Encode
// and EncodeJSON refuse such an error instead.)
const DroppedKey = "!DROPPED"

// payloadFields returns a layer's payload as received, checked, and its
// redactable message. The layer keeps the payload and decodes its
// fields when asked (fieldsOf): a value decoded to Go takes many times
// the bytes that sent it.
func payloadFields(payload proto.Message) ([]byte, string, error) {
	if payload == nil {
		return nil, "", nil
	}
	b, ok := payload.(*types.BytesValue)
	if !ok {
		return nil, "", fmt.Errorf("fields payload is a %s, want google.protobuf.BytesValue", proto.MessageName(payload))
	}
	redactable, err := checkFieldsPayload(b.Value)
	if err != nil {
		return nil, "", err
	}
	return b.Value, redactable, nil
}

// Encode returns err in cockroachdb's wire form: the protobuf bytes of
// errorspb.EncodedError, which any program using cockroachdb/errors can
// decode. The same error always encodes to the same bytes. Encode(nil)
// returns an error, as does an error that a receiver's [Decode] would
// refuse: past [MaxEncodedSize], [MaxDepth], [MaxLayers] or the layers
// its size allows (see WIRE.md's limits), [MaxFields],
// [MaxFieldSize] or [MaxFieldDepth], or with a code of more than
// MaxDepth ancestors. A layer decoded from the wire is sent as it came
// and is not checked again.
func Encode(err error) ([]byte, error) {
	if err == nil {
		return nil, errors.New("errcode: Encode of a nil error")
	}
	if err := checkEncodable(err); err != nil {
		return nil, fmt.Errorf("errcode: encode: %w", err)
	}
	enc := encodeError(context.Background(), err)
	b, merr := enc.Marshal()
	if merr != nil {
		return nil, fmt.Errorf("errcode: encode: %w", merr)
	}
	if len(b) > MaxEncodedSize {
		return nil, fmt.Errorf("errcode: encode: %d bytes, over MaxEncodedSize (%d)", len(b), MaxEncodedSize)
	}
	// The receiver's own scan, on the bytes it would receive: depth and
	// layers counted exactly as it counts them.
	if err := scanError(b, 0, newScanState(len(b))); err != nil {
		return nil, fmt.Errorf("errcode: encode: %w", err)
	}
	return b, nil
}

// checkEncodable checks what the receiver checks in each layer of err's
// tree and a scan of the bytes does not show: the fields, which
// cockroachdb's encoder would cut to the limits rather than refuse, and
// the codes' ancestries. Layers decoded from the wire send the fields
// and the code details they came with, which passed the same checks on
// arrival; they are not checked again.
func checkEncodable(err error) error {
	for err != nil {
		if err = wireForm(err); err == nil {
			return nil
		}
		if err := checkLayer(err); err != nil {
			return err
		}
		if causes := errbase.UnwrapMulti(err); causes != nil {
			for _, c := range causes {
				if err := checkEncodable(c); err != nil {
					return err
				}
			}
			return nil
		}
		err = errbase.UnwrapOnce(err)
	}
	return nil
}

// checkLayer checks one layer made in this process as its receiver
// will: its fields and its code.
func checkLayer(err error) error {
	// A layer decoded from the wire is sent as it came: what it says was
	// checked when it was decoded.
	var fs []field
	switch e := err.(type) {
	case *codedErr:
		if e.wireDetails() == nil {
			if err := checkAncestry(e.code); err != nil {
				return err
			}
		}
		if e.raw() == nil {
			fs = e.fields
		}
	case Code:
		if err := checkAncestry(e.c); err != nil {
			return err
		}
	case *withFields:
		if e.rawFields == nil {
			fs = e.fields
		}
	}
	if fs != nil {
		if _, ferr := marshalFields(fs); ferr != nil {
			return ferr
		}
	}
	return nil
}

// checkAncestry refuses a code with more ancestors than a receiver
// accepts: registration bounds an ancestry's bytes (MaxAncestryLen), not
// its length, so short names can make a code deeper than MaxDepth. A code
// known only from the wire was checked when it was decoded.
func checkAncestry(c *code) error {
	if c != nil && c.reg != nil && c.depth > MaxDepth {
		return fmt.Errorf("code %q has %d ancestors, over MaxDepth (%d)", c.name, c.depth, MaxDepth)
	}
	return nil
}

// Decode returns the error that [Encode] (or cockroachdb's EncodeError
// and Marshal) encoded in data, its code names bound to [Default]; see
// [Registry.Decode].
func Decode(data []byte) (decoded, err error) { return Default.Decode(data) }

// Decode returns the error encoded in data, with code names bound to r: a
// name r knows (or an alias of it) becomes r's code, whose ancestry and
// retry decision r decides; a name r lacks becomes a code known only from
// the wire, below the nearest ancestor r knows. Decode never registers a
// code.
//
// Empty input, input over [MaxEncodedSize], nested deeper than
// [MaxDepth], with more layers than [MaxLayers] or than its size allows,
// or more safe details than its size allows (WIRE.md's limits), not an
// EncodedError, or with malformed errcode
// layers gives a nil decoded and an err that says what was wrong.
func (r *Registry) Decode(data []byte) (decoded, err error) {
	if len(data) == 0 {
		return nil, errors.New("errcode: decode: empty input")
	}
	if len(data) > MaxEncodedSize {
		return nil, fmt.Errorf("errcode: decode: %d bytes, over MaxEncodedSize (%d)", len(data), MaxEncodedSize)
	}
	d := newProtoDecoder(r, data)
	if decoded, err, ok := d.decodeFast(); ok {
		return decoded, err
	}
	st := newScanState(len(data))
	if err := scanError(data, 0, st); err != nil {
		return nil, fmt.Errorf("errcode: decode: %w", err)
	}
	if st.hole {
		return decodeCockroach(r, data)
	}
	return d.decodeScanned()
}
