package errcode_test

import (
	"bytes"
	"encoding/json"
	stderrors "errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

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
	capacityGroup := map[string]any{
		"message": "pool full", "code": "VmCapacityError", "codes": []any{"VmCapacityError"}, "retry": "transient",
		"retry_after": "1s", "fields": map[string]any{"pool": "default", "waiting": float64(3)},
	}
	tests := []struct {
		desc string
		give any
		want map[string]any
	}{
		{desc: "coded leaf", give: capacity, want: capacityGroup},
		{
			desc: "coded wrapper over a permanent leaf",
			give: errcode.SandboxError.Wrap(errcode.VmConfigError.New("bad vcpus", "vcpus", 0), "start", "vm", "vm-1"),
			want: map[string]any{
				"message": "start: bad vcpus", "code": "SandboxError", "codes": []any{"SandboxError", "VmConfigError"},
				"retry": "permanent", "fields": map[string]any{"vcpus": float64(0), "vm": "vm-1"},
			},
		},
		{
			desc: "outer field wins",
			give: errcode.SandboxError.Wrap(errcode.VmConfigError.New("bad", "vm", "inner", "vcpus", 0), "start", "vm", "outer"),
			want: map[string]any{
				"message": "start: bad", "code": "SandboxError", "codes": []any{"SandboxError", "VmConfigError"},
				"retry": "permanent", "fields": map[string]any{"vcpus": float64(0), "vm": "outer"},
			},
		},
		{
			desc: "WithRetry outermost",
			give: errcode.WithRetry(errcode.VmConfigError.New("bad"), errcode.Transient),
			want: map[string]any{"message": "bad", "code": "VmConfigError", "codes": []any{"VmConfigError"}, "retry": "transient"},
		},
		{
			desc: "WithRetryAfter outermost",
			give: errcode.WithRetryAfter(errcode.VmConfigError.New("bad"), 1500*time.Millisecond),
			want: map[string]any{
				"message": "bad", "code": "VmConfigError", "codes": []any{"VmConfigError"},
				"retry": "permanent", "retry_after": "1.5s",
			},
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
				"message": "outer: pool full", "code": "VmCapacityError", "codes": []any{"VmCapacityError"}, "retry": "transient",
				"retry_after": "1s", "fields": map[string]any{"pool": "default", "waiting": float64(3)},
			},
		},
		{
			desc: "LogValue of a mark and a bare Code",
			give: errcode.LogValue(errors.Mark(fmt.Errorf("x: %w", errcode.VmCapacityError), errcode.VmConfigError)),
			want: map[string]any{
				"message": "x: VmCapacityError", "code": "VmConfigError", "codes": []any{"VmConfigError", "VmCapacityError"},
				"retry": "permanent", "retry_after": "1s",
			},
		},
		{
			desc: "LogValue of a join: codes in tree order",
			give: errcode.LogValue(stderrors.Join(errcode.VmConfigError.New("bad"), errors.Wrap(capacity, "other"))),
			want: map[string]any{
				"message": "bad\nother: pool full", "code": "VmConfigError", "codes": []any{"VmConfigError", "VmCapacityError"},
				"retry": "permanent", "retry_after": "1s", "fields": map[string]any{"pool": "default", "waiting": float64(3)},
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

// TestLogValueWireOnlyCode pins code and codes for a code the receiver
// lacks: code is the receiver's nearest known ancestor (CodeOf), codes
// keeps the sender's name (NameOf).
func TestLogValueWireOnlyCode(t *testing.T) {
	t.Parallel()
	sender := errcode.NewRegistry()
	root := sender.MustRegister("Root", errcode.Code{})
	child := sender.MustRegister("Child", root)
	receiver := errcode.NewRegistry()
	receiver.MustRegister("Root", errcode.Code{})
	b, err := errcode.Encode(root.Wrap(child.New("inner"), "outer"))
	require.NoError(t, err)
	decoded, err := receiver.Decode(b)
	require.NoError(t, err)
	got := logJSON(t, decoded)
	assert.Equal(t, "Root", got["code"], "code = %v; want the receiver's Root", got["code"])
	assert.Equal(t, []any{"Root", "Child"}, got["codes"])

	b, err = errcode.Encode(child.New("inner"))
	require.NoError(t, err)
	decoded, err = receiver.Decode(b)
	require.NoError(t, err)
	got = logJSON(t, decoded)
	assert.Equal(t, "Root", got["code"], "code = %v; want the receiver's Root", got["code"])
	assert.Equal(t, []any{"Child"}, got["codes"], "codes keeps the sender's name")
	assert.Equal(t, "Child", errcode.NameOf(decoded))
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

// nilErr is an error type whose methods panic on a nil pointer.
type nilErr struct{ msg string }

func (e *nilErr) Error() string { return e.msg }

// logReplaced logs kv through slog's JSON handler with replace as its
// ReplaceAttr, and returns the record, parsed, without time and level.
func logReplaced(t *testing.T, replace func([]string, slog.Attr) slog.Attr, kv ...any) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{ReplaceAttr: replace})).Error("failed", kv...)
	var rec map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &rec), buf.String())
	delete(rec, slog.TimeKey)
	delete(rec, slog.LevelKey)
	delete(rec, slog.MessageKey)
	return rec
}

