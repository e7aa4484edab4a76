package errcode_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"

	"github.com/cockroachdb/errors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
)

// logJSON logs err as the attribute "err" through slog's JSON handler and
// returns that attribute, parsed.
func logJSON(t *testing.T, err any) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Error("failed", "err", err)
	var rec map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &rec), buf.String())
	got, ok := rec["err"].(map[string]any)
	require.True(t, ok, "err attribute is not a group: %s", buf.String())
	return got
}

func TestLogValue(t *testing.T) {
	t.Parallel()
	capacity := errcode.VmCapacityError.New("pool full", "pool", "default", "waiting", 3)
	tests := []struct {
		desc string
		give any
		want map[string]any
	}{
		{
			desc: "coded leaf",
			give: capacity,
			want: map[string]any{
				"message": "pool full", "code": "VmCapacityError", "retry": "transient",
				"retry_after": float64(1e9), "fields": map[string]any{"pool": "default", "waiting": float64(3)},
			},
		},
		{
			desc: "coded wrapper over a permanent leaf",
			give: errcode.SandboxError.Wrap(errcode.VmConfigError.New("bad vcpus", "vcpus", 0), "start", "vm", "vm-1"),
			want: map[string]any{
				"message": "start: bad vcpus", "code": "SandboxError", "retry": "permanent",
				"fields": map[string]any{"vcpus": float64(0), "vm": "vm-1"},
			},
		},
		{
			desc: "WithRetry outermost",
			give: errcode.WithRetry(errcode.VmConfigError.New("bad"), errcode.Transient),
			want: map[string]any{"message": "bad", "code": "VmConfigError", "retry": "transient"},
		},
		{
			desc: "WithFields outermost over a plain error",
			give: errcode.WithFields(errors.New("disk full"), "path", "/var"),
			want: map[string]any{"message": "disk full", "retry": "unspecified", "fields": map[string]any{"path": "/var"}},
		},
		{
			desc: "LogValue of an error wrapped by someone else",
			give: errcode.LogValue(fmt.Errorf("outer: %w", capacity)),
			want: map[string]any{
				"message": "outer: pool full", "code": "VmCapacityError", "retry": "transient",
				"retry_after": float64(1e9), "fields": map[string]any{"pool": "default", "waiting": float64(3)},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, logJSON(t, tt.give))
		})
	}
}

func TestLogValueAfterDecode(t *testing.T) {
	t.Parallel()
	err := errcode.NewSocketAuthError("peer is not the sandbox user", 1000, 0)
	data, encErr := errcode.Encode(err)
	require.NoError(t, encErr)
	decoded, decErr := errcode.Decode(data)
	require.NoError(t, decErr)
	assert.Equal(t, logJSON(t, err), logJSON(t, decoded))
}

func TestLogValueNil(t *testing.T) {
	t.Parallel()
	assert.True(t, errcode.LogValue(nil).Equal(slog.Value{}), "LogValue(nil) is not the zero Value")
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("m", "err", errcode.LogValue(nil))
	slog.New(slog.NewJSONHandler(&js, nil)).Info("m", "err", errcode.LogValue(nil))
	assert.Contains(t, text.String(), "err=<nil>")
	assert.Contains(t, js.String(), `"err":null`)
}
