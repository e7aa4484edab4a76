package errcode_test

import (
	stderrors "errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
)

// codeSpec is a code as the wire names it: its name, its parent (its
// only ancestor) and its retry decision.
type codeSpec struct {
	name, parent string
	retry        errcode.Retry
}

// code registers s, Stackless, in a registry of its own: two calls give
// codes of different registries that the wire names alike.
func (s codeSpec) code() errcode.Code {
	r := errcode.NewRegistry()
	var parent errcode.Code
	if s.parent != "" {
		parent = r.MustRegister(s.parent, errcode.Code{}, errcode.Stackless())
	}
	opts := []errcode.Option{errcode.Stackless()}
	if s.retry != errcode.Unspecified {
		opts = append(opts, s.retry)
	}
	return r.MustRegister(s.name, parent, opts...)
}

// json is a chain of one coded leaf of s, as a peer writes it.
func (s codeSpec) json() string {
	anc := ""
	if s.parent != "" {
		anc = `"` + s.parent + `"`
	}
	return fmt.Sprintf(`[{"code": %q, "ancestors": [%s], "retry": %q, "message": "d"}]`, s.name, anc, s.retry)
}

// denseCodes returns k specs of distinct names (D00, D01, …), all of
// the same length.
func denseCodes(k int) []codeSpec {
	specs := make([]codeSpec, k)
	for i := range specs {
		specs[i] = codeSpec{name: fmt.Sprintf("D%02d", i)}
	}
	return specs
}

// densePad is the message of the layer over a dense join: pad bytes of
// padding, to move its size to the code budget wanted.
func densePad(pad int) string { return "dense" + strings.Repeat("p", pad) }

// codeJoin returns a join of one coded leaf of each spec, under a
// message layer of densePad(pad).
func codeJoin(pad int, specs []codeSpec) error {
	errs := make([]error, len(specs))
	for i, s := range specs {
		errs[i] = s.code().New("d")
	}
	return fmt.Errorf("%s: %w", densePad(pad), stderrors.Join(errs...))
}

// codeJoinJSON is codeJoin(pad, specs) as a peer writes it.
func codeJoinJSON(pad int, specs []codeSpec) []byte {
	causes := make([]string, len(specs))
	for i, s := range specs {
		causes[i] = s.json()
	}
	return []byte(jsonOfLayers(`{"message": "`+densePad(pad)+`"}`,
		`{"kind": "join", "causes": [`+strings.Join(causes, ", ")+`]}`))
}

// codeBytes is the code density limit's bytes per code: an encoded error
// may name one more distinct code for every codeBytes bytes (WIRE.md's
// 16 + n/1024), found from errcode.CodeBudget.
var codeBytes = func() int {
	n := 1
	for errcode.CodeBudget(n) == errcode.CodeBudget(0) {
		n++
	}
	return n
}()

// atCodeBudget returns the fewest codes k and the padding pad for which
// an error of size(k, pad) bytes may name exactly k distinct codes, and
// one of size(k+1, pad) bytes still k: the boundary of the code density
// limit, for errors that grow with the codes they name.
func atCodeBudget(t testing.TB, size func(k, pad int) int) (k, pad int) {
	t.Helper()
	for k = errcode.CodeBudget(0); k < 64; k++ {
		for pad = 0; ; {
			n := size(k, pad)
			b := errcode.CodeBudget(n)
			if b > k {
				break // k codes are too few for this size: try more
			}
			if b < k {
				pad += max(1, (k-errcode.CodeBudget(0))*codeBytes-n)
				continue
			}
			if errcode.CodeBudget(size(k+1, pad)) == k {
				return k, pad
			}
			break
		}
	}
	t.Fatal("no size sits at the code budget")
	return 0, 0
}

// knowing returns a registry that knows every name of specs, as codes
// of its own (no parent, no retry decision).
func knowing(specs []codeSpec) *errcode.Registry {
	r := errcode.NewRegistry()
	for _, s := range specs {
		if _, ok := r.Lookup(s.name); !ok {
			r.MustRegister(s.name, errcode.Code{}, errcode.Stackless())
		}
	}
	return r
}

// codesErr is the refusal of an error of n bytes for naming more distinct
// codes than its size allows.
func codesErr(n int) string {
	return fmt.Sprintf("more than %d distinct codes, the most its %d bytes may hold (16 + 1 per 1024 bytes)", errcode.CodeBudget(n), n)
}

// codeDensityCases returns, for the k of a boundary, pairs of code lists
// of the same encoded size in either form: want names k distinct codes
// (at the budget), past k+1 (one past it), for each way two codes can
// differ on the wire.
func codeDensityCases(k int) []struct {
	desc       string
	want, past []codeSpec
} {
	base := denseCodes(k + 1)
	x := func(parent string, r errcode.Retry) codeSpec { return codeSpec{"XX", parent, r} }
	return []struct {
		desc       string
		want, past []codeSpec
	}{
		// A repeat of D00 in place of the last name.
		{"names", append(base[:k:k], base[0]), base},
		{"retry", append(base[:k-1:k-1], x("", errcode.Transient), x("", errcode.Transient)),
			append(base[:k-1:k-1], x("", errcode.Transient), x("", errcode.Permanent))},
		{"ancestors", append(base[:k-1:k-1], x("PA", errcode.Unspecified), x("PA", errcode.Unspecified)),
			append(base[:k-1:k-1], x("PA", errcode.Unspecified), x("PB", errcode.Unspecified))},
	}
}

