package errcode_test

import (
	"encoding/json"
	stderrors "errors"
	"fmt"
	"testing"
	"unicode/utf8"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
)

// rawStderr is a tool's output that is not valid UTF-8.
const rawStderr = "qemu-img: \xff\xfe bad \xc3( sector\x80"

// TestInvalidUTF8MessagesRoundTrip sends messages that are not valid
// UTF-8 through both forms, twice: Error() arrives byte-exact.
func TestInvalidUTF8MessagesRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc string
		give error
	}{
		{"New", errcode.VmOverlayError.New(rawStderr)},
		{"Newf", errcode.VmOverlayError.Newf("overlay: %s", rawStderr)},
		{"Wrap", errcode.VmOverlayError.Wrap(stderrors.New(rawStderr), "overlay \xff")},
		{"Wrapf over a sentinel", errcode.VmOverlayError.Wrapf(errcode.TransientError, "overlay %s", "\xfe")},
		{"foreign leaf", errcode.VmOverlayError.Wrap(fmt.Errorf("tool: %s", rawStderr), "overlay")},
		{"foreign wrapper", fmt.Errorf("start \xff: %w", errcode.VmOverlayError.New("overlay"))},
		{"foreign wrapper owning its text", fmt.Errorf("\xff%w", errcode.VmOverlayError.New("overlay"))},
		{"cockroachdb wrap", crdberrors.Wrap(errcode.VmOverlayError.New(rawStderr), "ctx \xc3")},
		{"join", stderrors.Join(stderrors.New(rawStderr), errcode.VmOverlayError.New("b\xff"))},
	}
	forms := []struct {
		name   string
		encode func(error) ([]byte, error)
		decode func([]byte) (error, error)
	}{
		{"protobuf", errcode.Encode, errcode.Decode},
		{"JSON", errcode.EncodeJSON, errcode.DecodeJSON},
	}
	for _, tt := range tests {
		require.False(t, utf8.ValidString(tt.give.Error()), tt.desc)
		for _, f := range forms {
			t.Run(tt.desc+"/"+f.name, func(t *testing.T) {
				t.Parallel()
				b, err := f.encode(tt.give)
				require.NoError(t, err)
				got, err := f.decode(b)
				require.NoError(t, err)
				assert.Equal(t, []byte(tt.give.Error()), []byte(got.Error()), "first hop")
				b2, err := f.encode(got)
				require.NoError(t, err)
				assert.Equal(t, string(b), string(b2), "re-encoded")
				got2, err := f.decode(b2)
				require.NoError(t, err)
				assert.Equal(t, []byte(tt.give.Error()), []byte(got2.Error()), "second hop")
			})
		}
	}
}

// TestJSONMessageBytes shows the escape on the wire: message_bytes, in
// a layer and at the top level, only for text that is not valid UTF-8,
// with message holding the text with U+FFFD for other readers.
func TestJSONMessageBytes(t *testing.T) {
	t.Parallel()
	b, err := errcode.EncodeJSON(errcode.VmOverlayError.Wrap(stderrors.New("ok"), rawStderr))
	require.NoError(t, err)
	var doc struct {
		Message      string `json:"message"`
		MessageBytes []byte `json:"message_bytes"`
		Chain        []struct {
			Message      string  `json:"message"`
			MessageBytes *[]byte `json:"message_bytes"`
		} `json:"chain"`
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	assert.Equal(t, rawStderr+": ok", string(doc.MessageBytes))
	assert.Equal(t, "qemu-img: \uFFFD bad \uFFFD( sector\uFFFD: ok", doc.Message)
	require.Len(t, doc.Chain, 2)
	require.NotNil(t, doc.Chain[0].MessageBytes)
	assert.Equal(t, rawStderr, string(*doc.Chain[0].MessageBytes))
	assert.Equal(t, "qemu-img: \uFFFD bad \uFFFD( sector\uFFFD", doc.Chain[0].Message)
	assert.Nil(t, doc.Chain[1].MessageBytes, "valid UTF-8 has no message_bytes")

	b, err = errcode.EncodeJSON(errcode.VmOverlayError.New("café"))
	require.NoError(t, err)
	assert.NotContains(t, string(b), "message_bytes")
}

// TestJSONMessageBytesDecode decodes message_bytes as a non-Go peer
// sends it: it wins over message; anything but standard base64 in a
// string is refused.
func TestJSONMessageBytesDecode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc    string
		give    string
		wantMsg string
		wantErr string
	}{
		{
			desc:    "wins over message",
			give:    `{"version": 1, "chain": [{"message": "a\ufffd", "message_bytes": "Yf8="}]}`,
			wantMsg: "a\xff",
		},
		{
			desc:    "without message",
			give:    `{"version": 1, "chain": [{"code": "VmOverlayError", "message_bytes": "/w=="}, {"message": "x"}]}`,
			wantMsg: "\xff: x",
		},
		{
			desc:    "null is absent",
			give:    `{"version": 1, "chain": [{"message": "a", "message_bytes": null}]}`,
			wantMsg: "a",
		},
		{
			desc:    "not base64",
			give:    `{"version": 1, "chain": [{"message": "a", "message_bytes": "!!"}]}`,
			wantErr: "chain[0].message_bytes: not standard base64",
		},
		{
			desc:    "not a string",
			give:    `{"version": 1, "chain": [{"message": "a", "message_bytes": [255]}]}`,
			wantErr: "chain[0].message_bytes: cannot unmarshal array",
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got, err := errcode.DecodeJSON([]byte(tt.give))
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, []byte(tt.wantMsg), []byte(got.Error()))
		})
	}
}
