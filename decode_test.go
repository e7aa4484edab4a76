package errcode_test

import (
	"bytes"
	"context"
	stderrors "errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/cockroachdb/errors/errbase"
	"github.com/cockroachdb/errors/errorspb"
	"github.com/cockroachdb/redact"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/errcode/errcode"
)

// The families of errcode's own types, as cockroachdb names them on the
// wire (package path, "/", the Go type).
const (
	famCoded  = "github.com/errcode/errcode/*errcode.codedErr"
	famCode   = "github.com/errcode/errcode/errcode.Code"
	famRetry  = "github.com/errcode/errcode/*errcode.withRetry"
	famFields = "github.com/errcode/errcode/*errcode.withFields"
	famHole   = "github.com/errcode/errcode/errcode.causeHole"
	urlBytes  = "type.googleapis.com/google.protobuf.BytesValue"
)

// pbDetails returns an EncodedErrorDetails of the family, with the safe
// details and, when anyMsg is not nil, full_details anyMsg.
func pbDetails(family string, anyMsg []byte, details ...string) []byte {
	b := pb(nil, 2, pb(nil, 1, []byte(family)))
	for _, d := range details {
		b = pb(b, 3, []byte(d))
	}
	if anyMsg != nil {
		b = pb(b, 4, anyMsg)
	}
	return b
}

// pbVarint appends a varint field to b.
func pbVarint(b []byte, num protowire.Number, v uint64) []byte {
	return protowire.AppendVarint(protowire.AppendTag(b, num, protowire.VarintType), v)
}

// pbLeaf returns an EncodedError leaf with the message, details and causes.
func pbLeaf(msg string, details []byte, causes ...[]byte) []byte {
	b := pb(pb(nil, 1, []byte(msg)), 2, details)
	for _, c := range causes {
		b = pb(b, 3, c)
	}
	return pb(nil, 1, b)
}

// pbWrap returns an EncodedError wrapper of cause with the message and
// details.
func pbWrap(cause []byte, msg string, details []byte) []byte {
	return pb(nil, 2, pb(pb(pb(nil, 1, cause), 2, []byte(msg)), 3, details))
}

// crdbWire returns err as cockroachdb's EncodeError writes it.
func crdbWire(t testing.TB, err error) []byte {
	t.Helper()
	enc := crdberrors.EncodeError(context.Background(), err)
	b, merr := enc.Marshal()
	require.NoError(t, merr)
	return b
}

