package errcode_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"testing"

	"github.com/errcode/errcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type namedMap map[string]any

type node struct {
	Name string
	Next *node
}

func TestCyclicFieldValues(t *testing.T) {
	t.Parallel()
	anyMap := map[any]any{}
	anyMap["self"] = anyMap
	strMap := map[string]any{}
	strMap["self"] = strMap
	named := namedMap{}
	named["self"] = named
	slice := []any{nil}
	slice[0] = slice
	loop := &node{Name: "a"}
	loop.Next = &node{Name: "b", Next: loop}
	deep := map[string]any{"a": []any{map[any]any{"b": anyMap}}}
	shared := []int{1, 2}

	tests := []struct {
		desc       string
		give       any
		wantCyclic bool
	}{
		{"map[any]any holding itself", anyMap, true},
		{"map[string]any holding itself", strMap, true},
		{"named map holding itself", named, true},
		{"slice holding itself", slice, true},
		{"pointers around a loop", loop, true},
		{"a loop nested in maps and lists", deep, true},
		{"a value shared twice", map[string]any{"a": shared, "b": shared}, false},
		{"a pointer chain", &node{Name: "a", Next: &node{Name: "b"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			for _, err := range []error{
				errcode.VmConfigError.New("bad", "v", tt.give),
				errcode.WithFields(errcode.VmConfigError.New("bad"), "v", tt.give),
				errcode.VmConfigError.New("bad", slog.Any("v", tt.give)),
			} {
				v, ok := errcode.Field[any](err, "v")
				require.True(t, ok)
				_ = errcode.Fields(err)
				plus := fmt.Sprintf("%+v", err)
				var buf bytes.Buffer
				slog.New(slog.NewJSONHandler(&buf, nil)).Error("x", "err", err)
				slog.New(slog.NewTextHandler(&buf, nil)).Error("x", "err", err)
				_, encErr := errcode.Encode(err)
				_, jsonErr := errcode.EncodeJSON(err)
				if !tt.wantCyclic {
					assert.NoError(t, encErr)
					continue
				}
				assert.Contains(t, fmt.Sprint(v), "!CYCLIC(")
				assert.Contains(t, plus, "!CYCLIC(")
				require.Error(t, encErr)
				assert.Contains(t, encErr.Error(), `field "v"`)
				assert.Contains(t, encErr.Error(), "contains itself")
				require.Error(t, jsonErr)
				assert.Contains(t, jsonErr.Error(), `field "v"`)
			}
		})
	}
}
