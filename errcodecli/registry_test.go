package errcodecli

import (
	"bytes"
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
)

// ownRegistry returns a program's own catalog, which Default lacks, and
// an error of one of its codes in either wire form.
func ownRegistry(tb testing.TB) (r *errcode.Registry, pb, js []byte) {
	tb.Helper()
	r = errcode.NewRegistry()
	store := r.MustRegister("StoreError", errcode.Code{}, errcode.Doc("the store failed"))
	busy := r.MustRegister("StoreBusyError", store, errcode.Transient, errcode.Stackless())
	err := busy.New("busy")
	pb, encErr := errcode.Encode(err)
	require.NoError(tb, encErr)
	js, encErr = errcode.EncodeJSON(err)
	require.NoError(tb, encErr)
	return r, pb, js
}

func runWith(r *errcode.Registry, stdin []byte, args ...string) (stdout, stderr string, status int) {
	var out, errOut bytes.Buffer
	status = Main(r, args, bytes.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), status
}

// TestMainOwnRegistry runs every command over a registry other than
// Default: its codes are the ones shown, documented and known when
// decoding.
func TestMainOwnRegistry(t *testing.T) {
	t.Parallel()
	own, pb, js := ownRegistry(t)
	tests := []struct {
		desc         string
		giveReg      *errcode.Registry
		giveArgs     []string
		giveStdin    []byte
		wantStatus   int
		wantContains []string
		wantMissing  []string
	}{
		{"tree", own, nil, nil, 0, []string{"StoreError", "└── StoreBusyError"}, []string{"SandboxError"}},
		{"tree --json", own, []string{"--json"}, nil, 0, []string{`"StoreBusyError"`}, []string{"SandboxError"}},
		{"show", own, []string{"show", "StoreBusyError"}, nil, 0, []string{"StoreBusyError", "StoreError"}, nil},
		{"show, Default lacks it", errcode.Default, []string{"show", "StoreBusyError"}, nil, 1, nil, nil},
		{"show, own lacks Default's", own, []string{"show", "VmError"}, nil, 1, nil, nil},
		{"docs", own, []string{"docs"}, nil, 0, []string{"| `StoreBusyError` | `StoreError` |", "from a registry of"}, []string{"Default registry", "codes.go", "SandboxError"}},
		{"docs, Default", errcode.Default, []string{"docs"}, nil, 0, []string{"from the Default registry of", "(see codes.go)"}, nil},
		{"decode protobuf", own, []string{"decode"}, []byte(base64.StdEncoding.EncodeToString(pb)), 0, []string{"StoreBusyError (known)", "StoreError"}, []string{"not in this build"}},
		{"decode JSON", own, []string{"decode"}, js, 0, []string{"StoreBusyError (known)"}, []string{"not in this build"}},
		{"decode JSON, Default lacks it", errcode.Default, []string{"decode"}, js, 0, []string{"StoreBusyError (not in this build"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, status := runWith(tt.giveReg, tt.giveStdin, tt.giveArgs...)
			require.Equal(t, tt.wantStatus, status, "Main(%q) = %d; want %d; stderr: %s", tt.giveArgs, status, tt.wantStatus, stderr)
			for _, s := range tt.wantContains {
				assert.Contains(t, stdout, s)
			}
			for _, s := range tt.wantMissing {
				assert.NotContains(t, stdout, s)
			}
		})
	}
}

func TestMainNilRegistry(t *testing.T) {
	t.Parallel()
	assert.PanicsWithValue(t, "errcodecli: Main called with a nil Registry", func() { runWith(nil, nil) })
}