// decodeDiffInputs returns encoded errors of every kind Decode reads
// itself or hands to cockroachdb, and crafted ones that make errcode's
// decoders and cockroachdb's fall back.
func decodeDiffInputs(t testing.TB) map[string][]byte {
	t.Helper()
	in := map[string][]byte{}
	for i, err := range fuzzSeedErrors() {
		b, eerr := errcode.Encode(err)
		require.NoError(t, eerr)
		in[fmt.Sprintf("seed %d: %v", i, err)] = b
	}
	coded := errcode.VmCapacityError.New("pool full", "pool", "p")
	for desc, err := range map[string]error{
		"errcode over cockroachdb over errcode": errcode.SandboxError.Wrap(crdberrors.Wrap(coded, "crdb"), "outer"),
		"cockroachdb over errcode":              crdberrors.WithDetail(crdberrors.Wrapf(coded, "w %d", 1), "d"),
		"secondary error":                       crdberrors.WithSecondaryError(coded, errcode.VmConfigError.New("second")),
		"join of errcode and cockroachdb":       stderrors.Join(coded, crdberrors.New("plain"), fmt.Errorf("f: %w", errcode.SandboxError)),
		"cockroachdb join":                      crdberrors.Join(coded, errcode.WithRetry(crdberrors.New("x"), errcode.Permanent)),
		"barrier":                               crdberrors.Handled(errcode.SandboxError.Wrap(coded, "handled")),
		"mark":                                  crdberrors.Mark(coded, crdberrors.New("ref")),
		"domain, telemetry, issue":              crdberrors.WithDomain(crdberrors.WithTelemetry(crdberrors.WithIssueLink(coded, crdberrors.IssueLink{IssueURL: "u"}), "k"), "dom"),
		"assertion":                             crdberrors.NewAssertionErrorWithWrappedErrf(coded, "bad %s", "thing"),
		"status and retry-after":                errcode.WithGRPCCode(errcode.WithRetryAfter(errcode.WithHTTPStatus(coded, 503), 2e9), 14),
	} {
		in[desc] = crdbWire(t, err)
	}
	unknown := unknownPayloads(3)
	enc, err := unknown.Marshal()
	require.NoError(t, err)
	in["unknown payload types"] = enc

	codedDetails := []string{"code=VmCapacityError", "retry=transient", "ancestors=VmTransientError TransientError SandboxError"}
	bytesValue := func(v []byte) []byte { return pbAny(urlBytes, pb(nil, 1, v)) }
	plain := pbLeaf("plain", pbDetails("errors/*errors.errorString", nil))
	for desc, b := range map[string][]byte{
		"coded leaf":                            pbLeaf("m", pbDetails(famCoded, nil, codedDetails...)),
		"coded leaf with causes":                pbLeaf("m", pbDetails(famCoded, nil, codedDetails...), plain, plain),
		"bad coded leaf with causes":            pbLeaf("m", pbDetails(famCoded, nil, "retry=often"), plain, pbLeaf("", pbDetails(famRetry, nil))),
		"bad coded wrapper":                     pbWrap(plain, "m", pbDetails(famCoded, nil, "code=", "retry=transient")),
		"coded, fields in a BytesValue":         pbLeaf("m", pbDetails(famCoded, bytesValue([]byte(`{"fields":{"a":1}}`)), codedDetails...)),
		"coded, an empty BytesValue":            pbLeaf("m", pbDetails(famCoded, pbAny(urlBytes, pb(nil, 1, nil)), codedDetails...)),
		"coded, a BytesValue without value":     pbLeaf("m", pbDetails(famCoded, pbAny(urlBytes, []byte{}), codedDetails...)),
		"coded, a BytesValue of the wrong type": pbLeaf("m", pbDetails(famCoded, pbAny(urlBytes, pbVarint(nil, 1, 1)), codedDetails...)),
		"coded, a payload without a type":       pbLeaf("m", pbDetails(famCoded, pbAny("", pb(nil, 1, []byte("{}"))), codedDetails...)),
		"coded, bad fields":                     pbLeaf("m", pbDetails(famCoded, bytesValue([]byte(`{"fields":[]}`)), codedDetails...)),
		"fields wrapper":                        pbWrap(plain, "", pbDetails(famFields, bytesValue([]byte(`{"fields":{"k":"v"}}`)))),
		"retry wrapper without a decision":      pbWrap(plain, "", pbDetails(famRetry, nil)),
		"retry wrapper with a payload":          pbWrap(plain, "", pbDetails(famRetry, pbAny(urlEncodedError, plain), "retry=permanent")),
		"retry family as a leaf":                pbLeaf("r", pbDetails(famRetry, nil, "retry=permanent"), plain),
		"code family as a wrapper":              pbWrap(plain, "c", pbDetails(famCode, nil, codedDetails...)),
		"a hole":                                pbLeaf("h", pbDetails(famHole, nil)),
		"a hole under a coded wrapper":          pbWrap(pbLeaf("h", pbDetails(famHole, nil)), "m", pbDetails(famCoded, nil, codedDetails...)),
		"a hole in a payload":                   pbWrap(plain, "m", pbDetails("peer/x", pbAny(urlEncodedError, pbLeaf("", pbDetails(famHole, nil))))),
		"a foreign wrapper owning its message":  pb(nil, 2, pbVarint(pb(pb(pb(nil, 1, plain), 2, []byte("all")), 3, pbDetails("peer/w", nil)), 4, 1)),
		"a foreign wrapper, message type 2^40":  pb(nil, 2, pbVarint(pb(pb(pb(nil, 1, plain), 2, []byte("all")), 3, pbDetails("peer/w", nil)), 4, 1<<40|1)),
		"a foreign leaf with causes":            pbLeaf("j", pbDetails("peer/j", nil, "d1"), pbLeaf("m", pbDetails(famCoded, nil, codedDetails...)), plain),
		"message given twice":                   pb(nil, 1, pb(pb(pb(nil, 1, []byte("first")), 1, []byte("second")), 2, pbDetails(famCoded, nil, codedDetails...))),
		"unknown fields":                        pb(nil, 1, pb(pb(pb(nil, 1, []byte("m")), 2, pbDetails(famCoded, nil, codedDetails...)), 9, []byte("x"))),
		"wrong wire type for a message":         pb(nil, 1, pbVarint(pb(nil, 2, pbDetails(famCoded, nil, codedDetails...)), 1, 5)),
		"wrong wire type for message_type":      pb(nil, 2, pb(pb(pb(nil, 1, plain), 3, pbDetails("peer/w", nil)), 4, nil)),
		"wrong wire type in a payload error":    pbWrap(plain, "m", pbDetails("peer/x", pbAny(urlEncodedError, pbVarint(nil, 1, 1)))),
	} {
		in[desc] = b
	}
	return in
}

