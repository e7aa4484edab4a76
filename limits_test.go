package errcode_test

import (
	"context"
	stderrors "errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/cockroachdb/errors/errorspb"
	"github.com/errcode/errcode"
	"github.com/gogo/protobuf/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protowire"
)

// wireStacklessChain returns a chain of n coded layers (n >= 1) with no
// stack layers: a Stackless leaf and n-1 Stackless wraps.
func wireStacklessChain(n int) error {
	err := errcode.VmCapacityError.New("leaf")
	for i := 1; i < n; i++ {
		err = errcode.VmCapacityError.Wrap(err, "w"+strconv.Itoa(i))
	}
	return err
}

// wireNestedMap returns n maps nested in each other around inner.
func wireNestedMap(n int, inner any) any {
	v := inner
	for range n {
		v = map[string]any{"a": v}
	}
	return v
}

// wireNestedList returns n lists nested in each other around inner.
func wireNestedList(n int, inner any) any {
	v := inner
	for range n {
		v = []any{v}
	}
	return v
}

func wireManyFields(n int) []any {
	kv := make([]any, 0, 2*n)
	for i := range n {
		kv = append(kv, fmt.Sprintf("f%03d", i), i)
	}
	return kv
}

func TestEncodeNil(t *testing.T) {
	t.Parallel()
	b, err := errcode.Encode(nil)
	assert.Nil(t, b)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nil")
	b, err = errcode.EncodeJSON(nil)
	assert.Nil(t, b)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nil")
}

func TestDecodeEmpty(t *testing.T) {
	t.Parallel()
	for _, give := range [][]byte{nil, {}} {
		got, err := errcode.Decode(give)
		assert.Nil(t, got)
		require.Error(t, err, "Decode(%q)", give)
		assert.Contains(t, err.Error(), "empty")
		got, err = errcode.NewRegistry().Decode(give)
		assert.Nil(t, got)
		require.Error(t, err)
	}
}

