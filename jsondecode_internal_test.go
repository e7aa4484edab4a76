package errcode

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cockroachdb/errors/errbase"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jsonDiffPayloads are JSON payloads beside the conformance vectors and
// the fuzz seeds, for TestDecodeJSONLikeEncoded: every layer kind in
// every place, problems found by decoders, refusals in several layers
// at once (the first must win, as before), joins without a message.
var jsonDiffPayloads = []string{
	`{"version":1,"chain":[{"message":"m"}]}`,
	`{"version":1,"chain":[{}]}`,
	`{"version":1,"chain":[{"kind":"stack","stack":"s"},{"kind":"mark","code":"VmCapacityError"},{"message":"m"}]}`,
	`{"version":1,"chain":[{"kind":"stack","stack":"s","message":"t"},{"kind":"mark","code":"VmCapacityError","message":"u","owns_message":true},{"code":"SandboxError","message":"c"}]}`,
	`{"version":1,"chain":[{"kind":"retry","retry":"transient"},{"kind":"retry_after","retry_after":"1s"},{"kind":"status","grpc_code":14,"http_status":503},{"kind":"fields","fields":{"a":1},"field_types":{"a":"int8"},"safe_fields":["a"]},{"kind":"sentinel","code":"VmCapacityError"}]}`,
	`{"version":1,"chain":[{"kind":"novel","message":"n"},{"kind":"novel2","message":"o","owns_message":true},{"kind":"novel3","message":"p","causes":[[{"message":"q"}]]}]}`,
	`{"version":1,"chain":[{"kind":"novel","causes":[[{"message":"q"}],[{"code":"Nope","ancestors":["SandboxError"]}]]}]}`,
	`{"version":1,"chain":[{"message":"w"},{"causes":[[{"message":"a"},{"code":"VmCapacityError","message":"b"}],[{"message":"c","owns_message":true},{"message":"d"}],[{"kind":"sentinel","code":"SandboxError"}],[{"kind":"retry","retry":"permanent"},{"message":""}]]}]}`,
	`{"version":1,"chain":[{"kind":"join","causes":[[{"kind":"join","causes":[[{}],[{"message":"x"}]]}],[{"kind":"stack","stack":"s"},{"message":"y"}]]}]}`,
	`{"version":1,"chain":[{"kind":"join","owns_message":true,"causes":[[{"message":"x"}]]}]}`,
	`{"version":1,"chain":[{"kind":"join","message":"","causes":[[{"message":"x"}],[{"message":"z"}]]}]}`,
	`{"version":1,"chain":[{"code":"SandboxError","message":"m","safe_message":true,"stack":"st","redactable_message":"‹m›","fields":{"b":[1,2]},"field_types":{"b":"[]int"}}]}`,
	`{"version":1,"chain":[{"code":"Wire","ancestors":["X","SandboxError"],"parents":["X"],"retry":"transient","message":"w"},{"code":"Wire","ancestors":["X","SandboxError"],"parents":["X"],"message":"v"}]}`,
	// Problems the decoders report, several at once.
	`{"version":1,"chain":[{"kind":"retry_after","retry_after":"soon"},{"kind":"retry_after"},{"message":"m"}]}`,
	`{"version":1,"chain":[{"kind":"join","causes":[[{"kind":"retry_after","retry_after":"-1s"},{"message":"a"}],[{"kind":"retry_after","retry_after":"x"},{"message":"b"}]]}]}`,
	// Refusals; where there are several, the first encodeChain meets.
	`{"version":1,"chain":[{"kind":"retry","retry":"often"},{"kind":"retry_after","retry_after":"soon"},{"message":"m"}]}`,
	`{"version":1,"chain":[{"kind":"retry_after","retry_after":"soon"},{"kind":"retry","retry":"often"},{"message":"m"}]}`,
	`{"version":1,"chain":[{"kind":"join","causes":[[{"message":"a"}]]},{"kind":"retry","retry":"often"},{"message":"m"}]}`,
	`{"version":1,"chain":[{"kind":"sentinel","code":"bad name"},{"message":"m"}]}`,
	`{"version":1,"chain":[{"kind":"sentinel","code":"VmCapacityError"},{"message":"m"}]}`,
	`{"version":1,"chain":[{"kind":"join","causes":[[{"message":"a"}],[]]}]}`,
	`{"version":1,"chain":[{"kind":"join","causes":[]}]}`,
	`{"version":1,"chain":[{"kind":"join"}]}`,
	`{"version":1,"chain":[{"kind":"fields","fields":{"a":1}}]}`,
	`{"version":1,"chain":[{"kind":"fields","fields":[1]}]}`,
	`{"version":1,"chain":[{"kind":"fields","field_types":{"a":"int8"}},{"message":"m"}]}`,
	`{"version":1,"chain":[{"kind":"mark","code":""},{"message":"m"}]}`,
	`{"version":1,"chain":[{"kind":"mark","code":"VmCapacityError"}]}`,
	`{"version":1,"chain":[{"kind":"status","grpc_code":99},{"message":"m"}]}`,
	`{"version":1,"chain":[{"kind":"status"},{"message":"m"}]}`,
	`{"version":1,"chain":[{"kind":"join","causes":[[{"kind":"status","grpc_code":99},{"message":"m"}],[{"kind":"retry","retry":"x"},{"message":"m"}]]}]}`,
	`{"version":1,"chain":[{"code":"SandboxError","retry":"never"}]}`,
	`{"version":1,"chain":[{"code":"SandboxError","fields":{"a":300},"field_types":{"a":"int8"}}]}`,
}