// checkDecodesAsCockroach checks that Decode answers for data as
// cockroachdb's Unmarshal and DecodeError of the whole tree do, after the
// same checks.
func checkDecodesAsCockroach(t *testing.T, data []byte) {
	t.Helper()
	got, err := errcode.Decode(data)
	want, wantErr := errcode.DecodeViaCockroach(errcode.Default, data)
	if wantErr != nil || err != nil {
		require.Errorf(t, err, "Decode accepted what cockroachdb refuses: %v", wantErr)
		require.Errorf(t, wantErr, "Decode refused what cockroachdb accepts: %v", err)
		assert.Nil(t, got)
		if !strings.Contains(wantErr.Error(), "malformed protobuf") {
			assert.Equal(t, wantErr.Error(), err.Error())
		}
		return
	}
	require.NotNil(t, got)
	wb, werr := errcode.Encode(want)
	gb, gerr := errcode.Encode(got)
	assert.Equal(t, werr, gerr, "Encode's refusal")
	// Decode makes fmt.Errorf's wrappers real ones (fmtwrap.go), which read
	// and print as the sender's did, not as cockroachdb's opaque layer:
	// TestDecodeFmtWrapper and FuzzRoundTrip hold their text to the
	// sender's.
	if !bytes.Contains(data, []byte("fmt/*fmt.wrapError")) {
		assert.Equal(t, want.Error(), got.Error(), "Error()")
		assert.Equal(t, fmt.Sprintf("%+v", want), fmt.Sprintf("%+v", got), "%+v")
		assert.Equal(t, string(redact.Sprint(want)), string(redact.Sprint(got)), "redacted")
		assert.Equal(t, crdbWire(t, want), crdbWire(t, got), "cockroachdb's encoding")
		assert.Equal(t, wb, gb, "Encode")
	}
	assert.Equal(t, crdberrors.GetAllSafeDetails(want), crdberrors.GetAllSafeDetails(got), "safe details")
	assert.Equal(t, errcode.CodeOf(want), errcode.CodeOf(got), "CodeOf")
	assert.Equal(t, errcode.NameOf(want), errcode.NameOf(got), "NameOf")
	assert.Equal(t, errcode.RetryOf(want), errcode.RetryOf(got), "RetryOf")
	assert.Equal(t, errcode.RetryAfterOf(want), errcode.RetryAfterOf(got), "RetryAfterOf")
	assert.Equal(t, fmt.Sprint(errcode.Fields(want)), fmt.Sprint(errcode.Fields(got)), "Fields")
	for _, c := range []errcode.Code{errcode.SandboxError, errcode.TransientError, errcode.VmCapacityError} {
		assert.Equal(t, errcode.Is(want, c), errcode.Is(got, c), "Is(%v)", c)
	}
}

func TestDecodeAnswersAsCockroach(t *testing.T) {
	t.Parallel()
	for desc, data := range decodeDiffInputs(t) {
		t.Run(desc, func(t *testing.T) {
			t.Parallel()
			checkDecodesAsCockroach(t, data)
		})
	}
}

// FuzzDecodeAsCockroach holds Decode, which reads the protobuf itself, to
// the answers of cockroachdb's Unmarshal and DecodeError, on any input.
func FuzzDecodeAsCockroach(f *testing.F) {
	for _, b := range decodeDiffInputs(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecodesAsCockroach(t, data)
	})
}

