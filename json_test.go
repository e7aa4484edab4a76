package errcode_test

import (
	"bytes"
	"encoding/json"
	stderrors "errors"
	"fmt"
	"strings"
	"testing"
	"time"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/cockroachdb/errors/errorspb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
)

// TestJSONFromPython decodes JSON as a Python program with only its json
// module would write it: plain numbers, no "kind", no stack.
func TestJSONFromPython(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc      string
		give      string
		wantCode  errcode.Code // zero for none known
		wantName  string
		wantRetry errcode.Retry
		wantMsg   string
		check     func(t *testing.T, err error)
	}{
		{
			desc:     "SocketAuthError with int fields",
			give:     `{"version": 1, "chain": [{"code": "SocketAuthError", "message": "peer uid mismatch", "fields": {"expected_uid": 1000, "actual_uid": 0}}]}`,
			wantCode: errcode.SocketAuthError, wantName: "SocketAuthError", wantMsg: "peer uid mismatch",
			check: func(t *testing.T, err error) {
				v, ok := errcode.Field[int](err, "expected_uid")
				assert.True(t, ok)
				assert.Equal(t, 1000, v)
				v, ok = errcode.Field[int](err, "actual_uid")
				assert.True(t, ok)
				assert.Equal(t, 0, v)
				assert.Equal(t, 500, errcode.HTTPStatusOf(err))
			},
		},
		{
			desc:     "known code with ancestors and retry",
			give:     `{"version":1,"chain":[{"code":"VmCapacityError","ancestors":["VmTransientError","TransientError","SandboxError"],"retry":"transient","message":"pool full"}]}`,
			wantCode: errcode.VmCapacityError, wantName: "VmCapacityError", wantRetry: errcode.Transient, wantMsg: "pool full",
			check: func(t *testing.T, err error) {
				assert.Equal(t, time.Second, errcode.RetryAfterOf(err))
				assert.True(t, errcode.Is(err, errcode.VmTransientError))
				assert.True(t, stderrors.Is(err, errcode.TransientError))
				m, ok := errcode.Match(err, errcode.SandboxError, errcode.TransientError, errcode.VmCapacityError)
				assert.True(t, ok)
				assert.Equal(t, errcode.VmCapacityError, m)
			},
		},
		{
			desc: "unknown members at every level are ignored",
			give: `{"version":1,"python":"3.12","extra":{"a":[1,2]},"chain":[{"code":"VmConfigError","message":"bad","colour":"red",` +
				`"nested":{"x":null},"fields":{"k":"v"}}],"trailer":true}`,
			wantCode: errcode.VmConfigError, wantName: "VmConfigError", wantRetry: errcode.Permanent, wantMsg: "bad",
			check: func(t *testing.T, err error) {
				assert.Equal(t, map[string]any{"k": "v"}, errcode.Fields(err))
			},
		},
		{
			desc:     "wrapper chain",
			give:     `{"version": 1, "chain": [{"message": "while starting"}, {"code": "VmBootTimeoutError", "message": "boot timed out"}]}`,
			wantCode: errcode.VmBootTimeoutError, wantName: "VmBootTimeoutError", wantRetry: errcode.Transient,
			wantMsg: "while starting: boot timed out",
			check: func(t *testing.T, err error) {
				assert.Equal(t, 504, errcode.HTTPStatusOf(err))
			},
		},
		{
			desc:     "message owning its text",
			give:     `{"version":1,"chain":[{"message":"whole text","owns_message":true},{"code":"SnapshotError","message":"inner"}]}`,
			wantCode: errcode.SnapshotError, wantName: "SnapshotError", wantMsg: "whole text",
		},
		{
			desc:     "floats, nested values, null, booleans, huge integers",
			give:     `{"version":1,"chain":[{"code":"GuestAgentError","message":"agent","fields":{"f":1.5,"e":1e3,"neg":-2,"big":123456789012345678901234567890,"l":[1,2.5,"x",null,true],"m":{"a":{"b":[{}]}},"nil":null,"t":false}}]}`,
			wantCode: errcode.GuestAgentError, wantName: "GuestAgentError", wantMsg: "agent",
			check: func(t *testing.T, err error) {
				f, ok := errcode.Field[float64](err, "f")
				assert.True(t, ok)
				assert.Equal(t, 1.5, f)
				e, ok := errcode.Field[float64](err, "e")
				assert.True(t, ok, "1e3 is a float64")
				assert.Equal(t, 1000.0, e)
				n, ok := errcode.Field[int](err, "neg")
				assert.True(t, ok)
				assert.Equal(t, -2, n)
				big, ok := errcode.Field[string](err, "big")
				assert.True(t, ok, "an integer past int64 is its decimal string")
				assert.Equal(t, "123456789012345678901234567890", big)
				assert.Equal(t, []any{1, 2.5, "x", nil, true}, errcode.Fields(err)["l"])
				assert.Equal(t, map[string]any{"a": map[string]any{"b": []any{map[string]any{}}}}, errcode.Fields(err)["m"])
				b, ok := errcode.Field[bool](err, "t")
				assert.True(t, ok)
				assert.False(t, b)
			},
		},
		{
			desc:     "field_types from Python",
			give:     `{"version":1,"chain":[{"code":"VmOverlayError","message":"o","fields":{"took":1500000000,"n":3,"at":"2024-01-02T03:04:05.5Z","raw":"AAEC"},"field_types":{"took":"duration","n":"int32","at":"time","raw":"bytes"}}]}`,
			wantCode: errcode.VmOverlayError, wantName: "VmOverlayError", wantRetry: errcode.Transient, wantMsg: "o",
			check: func(t *testing.T, err error) {
				d, ok := errcode.Field[time.Duration](err, "took")
				assert.True(t, ok)
				assert.Equal(t, 1500*time.Millisecond, d)
				n, ok := errcode.Field[int32](err, "n")
				assert.True(t, ok)
				assert.Equal(t, int32(3), n)
				at, ok := errcode.Field[time.Time](err, "at")
				assert.True(t, ok)
				assert.True(t, at.Equal(time.Date(2024, 1, 2, 3, 4, 5, 5e8, time.UTC)))
				raw, ok := errcode.Field[[]byte](err, "raw")
				assert.True(t, ok)
				assert.Equal(t, []byte{0, 1, 2}, raw)
			},
		},
		{
			desc: "unknown code from Python with ancestors",
			give: `{"version":1,"chain":[{"code":"VmSnapshotRestoreError","ancestors":["VmTransientError","TransientError","SandboxError"],` +
				`"retry":"transient","message":"restore failed"}]}`,
			wantCode: errcode.VmTransientError, wantName: "VmSnapshotRestoreError", wantRetry: errcode.Transient, wantMsg: "restore failed",
			check: func(t *testing.T, err error) {
				for _, c := range []errcode.Code{errcode.VmTransientError, errcode.TransientError, errcode.SandboxError} {
					assert.True(t, errcode.Is(err, c), "Is(%s)", c)
					assert.True(t, stderrors.Is(err, c), "errors.Is(%s)", c)
					assert.True(t, crdberrors.Is(err, c), "cockroachdb errors.Is(%s)", c)
				}
				assert.False(t, errcode.Is(err, errcode.VmBootTimeoutError))
				assert.Contains(t, fmt.Sprintf("%+v", err), "VmSnapshotRestoreError")
				_, ok := errcode.Lookup("VmSnapshotRestoreError")
				assert.False(t, ok, "decoding never registers")
			},
		},
		{
			desc:     "unknown code without ancestors",
			give:     `{"version":1,"chain":[{"code":"BrandNewError","retry":"permanent","message":"nope"}]}`,
			wantName: "BrandNewError", wantRetry: errcode.Permanent, wantMsg: "nope",
		},
		{
			desc:     "alias name",
			give:     `{"version":1,"chain":[{"code":"QemuImgError","message":"qemu-img"}]}`,
			wantCode: errcode.VmOverlayError, wantName: "QemuImgError", wantRetry: errcode.Transient, wantMsg: "qemu-img",
		},
		{
			desc:     "Python retry override layer",
			give:     `{"version":1,"chain":[{"retry":"transient"},{"code":"VmConfigError","message":"bad"}]}`,
			wantCode: errcode.VmConfigError, wantName: "VmConfigError", wantRetry: errcode.Transient, wantMsg: "bad",
		},
		{
			desc:     "Python retry_after and fields layers",
			give:     `{"version":1,"chain":[{"retry_after":"2.5s"},{"fields":{"req":"r-1"}},{"code":"VmCapacityError","message":"full"}]}`,
			wantCode: errcode.VmCapacityError, wantName: "VmCapacityError", wantRetry: errcode.Transient, wantMsg: "full",
			check: func(t *testing.T, err error) {
				assert.Equal(t, 2500*time.Millisecond, errcode.RetryAfterOf(err))
				v, _ := errcode.Field[string](err, "req")
				assert.Equal(t, "r-1", v)
			},
		},
		{
			desc:     "Python join",
			give:     `{"version":1,"chain":[{"message":"two failures"},{"message":"a; b","causes":[[{"code":"VmCapacityError","message":"a"}],[{"code":"VmConfigError","message":"b"}]]}]}`,
			wantCode: errcode.VmCapacityError, wantName: "VmCapacityError", wantRetry: errcode.Permanent, wantMsg: "two failures: a; b",
			check: func(t *testing.T, err error) {
				assert.True(t, errcode.Is(err, errcode.VmConfigError))
				assert.True(t, stderrors.Is(err, errcode.VmConfigError))
			},
		},
		{
			desc:     "plain message only",
			give:     `{"version":1,"chain":[{"message":"just text"}]}`,
			wantMsg:  "just text",
			wantName: "",
		},
		{
			desc:     "top-level members are ignored when decoding",
			give:     `{"version":1,"code":"VmConfigError","retry":"permanent","message":"lies","chain":[{"code":"SnapshotError","message":"truth"}]}`,
			wantCode: errcode.SnapshotError, wantName: "SnapshotError", wantMsg: "truth",
		},
		{
			desc:     "pretty-printed with whitespace",
			give:     "\n  {\n\t\"version\" : 1 ,\n \"chain\" : [ { \"code\" : \"AssetError\" , \"message\" : \"x\" } ]\n}\n  ",
			wantCode: errcode.AssetError, wantName: "AssetError", wantMsg: "x",
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			r := errcode.NewRegistry()
			n := len(errcode.Codes())
			got, err := errcode.DecodeJSON([]byte(tt.give))
			require.NoError(t, err)
			require.NotNil(t, got)
			assert.Equal(t, tt.wantCode, errcode.CodeOf(got), "CodeOf")
			assert.Equal(t, tt.wantName, errcode.NameOf(got), "NameOf")
			assert.Equal(t, tt.wantRetry, errcode.RetryOf(got), "RetryOf")
			assert.Equal(t, tt.wantMsg, got.Error())
			if tt.check != nil {
				tt.check(t, got)
			}
			assert.Equal(t, n, len(errcode.Codes()))
			assert.Empty(t, r.Codes())

			// Encoded again by Go, both forms, and decoded: same answers.
			for _, form := range wireForms {
				again := wireRoundTrip(t, form, errcode.Default, got)
				wireAssertSameAnswers(t, got, again, "")
			}
			// And the JSON a Go receiver writes back is stable.
			b1, err := errcode.EncodeJSON(got)
			require.NoError(t, err)
			dec, err := errcode.DecodeJSON(b1)
			require.NoError(t, err)
			b2, err := errcode.EncodeJSON(dec)
			require.NoError(t, err)
			assert.Equal(t, string(b1), string(b2))
		})
	}
}

