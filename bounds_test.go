package errcode_test

import (
	stderrors "errors"
	"fmt"
	"testing"

	"github.com/cockroachdb/errors/errorspb"
	"github.com/errcode/errcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protowire"
)

// pb appends a length-delimited field to b.
func pb(b []byte, num protowire.Number, v []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}

// pbAny returns a google.protobuf.Any with the fields given (a nil url or
// value is left out).
func pbAny(url string, value []byte) []byte {
	var b []byte
	if url != "" {
		b = pb(b, 1, []byte(url))
	}
	if value != nil {
		b = pb(b, 2, value)
	}
	return b
}

// pbWrapper returns an EncodedError holding a wrapper with the given
// cause and details.
func pbWrapper(cause, details []byte) []byte {
	return pb(nil, 2, pb(pb(nil, 1, cause), 3, details))
}

const urlEncodedError = "type.googleapis.com/cockroach.errorspb.EncodedError"

func TestDecodeRepeatedFields(t *testing.T) {
	t.Parallel()
	leaf, err := errcode.Encode(stderrors.New("x"))
	require.NoError(t, err)
	deep := wireDeepProto(4*errcode.MaxDepth, leaf, false)
	mark := pb(nil, 1, []byte("opaque/type"))

	// The threat: protobuf merges two full_details, one holding the
	// EncodedError type and a shallow value, the other only a deep value.
	split := pbWrapper(leaf, pb(pb(pb(nil, 2, mark), 4, pbAny(urlEncodedError, leaf)), 4, pbAny("", deep)))
	var enc errorspb.EncodedError
	require.NoError(t, enc.Unmarshal(split))
	require.Equal(t, deep, enc.GetWrapper().Details.FullDetails.Value, "gogo merges the two payloads")

	tests := []struct {
		desc    string
		give    []byte
		wantErr string
	}{
		{"one full_details", pbWrapper(leaf, pb(pb(nil, 2, mark), 4, pbAny(urlEncodedError, leaf))), ""},
		{"full_details split in two", split, "repeated full_details"},
		{"type_url twice", pbWrapper(leaf, pb(nil, 4, pb(pbAny(urlEncodedError, leaf), 1, []byte(urlEncodedError)))), "repeated type_url"},
		{"value twice", pbWrapper(leaf, pb(nil, 4, pb(pbAny(urlEncodedError, leaf), 2, deep))), "repeated payload value"},
		{"cause twice", pb(nil, 2, pb(pb(pb(nil, 1, leaf), 1, deep), 3, mark)), "repeated cause"},
		{"wrapper details twice", pb(nil, 2, pb(pb(pb(nil, 1, leaf), 3, mark), 3, mark)), "repeated details"},
		{"leaf details twice", pb(nil, 1, pb(pb(nil, 2, mark), 2, mark)), "repeated details"},
		{"leaf then wrapper", append(pb(nil, 1, nil), pbWrapper(leaf, mark)...), "repeated leaf or wrapper"},
		{"type mark twice", pbWrapper(leaf, pb(pb(nil, 2, mark), 2, mark)), "repeated error_type_mark"},
		{"family twice", pbWrapper(leaf, pb(nil, 2, pb(mark, 1, []byte("x")))), "repeated family_name"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			assertDecodes(t, tt.give, tt.wantErr)
		})
	}
}

// deepStruct returns a google.protobuf.Struct nested n levels:
// Struct{fields: {"a": Value{struct_value: ...}}}.
func deepStruct(n int) []byte {
	var s []byte // the innermost Struct is empty
	for range n {
		value := pb(nil, 5, s)                         // Value.struct_value
		entry := pb(pb(nil, 1, []byte("a")), 2, value) // map entry
		s = pb(nil, 1, entry)                          // Struct.fields
	}
	return s
}

func TestDecodePayloadTypes(t *testing.T) {
	t.Parallel()
	leaf, err := errcode.Encode(stderrors.New("x"))
	require.NoError(t, err)
	mark := pb(nil, 1, []byte("opaque/type"))
	withPayload := func(url string, value []byte) []byte {
		return pbWrapper(leaf, pb(pb(nil, 2, mark), 4, pbAny(url, value)))
	}
	strs, err := (&errorspb.StringsPayload{Details: []string{"a", "b"}}).Marshal()
	require.NoError(t, err)
	wrapper := wireDeepProto(4*errcode.MaxDepth, leaf, false)[2:] // an EncodedWrapper

	tests := []struct {
		desc    string
		give    []byte
		wantErr string
	}{
		{"a flat known type", withPayload("type.googleapis.com/cockroach.errorspb.StringsPayload", strs), ""},
		{"an unknown type", withPayload("type.googleapis.com/peer.Unknown", deepStruct(3000)), ""},
		{"an EncodedError nested past MaxDepth", withPayload(urlEncodedError, wireDeepProto(errcode.MaxDepth, leaf, false)), "MaxDepth"},
		{"google.protobuf.Struct", withPayload("type.googleapis.com/google.protobuf.Struct", deepStruct(2)), "nest without bound"},
		{"google.protobuf.Struct nested deep", withPayload("type.googleapis.com/google.protobuf.Struct", deepStruct(3000)), "nest without bound"},
		{"google.protobuf.ListValue", withPayload("type.googleapis.com/google.protobuf.ListValue", nil), "nest without bound"},
		{"an EncodedWrapper", withPayload("type.googleapis.com/cockroach.errorspb.EncodedWrapper", wrapper), "nest without bound"},
		{"an EncodedErrorLeaf", withPayload("type.googleapis.com/cockroach.errorspb.EncodedErrorLeaf", nil), "nest without bound"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			assertDecodes(t, tt.give, tt.wantErr)
		})
	}
}