// TestDecodeHoleOutsideDecode: the leaf that stands for a cause inside
// Decode is, in any other decode, a type without a decoder: an opaque
// leaf that keeps what it came with.
func TestDecodeHoleOutsideDecode(t *testing.T) {
	t.Parallel()
	var enc errorspb.EncodedError
	require.NoError(t, enc.Unmarshal(pbLeaf("h", pbDetails(famHole, nil, "d"))))
	for _, ctx := range []context.Context{context.Background(), errcode.WithRegistry(context.Background(), errcode.NewRegistry())} {
		got := errbase.DecodeError(ctx, enc)
		require.NotNil(t, got)
		assert.Equal(t, "h", got.Error())
		assert.Equal(t, []string{"d"}, errbase.GetSafeDetails(got).SafeDetails)
		assert.Equal(t, enc, errbase.EncodeError(ctx, got))
	}
}

// TestDecodeConcurrent decodes mixed chains from many goroutines at once:
// a Decode keeps its state to itself (run with -race).
func TestDecodeConcurrent(t *testing.T) {
	t.Parallel()
	r := errcode.NewRegistry()
	c := r.MustRegister("OwnError", errcode.Code{}, errcode.Transient)
	data := crdbWire(t, c.Wrap(crdberrors.Wrap(stderrors.Join(c.New("a"), crdberrors.New("b")), "w"), "outer", "k", 1))
	want, err := r.Decode(data)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				got, err := r.Decode(data)
				if assert.NoError(t, err) {
					assert.Equal(t, want.Error(), got.Error())
					assert.True(t, errcode.Is(got, c))
				}
			}
		})
	}
	wg.Wait()
}

// TestDecodeKeepsNoViewOfTheInput: what Decode keeps of a layer's strings is
// copied from the input, not the caller's buffer, which the caller may
// reuse.
func TestDecodeKeepsNoViewOfTheInput(t *testing.T) {
	t.Parallel()
	data, err := errcode.Encode(errcode.SandboxError.Wrap(errcode.VmCapacityError.New("leaf"), "outer"))
	require.NoError(t, err)
	got, err := errcode.Decode(data)
	require.NoError(t, err)
	want := got.Error()
	details := fmt.Sprint(crdberrors.GetAllSafeDetails(got))
	for i := range data {
		data[i] = 'X'
	}
	assert.Equal(t, want, got.Error())
	assert.Equal(t, details, fmt.Sprint(crdberrors.GetAllSafeDetails(got)))
}

// TestDecodeAllocs pins what Decode allocates for a chain of errcode's
// layers: the chunk of strings copied from the input, the decoder, the
// slab of safe details,
// and per layer the layer and, for each code not repeated from the layer
// below, its ancestor names; a sixth of what cockroachdb's Unmarshal and
// DecodeError of the same bytes allocate, or less.
func TestDecodeAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("counts allocations")
	}
	leaf := errcode.VmCapacityError.New("leaf")
	data, err := errcode.Encode(errcode.SandboxError.Wrap(errcode.SandboxError.Wrap(errcode.SandboxError.Wrap(leaf, "w1"), "w2"), "w3"))
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := errcode.Decode(data); err != nil {
			t.Fatal(err)
		}
	})
	// 3, 4 layers, VmCapacityError's ancestor names (SandboxError has
	// none, and its repeats are not parsed again).
	assert.LessOrEqual(t, allocs, 8.0, "Decode of 4 coded layers")
	crdb := testing.AllocsPerRun(100, func() {
		var enc errorspb.EncodedError
		if err := enc.Unmarshal(data); err != nil {
			t.Fatal(err)
		}
		_ = crdberrors.DecodeError(context.Background(), enc)
	})
	t.Logf("Decode: %.0f allocs; cockroachdb's Unmarshal and DecodeError: %.0f", allocs, crdb)
	assert.Less(t, allocs, crdb/6, "Decode against cockroachdb")
}