func TestReplaceAttr(t *testing.T) {
	t.Parallel()
	capacity := errcode.VmCapacityError.New("pool full", "pool", "default")
	group := func(msg string) map[string]any {
		return map[string]any{
			"message": msg, "code": "VmCapacityError", "codes": []any{"VmCapacityError"}, "retry": "transient",
			"retry_after": "1s", "fields": map[string]any{"pool": "default"},
		}
	}
	var nilPtr *nilErr
	tests := []struct {
		desc string
		give []any
		want map[string]any
	}{
		{"errcode's own error", []any{"err", capacity}, map[string]any{"err": group("pool full")}},
		{"fmt.Errorf", []any{"err", fmt.Errorf("vm 7: %w", capacity)}, map[string]any{"err": group("vm 7: pool full")}},
		{"cockroachdb's Wrap", []any{"err", errors.Wrap(capacity, "vm 7")}, map[string]any{"err": group("vm 7: pool full")}},
		{"errors.Join", []any{"err", stderrors.Join(capacity)}, map[string]any{"err": group("pool full")}},
		{"inside a group", []any{slog.Group("req", "id", 7, "err", fmt.Errorf("vm 7: %w", capacity))},
			map[string]any{"req": map[string]any{"id": float64(7), "err": group("vm 7: pool full")}}},
		{"README's snippet", []any{"err", fmt.Errorf("vm 7: %w", errcode.SandboxError.Wrap(capacity, "start vm"))},
			map[string]any{"err": map[string]any{
				"message": "vm 7: start vm: pool full", "code": "SandboxError", "codes": []any{"SandboxError", "VmCapacityError"},
				"retry": "transient", "retry_after": "1s", "fields": map[string]any{"pool": "default"},
			}}},
		{"a plain error", []any{"err", io.EOF}, map[string]any{"err": map[string]any{"message": "EOF", "retry": "unspecified"}}},
		{"not an error", []any{"s", "text", "n", 3}, map[string]any{"s": "text", "n": float64(3)}},
		{"nil", []any{"err", error(nil)}, map[string]any{"err": nil}},
		{"nil pointer", []any{"err", nilPtr}, map[string]any{"err": "<nil>"}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, logReplaced(t, errcode.ReplaceAttr, tt.give...))
			assert.Equal(t, tt.want, logReplaced(t, errcode.ReplaceAttrThen(nil), tt.give...), "ReplaceAttrThen(nil)")
		})
	}
}

func TestReplaceAttrThen(t *testing.T) {
	t.Parallel()
	var seen []string
	var mu sync.Mutex
	next := func(groups []string, a slog.Attr) slog.Attr {
		mu.Lock()
		seen = append(seen, fmt.Sprintf("%v %s", groups, a.Key))
		mu.Unlock()
		switch a.Key {
		case "secret":
			return slog.Attr{}
		case "made":
			return slog.Any(a.Key, errcode.VmConfigError.New("made by next"))
		}
		return a
	}
	err := fmt.Errorf("vm 7: %w", errcode.VmConfigError.New("bad", "vcpus", 0))
	got := logReplaced(t, errcode.ReplaceAttrThen(next), "err", err, "secret", "x", "made", "y")
	assert.Equal(t, map[string]any{
		"err": map[string]any{
			"message": "vm 7: bad", "code": "VmConfigError", "codes": []any{"VmConfigError"},
			"retry": "permanent", "fields": map[string]any{"vcpus": float64(0)},
		},
		"made": map[string]any{"message": "made by next", "code": "VmConfigError", "codes": []any{"VmConfigError"}, "retry": "permanent"},
	}, got)
	assert.NotContains(t, seen, "[] err", "next saw the error itself")
	assert.Contains(t, seen, "[err] message", "next did not see the group's members")
	assert.Contains(t, seen, "[err fields] vcpus")
	assert.Contains(t, seen, "[] secret")
}
