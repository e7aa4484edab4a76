package errcode_test

import (
	"context"
	"encoding/json"
	stderrors "errors"
	"fmt"
	"testing"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/cockroachdb/errors/errorspb"
	"github.com/cockroachdb/redact"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
)

// TestRedactableMessageBytes sends a Newf message whose argument is not
// valid UTF-8 through both forms, twice: its redactable message (which
// redact writes with the invalid bytes kept) arrives byte-exact, so the
// receiver's redacted output is the sender's.
func TestRedactableMessageBytes(t *testing.T) {
	t.Parallel()
	forms := []struct {
		name   string
		encode func(error) ([]byte, error)
		decode func([]byte) (error, error)
	}{
		{"protobuf", errcode.Encode, errcode.Decode},
		{"JSON", errcode.EncodeJSON, errcode.DecodeJSON},
	}
	for _, give := range []error{
		errcode.VmOverlayError.Newf("overlay: %s", rawStderr),
		errcode.VmOverlayError.Wrapf(errcode.TransientError, "overlay %s %s", "\xfe", redact.Safe("safe\xc3")),
	} {
		want := redact.Sprint(give)
		for _, f := range forms {
			t.Run(f.name, func(t *testing.T) {
				t.Parallel()
				b, err := f.encode(give)
				require.NoError(t, err)
				got, err := f.decode(b)
				require.NoError(t, err)
				assert.Equal(t, []byte(want), []byte(redact.Sprint(got)), "redactable output after one hop")
				assert.Equal(t, []byte(want.Redact()), []byte(redact.Sprint(got).Redact()), "redacted output after one hop")
				b2, err := f.encode(got)
				require.NoError(t, err)
				assert.Equal(t, string(b), string(b2), "re-encoded")
			})
		}
	}
}

// TestJSONRedactableAndStackBytes shows the escape in the JSON form: a
// redactable_message or stack that is not valid UTF-8 travels as
// redactable_message_bytes or stack_bytes (standard base64), the text
// member holding it with U+FFFD; valid UTF-8 has neither.
func TestJSONRedactableAndStackBytes(t *testing.T) {
	t.Parallel()
	b, err := errcode.EncodeJSON(errcode.VmOverlayError.Newf("overlay: %s", "\xff"))
	require.NoError(t, err)
	var doc struct {
		Chain []map[string]any `json:"chain"`
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	require.Len(t, doc.Chain, 1)
	r, ok := doc.Chain[0]["redactable_message_bytes"].(string)
	require.True(t, ok, "redactable_message_bytes in %s", b)
	assert.Equal(t, "b3ZlcmxheTog4oC5/z/igLo=", r) // "overlay: ‹\xff?›"
	assert.Equal(t, "overlay: ‹\ufffd?›", doc.Chain[0]["redactable_message"])

	b, err = errcode.EncodeJSON(errcode.VmOverlayError.Newf("overlay: %s", "ok"))
	require.NoError(t, err)
	assert.NotContains(t, string(b), "redactable_message_bytes")
	assert.NotContains(t, string(b), "stack_bytes")

	// A stack trace whose file path is not valid UTF-8, from a peer,
	// through both forms and back.
	const peer = `{"version":1,"code":"VmOverlayError","message":"x","chain":[{"kind":"coded","code":"VmOverlayError","message":"x","stack":"\nmain.f\n\t/src/\ufffd.go:1","stack_bytes":"Cm1haW4uZgoJL3NyYy//LmdvOjE="}]}`
	got, err := errcode.DecodeJSON([]byte(peer))
	require.NoError(t, err)
	assert.Contains(t, fmt.Sprintf("%+v", got), "/src/\xff.go:1")
	pb, err := errcode.Encode(got)
	require.NoError(t, err)
	got2, err := errcode.Decode(pb)
	require.NoError(t, err)
	b2, err := errcode.EncodeJSON(got2)
	require.NoError(t, err)
	assert.JSONEq(t, peer, string(b2))
}

// TestJSONBytesMembersRefused: a *_bytes member that is not standard
// base64 is refused with an error that names it.
func TestJSONBytesMembersRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc, give, wantErr string
	}{
		{"redactable_message_bytes", `{"version":1,"chain":[{"code":"VmOverlayError","message":"x","redactable_message_bytes":"!!"}]}`,
			"chain[0].redactable_message_bytes: not standard base64"},
		{"stack_bytes", `{"version":1,"chain":[{"code":"VmOverlayError","message":"x","stack_bytes":"!!"}]}`,
			"chain[0].stack_bytes: not standard base64"},
		{"stack_bytes not a string", `{"version":1,"chain":[{"code":"VmOverlayError","message":"x","stack_bytes":[1]}]}`,
			"chain[0].stack_bytes: cannot unmarshal array"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			_, err := errcode.DecodeJSON([]byte(tt.give))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

// TestFieldKeyNotUTF8Refused: a field key that is not valid UTF-8 is
// refused by both encoders, naming it (FuzzRoundTrip found two such keys
// arriving as one key "\ufffd").
func TestFieldKeyNotUTF8Refused(t *testing.T) {
	t.Parallel()
	err := errcode.VmOverlayError.New("x", "\x80", uint16(1), "\xc3", "")
	for _, encode := range []func(error) ([]byte, error){errcode.Encode, errcode.EncodeJSON} {
		_, eerr := encode(err)
		require.Error(t, eerr)
		assert.Contains(t, eerr.Error(), `field key "\x80" is not valid UTF-8`)
	}
}

// TestDecodeJoin: an errors.Join layer arrives as errors.Join of its
// decoded branches, whatever message it came with; one with details or a
// payload, which errors.Join never sends, is refused; and nested layers
// whose message is not their branches' decode once each (were a layer
// decoded twice, 60 of them would never finish).
func TestDecodeJoin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	joinLeaf := func(msg string, details []string, causes ...errorspb.EncodedError) errorspb.EncodedError {
		l := &errorspb.EncodedErrorLeaf{Message: msg}
		l.Details.OriginalTypeName = "errors/*errors.joinError"
		l.Details.ErrorTypeMark.FamilyName = "errors/*errors.joinError"
		l.Details.ReportablePayload = details
		for i := range causes {
			l.MultierrorCauses = append(l.MultierrorCauses, &causes[i])
		}
		return errorspb.EncodedError{Error: &errorspb.EncodedError_Leaf{Leaf: l}}
	}
	a := crdberrors.EncodeError(ctx, stderrors.New("a"))
	b := crdberrors.EncodeError(ctx, stderrors.New(""))
	marshal := func(enc errorspb.EncodedError) []byte {
		data, err := enc.Marshal()
		require.NoError(t, err)
		return data
	}

	got, err := errcode.Decode(marshal(joinLeaf("a\n", nil, a, b)))
	require.NoError(t, err)
	assert.Equal(t, "a\n", got.Error())
	assert.Equal(t, "0: a\n", crdberrors.Wrap(got, "0").Error(), "under errors.Wrap")

	got, err = errcode.Decode(marshal(joinLeaf("not the branches", nil, a, b)))
	require.NoError(t, err)
	assert.Equal(t, "a\n", got.Error(), "rebuilt from its branches")

	_, err = errcode.Decode(marshal(joinLeaf("a\n", []string{"x"}, a, b)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "an errors.Join layer with details or a payload")

	nested := a
	for i := range 60 {
		nested = joinLeaf(fmt.Sprint("x", i), nil, nested) // none its branch's
	}
	got, err = errcode.Decode(marshal(nested))
	require.NoError(t, err)
	assert.Equal(t, "a", got.Error())
}