// TestCodeDensityProtobuf: an encoded error of n bytes may name at most
// 16 + n/1024 distinct codes, distinct by name, retry decision and
// ancestors as sent; Decode refuses one more, naming the limit, and
// Encode refuses to write it. A receiver that knows the codes counts them
// as one that does not.
func TestCodeDensityProtobuf(t *testing.T) {
	t.Parallel()
	size := func(k, pad int) int { return len(crdbWire(t, codeJoin(pad, denseCodes(k)))) }
	k, pad := atCodeBudget(t, size)
	for _, tt := range codeDensityCases(k) {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			want, past := codeJoin(pad, tt.want), codeJoin(pad, tt.past)
			wantB, pastB := crdbWire(t, want), crdbWire(t, past)
			require.Len(t, pastB, len(wantB), "the pair differs only in what it names")
			require.Equal(t, k, errcode.CodeBudget(len(wantB)), "at the budget")

			got, err := errcode.Decode(wantB)
			require.NoError(t, err, "%d distinct codes in %d bytes", k, len(wantB))
			assert.NotNil(t, got)
			b, err := errcode.Encode(want)
			require.NoError(t, err)
			assert.Equal(t, wantB, b, "Encode writes what cockroachdb writes")

			got, err = errcode.Decode(pastB)
			require.Error(t, err, "%d distinct codes in %d bytes", k+1, len(pastB))
			assert.ErrorContains(t, err, codesErr(len(pastB)))
			assert.Nil(t, got)
			_, err = errcode.Encode(past)
			assert.ErrorContains(t, err, codesErr(len(pastB)), "Encode refuses what Decode refuses")

			known := knowing(tt.past)
			_, err = known.Decode(wantB)
			require.NoError(t, err, "a receiver that knows the codes")
			_, err = known.Decode(pastB)
			assert.ErrorContains(t, err, codesErr(len(pastB)), "a receiver that knows the codes")
		})
	}
}

// TestCodeDensityJSON is TestCodeDensityProtobuf for DecodeJSON, with
// JSON as a peer writes it.
func TestCodeDensityJSON(t *testing.T) {
	t.Parallel()
	size := func(k, pad int) int { return len(codeJoinJSON(pad, denseCodes(k))) }
	k, pad := atCodeBudget(t, size)
	for _, tt := range codeDensityCases(k) {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			wantB, pastB := codeJoinJSON(pad, tt.want), codeJoinJSON(pad, tt.past)
			require.Len(t, pastB, len(wantB), "the pair differs only in what it names")
			require.Equal(t, k, errcode.CodeBudget(len(wantB)), "at the budget")

			got, err := errcode.DecodeJSON(wantB)
			require.NoError(t, err, "%d distinct codes in %d bytes", k, len(wantB))
			assert.NotNil(t, got)

			got, err = errcode.DecodeJSON(pastB)
			require.Error(t, err, "%d distinct codes in %d bytes", k+1, len(pastB))
			assert.ErrorContains(t, err, strings.TrimSuffix(codesErr(len(pastB)), " (16 + 1 per 1024 bytes)"))
			assert.ErrorContains(t, err, "(16 + 1 per 1024 bytes)")
			assert.Nil(t, got)

			known := knowing(tt.past)
			_, err = known.DecodeJSON(wantB)
			require.NoError(t, err, "a receiver that knows the codes")
			_, err = known.DecodeJSON(pastB)
			assert.ErrorContains(t, err, "distinct codes", "a receiver that knows the codes")
		})
	}
}

// TestCodeDensityCountsOnlyDistinctCodes: repeats of one code and layers
// without a code do not count towards the code density limit, in either
// form, however many there are.
func TestCodeDensityCountsOnlyDistinctCodes(t *testing.T) {
	t.Parallel()
	codes := denseCodes(errcode.CodeBudget(0))
	var repeated []codeSpec
	for range 4 {
		repeated = append(repeated, codes...)
	}
	uncoded := func() error {
		errs := make([]error, 0, 3*len(codes))
		for i, c := range codes {
			// Messages of layerPad, for the layer density limit.
			errs = append(errs, errcode.WithFields(c.code().New(layerPad), "i", i), stderrors.New(layerPad),
				errcode.WithRetry(stderrors.New(layerPad), errcode.Transient))
		}
		return stderrors.Join(errs...)
	}
	tests := []struct {
		desc   string
		give   error
		layers int // the layers that would count if more than distinct codes did
	}{
		{"each code 4 times", codeJoin(0, repeated), len(repeated)},
		// Per code: a fields layer over its leaf, a plain leaf, a retry
		// layer over a plain leaf; and the join.
		{"layers without a code", uncoded(), 1 + 5*len(codes)},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			pbB, err := errcode.Encode(tt.give)
			require.NoError(t, err)
			require.Greater(t, tt.layers, errcode.CodeBudget(len(pbB)), "the error must hold more layers than its code budget")
			_, err = errcode.Decode(pbB)
			require.NoError(t, err)

			jsonB, err := errcode.EncodeJSON(tt.give)
			require.NoError(t, err)
			require.Greater(t, tt.layers, errcode.CodeBudget(len(jsonB)), "the error must hold more layers than its code budget")
			_, err = errcode.DecodeJSON(jsonB)
			require.NoError(t, err)
		})
	}
}