// pbJoin returns an EncodedError leaf with n causes, each a leaf with
// layerPad as its message (one layer per layerBytes+9 bytes).
func pbJoin(n int) []byte { return pbJoinOf(n, pb(nil, 1, pb(nil, 1, []byte(layerPad)))) }

// pbJoinOf returns an EncodedError leaf with n causes, each cause.
func pbJoinOf(n int, cause []byte) []byte {
	var leaf []byte
	for range n {
		leaf = pb(leaf, 3, cause)
	}
	return pb(nil, 1, leaf)
}

// emptyLeaf is the smallest cause: an EncodedError with an empty leaf.
var emptyLeaf = pb(nil, 1, nil)

// emptyDetails returns a leaf of the family "x" with k empty safe
// details.
func emptyDetails(k int) []byte { return pbLeaf("", pbDetails("x", nil, make([]string, k)...)) }

// layersErr is the refusal of b for more layers and causes than its size
// allows.
func layersErr(b []byte) string {
	return fmt.Sprintf("more than %d layers and causes, the most its %d bytes may hold", errcode.LayerBudget(len(b)), len(b))
}

// detailsErr is the refusal of b for more safe details than its size
// allows.
func detailsErr(b []byte) string {
	return fmt.Sprintf("more than %d safe details, the most its %d bytes may hold", errcode.DetailBudget(len(b)), len(b))
}

func TestDecodeMaxLayers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc    string
		give    []byte
		wantErr string
	}{
		{"MaxLayers layers", pbJoin(errcode.MaxLayers - 1), ""},
		{"MaxLayers+1 layers", pbJoin(errcode.MaxLayers), "MaxLayers"},
		{"a MiB of causes", pbJoinOf((errcode.MaxEncodedSize-8)/4, emptyLeaf), "MaxLayers"},
		// The layer density limit: min(MaxLayers, 32 + bytes/128) layers.
		// A join of k empty leaves is k+1 layers in 4k+2 bytes (k < 32),
		// 4k+3 bytes (32 <= k < 4096).
		{"31 empty causes in 126 bytes: 32 layers of 32", pbJoinOf(31, emptyLeaf), ""},
		{"32 empty causes in 131 bytes: 33 layers of 33", pbJoinOf(32, emptyLeaf), ""},
		{"33 empty causes in 135 bytes: 34 layers of 33", pbJoinOf(33, emptyLeaf), "more than 33 layers and causes, the most its 135 bytes may hold (32 + 1 per 128 bytes, at most MaxLayers (1024))"},
		{"100 empty causes in 403 bytes: 101 layers of 35", pbJoinOf(100, emptyLeaf), layersErr(pbJoinOf(100, emptyLeaf))},
		{"1023 empty causes in 4095 bytes: 1024 layers of 63", pbJoinOf(1023, emptyLeaf), layersErr(pbJoinOf(1023, emptyLeaf))},
		{"1023 causes in 67 KiB: MaxLayers", pbJoin(errcode.MaxLayers - 1), ""},
		// The safe details density limit: 16 + bytes/8 safe details,
		// counted over the whole tree. A leaf of k empty details under the
		// family "x" is 11+2k bytes (k < 58).
		{"16 empty details in 43 bytes (of 21)", emptyDetails(16), ""},
		{"23 empty details in 57 bytes (of 23)", emptyDetails(23), ""},
		{"24 empty details in 59 bytes (of 23)", emptyDetails(24), "more than 23 safe details, the most its 59 bytes may hold (16 + 1 per 8 bytes)"},
		{"a MiB of empty details", emptyDetails((errcode.MaxEncodedSize - 16) / 2), detailsErr(emptyDetails((errcode.MaxEncodedSize - 16) / 2))},
		{"details of a coded leaf", pbLeaf("", pbDetails(famCoded, nil, append([]string{"code=A"}, make([]string, 40)...)...)), "safe details, the most its"},
		{"details spread over causes", pbJoinOf(4, emptyDetails(10)), detailsErr(pbJoinOf(4, emptyDetails(10)))},
		{"details in a payload's error", pbWrapper(emptyDetails(20), pbDetails("x", pbAny(urlEncodedError, emptyDetails(20)))), detailsErr(pbWrapper(emptyDetails(20), pbDetails("x", pbAny(urlEncodedError, emptyDetails(20)))))},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			assertDecodes(t, tt.give, tt.wantErr)
		})
	}
}

// assertDecodes checks that Decode accepts data when wantErr is "", and
// otherwise refuses it, with no error value, saying wantErr.
func assertDecodes(t *testing.T, data []byte, wantErr string) {
	t.Helper()
	got, err := errcode.Decode(data)
	if wantErr == "" {
		require.NoError(t, err)
		assert.NotNil(t, got)
		return
	}
	require.Error(t, err)
	assert.Contains(t, err.Error(), wantErr)
	assert.Nil(t, got)
}