// TestDecodeSharesWireOnlyCodes: the layers of one Decode that carry the
// same details of a code the registry lacks share one code, which
// answers as each would alone; other details make another code.
func TestDecodeSharesWireOnlyCodes(t *testing.T) {
	t.Parallel()
	a := pbLeaf("", pbDetails(famCoded, nil, "code=PeerError", "retry=transient", "ancestors=TransientError SandboxError"))
	aPermanent := pbLeaf("", pbDetails(famCoded, nil, "code=PeerError", "retry=permanent", "ancestors=TransientError SandboxError"))
	got, err := errcode.Decode(pbLeaf("", pbDetails("peer/join", nil), a, a, aPermanent))
	require.NoError(t, err)
	var codes []errcode.Code
	for _, c := range errbase.UnwrapMulti(got) {
		codes = append(codes, errcode.LayerCode(c))
		assert.Equal(t, errcode.TransientError, errcode.CodeOf(c))
		assert.Equal(t, "PeerError", errcode.NameOf(c))
		assert.True(t, errcode.Is(c, errcode.TransientError))
		assert.Equal(t, []string{"TransientError", "SandboxError"}, errcode.AncestorNamesOf(c))
	}
	require.Len(t, codes, 3)
	assert.Equal(t, codes[0], codes[1], "same details, one code")
	assert.True(t, codes[0].IsA(codes[1]))
	assert.NotEqual(t, codes[0], codes[2], "another retry decision, another code")
	assert.False(t, codes[0].IsA(codes[2]))
	assert.Equal(t, errcode.Transient, errcode.RetryOf(errbase.UnwrapMulti(got)[0]))
	assert.Equal(t, errcode.Permanent, errcode.RetryOf(errbase.UnwrapMulti(got)[2]))
	b, err := errcode.Encode(got)
	require.NoError(t, err)
	again, err := errcode.Decode(b)
	require.NoError(t, err)
	for i, c := range errbase.UnwrapMulti(again) {
		assert.Equal(t, errcode.RetryOf(errbase.UnwrapMulti(got)[i]), errcode.RetryOf(c), "branch %d re-encoded", i)
	}
}

// TestWireOnlyAncestorText: a code the registry lacks keeps the ancestors
// detail as sent, as one string, and gives the names, however the sender
// spaced them, as strings.Fields splits them: in AncestorNamesOf, in
// SafeDetails (spaced by single spaces) and in %+v.
func TestWireOnlyAncestorText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc          string
		give          []string // details after code=PeerError
		wantAncestors []string
		wantDetail    string
		wantIsA       bool // of TransientError
	}{
		{"single spaces", []string{"ancestors=TransientError SandboxError"}, []string{"TransientError", "SandboxError"}, "ancestors=TransientError SandboxError", true},
		{"double space", []string{"ancestors=TransientError  SandboxError"}, []string{"TransientError", "SandboxError"}, "ancestors=TransientError SandboxError", true},
		{"leading and trailing", []string{"ancestors= TransientError SandboxError "}, []string{"TransientError", "SandboxError"}, "ancestors=TransientError SandboxError", true},
		{"tab", []string{"ancestors=TransientError\tSandboxError"}, []string{"TransientError", "SandboxError"}, "ancestors=TransientError SandboxError", true},
		{"no-break space", []string{"ancestors=TransientError\u00a0SandboxError"}, []string{"TransientError", "SandboxError"}, "ancestors=TransientError SandboxError", true},
		{"one name", []string{"ancestors=PeerRoot"}, []string{"PeerRoot"}, "ancestors=PeerRoot", false},
		{"empty", []string{"ancestors="}, nil, "ancestors=", false},
		{"only spaces", []string{"ancestors=  "}, nil, "ancestors=", false},
		{"not sent", nil, nil, "ancestors=", false},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got, err := errcode.Decode(pbLeaf("", pbDetails(famCode, nil, append([]string{"code=PeerError"}, tt.give...)...)))
			require.NoError(t, err)
			c := errcode.LayerCode(got)
			require.Equal(t, "PeerError", c.Name())
			assert.Equal(t, tt.wantIsA, c.IsA(errcode.TransientError), "IsA(TransientError)")
			names := errcode.AncestorNamesOf(got)
			assert.Equal(t, tt.wantAncestors, names, "AncestorNamesOf")
			if len(names) > 0 {
				names[0] = "Changed"
				assert.Equal(t, tt.wantAncestors, errcode.AncestorNamesOf(got), "AncestorNamesOf after its result was changed")
			}
			assert.Contains(t, c.SafeDetails(), tt.wantDetail, "SafeDetails")
			line := "| ancestors: " + strings.TrimPrefix(tt.wantDetail, "ancestors=")
			if tt.wantAncestors == nil {
				assert.NotContains(t, fmt.Sprintf("%+v", c.New("m")), "ancestors:", "%+v")
			} else {
				assert.Contains(t, fmt.Sprintf("%+v", c.New("m")), line, "%+v")
			}
		})
	}
}