// TestEncodeLimits checks that what Encode accepts at a limit decodes,
// and that one past it is refused by Encode with the limit's name.
func TestEncodeLimits(t *testing.T) {
	t.Parallel()
	exactString := strings.Repeat("a", errcode.MaxFieldSize-2) // plus the quotes
	tests := []struct {
		desc    string
		give    func() error
		wantErr string // "" for accepted
	}{
		{"MaxDepth layers", func() error { return wireStacklessChain(errcode.MaxDepth) }, ""},
		{"MaxDepth+1 layers", func() error { return wireStacklessChain(errcode.MaxDepth + 1) }, "MaxDepth"},
		{"MaxDepth layers with WithRetry", func() error {
			return errcode.WithRetry(wireStacklessChain(errcode.MaxDepth-1), errcode.Permanent)
		}, ""},
		{"MaxDepth+1 layers with WithFields", func() error {
			return errcode.WithFields(wireStacklessChain(errcode.MaxDepth), "k", 1)
		}, "MaxDepth"},
		{"cockroachdb wraps MaxDepth", func() error {
			err := errcode.SandboxError.Wrap(errcode.SandboxError.New("leaf"), "coded")
			for range errcode.MaxDepth/2 - 1 {
				err = crdberrors.Wrap(err, "w") // two layers: prefix + stack
			}
			return err
		}, ""},
		{"cockroachdb wraps MaxDepth+1", func() error {
			err := error(errcode.SandboxError.New("leaf"))
			for range errcode.MaxDepth / 2 {
				err = crdberrors.Wrap(err, "w") // two layers: prefix + stack
			}
			return err
		}, "MaxDepth"},
		{"joins nested MaxDepth", func() error {
			err := error(errcode.VmCapacityError.New(fat))
			for range errcode.MaxDepth - 1 {
				err = stderrors.Join(err)
			}
			return err
		}, ""},
		{"joins nested MaxDepth+1", func() error {
			err := error(errcode.VmCapacityError.New(fat))
			for range errcode.MaxDepth {
				err = stderrors.Join(err)
			}
			return err
		}, "MaxDepth"},
		{"MaxFields fields", func() error { return errcode.VmCapacityError.New("m", wireManyFields(errcode.MaxFields)...) }, ""},
		{"MaxFields+1 fields", func() error { return errcode.VmCapacityError.New("m", wireManyFields(errcode.MaxFields+1)...) }, "MaxFields"},
		{"MaxFields+1 in WithFields", func() error {
			return errcode.WithFields(stderrors.New("x"), wireManyFields(errcode.MaxFields+1)...)
		}, "MaxFields"},
		{"MaxFields+1 pairs, duplicate keys", func() error {
			return errcode.VmCapacityError.New("m", append(wireManyFields(errcode.MaxFields), "f000", 2)...)
		}, ""},
		{"field of MaxFieldSize bytes", func() error { return errcode.VmCapacityError.New("m", "big", exactString) }, ""},
		{"field of MaxFieldSize+1 bytes", func() error { return errcode.VmCapacityError.New("m", "big", exactString+"a") }, "MaxFieldSize"},
		{"bytes field past MaxFieldSize", func() error {
			return errcode.VmCapacityError.New("m", "big", make([]byte, errcode.MaxFieldSize))
		}, "MaxFieldSize"},
		{"maps nested MaxFieldDepth", func() error {
			return errcode.VmCapacityError.New("m", "deep", wireNestedMap(errcode.MaxFieldDepth, 1))
		}, ""},
		{"maps nested MaxFieldDepth+1", func() error {
			return errcode.VmCapacityError.New("m", "deep", wireNestedMap(errcode.MaxFieldDepth+1, 1))
		}, "MaxFieldDepth"},
		{"lists nested MaxFieldDepth", func() error {
			return errcode.VmCapacityError.New("m", "deep", wireNestedList(errcode.MaxFieldDepth, "x"))
		}, ""},
		{"lists nested MaxFieldDepth+1", func() error {
			return errcode.VmCapacityError.New("m", "deep", wireNestedList(errcode.MaxFieldDepth+1, "x"))
		}, "MaxFieldDepth"},
		{"typed values nested MaxFieldDepth", func() error {
			return errcode.VmCapacityError.New("m", "deep", wireNestedList(errcode.MaxFieldDepth, int8(3)))
		}, ""},
		{"empty map nested MaxFieldDepth+1", func() error {
			return errcode.VmCapacityError.New("m", "deep", wireNestedMap(errcode.MaxFieldDepth, map[string]any{}))
		}, "MaxFieldDepth"},
		{"message past MaxEncodedSize", func() error {
			return errcode.VmCapacityError.New(strings.Repeat("m", errcode.MaxEncodedSize))
		}, "MaxEncodedSize"},
	}
	for _, tt := range tests {
		for _, form := range wireForms {
			if form.name == "cockroachdb" {
				continue // cockroachdb's encoder enforces no limits
			}
			t.Run(tt.desc+"/"+form.name, func(t *testing.T) {
				t.Parallel()
				give := tt.give()
				b, err := form.encode(give)
				if tt.wantErr != "" {
					require.Error(t, err, "encode must refuse")
					assert.Contains(t, err.Error(), tt.wantErr)
					assert.Nil(t, b)
					return
				}
				require.NoError(t, err)
				got, err := form.decode(errcode.Default, b)
				require.NoError(t, err, "what Encode writes must decode")
				assert.Equal(t, give.Error(), got.Error())
				assert.Equal(t, errcode.Fields(give), errcode.Fields(got))
				assert.Equal(t, errcode.NameOf(give), errcode.NameOf(got))
			})
		}
	}
}

// wireProtoLeaf returns the EncodedError of a Stackless coded leaf.
func wireProtoLeaf(t *testing.T) errorspb.EncodedError {
	t.Helper()
	return crdberrors.EncodeError(context.Background(), errcode.VmCapacityError.New("m", "k", 1))
}

// wireProtoWithFields returns the protobuf of a coded leaf whose fields
// payload is raw.
func wireProtoWithFields(t *testing.T, raw string) []byte {
	t.Helper()
	enc := wireProtoLeaf(t)
	leaf := enc.GetLeaf()
	require.NotNil(t, leaf)
	anyv, err := types.MarshalAny(&types.BytesValue{Value: []byte(raw)})
	require.NoError(t, err)
	leaf.Details.FullDetails = anyv
	b, err := enc.Marshal()
	require.NoError(t, err)
	return b
}