// TestJSONShape parses what Go writes with encoding/json into plain maps,
// as a non-Go reader would, and checks the documented shape.
func TestJSONShape(t *testing.T) {
	t.Parallel()
	err := fmt.Errorf("starting vm 7: %w", errcode.VmOverlayError.Wrap(
		crdberrors.New("qemu-img failed"), "overlay", "stderr", "no space left", "attempt", int32(3), "took", 1500*time.Millisecond))
	err = errcode.WithRetryAfter(errcode.WithRetry(errcode.WithFields(err, "req", "r-1"), errcode.Permanent), 2*time.Second)
	err = stderrors.Join(err, errcode.PackageNotAllowedError)
	b, eerr := errcode.EncodeJSON(err)
	require.NoError(t, eerr)

	var doc map[string]any
	require.NoError(t, json.Unmarshal(b, &doc))
	assert.Equal(t, float64(1), doc["version"])
	assert.Equal(t, "VmOverlayError", doc["code"])
	assert.Equal(t, "permanent", doc["retry"])
	assert.Equal(t, err.Error(), doc["message"])
	chain, ok := doc["chain"].([]any)
	require.True(t, ok, "chain is an array: %s", b)
	require.NotEmpty(t, chain)
	var kinds []string
	var walk func(chain []any)
	walk = func(chain []any) {
		for _, l := range chain {
			layer, ok := l.(map[string]any)
			require.True(t, ok, "a layer is an object")
			kind, ok := layer["kind"].(string)
			require.True(t, ok, "Go writes kind: %v", layer)
			kinds = append(kinds, kind)
			switch kind {
			case "coded":
				assert.Equal(t, "VmOverlayError", layer["code"])
				assert.Equal(t, []any{"VmTransientError", "TransientError", "SandboxError"}, layer["ancestors"])
				assert.Equal(t, "transient", layer["retry"])
				assert.Equal(t, "overlay", layer["message"])
				assert.Equal(t, map[string]any{"stderr": "no space left", "attempt": float64(3), "took": float64(1.5e9)}, layer["fields"])
				assert.Equal(t, map[string]any{"attempt": "int32", "took": "duration"}, layer["field_types"])
				assert.Contains(t, layer["stack"], "TestJSONShape")
			case "sentinel":
				assert.Equal(t, "PackageNotAllowedError", layer["code"])
				assert.Equal(t, []any{"SandboxError"}, layer["ancestors"])
			case "retry":
				assert.Equal(t, "permanent", layer["retry"])
			case "retry_after":
				assert.Equal(t, "2s", layer["retry_after"])
			case "fields":
				assert.Equal(t, map[string]any{"req": "r-1"}, layer["fields"])
			case "join":
				causes, ok := layer["causes"].([]any)
				require.True(t, ok)
				assert.Len(t, causes, 2)
				for _, c := range causes {
					cc, ok := c.([]any)
					require.True(t, ok, "a cause is a chain")
					walk(cc)
				}
			case "message", "stack":
			default:
				t.Errorf("undocumented kind %q", kind)
			}
		}
	}
	walk(chain)
	for _, want := range []string{"join", "retry_after", "retry", "fields", "message", "coded", "stack", "sentinel"} {
		assert.Contains(t, kinds, want)
	}
	assert.Equal(t, "join", kinds[0])
	assert.NotContains(t, string(b), "\n", "compact JSON")
}

func TestDecodeJSONBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc    string
		give    string
		wantErr string // a substring of the error, case-insensitive
	}{
		{"empty", "", "empty"},
		{"spaces", "   \n\t ", "empty"},
		{"not JSON", "not json", "invalid"},
		{"truncated", `{"version":1,"chain":[{"code":"X"`, "unexpected end"},
		{"trailing garbage", `{"version":1,"chain":[{"message":"x"}]} x`, "invalid"},
		{"two documents", `{"version":1,"chain":[{"message":"x"}]}{}`, "invalid"},
		{"array", `[1,2]`, "cannot unmarshal"},
		{"null", `null`, "version"},
		{"empty object", `{}`, "version"},
		{"version 0", `{"version":0,"chain":[{"message":"x"}]}`, "version 0"},
		{"version 2", `{"version":2,"chain":[{"message":"x"}]}`, "version 2"},
		{"version as a string", `{"version":"1","chain":[{"message":"x"}]}`, "version"},
		{"version 1.5", `{"version":1.5,"chain":[{"message":"x"}]}`, "version"},
		{"no chain", `{"version":1}`, "empty chain"},
		{"empty chain", `{"version":1,"chain":[]}`, "empty chain"},
		{"chain 5", `{"version":1,"chain":5}`, "chain"},
		{"chain of strings", `{"version":1,"chain":["x"]}`, "chain"},
		{"code 7", `{"version":1,"chain":[{"code":7,"message":"x"}]}`, "code"},
		{"message 7", `{"version":1,"chain":[{"message":7}]}`, "message"},
		{"ancestors a string", `{"version":1,"chain":[{"code":"X","ancestors":"SandboxError"}]}`, "ancestors"},
		{"fields an array", `{"version":1,"chain":[{"code":"X","fields":[1,2]}]}`, "fields"},
		{"fields a string", `{"version":1,"chain":[{"code":"X","fields":"k=v"}]}`, "fields"},
		{"field_types without fields", `{"version":1,"chain":[{"code":"X","field_types":{"a":"int8"}}]}`, "without fields"},
		{"retry unknown", `{"version":1,"chain":[{"code":"X","retry":"maybe"}]}`, "retry"},
		{"retry override unknown", `{"version":1,"chain":[{"kind":"retry","retry":"sometimes"},{"message":"x"}]}`, "retry"},
		{"retry_after not a duration", `{"version":1,"chain":[{"retry_after":"soon"},{"message":"x"}]}`, "retry-after"},
		{"retry_after negative", `{"version":1,"chain":[{"retry_after":"-1s"},{"message":"x"}]}`, "retry-after"},
		{"code with space", `{"version":1,"chain":[{"code":"A B","message":"x"}]}`, "whitespace"},
		{"code too long", `{"version":1,"chain":[{"code":"` + strings.Repeat("x", errcode.MaxNameLen+1) + `"}]}`, "limit"},
		{"ancestor empty", `{"version":1,"chain":[{"code":"X","ancestors":[""]}]}`, "empty"},
		{"too many ancestors", `{"version":1,"chain":[{"code":"X","ancestors":[` +
			strings.TrimSuffix(strings.Repeat(`"A",`, errcode.MaxDepth+1), ",") + `]}]}`, "MaxDepth"},
		{"join not last", `{"version":1,"chain":[{"causes":[[{"message":"a"}]]},{"message":"b"}]}`, "last"},
		{"sentinel not last", `{"version":1,"chain":[{"kind":"sentinel","code":"SandboxError"},{"message":"b"}]}`, "last"},
		{"join without causes", `{"version":1,"chain":[{"kind":"join","message":"j"}]}`, "without causes"},
		{"join with an empty cause", `{"version":1,"chain":[{"causes":[[]]}]}`, "empty chain"},
		{"fields layer last", `{"version":1,"chain":[{"fields":{"a":1}}]}`, "last layer"},
		{"retry layer last", `{"version":1,"chain":[{"kind":"retry","retry":"transient"}]}`, "last layer"},
		{"stack layer last", `{"version":1,"chain":[{"kind":"stack","stack":"x"}]}`, "last layer"},
		{"field type mismatch", `{"version":1,"chain":[{"code":"X","fields":{"a":"x"},"field_types":{"a":"int8"}}]}`, "int8"},
		{"safe_fields without the field", `{"version":1,"chain":[{"code":"X","fields":{"a":1},"safe_fields":["b"]}]}`, "safe_fields"},
		{"MaxDepth+1 chain", `{"version":1,"chain":[` + strings.TrimSuffix(strings.Repeat(`{"message":"`+fat+`"},`, errcode.MaxDepth+1), ",") + `]}`, "MaxDepth"},
		{"50000-layer chain", `{"version":1,"chain":[` + strings.TrimSuffix(strings.Repeat(`{"message":"m"},`, 50000), ",") + `]}`, "MaxDepth"},
		{"joins nested MaxDepth+1", `{"version":1,"chain":[` + strings.Repeat(`{"message":"`+fat+`","causes":[[`, errcode.MaxDepth) +
			`{"message":"m"}` + strings.Repeat(`]]}`, errcode.MaxDepth) + `]}`, "MaxDepth"},
		{"joins nested 60000", `{"version":1,"chain":[` + strings.Repeat(`{"causes":[[`, 60000) +
			`{"message":"m"}` + strings.Repeat(`]]}`, 60000) + `]}`, "depth"},
		{"fields nested 100000", `{"version":1,"chain":[{"code":"X","fields":{"a":` + strings.Repeat(`[`, 100000) +
			strings.Repeat(`]`, 100000) + `}}]}`, "depth"},
		{"MaxFields+1", `{"version":1,"chain":[{"code":"X","fields":{` + wireFieldsN(errcode.MaxFields+1) + `}}]}`, "MaxFields"},
		{"over MaxEncodedSize", `{"version":1,"chain":[{"message":"` + strings.Repeat("m", errcode.MaxEncodedSize) + `"}]}`, "MaxEncodedSize"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			var got error
			var err error
			require.NotPanics(t, func() { got, err = errcode.DecodeJSON([]byte(tt.give)) })
			require.Error(t, err, "DecodeJSON(%.80s)", tt.give)
			assert.Nil(t, got)
			assert.Contains(t, strings.ToLower(err.Error()), strings.ToLower(tt.wantErr))
			got, err = errcode.NewRegistry().DecodeJSON([]byte(tt.give))
			assert.Error(t, err)
			assert.Nil(t, got)
		})
	}
	got, err := errcode.DecodeJSON(nil)
	assert.Nil(t, got)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "empty")
}