// TestDecodeKnownCodeDetails: a coded layer of a code the registry knows
// decodes, or is refused, whatever its details hold, as any other: the
// registry's own ancestry (which Decode recognises without checking each
// name) and anything else alike. The code's answers come from the
// registry; the layer keeps the details it came with.
func TestDecodeKnownCodeDetails(t *testing.T) {
	t.Parallel()
	own := "ancestors=VmTransientError TransientError SandboxError"
	tests := []struct {
		desc    string
		details []string
		wantErr string // a part of Decode's error; "" when it decodes
	}{
		{"its own ancestry", []string{"code=VmCapacityError", "retry=transient", own}, ""},
		{"its own ancestry, no retry", []string{"code=VmCapacityError", own}, ""},
		{"no ancestors", []string{"code=VmCapacityError", "retry=transient"}, ""},
		{"empty ancestors", []string{"code=VmCapacityError", "ancestors="}, ""},
		{"its own ancestry, a trailing space", []string{"code=VmCapacityError", own + " "}, ""},
		{"its own ancestry, double spaced", []string{"code=VmCapacityError", "ancestors=VmTransientError  TransientError SandboxError"}, ""},
		{"a prefix of its ancestry", []string{"code=VmCapacityError", "ancestors=VmTransientError TransientError"}, ""},
		{"its ancestry and one more", []string{"code=VmCapacityError", own + " PeerRoot"}, ""},
		{"another code's ancestry", []string{"code=VmCapacityError", "ancestors=PermanentError SandboxError"}, ""},
		{"an alias", []string{"code=VmError", "ancestors=SandboxError"}, ""},
		{"its own ancestry, parents", []string{"code=VmCapacityError", own, "parents=VmTransientError"}, ""},
		{"its own ancestry, a bad retry", []string{"code=VmCapacityError", "retry=sometimes", own}, "sometimes"},
		{"its own ancestry, bad parents", []string{"code=VmCapacityError", own, "parents=SandboxError"}, "first parent"},
		{"a control character", []string{"code=VmCapacityError", "ancestors=VmTransientError Transient\x01Error SandboxError"}, "control character"},
		{"too many ancestors", []string{"code=VmCapacityError", "ancestors=" + strings.Repeat("A ", errcode.MaxDepth+1)}, "MaxDepth"},
		{"its own ancestry after a bad one", []string{"code=VmCapacityError", "ancestors=\x01", own}, "control character"},
		{"more details than most layers", []string{"code=VmCapacityError", own, "message=safe", "a=1", "", "b=22", "c=333", "d=", "e=5", "f=6", "g=7"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			data := pbLeaf("m", pbDetails(famCoded, nil, tt.details...))
			// Twice in one chain: the second layer's details are bound
			// from what the first one's bound to.
			data = pbWrap(data, "w", pbDetails(famCoded, nil, tt.details...))
			got, err := errcode.Decode(data)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			c, ok := errcode.Default.Lookup(strings.TrimPrefix(tt.details[0], "code="))
			require.True(t, ok)
			assert.Equal(t, c, errcode.CodeOf(got))
			var names []string
			for _, a := range c.Ancestors() {
				names = append(names, a.Name())
			}
			assert.Equal(t, names, errcode.AncestorNamesOf(got))
			assert.Equal(t, c.Retry(), errcode.RetryOf(got))
			assert.Equal(t, tt.details, crdberrors.GetSafeDetails(got).SafeDetails, "the details the layer came with")
		})
	}
}