func wireFieldsN(n int) string {
	var sb strings.Builder
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `"f%03d":%d`, i, i)
	}
	return sb.String()
}

func wireNestedJSON(n int, open, inner, close string) string {
	return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
}

// TestDecodeFieldLimits hand-crafts fields payloads at and past the
// limits, which Encode would never write.
func TestDecodeFieldLimits(t *testing.T) {
	t.Parallel()
	exact := `"` + strings.Repeat("a", errcode.MaxFieldSize-2) + `"`
	tests := []struct {
		desc    string
		fields  string // members of "fields"
		types   string // members of "field_types", "" for none
		wantErr string // "" for accepted
	}{
		{"MaxFields", wireFieldsN(errcode.MaxFields), "", ""},
		{"MaxFields+1", wireFieldsN(errcode.MaxFields + 1), "", "MaxFields"},
		{"MaxFieldSize", `"big":` + exact, "", ""},
		{"MaxFieldSize+1", `"big":"a` + exact[1:], "", "MaxFieldSize"},
		{"maps nested MaxFieldDepth", `"d":` + wireNestedJSON(errcode.MaxFieldDepth, `{"a":`, "1", "}"), "", ""},
		{"maps nested MaxFieldDepth+1", `"d":` + wireNestedJSON(errcode.MaxFieldDepth+1, `{"a":`, "1", "}"), "", "MaxFieldDepth"},
		{"lists nested MaxFieldDepth", `"d":` + wireNestedJSON(errcode.MaxFieldDepth, "[", "1", "]"), "", ""},
		{"lists nested MaxFieldDepth+1", `"d":` + wireNestedJSON(errcode.MaxFieldDepth+1, "[", "1", "]"), "", "MaxFieldDepth"},
		{"typed lists nested MaxFieldDepth+1", `"d":` + wireNestedJSON(errcode.MaxFieldDepth+1, "[", "1", "]"),
			`"d":` + wireNestedJSON(errcode.MaxFieldDepth+1, "[", `"int8"`, "]"), "MaxFieldDepth"},
		// An empty innermost container: what Encode refuses must not be accepted.
		{"empty map nested MaxFieldDepth+1", `"d":` + wireNestedJSON(errcode.MaxFieldDepth, `{"a":`, "{}", "}"), "", "MaxFieldDepth"},
		{"empty list nested MaxFieldDepth+1", `"d":` + wireNestedJSON(errcode.MaxFieldDepth, "[", "[]", "]"), "", "MaxFieldDepth"},
		// A type name from a newer sender deep inside must not restart the count.
		{"unknown type deep inside past MaxFieldDepth", `"d":` + wireNestedJSON(errcode.MaxFieldDepth+4, "[", "1", "]"),
			`"d":` + wireNestedJSON(10, "[", `"newtype"`, "]"), "MaxFieldDepth"},
		{"lists nested 30000 within MaxFieldSize", `"d":` + wireNestedJSON(30000, "[", "1", "]"), "", "depth"},
		{"type of another kind", `"n":1`, `"n":{"a":"int8"}`, "map"},
		{"type not a field", `"n":1`, `"m":"int8"`, "not a field"},
		{"int8 overflow", `"n":128`, `"n":"int8"`, "int8"},
		{"uint64 overflow", `"n":18446744073709551616`, `"n":"uint64"`, "uint64"},
		{"uint negative", `"n":-1`, `"n":"uint"`, "uint"},
		{"bytes not base64", `"n":"!!"`, `"n":"bytes"`, "bytes"},
		{"time malformed", `"n":"yesterday"`, `"n":"time"`, "time"},
		{"bool from a string", `"n":"true"`, `"n":"bool"`, "bool"},
		{"unknown type from a newer sender", `"n":5`, `"n":"complex128"`, ""},
		{"huge plain integer", `"n":123456789012345678901234567890`, "", ""},
	}
	for _, tt := range tests {
		raw := `{"fields":{` + tt.fields + `}`
		if tt.types != "" {
			raw += `,"field_types":{` + tt.types + `}`
		}
		raw += `}`
		jsonIn := `{"version":1,"chain":[{"code":"VmCapacityError","message":"m","fields":{` + tt.fields + `}`
		if tt.types != "" {
			jsonIn += `,"field_types":{` + tt.types + `}`
		}
		jsonIn += `}]}`
		inputs := []struct {
			form string
			b    []byte
		}{
			{"protobuf", wireProtoWithFields(t, raw)},
			{"json", []byte(jsonIn)},
		}
		for _, in := range inputs {
			t.Run(tt.desc+"/"+in.form, func(t *testing.T) {
				t.Parallel()
				var got error
				var err error
				if in.form == "json" {
					got, err = errcode.DecodeJSON(in.b)
				} else {
					got, err = errcode.Decode(in.b)
				}
				if tt.wantErr != "" {
					require.Error(t, err, "decode must refuse")
					assert.Contains(t, strings.ToLower(err.Error()), strings.ToLower(tt.wantErr))
					assert.Nil(t, got)
					return
				}
				require.NoError(t, err)
				require.NotNil(t, got)
				// What Decode accepts, Encode sends on.
				_, err = errcode.Encode(got)
				assert.NoError(t, err, "Encode of an accepted decode")
				_, err = errcode.EncodeJSON(got)
				assert.NoError(t, err, "EncodeJSON of an accepted decode")
			})
		}
	}
}

