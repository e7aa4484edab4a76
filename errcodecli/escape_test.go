package errcodecli

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	cerrors "github.com/cockroachdb/errors"
	"github.com/errcode/errcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/anypb"
)

// hostile is text a terminal acts on: clear the screen, retitle the
// window and ring, return to the line's start, C1 CSI, DEL, NUL, a
// right-to-left override and isolate, a line separator.
const hostile = "a\x1b[2J\x1b]0;pwned\x07b\rc\u009b31md\u202eevil\u2066e\x7f\x00f\u2028g"

// terminalActs returns a description of the first thing in s a terminal
// could act on, or "" when there is none.
func terminalActs(s string) string {
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			return "a byte that is not UTF-8 at " + strconv.Itoa(i)
		case r < 0x20 && r != '\n' && r != '\t', r == 0x7f, r >= 0x80 && r <= 0x9f:
			return "control " + strings.Trim(jsonString(string(r)), `"`)
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
			return "bidi control " + strings.Trim(jsonString(string(r)), `"`)
		case r == 0x2028 || r == 0x2029:
			return "line separator"
		}
	}
	return ""
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func hostileJSON() []byte {
	h := jsonString(hostile)
	return []byte(`{"version":1,"chain":[` +
		`{"kind":"message","message":` + h + `},` +
		`{"kind":"stack","stack":` + h + `},` +
		`{"kind":"coded","code":"VmCapacityError","message":` + h +
		`,"fields":{` + h + `:` + h + `,"list":[` + h + `],"map":{` + h + `:1}}}]}`)
}

func hostileProtobuf(tb testing.TB) []byte {
	tb.Helper()
	cause := cerrors.WithDetail(cerrors.New(hostile+"\x9b\xff"), hostile)
	err := errcode.VmCapacityError.Wrap(cause, hostile, hostile, hostile, "list", []any{hostile})
	b, eerr := errcode.Encode(err)
	require.NoError(tb, eerr)
	return b
}

func hostileStatus(tb testing.TB) []byte {
	tb.Helper()
	enc := hostileProtobuf(tb)
	return []byte(base64.StdEncoding.EncodeToString(statusBytes(tb, codes.Unavailable, hostile,
		&anypb.Any{TypeUrl: "type.googleapis.com/" + errcodeDetailName, Value: enc},
		mustAny(tb, &errdetails.ErrorInfo{Reason: hostile, Domain: hostile, Metadata: map[string]string{hostile: hostile}}),
		mustAny(tb, &errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: hostile, Description: hostile}}}),
		&anypb.Any{TypeUrl: "type.googleapis.com/" + hostile, Value: []byte(hostile)},
	)))
}

func TestDecodeEscapesTerminalControls(t *testing.T) {
	t.Parallel()
	pb := hostileProtobuf(t)
	tests := []struct {
		desc     string
		give     []byte
		giveArgs []string
		wantJSON bool
	}{
		{desc: "JSON", give: hostileJSON()},
		{desc: "JSON as JSON", give: hostileJSON(), giveArgs: []string{"--json"}, wantJSON: true},
		{desc: "protobuf", give: pb},
		{desc: "protobuf in base64", give: []byte(base64.StdEncoding.EncodeToString(pb))},
		{desc: "protobuf as JSON", give: pb, giveArgs: []string{"--json"}, wantJSON: true},
		{desc: "status", give: hostileStatus(t)},
		{desc: "status as JSON", give: hostileStatus(t), giveArgs: []string{"--json"}, wantJSON: true},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, status := runCLIStdin(t, tt.give, append([]string{"decode"}, tt.giveArgs...)...)
			require.Equal(t, 0, status, "stderr: %s", stderr)
			assert.Empty(t, terminalActs(stdout), "stdout:\n%s", stdout)
			if !tt.wantJSON {
				assert.Contains(t, stdout, `a\x1b[2J\x1b]0;pwned\ab`)
				return
			}
			// Escaped as JSON escapes: the same JSON, hostile text and all.
			var got struct{ Message string }
			require.NoError(t, json.Unmarshal([]byte(stdout), &got), stdout)
			assert.Contains(t, got.Message, hostile)
		})
	}
}

func TestEscapeTerminal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		give, want string
	}{
		{"plain text, ‹redacted› and ünïcode", "plain text, ‹redacted› and ünïcode"},
		{"lines\nand\ttabs", "lines\nand\ttabs"},
		{"\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"bell\a cr\r nul\x00 del\x7f", `bell\a cr\r nul\x00 del\x7f`},
		{"c1 \u009b csi \u0085 nel", `c1 \u009b csi \u0085 nel`},
		{"rlo \u202e lri \u2066 lrm \u200e", `rlo \u202e lri \u2066 lrm \u200e`},
		{"not utf-8 \x9b\xff", `not utf-8 \x9b\xff`},
		{"a real \ufffd", "a real \ufffd"},
		{`a backslash \x1b`, `a backslash \x1b`},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, escapeTerminal(tt.give), "escapeTerminal(%q)", tt.give)
	}
}

func TestEscapeJSON(t *testing.T) {
	t.Parallel()
	give := `{"m":"` + "\u009b\u202e\U000e0041\ufffd" + `","n":1}`
	got := escapeJSON(give)
	assert.Equal(t, `{"m":"\u009b\u202e\udb40\udc41\ufffd","n":1}`, got)
	var a, b any
	require.NoError(t, json.Unmarshal([]byte(give), &a))
	require.NoError(t, json.Unmarshal([]byte(got), &b))
	assert.Equal(t, a, b)
}