// TestDecodeJSONLimits: the JSON form accepts exactly what is at a limit.
func TestDecodeJSONLimits(t *testing.T) {
	t.Parallel()
	chainOf := func(n int) string {
		return `{"version":1,"chain":[` + strings.TrimSuffix(strings.Repeat(`{"message":"`+fat+`"},`, n-1), ",") +
			`,{"code":"VmCapacityError","message":"leaf"}]}`
	}
	doc := `{"version":1,"chain":[{"code":"VmCapacityError","message":"m"}]}`
	tests := []struct {
		desc string
		give string
	}{
		{"MaxDepth chain", chainOf(errcode.MaxDepth)},
		{"joins nested MaxDepth", `{"version":1,"chain":[` + strings.Repeat(`{"message":"`+fat+`","causes":[[`, errcode.MaxDepth-1) +
			`{"message":"m"}` + strings.Repeat(`]]}`, errcode.MaxDepth-1) + `]}`},
		{"MaxFields", `{"version":1,"chain":[{"code":"X","fields":{` + wireFieldsN(errcode.MaxFields) + `}}]}`},
		{"exactly MaxEncodedSize", doc + strings.Repeat(" ", errcode.MaxEncodedSize-len(doc))},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got, err := errcode.DecodeJSON([]byte(tt.give))
			require.NoError(t, err)
			require.NotNil(t, got)
			_, err = errcode.EncodeJSON(got)
			require.NoError(t, err)
			_, err = errcode.Encode(got)
			require.NoError(t, err)
		})
	}
	got, err := errcode.DecodeJSON([]byte(doc + strings.Repeat(" ", errcode.MaxEncodedSize-len(doc)+1)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "MaxEncodedSize")
	assert.Nil(t, got)

	// MaxDepth+1 chain refused by the JSON decoder, while MaxDepth passes.
	_, err = errcode.DecodeJSON([]byte(chainOf(errcode.MaxDepth + 1)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "MaxDepth")
}

// TestJSONTruncatedAndMutated: every prefix of a valid JSON encoding, and
// every single-byte deletion, gives an error or a value, never a panic.
func TestJSONTruncatedAndMutated(t *testing.T) {
	t.Parallel()
	give := errcode.WithFields(fmt.Errorf("ctx: %w", stderrors.Join(
		errcode.VmOverlayError.New("o", "n", int8(1), "b", []byte("x"), "m", map[string]any{"l": []any{uint(1)}}),
		errcode.VmConfigError)), "k", 1.5)
	b, err := errcode.EncodeJSON(give)
	require.NoError(t, err)
	check := func(in []byte) {
		var got error
		var err error
		require.NotPanics(t, func() { got, err = errcode.DecodeJSON(in) }, "DecodeJSON(%s)", in)
		if err != nil {
			assert.Nil(t, got)
			return
		}
		require.NotNil(t, got, "DecodeJSON(%s): neither a value nor an error", in)
		require.NotPanics(t, func() { _, _ = errcode.EncodeJSON(got) })
		require.NotPanics(t, func() { _, _ = errcode.Encode(got) })
	}
	for i := range len(b) {
		check(b[:i])
		check(append(append([]byte{}, b[:i]...), b[i+1:]...))
	}
}

// TestJSONOwnedEmptyMessageHop: a message layer that owns an empty
// message (found by FuzzDecodeJSON, testdata/fuzz/FuzzDecodeJSON/1879ae67aece8249)
// must keep its Error() through EncodeJSON and DecodeJSON.
func TestJSONOwnedEmptyMessageHop(t *testing.T) {
	t.Parallel()
	got, err := errcode.DecodeJSON([]byte(`{"version":1,"chain":[{"owns_message":true},{"message":"inner"}]}`))
	require.NoError(t, err)
	require.Equal(t, "", got.Error(), "the outer layer owns the whole (empty) message")
	b, err := errcode.EncodeJSON(got)
	require.NoError(t, err)
	again, err := errcode.DecodeJSON(b)
	require.NoError(t, err)
	assert.Equal(t, got.Error(), again.Error(), "Error() after a JSON hop; sent %s", b)
	b2, err := errcode.EncodeJSON(again)
	require.NoError(t, err)
	assert.Equal(t, string(b), string(b2))
}

// TestDecodeJSONNamesExact: member names are matched exactly, as every
// non-Go reader matches them. A name that differs only in case is an
// unknown member, ignored; where it stood for a required one, the
// payload is refused.
func TestDecodeJSONNamesExact(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc     string
		give     string
		wantErr  string // "" if it decodes
		wantName string
		wantMsg  string
	}{
		{desc: "Version", give: `{"Version":1,"chain":[{"message":"x"}]}`, wantErr: "version 0"},
		{desc: "CHAIN", give: `{"version":1,"CHAIN":[{"message":"x"}]}`, wantErr: "empty chain"},
		{desc: "Chain beside chain", give: `{"version":1,"chain":[{"message":"x"}],"Chain":5}`, wantMsg: "x"},
		{desc: "layer Code", give: `{"version":1,"chain":[{"Code":"VmConfigError","message":"x"}]}`, wantMsg: "x"},
		{desc: "layer Message", give: `{"version":1,"chain":[{"code":"VmConfigError","Message":"x"}]}`, wantName: "VmConfigError", wantMsg: ""},
		{desc: "layer KIND", give: `{"version":1,"chain":[{"KIND":"join","message":"x"}]}`, wantMsg: "x"},
		{desc: "Kelvin sign folds to k in encoding/json", give: "{\"version\":1,\"chain\":[{\"\u212aind\":\"retry\",\"message\":\"x\"}]}", wantMsg: "x"},
		{desc: "layer Causes", give: `{"version":1,"chain":[{"Causes":[[{"code":"VmConfigError"}]],"message":"x"}]}`, wantMsg: "x"},
		{desc: "nested cause Code", give: `{"version":1,"chain":[{"causes":[[{"Code":"VmConfigError","message":"a"}]],"message":"a"}]}`, wantMsg: "a"},
		{desc: "nested cause Fields", give: `{"version":1,"chain":[{"causes":[[{"code":"VmConfigError","Fields":{"a":1},"message":"a"}]],"message":"a"}]}`, wantName: "VmConfigError", wantMsg: "a"},
		{desc: "escaped exact name", give: `{"version":1,"\u0063hain":[{"code":"VmConfigError","message":"x"}]}`, wantName: "VmConfigError", wantMsg: "x"},
		{desc: "null is an absent member", give: `{"version":1,"code":null,"chain":[{"kind":null,"code":null,"message":"x","fields":null,"causes":null}]}`, wantMsg: "x"},
		{desc: "wrong type on an exact name", give: `{"version":1,"chain":[{"causes":[[{"message":7}]]}]}`, wantErr: "chain[0].causes[0][0].message"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got, err := errcode.DecodeJSON([]byte(tt.give))
			if tt.wantErr != "" {
				require.Error(t, err, "DecodeJSON(%s)", tt.give)
				assert.Nil(t, got)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err, "DecodeJSON(%s)", tt.give)
			assert.Equal(t, tt.wantName, errcode.NameOf(got), "NameOf")
			assert.Equal(t, tt.wantMsg, got.Error())
			assert.Empty(t, errcode.Fields(got), "Fields")
		})
	}
}