// wireDeepProto returns the protobuf of an EncodedError nested n levels,
// each with a message of layerPad, so that the levels stay within the
// layer density limit and only the depth is tested:
// wrappers (EncodedError.wrapper.cause) or multi-cause leaves
// (EncodedError.leaf.multierror_causes) around inner. It is built in
// linear time, innermost size first.
func wireDeepProto(n int, inner []byte, multi bool) []byte {
	return wireDeepProtoPad(n, inner, multi, layerPad)
}

// wireDeepProtoPad is wireDeepProto with pad as each level's message.
func wireDeepProtoPad(n int, inner []byte, multi bool, pad string) []byte {
	outerNum, innerNum := protowire.Number(2), protowire.Number(1) // wrapper, cause
	msgNum := protowire.Number(2)                                  // EncodedWrapper.message
	if multi {
		outerNum, innerNum, msgNum = 1, 3, 1 // leaf, multierror_causes, EncodedErrorLeaf.message
	}
	padSize := protowire.SizeTag(msgNum) + protowire.SizeBytes(len(pad))
	sizes := make([]int, n+1) // sizes[i]: bytes of level i, level 0 the innermost
	mids := make([]int, n+1)  // size of the EncodedWrapper/Leaf of level i
	sizes[0] = len(inner)
	for i := 1; i <= n; i++ {
		mids[i] = padSize + protowire.SizeTag(innerNum) + protowire.SizeBytes(sizes[i-1])
		sizes[i] = protowire.SizeTag(outerNum) + protowire.SizeBytes(mids[i])
	}
	out := make([]byte, 0, sizes[n])
	for i := n; i >= 1; i-- {
		out = protowire.AppendTag(out, outerNum, protowire.BytesType)
		out = protowire.AppendVarint(out, uint64(mids[i]))
		out = protowire.AppendTag(out, msgNum, protowire.BytesType)
		out = protowire.AppendString(out, pad)
		out = protowire.AppendTag(out, innerNum, protowire.BytesType)
		out = protowire.AppendVarint(out, uint64(sizes[i-1]))
	}
	return append(out, inner...)
}

// layerBytes is the layer density limit's bytes per layer: an encoded
// error may hold one more layer for every layerBytes bytes (WIRE.md's
// 32 + n/128), found from errcode.LayerBudget.
var layerBytes = func() int {
	n := 1
	for errcode.LayerBudget(n) == errcode.LayerBudget(0) {
		n++
	}
	return n
}()

// layerPad is a layer message long enough that layers carrying it stay
// within the layer density limit (a layer carrying it takes more than
// layerBytes bytes in either form).
var layerPad = strings.Repeat("p", layerBytes)

