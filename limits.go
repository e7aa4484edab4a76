package errcode

import (
	"errors"
	"fmt"
	"strings"

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
)

// The protobuf field numbers of errorspb, for scanError.
const (
	fieldErrorLeaf       = 1 // EncodedError.leaf
	fieldErrorWrapper    = 2 // EncodedError.wrapper
	fieldLeafDetails     = 2 // EncodedErrorLeaf.details
	fieldLeafCauses      = 3 // EncodedErrorLeaf.multierror_causes
	fieldWrapperCause    = 1 // EncodedWrapper.cause
	fieldWrapperDetails  = 3 // EncodedWrapper.details
	fieldDetailsTypeMark = 2 // EncodedErrorDetails.error_type_mark
	fieldDetailsPayload  = 4 // EncodedErrorDetails.full_details
	fieldMarkFamily      = 1 // ErrorTypeMark.family_name
	fieldAnyTypeURL      = 1 // google.protobuf.Any.type_url
	fieldAnyValue        = 2 // google.protobuf.Any.value
)

// scanError walks the protobuf of an EncodedError before it is decoded,
// to refuse what would make the decoder recurse too deep or dereference
// an empty error: nesting past MaxDepth, an error node that is neither a
// leaf nor a wrapper, a wrapper without a cause. EncodedErrors nested in
// payloads (cockroachdb's secondary errors and barriers) are scanned too.
func scanError(b []byte, depth int) error {
	if depth >= MaxDepth {
		return fmt.Errorf("the error nests deeper than MaxDepth (%d)", MaxDepth)
	}
	set := false
	err := scanFields(b, func(num protowire.Number, v []byte) error {
		switch num {
		case fieldErrorLeaf:
			set = true
			return scanFields(v, func(num protowire.Number, v []byte) error {
				switch num {
				case fieldLeafCauses:
					return scanError(v, depth+1)
				case fieldLeafDetails:
					return scanDetails(v, depth)
				}
				return nil
			})
		case fieldErrorWrapper:
			set = true
			hasCause := false
			err := scanFields(v, func(num protowire.Number, v []byte) error {
				switch num {
				case fieldWrapperCause:
					hasCause = true
					return scanError(v, depth+1)
				case fieldWrapperDetails:
					return scanDetails(v, depth)
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

func scanDetails(b []byte, depth int) error {
	var family, payloadURL string
	err := scanFields(b, func(num protowire.Number, v []byte) error {
		if num == fieldDetailsTypeMark {
			return scanFields(v, func(num protowire.Number, v []byte) error {
				if num == fieldMarkFamily {
					family = string(v)
				}
				return nil
			})
		}
		if num != fieldDetailsPayload {
			return nil
		}
		var url string
		var value []byte
		err := scanFields(v, func(num protowire.Number, v []byte) error {
			switch num {
			case fieldAnyTypeURL:
				url = string(v)
			case fieldAnyValue:
				value = v
			}
			return nil
		})
		payloadURL = url
		if err == nil && strings.HasSuffix(url, "/"+proto.MessageName((*errorspb.EncodedError)(nil))) {
			err = scanError(value, depth+1)
		}
		return err
	})
	if err != nil {
		return err
	}
	// errcode's own layers carry fields in a BytesValue. cockroachdb hands
	// a decoder no payload at all when it cannot unpack one, which would
	// drop the fields without a word: refuse instead.
	if (family == codedMark.FamilyName || family == fieldsMark.FamilyName) &&
		payloadURL != "" && !strings.HasSuffix(payloadURL, "/"+proto.MessageName((*types.BytesValue)(nil))) {
		return fmt.Errorf("an errcode layer whose fields payload is a %q, want google.protobuf.BytesValue", payloadURL)
	}
	return nil
}

// scanFields calls f with the number and contents of each
// length-delimited field in b, and checks that the others are well
// formed.
func scanFields(b []byte, f func(protowire.Number, []byte) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return fmt.Errorf("malformed protobuf: %w", protowire.ParseError(n))
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
