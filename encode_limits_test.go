package errcode_test

import (
	"context"
	stderrors "errors"
	"fmt"
	"strings"
	"testing"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
)

// wrapN returns a chain of n layers: n-1 fmt wrappers over a leaf.
func wrapN(n int) error {
	err := stderrors.New(fat)
	for range n - 1 {
		err = fmt.Errorf(fat+": %w", err)
	}
	return err
}

// fat is a message long enough that a layer carrying it takes the bytes
// an encoded error needs per layer (layerBytes) in either form.
var fat = strings.Repeat("x", layerBytes)

// wrapNJSON is the JSON chain wrapN(n) is sent as.
func wrapNJSON(n int) string {
	return `{"version": 1, "chain": [` + strings.Repeat(`{"message": "`+fat+`"}, `, n-1) + `{"message": "` + fat + `"}]}`
}

// joinN returns a join of n leaves: n+1 layers, each message fat.
func joinN(n int) error {
	errs := make([]error, n)
	for i := range errs {
		errs[i] = stderrors.New(fat)
	}
	return stderrors.Join(errs...)
}

func joinNJSON(n int) string {
	return `{"version": 1, "chain": [{"kind": "join", "causes": [` +
		strings.TrimSuffix(strings.Repeat(`[{"message": "`+fat+`"}], `, n), ", ") + `]}]}`
}

// codeWithAncestors returns a code, in a registry of its own, with n
// ancestors, and their names parent first.
func codeWithAncestors(t *testing.T, n int) (errcode.Code, []string) {
	t.Helper()
	r := errcode.NewRegistry()
	var c errcode.Code
	names := make([]string, 0, n+1)
	for i := range n + 1 {
		c = r.MustRegister(fmt.Sprintf("A%d", i), c)
		names = append(names, c.Name())
	}
	anc := names[:n]
	for i, j := 0, len(anc)-1; i < j; i, j = i+1, j-1 {
		anc[i], anc[j] = anc[j], anc[i]
	}
	return c, anc
}

func ancestorsJSON(c errcode.Code, anc []string) string {
	return `{"version": 1, "chain": [{"code": "` + c.Name() + `", "ancestors": ["` +
		strings.Join(anc, `", "`) + `"], "message": "x"}]}`
}

// TestEncodeRefusesWhatDecodeRefuses checks each limit at its boundary:
// Encode refuses an error exactly when Decode refuses the bytes that
// cockroachdb's EncodeError (which never refuses) writes for it, and
// EncodeJSON exactly when DecodeJSON refuses its JSON form, built by hand.
func TestEncodeRefusesWhatDecodeRefuses(t *testing.T) {
	t.Parallel()
	type tc struct {
		desc        string
		give        func(t *testing.T) (doc string, live error) // the error's JSON form, the error
		wantRefused bool
		wantErr     string
	}
	var tests []tc
	for _, n := range []int{errcode.MaxDepth - 1, errcode.MaxDepth, errcode.MaxDepth + 1} {
		tests = append(tests, tc{
			desc:        fmt.Sprintf("chain of %d layers", n),
			give:        func(*testing.T) (string, error) { return wrapNJSON(n), wrapN(n) },
			wantRefused: n > errcode.MaxDepth, wantErr: "MaxDepth",
		})
	}
	for _, n := range []int{errcode.MaxLayers - 2, errcode.MaxLayers - 1, errcode.MaxLayers} {
		tests = append(tests, tc{
			desc:        fmt.Sprintf("join of %d leaves", n),
			give:        func(*testing.T) (string, error) { return joinNJSON(n), joinN(n) },
			wantRefused: n+1 > errcode.MaxLayers, wantErr: "MaxLayers",
		})
	}
	for _, n := range []int{errcode.MaxDepth, errcode.MaxDepth + 1} {
		tests = append(tests, tc{
			desc: fmt.Sprintf("code with %d ancestors", n),
			give: func(t *testing.T) (string, error) {
				c, anc := codeWithAncestors(t, n)
				return ancestorsJSON(c, anc), c.New("x")
			},
			wantRefused: n > errcode.MaxDepth, wantErr: "ancestors, over MaxDepth",
		})
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			doc, live := tt.give(t)

			enc := crdberrors.EncodeError(context.Background(), live)
			forced, err := enc.Marshal()
			require.NoError(t, err)
			_, decErr := errcode.Decode(forced)
			b, encErr := errcode.Encode(live)
			assert.Equal(t, tt.wantRefused, decErr != nil, "Decode(forced) = %v", decErr)
			assert.Equal(t, tt.wantRefused, encErr != nil, "Encode = %v", encErr)
			if encErr != nil {
				assert.Contains(t, encErr.Error(), tt.wantErr)
			} else {
				assert.Equal(t, forced, b)
			}

			_, decErr = errcode.DecodeJSON([]byte(doc))
			jb, encErr := errcode.EncodeJSON(live)
			assert.Equal(t, tt.wantRefused, decErr != nil, "DecodeJSON(by hand) = %v", decErr)
			assert.Equal(t, tt.wantRefused, encErr != nil, "EncodeJSON = %v", encErr)
			if encErr != nil {
				assert.Contains(t, encErr.Error(), tt.wantErr)
			} else {
				_, err := errcode.DecodeJSON(jb)
				assert.NoError(t, err)
			}
		})
	}
}