func TestDecodeDepthLimits(t *testing.T) {
	t.Parallel()
	leaf, err := errcode.Encode(stderrors.New("x"))
	require.NoError(t, err)
	chain, err := errcode.Encode(wireStacklessChain(errcode.MaxDepth))
	require.NoError(t, err)
	// One more coded wrapper around the MaxDepth chain, by hand.
	var enc errorspb.EncodedError
	require.NoError(t, enc.Unmarshal(chain))
	outer := *enc.GetWrapper()
	outer.Cause = enc
	over, err := (&errorspb.EncodedError{Error: &errorspb.EncodedError_Wrapper{Wrapper: &outer}}).Marshal()
	require.NoError(t, err)

	tests := []struct {
		desc    string
		give    []byte
		wantErr string
	}{
		{"MaxDepth coded layers", chain, ""},
		{"MaxDepth+1 coded layers", over, "MaxDepth"},
		{"MaxDepth-1 plain wrappers", wireDeepProto(errcode.MaxDepth-1, leaf, false), ""},
		{"MaxDepth plain wrappers", wireDeepProto(errcode.MaxDepth, leaf, false), "MaxDepth"},
		{"MaxDepth-1 multi-cause", wireDeepProto(errcode.MaxDepth-1, leaf, true), ""},
		{"MaxDepth multi-cause", wireDeepProto(errcode.MaxDepth, leaf, true), "MaxDepth"},
		{"5000 wrappers", wireDeepProto(5000, leaf, false), "MaxDepth"},
		{"5000 multi-cause", wireDeepProto(5000, leaf, true), "MaxDepth"},
		{"100000 thin wrappers", wireDeepProtoPad(100000, leaf, false, ""), "MaxDepth"},
		{"wrapper without cause", []byte{0x12, 0x00}, "cause"},
		{"neither leaf nor wrapper", []byte{0x18, 0x01}, "neither"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got, err := errcode.Decode(tt.give)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.Nil(t, got)
				return
			}
			require.NoError(t, err)
			require.NotNil(t, got)
			again, err := errcode.Encode(got)
			require.NoError(t, err)
			if tt.desc == "MaxDepth coded layers" {
				assert.Equal(t, tt.give, again)
			}
		})
	}
}

func TestDecodeMaxEncodedSize(t *testing.T) {
	t.Parallel()
	// A valid encoding of exactly MaxEncodedSize bytes: grow the message
	// until the encoding is that long.
	n := errcode.MaxEncodedSize - 1000
	var b []byte
	for range 10 {
		var err error
		b, err = errcode.Encode(errcode.VmCapacityError.New(strings.Repeat("m", n)))
		require.NoError(t, err)
		if len(b) == errcode.MaxEncodedSize {
			break
		}
		n += errcode.MaxEncodedSize - len(b)
	}
	require.Len(t, b, errcode.MaxEncodedSize)
	got, err := errcode.Decode(b)
	require.NoError(t, err)
	assert.Equal(t, errcode.VmCapacityError, errcode.CodeOf(got))

	_, err = errcode.Encode(errcode.VmCapacityError.New(strings.Repeat("m", n+1)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "MaxEncodedSize")

	// Input of MaxEncodedSize+1 bytes, valid or not, is refused unread.
	big := append(append([]byte{}, b...), 0)
	for _, give := range [][]byte{big, make([]byte, errcode.MaxEncodedSize+1)} {
		got, err := errcode.Decode(give)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "MaxEncodedSize")
		assert.Nil(t, got)
	}
}

func TestDecodeTruncated(t *testing.T) {
	t.Parallel()
	give := errcode.WithRetryAfter(errcode.WithRetry(errcode.WithFields(crdberrors.WithHint(
		errcode.SnapshotError.Wrap(stderrors.Join(errcode.VmCapacityError.New("full", "n", int8(1)), errcode.VmConfigError),
			"restore", "when", time.Unix(1, 2).UTC(), "m", map[string]any{"a": []any{1.5, uint64(2)}}), "hint"),
		"k", "v"), errcode.Transient), time.Second)
	for _, form := range wireForms {
		if form.name == "cockroachdb" {
			continue // cockroachdb's DecodeError trusts its input (it panics on an empty EncodedError)
		}
		t.Run(form.name, func(t *testing.T) {
			t.Parallel()
			b, err := form.encode(give)
			require.NoError(t, err)
			for i := range len(b) {
				var got error
				require.NotPanics(t, func() { got, err = form.decode(errcode.Default, b[:i]) }, "prefix of %d bytes", i)
				if err != nil {
					assert.Nil(t, got, "prefix %d: a value and an error", i)
				} else {
					assert.NotNil(t, got, "prefix %d: neither a value nor an error", i)
				}
			}
		})
	}
}

