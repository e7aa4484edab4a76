package errcodesentry_test

import (
	"encoding/json"
	"go/build"
	"path/filepath"
	"testing"

	"github.com/getsentry/sentry-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcodesentry"
)

// fromPeer returns the error a peer sends in the JSON form: a
// cockroachdb stack layer over a VmOverlayError, both with the stack
// trace stack, as the sender formatted it.
func fromPeer(t *testing.T, stack string) error {
	t.Helper()
	data, err := json.Marshal(map[string]any{
		"version": 1,
		"chain": []map[string]any{
			{"kind": "stack", "stack": stack},
			{"kind": "coded", "code": "VmOverlayError", "message": "overlay", "retry": "transient",
				"ancestors": []string{"VmTransientError", "TransientError", "SandboxError"}, "stack": stack},
		},
	})
	require.NoError(t, err)
	dec, err := errcode.DecodeJSON(data)
	require.NoError(t, err)
	return dec
}

func TestSenderFrames(t *testing.T) {
	t.Parallel()
	goroot := filepath.Join(build.Default.GOROOT, "src") + string(filepath.Separator)
	tests := []struct {
		desc       string
		giveStack  string
		wantFrames []sentry.Frame // oldest first
	}{
		{
			desc:      "two frames",
			giveStack: "\nmain.start\n\t/src/main.go:42\nmain.main\n\t/src/main.go:10",
			wantFrames: []sentry.Frame{
				{Module: "main", Function: "main", AbsPath: "/src/main.go", Filename: "/src/main.go", Lineno: 10, InApp: true},
				{Module: "main", Function: "start", AbsPath: "/src/main.go", Filename: "/src/main.go", Lineno: 42, InApp: true},
			},
		},
		{
			desc:      "method, unknown frame, no line number",
			giveStack: "\nexample.com/vm.(*Pool).Start\n\t/src/vm/pool.go:7\nunknown\nexample.com/vm.run\n\t/src/vm/run.go\n",
			wantFrames: []sentry.Frame{
				{Module: "example.com/vm", Function: "run", AbsPath: "/src/vm/run.go", Filename: "/src/vm/run.go", InApp: true},
				{Module: "unknown", Function: "unknown", InApp: true},
				{Module: "example.com/vm.(*Pool)", Function: "Start", AbsPath: "/src/vm/pool.go", Filename: "/src/vm/pool.go", Lineno: 7, InApp: true},
			},
		},
		{
			desc:      "GOROOT file",
			giveStack: "\nnet/http.(*conn).serve\n\t" + goroot + "net/http/server.go:2100",
			wantFrames: []sentry.Frame{
				{Module: "net/http.(*conn)", Function: "serve", AbsPath: goroot + "net/http/server.go", Filename: "net/http/server.go", Lineno: 2100, InApp: true},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			ev, _ := errcodesentry.BuildReport(fromPeer(t, tt.giveStack))
			require.Len(t, ev.Exception, 2)
			coded, crdb := ev.Exception[0], ev.Exception[1]
			assert.Equal(t, "VmOverlayError", coded.Type)
			require.NotNil(t, coded.Stacktrace)
			assert.Equal(t, tt.wantFrames, coded.Stacktrace.Frames)
			// The cockroachdb stack layer's frames are parsed by cockroachdb's
			// withstack.GetReportableStackTrace: the same.
			require.NotNil(t, crdb.Stacktrace)
			assert.Equal(t, crdb.Stacktrace.Frames, coded.Stacktrace.Frames)
		})
	}
}

// A coded layer with an empty stack detail, or none, has no frames.
func TestNoSenderStack(t *testing.T) {
	t.Parallel()
	for _, stack := range []string{"", " \n "} {
		data, err := json.Marshal(map[string]any{"version": 1, "chain": []map[string]any{
			{"kind": "coded", "code": "VmOverlayError", "message": "m", "stack": stack}}})
		require.NoError(t, err)
		dec, err := errcode.DecodeJSON(data)
		require.NoError(t, err)
		ev, _ := errcodesentry.BuildReport(dec)
		require.Len(t, ev.Exception, 1)
		assert.Nil(t, ev.Exception[0].Stacktrace, "stack %q", stack)
		assert.Equal(t, "VmOverlayError", ev.Exception[0].Type)
	}
}