// TestEncodeJSONCountsOnlyLayersItSends: layers with no text (hints)
// travel only in the protobuf form, so they do not count against the
// JSON form's MaxDepth.
func TestEncodeJSONCountsOnlyLayersItSends(t *testing.T) {
	t.Parallel()
	err := wrapN(errcode.MaxDepth)
	for range 10 {
		err = crdberrors.WithHint(err, "hint")
	}
	b, encErr := errcode.EncodeJSON(err)
	require.NoError(t, encErr)
	got, decErr := errcode.DecodeJSON(b)
	require.NoError(t, decErr)
	assert.Equal(t, err.Error(), got.Error())

	_, encErr = errcode.Encode(err)
	require.Error(t, encErr, "the protobuf form sends the hints")
	assert.Contains(t, encErr.Error(), "MaxDepth")
}

// TestReencodeDecodedAtLimits: an error decoded at the limits encodes
// again, to the bytes it came with, in both forms.
func TestReencodeDecodedAtLimits(t *testing.T) {
	t.Parallel()
	fields := make([]any, 0, 2*errcode.MaxFields)
	// U+2028, which encoding/json escapes as 6 bytes, counted as its 3.
	fields = append(fields, "sep", strings.Repeat("\u2028", (errcode.MaxFieldSize-2)/3)) // with its quotes
	for i := range errcode.MaxFields - 1 {
		fields = append(fields, fmt.Sprintf("k%03d", i), i)
	}
	deep := any("leaf")
	for range errcode.MaxFieldDepth - 1 {
		deep = []any{deep}
	}
	fields[len(fields)-1] = deep
	live := errcode.VmOverlayError.New("x", fields...)
	for _, f := range []struct {
		name   string
		encode func(error) ([]byte, error)
		decode func([]byte) (error, error)
	}{
		{"protobuf", errcode.Encode, errcode.Decode},
		{"JSON", errcode.EncodeJSON, errcode.DecodeJSON},
	} {
		t.Run(f.name, func(t *testing.T) {
			b, err := f.encode(live)
			require.NoError(t, err)
			got, err := f.decode(b)
			require.NoError(t, err)
			b2, err := f.encode(got)
			require.NoError(t, err)
			assert.Equal(t, string(b), string(b2))
		})
	}
}

// TestReencodeDecodedAtStructureLimits: an error decoded at MaxDepth,
// MaxLayers or with MaxDepth ancestors encodes again to the same bytes.
func TestReencodeDecodedAtStructureLimits(t *testing.T) {
	t.Parallel()
	c, _ := codeWithAncestors(t, errcode.MaxDepth)
	for _, give := range []error{wrapN(errcode.MaxDepth), joinN(errcode.MaxLayers - 1), c.New("x")} {
		b, err := errcode.Encode(give)
		require.NoError(t, err)
		got, err := errcode.Decode(b)
		require.NoError(t, err)
		b2, err := errcode.Encode(got)
		require.NoError(t, err)
		assert.Equal(t, b, b2)

		jb, err := errcode.EncodeJSON(give)
		require.NoError(t, err)
		got, err = errcode.DecodeJSON(jb)
		require.NoError(t, err)
		jb2, err := errcode.EncodeJSON(got)
		require.NoError(t, err)
		assert.Equal(t, string(jb), string(jb2))
	}
}

// TestEncodeRefusesPastLayerDensity: an error of n bytes may hold at most
// min(MaxLayers, 32 + n/128) layers and causes. Encode refuses an error
// exactly when Decode refuses the bytes cockroachdb's EncodeError writes
// for it; a chain of fmt's "%w" wrappers (50 bytes a layer) crosses the
// limit at 52 wrappers.
func TestEncodeRefusesPastLayerDensity(t *testing.T) {
	t.Parallel()
	refused := map[bool]int{}
	for _, n := range []int{10, 40, 50, 51, 52, 53, 100, errcode.MaxDepth - 1} {
		var err error = stderrors.New("x")
		for range n {
			err = fmt.Errorf("%w", err)
		}
		forced := crdbWire(t, err)
		_, decErr := errcode.Decode(forced)
		b, encErr := errcode.Encode(err)
		assert.Equal(t, decErr != nil, encErr != nil, "%d wrappers, %d bytes: Decode(forced) = %v; Encode = %v", n, len(forced), decErr, encErr)
		if encErr != nil {
			assert.ErrorContains(t, encErr, layersErr(forced))
		} else {
			assert.Equal(t, forced, b)
		}
		refused[encErr != nil]++
		assert.Equal(t, n >= 52, encErr != nil, "%d wrappers refused", n)
	}
	assert.Positive(t, refused[true], "no chain was refused")
	assert.Positive(t, refused[false], "every chain was refused")
}