// jsonAssertStable checks that err, encoded in JSON, decoded and encoded
// again, keeps its Error() and its bytes, also when the hop goes through
// the protobuf forms. It returns err's JSON.
func jsonAssertStable(t *testing.T, err error) []byte {
	t.Helper()
	b1, eerr := errcode.EncodeJSON(err)
	require.NoError(t, eerr)
	got, derr := errcode.DecodeJSON(b1)
	require.NoError(t, derr, "DecodeJSON(%s)", b1)
	assert.Equal(t, err.Error(), got.Error(), "Error() after a JSON round trip of %s", b1)
	for _, form := range wireForms {
		again := wireRoundTrip(t, form, errcode.Default, got)
		assert.Equal(t, err.Error(), again.Error(), "Error() after a %s hop", form.name)
		b2, eerr := errcode.EncodeJSON(again)
		require.NoError(t, eerr)
		if form.name != "json" {
			// The protobuf form has no top-level members: the
			// retry_after a JSON document claimed for a code's own hint
			// does not cross it, and the receiver's is sent on.
			want := errcode.RetryAfterOf(again).String()
			if errcode.RetryAfterOf(again) == 0 {
				want = ""
			}
			assert.Equal(t, want, topMember(t, b2, "retry_after"), "retry_after after a %s hop: the receiver's", form.name)
			b1, b2 = withoutTopMember(t, b1, "retry_after"), withoutTopMember(t, b2, "retry_after")
		}
		assert.Equal(t, string(b1), string(b2), "EncodeJSON after a %s hop", form.name)
	}
	return b1
}