// jsonDiffInputs returns the payloads of TestDecodeJSONLikeEncoded: the
// table above, the JSON conformance vectors and the FuzzDecodeJSON seeds.
func jsonDiffInputs(t *testing.T) map[string][]byte {
	t.Helper()
	in := make(map[string][]byte)
	for i, p := range jsonDiffPayloads {
		in[fmt.Sprintf("table %d", i)] = []byte(p)
	}
	files, err := filepath.Glob(filepath.Join("testdata", "conformance", "v1", "*.json"))
	require.NoError(t, err)
	for _, f := range files {
		if filepath.Base(f) == "vectors.json" {
			continue
		}
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		in[f] = b
	}
	seeds, err := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzDecodeJSON", "*"))
	require.NoError(t, err)
	for _, f := range seeds {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		// go test fuzz v1 / []byte("...")
		_, lit, ok := strings.Cut(string(b), "[]byte(")
		require.True(t, ok, "%s: not a []byte seed", f)
		var s string
		_, err = fmt.Sscanf(strings.TrimSuffix(strings.TrimSpace(lit), ")"), "%q", &s)
		require.NoError(t, err, "%s", f)
		in[f] = []byte(s)
	}
	require.Greater(t, len(files), 50, "conformance vectors")
	return in
}

// TestDecodeJSONLikeEncoded: DecodeJSON, which builds the layers itself,
// gives what decoding through cockroachdb's errorspb tree and
// errbase.DecodeError gives (decodeJSONEncoded): the same refusal, or the
// same Go value, deeply, with the same answers and the same bytes
// re-encoded in both forms.
func TestDecodeJSONLikeEncoded(t *testing.T) {
	t.Parallel()
	decoded := 0
	for name, data := range jsonDiffInputs(t) {
		got, gotErr := Default.DecodeJSON(data)
		want, wantErr := wantDecodeJSON(data)
		if wantErr != nil || gotErr != nil {
			require.Error(t, gotErr, "%s: DecodeJSON = %v; want error %v", name, got, wantErr)
			require.Error(t, wantErr, "%s: DecodeJSON error %v; want %v", name, gotErr, want)
			assert.Equal(t, wantErr.Error(), gotErr.Error(), "%s: error", name)
			continue
		}
		decoded++
		assert.True(t, reflect.DeepEqual(want, got), "%s: DecodeJSON = %#v; want %#v", name, got, want)
		assertSameAnswers(t, name, want, got)
	}
	assert.Greater(t, decoded, 30, "payloads decoded")
}

// wantDecodeJSON decodes data as DecodeJSON did before jsonDecoder.
func wantDecodeJSON(data []byte) (error, error) {
	in, err := readJSONForm(data)
	if err != nil {
		return nil, err
	}
	decoded, err := Default.decodeJSONEncoded(in.Chain, len(data))
	if err == nil {
		keepSentRetryAfter(decoded, in.RetryAfter)
	}
	return decoded, err
}

// assertSameAnswers checks that got answers every question as want does.
func assertSameAnswers(t *testing.T, name string, want, got error) {
	t.Helper()
	assert.Equal(t, want.Error(), got.Error(), "%s: Error()", name)
	assert.Equal(t, fmt.Sprintf("%+v", want), fmt.Sprintf("%+v", got), "%s: %%+v", name)
	assert.Equal(t, CodeOf(want), CodeOf(got), "%s: CodeOf", name)
	assert.Equal(t, NameOf(want), NameOf(got), "%s: NameOf", name)
	assert.Equal(t, AncestorNamesOf(want), AncestorNamesOf(got), "%s: AncestorNamesOf", name)
	assert.Equal(t, RetryOf(want), RetryOf(got), "%s: RetryOf", name)
	assert.Equal(t, RetryAfterOf(want), RetryAfterOf(got), "%s: RetryAfterOf", name)
	assert.Equal(t, GRPCCodeOf(want), GRPCCodeOf(got), "%s: GRPCCodeOf", name)
	assert.Equal(t, HTTPStatusOf(want), HTTPStatusOf(got), "%s: HTTPStatusOf", name)
	// %#v, for NaN fields: NaN equals no NaN.
	assert.Equal(t, fmt.Sprintf("%#v", Fields(want)), fmt.Sprintf("%#v", Fields(got)), "%s: Fields", name)
	assert.Equal(t, fmt.Sprintf("%#v", SafeFields(want)), fmt.Sprintf("%#v", SafeFields(got)), "%s: SafeFields", name)
	assert.Equal(t, errbase.GetTypeMark(want), errbase.GetTypeMark(got), "%s: type mark", name)
	for _, c := range Default.Codes() {
		assert.Equal(t, Is(want, c), Is(got, c), "%s: Is(%s)", name, c.Name())
	}
	wj, werr := EncodeJSON(want)
	gj, gerr := EncodeJSON(got)
	assert.Equal(t, werr, gerr, "%s: EncodeJSON error", name)
	assert.Equal(t, string(wj), string(gj), "%s: EncodeJSON", name)
	wp, werr := Encode(want)
	gp, gerr := Encode(got)
	assert.Equal(t, werr, gerr, "%s: Encode error", name)
	assert.Equal(t, wp, gp, "%s: Encode", name)
}
