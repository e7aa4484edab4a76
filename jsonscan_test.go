package errcode_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/errcode/errcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jsonDoc returns a JSON error whose chain is the given elements.
func jsonDoc(chain string) []byte {
	return []byte(`{"version":1,"chain":[` + chain + `]}`)
}

// jsonJoin returns a JSON error: a join whose causes are n copies of
// cause.
func jsonJoin(n int, cause string) []byte {
	return jsonDoc(`{"kind":"join","message":"j","causes":[` + repeatJSON(n, cause) + `]}`)
}

// repeatJSON returns n copies of v, separated by commas.
func repeatJSON(n int, v string) string {
	return strings.TrimSuffix(strings.Repeat(v+",", n), ",")
}

// jsonNestedJoins returns a JSON error of n joins, each the only cause
// of the one before, around a message leaf: n+1 layers at depths 0 to n,
// each with a message of msg.
func jsonNestedJoins(n int, msg string) []byte {
	return []byte(`{"version":1,"chain":` +
		strings.Repeat(`[{"kind":"join","message":"`+msg+`","causes":[`, n) + `[{"message":"leaf"}]` + strings.Repeat(`]}]`, n) + `}`)
}

// budgetErr returns the refusal of doc for holding more layers than its
// size allows: 32 and one per 128 bytes.
func budgetErr(doc []byte) string {
	return fmt.Sprintf("more than %d layers, the most %d bytes may hold", errcode.LayerBudget(len(doc)), len(doc))
}

// fatMsg is a message that gives a layer the bytes an encoded error
// needs per layer (layerBytes).
var fatMsg = strings.Repeat("m", layerBytes)

func TestDecodeJSONMaxLayers(t *testing.T) {
	t.Parallel()
	const leaf = `[{"message":"c"}]`
	fatLeaf := `[{"message":"` + fatMsg + `"}]`
	// As many as fit in MaxEncodedSize.
	const many = (errcode.MaxEncodedSize - 64) / 3
	tests := []struct {
		desc    string
		give    []byte
		wantErr string
	}{
		{"MaxLayers layers", jsonJoin(errcode.MaxLayers-1, fatLeaf), ""},
		{"MaxLayers+1 fat layers", jsonJoin(errcode.MaxLayers, fatLeaf), "MaxLayers"},
		{"MaxLayers thin layers", jsonJoin(errcode.MaxLayers-1, leaf), budgetErr(jsonJoin(errcode.MaxLayers-1, leaf))},
		{"MaxLayers+1 layers", jsonJoin(errcode.MaxLayers, leaf), "MaxLayers"},
		{"MaxLayers+1 layers in causes of two layers", jsonJoin(errcode.MaxLayers/2, `[{"message":"a"},{"message":"b"}]`), "MaxLayers"},
		{"MaxLayers+1 layers, spelled CHAIN and Causes", []byte(`{"version":1,"CHAIN":[{"kind":"join","Causes":[` + repeatJSON(errcode.MaxLayers, leaf) + `]}]}`), "MaxLayers"},
		{"MaxLayers+1 layers, names escaped", []byte(`{"version":1,"\u0063hain":[{"kind":"join","caus\u0065s":[` + repeatJSON(errcode.MaxLayers, leaf) + `]}]}`), "MaxLayers"},
		{"a MiB of null layers", jsonDoc(repeatJSON(many, "0")), "MaxDepth"},
		{"a MiB of empty layers", jsonDoc(repeatJSON(many/2, "{}")), "MaxDepth"},
		{"a MiB of empty causes", jsonJoin(many/2, "[]"), "MaxLayers"},
		{"a MiB of null causes", jsonJoin(many, "0"), "MaxLayers"},
		{"a MiB of causes of causes", jsonJoin(many/16, `[{"causes":[[]]}]`), "MaxLayers"},
		{"chain and causes in an unknown member are not layers", []byte(`{"version":1,"x":{"chain":[` + repeatJSON(2*errcode.MaxLayers, "{}") + `],"causes":[[0]]},"chain":[{"message":"m"}]}`), ""},
		{"lists of objects in fields are not layers", jsonDoc(`{"code":"VmCapacityError","message":"m","fields":{"l":[` + repeatJSON(2*errcode.MaxLayers, `{"chain":[0]}`) + `]}}`), ""},
		{"brackets in strings are not structure", jsonDoc(`{"message":"\"]},{\"causes\":[[","code":"VmCapacityError"}`), ""},
		{"MaxDepth layers in a chain", jsonDoc(repeatJSON(errcode.MaxDepth-1, `{"message":"`+fatMsg+`"}`) + `,{"code":"VmCapacityError"}`), ""},
		{"MaxDepth+1 layers in a chain", jsonDoc(repeatJSON(errcode.MaxDepth, `{"message":"`+fatMsg+`"}`) + `,{"code":"VmCapacityError"}`), "MaxDepth"},
		{"MaxDepth thin layers in a chain", jsonDoc(repeatJSON(errcode.MaxDepth-1, `{"message":"m"}`) + `,{"code":"VmCapacityError"}`), budgetErr(jsonDoc(repeatJSON(errcode.MaxDepth-1, `{"message":"m"}`) + `,{"code":"VmCapacityError"}`))},
		{"32 layers in a chain of 143 bytes", jsonDoc(repeatJSON(31, `{}`) + `,{"code":"VmCapacityError"}`), ""},
		{"33 layers in a chain of 146 bytes", jsonDoc(repeatJSON(32, `{}`) + `,{"code":"VmCapacityError"}`), ""},
		{"34 layers in a chain of 149 bytes", jsonDoc(repeatJSON(33, `{}`) + `,{"code":"VmCapacityError"}`), "more than 33 layers, the most 149 bytes may hold (MaxLayers (1024), or 32 and one per 128 bytes when fewer)"},
		{"joins nested to MaxDepth", jsonNestedJoins(errcode.MaxDepth-1, fatMsg), ""},
		{"joins nested past MaxDepth", jsonNestedJoins(errcode.MaxDepth, fatMsg), "MaxDepth"},
		{"thin joins nested to MaxDepth", jsonNestedJoins(errcode.MaxDepth-1, ""), "layers, the most"},
		{"joins nested a MiB deep", jsonNestedJoins(many/16, ""), "MaxDepth"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			require.LessOrEqual(t, len(tt.give), errcode.MaxEncodedSize)
			got, err := errcode.DecodeJSON(tt.give)
			if tt.wantErr == "" {
				require.NoError(t, err)
				assert.NotNil(t, got)
				return
			}
			require.Error(t, err, "DecodeJSON = %v; want an error", got)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.Nil(t, got)
		})
	}
}

// TestDecodeJSONLayersUnallocated checks that layers past MaxLayers are
// refused before they are unmarshalled: a MiB of empty layers would
// take a jsonLayer each. Not parallel: it reads the process's
// allocation count.
func TestDecodeJSONLayersUnallocated(t *testing.T) {
	give := jsonJoin((errcode.MaxEncodedSize-64)/3, "{}")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := errcode.DecodeJSON(give)
	runtime.ReadMemStats(&after)
	require.ErrorContains(t, err, "MaxLayers")
	allocated := after.TotalAlloc - before.TotalAlloc
	assert.Less(t, allocated, uint64(len(give)), "DecodeJSON of %d bytes allocated %d bytes; want fewer than the input", len(give), allocated)
}