// topMember returns the string member name of the JSON object doc, "" when absent.
func topMember(t *testing.T, doc []byte, name string) string {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(doc, &m))
	s, _ := m[name].(string)
	return s
}

// withoutTopMember returns doc without its top-level member name, the
// rest of its bytes as they were.
func withoutTopMember(t *testing.T, doc []byte, name string) []byte {
	t.Helper()
	v := topMember(t, doc, name)
	if v == "" {
		return doc
	}
	member, err := json.Marshal(v)
	require.NoError(t, err)
	return bytes.Replace(doc, []byte(`,"`+name+`":`+string(member)), nil, 1)
}

// TestJSONKeepsText: no layer text is dropped in the JSON form, from a Go
// error or from a peer's payload, and what decodes encodes again to the
// same bytes.
func TestJSONKeepsText(t *testing.T) {
	t.Parallel()
	a, b := stderrors.New("a"), stderrors.New("b")
	lives := []struct {
		desc     string
		give     error
		wantJSON string // in the chain EncodeJSON writes
	}{
		{"empty prefix with its separator", fmt.Errorf(": %w", stderrors.New("x")), `{"kind":"message","message":": x","owns_message":true}`},
		{"empty prefix over a coded error", fmt.Errorf(": %w", errcode.VmConfigError.New("x")), ""},
		{"empty prefix twice", fmt.Errorf(": %w", fmt.Errorf(": %w", a)), ""},
		{"prefix ending in the separator", fmt.Errorf("a: : %w", a), ""},
		{"wrapped join", fmt.Errorf("ctx: %w", stderrors.Join(a, b)), ""},
		{"join under an empty prefix", fmt.Errorf(": %w", stderrors.Join(a, b)), ""},
		{"coded wrap of a join", errcode.VmConfigError.Wrap(stderrors.Join(a, fmt.Errorf(": %w", b)), "w"), ""},
		{"join of empty messages", stderrors.Join(stderrors.New(""), fmt.Errorf(": %w", stderrors.New(""))), ""},
		{"two %w", fmt.Errorf("x %w and %w", a, b), ""},
		{"wrapped join with an empty branch", fmt.Errorf("ctx: %w", stderrors.Join(a, stderrors.New(""))), ""},
		{"wrapped join of joins", fmt.Errorf("ctx: %w", stderrors.Join(stderrors.Join(a, b), stderrors.New(""), b)), ""},
		{"wrapped blank lines", fmt.Errorf("ctx: %w", stderrors.New("x\n\n\ny\n")), ""},
	}
	for _, tt := range lives {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			b := jsonAssertStable(t, tt.give)
			assert.Contains(t, string(b), tt.wantJSON)
		})
	}

	payloads := []struct {
		desc     string
		give     string
		wantMsg  string
		wantJSON []string // in the chain EncodeJSON writes back
		check    func(t *testing.T, err error)
	}{
		{
			desc:     "message and fields without kind",
			give:     `{"version":1,"chain":[{"message":"m","fields":{"a":1}},{"message":"inner"}]}`,
			wantMsg:  "m: inner",
			wantJSON: []string{`[{"kind":"fields","fields":{"a":1}},{"kind":"message","message":"m"},{"kind":"message","message":"inner"}]`},
			check:    func(t *testing.T, err error) { assert.Equal(t, map[string]any{"a": 1}, errcode.Fields(err)) },
		},
		{
			desc:     "unknown kind: other members not kept",
			give:     `{"version":1,"chain":[{"kind":"future","message":"p","fields":{"a":1},"retry":"transient"},{"message":"inner"}]}`,
			wantMsg:  "p: inner",
			wantJSON: []string{`[{"kind":"future","message":"p"},{"kind":"message","message":"inner"}]`},
			check: func(t *testing.T, err error) {
				assert.Empty(t, errcode.Fields(err))
				assert.Equal(t, errcode.Unspecified, errcode.RetryOf(err))
			},
		},
		{
			desc:    "message and fields without kind, last",
			give:    `{"version":1,"chain":[{"message":"m","fields":{"a":1}}]}`,
			wantMsg: "m",
			check:   func(t *testing.T, err error) { assert.Equal(t, map[string]any{"a": 1}, errcode.Fields(err)) },
		},
		{
			desc:    "retry with a message",
			give:    `{"version":1,"chain":[{"retry":"transient","message":"m"},{"message":"inner"}]}`,
			wantMsg: "m: inner",
			check:   func(t *testing.T, err error) { assert.Equal(t, errcode.Transient, errcode.RetryOf(err)) },
		},
		{
			desc:    "fields kind owning its message",
			give:    `{"version":1,"chain":[{"kind":"fields","fields":{"a":"x"},"message":"whole","owns_message":true},{"message":"inner"}]}`,
			wantMsg: "whole",
			check:   func(t *testing.T, err error) { assert.Equal(t, map[string]any{"a": "x"}, errcode.Fields(err)) },
		},
		{
			desc:     "unknown kind owning its message",
			give:     `{"version":1,"chain":[{"kind":"future","message":"whole","owns_message":true},{"message":"inner"}]}`,
			wantMsg:  "whole",
			wantJSON: []string{`{"kind":"future","message":"whole","owns_message":true}`},
			check: func(t *testing.T, err error) {
				var details []string
				for _, p := range crdberrors.GetAllSafeDetails(err) {
					details = append(details, p.SafeDetails...)
				}
				assert.Subset(t, details, []string{"kind=future", "owns_message"}, "the protobuf form's safe details")
				assert.NotContains(t, details, "whole", "the text is not safe")
			},
		},
		{
			desc:     "unknown kind with a prefix",
			give:     `{"version":1,"chain":[{"kind":"future","message":"p"},{"code":"VmConfigError","message":"inner"}]}`,
			wantMsg:  "p: inner",
			wantJSON: []string{`{"kind":"future","message":"p"}`},
			check:    func(t *testing.T, err error) { assert.Equal(t, errcode.VmConfigError, errcode.CodeOf(err)) },
		},
		{
			desc:     "unknown kind with an empty message",
			give:     `{"version":1,"chain":[{"kind":"future"},{"message":"inner"}]}`,
			wantMsg:  "inner",
			wantJSON: []string{`[{"kind":"future"},`},
		},
		{
			desc:     "unknown kind last",
			give:     `{"version":1,"chain":[{"kind":"future","message":"leaf"}]}`,
			wantMsg:  "leaf",
			wantJSON: []string{`[{"kind":"future","message":"leaf"}]`},
		},
		{
			desc:     "unknown kind last with causes",
			give:     `{"version":1,"chain":[{"kind":"tree","causes":[[{"message":"a"}],[{"code":"VmConfigError","message":"b"}]]}]}`,
			wantMsg:  "a\nb",
			wantJSON: []string{`{"kind":"tree","message":"a\nb","causes":[[`},
			check: func(t *testing.T, err error) {
				assert.Len(t, jsonBranches(err), 2)
				assert.True(t, errcode.Is(err, errcode.VmConfigError))
			},
		},
		{
			desc:    "join without message",
			give:    `{"version":1,"chain":[{"causes":[[{"message":"a"}],[{"message":"b"}]]}]}`,
			wantMsg: "a\nb",
		},
		{
			desc: "joins without message, nested, with prefixes",
			give: `{"version":1,"chain":[{"message":"ctx"},{"kind":"join","causes":[[{"message":"p"},{"fields":{"k":1}},{"code":"VmConfigError","message":"a"}],` +
				`[{"causes":[[{"sentinel":1,"kind":"sentinel","code":"VmCapacityError"}],[{"message":""},{"message":""}],[{"owns_message":true,"message":"c!"},{"message":"c"}],[{"message":""}]]}]]}]}`,
			wantMsg: "ctx: p: a\nVmCapacityError\n\nc!\n",
		},
		{
			desc:    "join with empty branches",
			give:    `{"version":1,"chain":[{"causes":[[{"message":"a"}],[{"message":""},{"message":""}],[{"message":""}]]}]}`,
			wantMsg: "a\n\n",
		},
		{
			desc:     "join owning an empty message",
			give:     `{"version":1,"chain":[{"owns_message":true,"causes":[[{"message":"a"}]]}]}`,
			wantMsg:  "",
			wantJSON: []string{`[{"kind":"join","owns_message":true,"causes":[[`},
		},
		{
			desc:    "join with an empty message",
			give:    `{"version":1,"chain":[{"message":"","causes":[[{"message":"a"}]]}]}`,
			wantMsg: "",
		},
		{
			desc:     "empty message layer",
			give:     `{"version":1,"chain":[{"message":""},{"message":"inner"}]}`,
			wantMsg:  "inner",
			wantJSON: []string{`[{"kind":"message"},{"kind":"message","message":"inner"}]`},
		},
		{
			desc:    "owned message that reads as an empty prefix",
			give:    `{"version":1,"chain":[{"owns_message":true,"message":": inner"},{"message":"inner"}]}`,
			wantMsg: ": inner",
		},
	}
	for _, tt := range payloads {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got, err := errcode.DecodeJSON([]byte(tt.give))
			require.NoError(t, err)
			assert.Equal(t, tt.wantMsg, got.Error(), "Error()")
			if causes := jsonBranches(got); causes != nil && !strings.Contains(tt.give, `"message":"","causes"`) && !strings.Contains(tt.give, `"owns_message":true,"causes"`) {
				assert.Equal(t, stderrors.Join(causes...).Error(), got.Error(), "a join without message reads like errors.Join")
			}
			if tt.check != nil {
				tt.check(t, got)
			}
			b := jsonAssertStable(t, got)
			for _, want := range tt.wantJSON {
				assert.Contains(t, string(b), want)
			}
		})
	}
}

