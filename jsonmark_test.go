package errcode_test

import (
	stderrors "errors"
	"strings"
	"testing"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
)

// TestJSONMark sends errors marked with cockroachdb's errors.Mark(err, c)
// through the JSON form: the mark travels as a "mark" layer naming c, so
// the receiver answers CodeOf, NameOf and Is as the sender does, the
// re-encode is identical, and the decoded error sent on in the protobuf
// form still carries the mark.
func TestJSONMark(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc      string
		give      error
		wantChain string
	}{
		{"over a plain error", crdberrors.Mark(stderrors.New("x"), errcode.VmConfigError),
			`[{"kind":"mark","code":"VmConfigError"},{"kind":"message","message":"x"}]`},
		{"over a coded error", crdberrors.Mark(errcode.VmOverlayError.New("o"), errcode.VmConfigError),
			`[{"kind":"mark","code":"VmConfigError"},{"kind":"coded","code":"VmOverlayError"`},
		{"a code the receiver lacks", crdberrors.Mark(stderrors.New("x"), fuzzPeerChild),
			`[{"kind":"mark","code":"FuzzPeerChildError"},{"kind":"message","message":"x"}]`},
		{"under a wrapper", errcode.WithRetry(crdberrors.Mark(stderrors.New("x"), errcode.TransientError), errcode.Permanent),
			`[{"kind":"retry","retry":"permanent"},{"kind":"mark","code":"TransientError"},{"kind":"message","message":"x"}]`},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			b, err := errcode.EncodeJSON(tt.give)
			require.NoError(t, err)
			assert.Contains(t, string(b), `"chain":`+tt.wantChain)
			got, err := errcode.DecodeJSON(b)
			require.NoError(t, err)
			assert.Equal(t, errcode.NameOf(tt.give), errcode.NameOf(got), "NameOf")
			assert.Equal(t, errcode.CodeOf(tt.give), errcode.CodeOf(got), "CodeOf")
			assert.Equal(t, errcode.RetryOf(tt.give), errcode.RetryOf(got), "RetryOf")
			for _, c := range errcode.Codes() {
				assert.Equal(t, errcode.Is(tt.give, c), errcode.Is(got, c), "Is(%v)", c)
				assert.Equal(t, stderrors.Is(tt.give, c), stderrors.Is(got, c), "errors.Is(%v)", c)
			}
			b2, err := errcode.EncodeJSON(got)
			require.NoError(t, err)
			assert.Equal(t, string(b), string(b2), "re-encoded")
			// Sent on in the protobuf form, the mark is cockroachdb's own.
			pb, err := errcode.Encode(got)
			require.NoError(t, err)
			got2, err := errcode.Decode(pb)
			require.NoError(t, err)
			assert.Equal(t, errcode.NameOf(tt.give), errcode.NameOf(got2), "NameOf after the protobuf hop")
			assert.Equal(t, errcode.CodeOf(tt.give), errcode.CodeOf(got2), "CodeOf after the protobuf hop")
			assert.Equal(t, crdberrors.Is(tt.give, errcode.VmConfigError), crdberrors.Is(got2, errcode.VmConfigError), "cockroachdb's Is after the protobuf hop")
		})
	}
}

// TestJSONMarkFromPeer decodes mark layers as a non-Go peer writes them,
// and refuses malformed ones with an error that says what was wrong.
func TestJSONMarkFromPeer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc     string
		give     string
		wantCode errcode.Code
		wantMsg  string
		wantErr  string
	}{
		{desc: "mark over a message",
			give:     `{"version":1,"chain":[{"kind":"mark","code":"VmConfigError"},{"message":"bad config"}]}`,
			wantCode: errcode.VmConfigError, wantMsg: "bad config"},
		{desc: "an alias",
			give:     `{"version":1,"chain":[{"kind":"mark","code":"VmError"},{"message":"m"}]}`,
			wantCode: errcode.VmError, wantMsg: "m"},
		{desc: "a mark with a message keeps it",
			give:     `{"version":1,"chain":[{"kind":"mark","code":"VmConfigError","message":"ctx"},{"message":"m"}]}`,
			wantCode: errcode.VmConfigError, wantMsg: "ctx: m"},
		{desc: "the last layer", give: `{"version":1,"chain":[{"kind":"mark","code":"VmConfigError"}]}`,
			wantErr: "chain[0] (mark): the last layer of a chain must be coded, sentinel, message or join"},
		{desc: "no code", give: `{"version":1,"chain":[{"kind":"mark"},{"message":"m"}]}`,
			wantErr: "chain[0] (mark):"},
		{desc: "a name with a space", give: `{"version":1,"chain":[{"kind":"mark","code":"Vm Error"},{"message":"m"}]}`,
			wantErr: "chain[0] (mark):"},
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
			assert.Equal(t, tt.wantCode, errcode.CodeOf(got))
			assert.True(t, errcode.Is(got, tt.wantCode), "Is")
			// cockroachdb's own Is compares a mark's text, the name as
			// sent: an alias is another mark to it.
			assert.Equal(t, !strings.Contains(tt.give, `"VmError"`), crdberrors.Is(got, tt.wantCode), "cockroachdb's Is")
			assert.Equal(t, tt.wantMsg, got.Error())
		})
	}
}