func TestDecodeGarbage(t *testing.T) {
	t.Parallel()
	valid, err := errcode.Encode(errcode.SnapshotError.Wrap(errcode.VmCapacityError.New("x", "k", 1), "y"))
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(1, 2))
	inputs := [][]byte{{0}, {0xff}, {0x0a}, {0x12}, {0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f}, []byte("not protobuf at all"),
		[]byte(`{"version":1}`)}
	for range 2000 {
		b := make([]byte, r.IntN(64))
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		inputs = append(inputs, b)
		// Valid bytes with some flipped.
		m := append([]byte{}, valid...)
		for range 1 + r.IntN(4) {
			m[r.IntN(len(m))] ^= byte(1 + r.UintN(255))
		}
		inputs = append(inputs, m)
	}
	for _, b := range inputs {
		var got error
		require.NotPanics(t, func() { got, err = errcode.Decode(b) }, "Decode(%q)", b)
		if err != nil {
			assert.Nil(t, got)
			continue
		}
		require.NotNil(t, got, "Decode(%q)", b)
		require.NotPanics(t, func() { _, err = errcode.Encode(got) }, "Encode(Decode(%q))", b)
	}
}

// TestDecodeBadErrcodeLayers hand-crafts coded layers with bad details.
func TestDecodeBadErrcodeLayers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc    string
		details []string
		wantErr string
	}{
		{"no code name", []string{"retry=transient"}, "code name"},
		{"empty code name", []string{"code="}, "empty"},
		{"code name with space", []string{"code=a b"}, "whitespace"},
		{"code name too long", []string{"code=" + strings.Repeat("x", errcode.MaxNameLen+1)}, "limit"},
		{"bad retry", []string{"code=X", "retry=maybe"}, "retry"},
		{"too many ancestors", []string{"code=X", "ancestors=" + strings.Repeat("A ", errcode.MaxDepth+1)}, "MaxDepth"},
		{"MaxDepth ancestors", []string{"code=X", "ancestors=" + strings.TrimSpace(strings.Repeat("A ", errcode.MaxDepth))}, ""},
		{"unknown details ignored", []string{"code=X", "colour=blue"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			enc := wireProtoLeaf(t)
			enc.GetLeaf().Details.ReportablePayload = tt.details
			b, err := enc.Marshal()
			require.NoError(t, err)
			got, err := errcode.Decode(b)
			if tt.wantErr == "" {
				require.NoError(t, err)
				assert.Equal(t, "X", errcode.NameOf(got))
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.Nil(t, got)
		})
	}
}

// TestEncodeErrorPastLimits checks that cockroachdb's EncodeError, which
// cannot return an error, sends fields past the limits as what a receiver
// accepts, saying what it left out — where Encode refuses.
func TestEncodeErrorPastLimits(t *testing.T) {
	t.Parallel()
	kv := []any{"blob", strings.Repeat("x", errcode.MaxFieldSize+5)}
	for i := range errcode.MaxFields + 3 {
		kv = append(kv, fmt.Sprintf("k%03d", i), i)
	}
	err := errcode.VmConfigError.New("too much", kv...)

	_, encErr := errcode.Encode(err)
	require.Error(t, encErr, "Encode of fields past the limits")
	assert.Contains(t, encErr.Error(), "MaxFieldSize")

	enc := crdberrors.EncodeError(context.Background(), err) // must not panic
	data, merr := enc.Marshal()
	require.NoError(t, merr)
	decoded, decErr := errcode.Decode(data)
	require.NoError(t, decErr, "what EncodeError sent must decode")

	fs := errcode.Fields(decoded)
	assert.Len(t, fs, errcode.MaxFields)
	assert.Contains(t, fs[errcode.DroppedKey], "fields not sent: over MaxFields")
	assert.Contains(t, fs["blob"], "value not sent")
	assert.Contains(t, fs["blob"], "MaxFieldSize")
	assert.Equal(t, 0, fs["k000"], "a field within the limits is sent as it was")
	assert.True(t, errcode.Is(decoded, errcode.VmConfigError))
}