// jsonBranches returns the causes of a multi-cause error, or nil.
func jsonBranches(err error) []error {
	if m, ok := err.(interface{ Unwrap() []error }); ok {
		return m.Unwrap()
	}
	return nil
}

// TestJSONMessageLayerFromOlderRelease: a JSON message layer that an
// older release decoded and sent on in the protobuf form (an opaque
// wrapper of family json.message) still encodes to JSON as it came.
func TestJSONMessageLayerFromOlderRelease(t *testing.T) {
	t.Parallel()
	mark := errorspb.ErrorTypeMark{FamilyName: "github.com/errcode/errcode/json.message"}
	leaf := errorspb.EncodedError{Error: &errorspb.EncodedError_Leaf{Leaf: &errorspb.EncodedErrorLeaf{
		Message: "inner", Details: errorspb.EncodedErrorDetails{OriginalTypeName: mark.FamilyName, ErrorTypeMark: mark}}}}
	for _, tt := range []struct {
		desc     string
		give     *errorspb.EncodedWrapper
		wantMsg  string
		wantJSON string
	}{
		{"prefix", &errorspb.EncodedWrapper{Cause: leaf, Message: "p"}, "p: inner", `{"kind":"message","message":"p"}`},
		{"empty", &errorspb.EncodedWrapper{Cause: leaf}, "inner", `[{"kind":"message"},`},
		{"owned", &errorspb.EncodedWrapper{Cause: leaf, Message: "whole", MessageType: errorspb.MessageType_FULL_MESSAGE},
			"whole", `{"kind":"message","message":"whole","owns_message":true}`},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			w := *tt.give
			w.Details = errorspb.EncodedErrorDetails{OriginalTypeName: mark.FamilyName, ErrorTypeMark: mark}
			b, err := (&errorspb.EncodedError{Error: &errorspb.EncodedError_Wrapper{Wrapper: &w}}).Marshal()
			require.NoError(t, err)
			got, err := errcode.Decode(b)
			require.NoError(t, err)
			assert.Equal(t, tt.wantMsg, got.Error())
			j := jsonAssertStable(t, got)
			assert.Contains(t, string(j), tt.wantJSON)
		})
	}
}
