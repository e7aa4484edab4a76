package errcode_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/errcode/errcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWithRegistryConcurrent decodes, from many goroutines at once, with
// one context made by WithRegistry: well-formed errors bind to its
// registry, and malformed layers (whose problems the decoders note) stay
// opaque. Run with -race: a context that held per-call state — the
// problems of a decode, which grow with each one — would be written by
// every goroutine.
func TestWithRegistryConcurrent(t *testing.T) {
	t.Parallel()
	r := errcode.NewRegistry()
	root := r.MustRegister("RootError", errcode.Code{}, errcode.Permanent)
	leaf := r.MustRegister("LeafError", root)

	good := crdberrors.EncodeError(context.Background(), leaf.New("good"))
	bad := crdberrors.EncodeError(context.Background(), leaf.New("bad"))
	details := &bad.GetLeaf().Details
	details.ReportablePayload = append([]string{"retry=sometimes"}, details.ReportablePayload[1:]...)

	ctx := errcode.WithRegistry(context.Background(), r)
	const goroutines, decodes = 8, 200
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for i := range decodes {
				enc := good
				if i%2 == 1 {
					enc = bad
				}
				got := crdberrors.DecodeError(ctx, enc)
				if i%2 == 1 {
					assert.True(t, errcode.CodeOf(got).IsZero(), "a malformed layer stays opaque")
					continue
				}
				assert.Equal(t, leaf, errcode.CodeOf(got), "CodeOf")
				assert.Equal(t, errcode.Permanent, errcode.RetryOf(got), "RetryOf")
			}
		})
	}
	wg.Wait()

	// Decode, which makes its own state, still reports the problem.
	b, err := bad.Marshal()
	require.NoError(t, err)
	_, err = r.Decode(b)
	require.ErrorContains(t, err, "sometimes")
}

// slogAttr returns the value of key in LogValue(err)'s group, and "" when
// there is none.
func slogAttr(err error, key string) any {
	for _, a := range errcode.LogValue(err).Group() {
		if a.Key == key {
			return a.Value.Any()
		}
	}
	return nil
}

// jsonTop returns the top-level members of err's JSON form and those of
// its first layer.
func jsonTop(t *testing.T, err error) (top, first map[string]any) {
	t.Helper()
	b, jerr := errcode.EncodeJSON(err)
	require.NoError(t, jerr)
	var doc struct {
		Chain []map[string]any `json:"chain"`
	}
	require.NoError(t, json.Unmarshal(b, &top))
	require.NoError(t, json.Unmarshal(b, &doc))
	return top, doc.Chain[0]
}

// TestWireUnknownCodeRetry: a code the receiver lacks takes its retry
// decision from the wire when the sender gave one, and from its nearest
// known ancestor when the sender gave none or Unspecified — live, and
// after each wire form; re-encoded, it sends what it came with.
func TestWireUnknownCodeRetry(t *testing.T) {
	t.Parallel()
	// A Go peer whose TransientError has no flag: it sends
	// retry=unspecified, explicitly.
	peer := errcode.NewRegistry()
	pSandbox := peer.MustRegister("SandboxError", errcode.Code{})
	pTransient := peer.MustRegister("TransientError", pSandbox)
	pNew := peer.MustRegister("PeerNewError", pTransient)
	pb, err := errcode.Encode(pNew.New("m"))
	require.NoError(t, err)

	tests := []struct {
		desc      string
		give      string // a JSON payload; "" for the Go peer's protobuf
		wantRetry errcode.Retry
		wantCode  errcode.Code
	}{
		{
			desc:      "JSON omits retry",
			give:      `{"version":1,"code":"NewError","message":"m","chain":[{"kind":"coded","code":"NewError","ancestors":["VmTransientError","TransientError","SandboxError"],"message":"m"}]}`,
			wantRetry: errcode.Transient, wantCode: errcode.VmTransientError,
		},
		{
			desc:      "JSON says unspecified",
			give:      `{"version":1,"chain":[{"code":"NewError","ancestors":["VmPermanentError"],"retry":"unspecified","message":"m"}]}`,
			wantRetry: errcode.Permanent, wantCode: errcode.VmPermanentError,
		},
		{
			desc:      "JSON decides against the ancestor",
			give:      `{"version":1,"chain":[{"code":"NewError","ancestors":["VmTransientError"],"retry":"permanent","message":"m"}]}`,
			wantRetry: errcode.Permanent, wantCode: errcode.VmTransientError,
		},
		{
			desc:      "no known ancestor",
			give:      `{"version":1,"chain":[{"code":"NewError","ancestors":["OtherError"],"message":"m"}]}`,
			wantRetry: errcode.Unspecified,
		},
		{
			desc:      "Go peer sends retry=unspecified",
			wantRetry: errcode.Transient, wantCode: errcode.TransientError,
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			var got error
			var derr error
			if tt.give == "" {
				got, derr = errcode.Decode(pb)
			} else {
				got, derr = errcode.DecodeJSON([]byte(tt.give))
			}
			require.NoError(t, derr)
			check := func(t *testing.T, got error) {
				t.Helper()
				assert.Equal(t, tt.wantRetry, errcode.RetryOf(got), "RetryOf")
				assert.Equal(t, tt.wantCode, errcode.CodeOf(got), "CodeOf")
			}
			check(t, got)
			for _, form := range wireForms {
				t.Run(form.name, func(t *testing.T) { check(t, wireRoundTrip(t, form, errcode.Default, got)) })
			}
			if tt.desc == "JSON omits retry" {
				b, err := errcode.EncodeJSON(got)
				require.NoError(t, err)
				assert.JSONEq(t, tt.give, string(b), "re-encoded, it is what it came as")
				assert.Equal(t, tt.give, string(b), "re-encoded, the same bytes")
			}
		})
	}
}

// TestWireNames: an error sent under an alias keeps that name (NameOf,
// the JSON form's top-level code and chain, slog's codes), while every
// grouping key uses the canonical code (CodeOf, ReasonOf, error.type,
// slog's code); AncestorNamesOf of a known code is the receiver's
// ancestry, whatever the sender claimed, and the claim is re-sent.
func TestWireNames(t *testing.T) {
	t.Parallel()
	old := errcode.NewRegistry()
	oSandbox := old.MustRegister("SandboxError", errcode.Code{})
	oVmError := old.MustRegister("VmError", oSandbox)
	tests := []struct {
		desc               string
		give               func(t *testing.T) error // the decoded error
		wantName, wantCode string
		wantSentAncestors  []string // in the re-encoded JSON chain
	}{
		{
			desc: "Go peer, alias, protobuf",
			give: func(t *testing.T) error {
				b, err := errcode.Encode(oVmError.New("broke"))
				require.NoError(t, err)
				got, err := errcode.Decode(b)
				require.NoError(t, err)
				return got
			},
			wantName: "VmError", wantCode: "VmPermanentError",
			wantSentAncestors: []string{"SandboxError"},
		},
		{
			desc: "Python peer, alias, claimed ancestry",
			give: func(t *testing.T) error {
				got, err := errcode.DecodeJSON([]byte(`{"version":1,"chain":[{"code":"QemuImgError","ancestors":["TransientError"],"message":"qemu-img"}]}`))
				require.NoError(t, err)
				return got
			},
			wantName: "QemuImgError", wantCode: "VmOverlayError",
			wantSentAncestors: []string{"TransientError"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			code, ok := errcode.Lookup(tt.wantCode)
			require.True(t, ok)
			wantAncestors := make([]string, 0)
			for _, a := range code.Ancestors() {
				wantAncestors = append(wantAncestors, a.Name())
			}
			check := func(t *testing.T, got error) {
				t.Helper()
				assert.Equal(t, tt.wantName, errcode.NameOf(got), "NameOf")
				assert.Equal(t, code, errcode.CodeOf(got), "CodeOf")
				assert.Equal(t, code.Reason(), errcode.ReasonOf(got), "ReasonOf")
				et, ok := got.(interface{ ErrorType() string })
				require.True(t, ok, "ErrorType method")
				assert.Equal(t, tt.wantCode, et.ErrorType(), "error.type")
				assert.Equal(t, tt.wantCode, slogAttr(got, "code"), "slog code")
				assert.Equal(t, []string{tt.wantName}, slogAttr(got, "codes"), "slog codes")
				assert.Equal(t, wantAncestors, errcode.AncestorNamesOf(got), "AncestorNamesOf: the receiver's")
				top, first := jsonTop(t, got)
				assert.Equal(t, tt.wantName, top["code"], "JSON top-level code")
				assert.Equal(t, tt.wantName, first["code"], "JSON chain code")
				var sent []string
				for _, a := range first["ancestors"].([]any) {
					sent = append(sent, a.(string))
				}
				assert.Equal(t, tt.wantSentAncestors, sent, "JSON chain ancestors: as sent")
			}
			got := tt.give(t)
			check(t, got)
			for _, form := range wireForms {
				t.Run(form.name, func(t *testing.T) { check(t, wireRoundTrip(t, form, errcode.Default, got)) })
			}
		})
	}
}

// TestJSONRetryAfter: the JSON form's top-level retry_after is
// RetryAfterOf — a code's own hint as well as a per-error one — and
// absent without a hint.
func TestJSONRetryAfter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc string
		give error
		want any
	}{
		{"code's own hint", errcode.VmCapacityError.New("full"), "1s"},
		{"per-error hint", errcode.WithRetryAfter(errcode.VmConfigError.New("bad"), 1500*time.Millisecond), "1.5s"},
		{"per-error hint wins", errcode.WithRetryAfter(errcode.VmCapacityError.New("full"), 2*time.Second), "2s"},
		{"no hint", errcode.VmConfigError.New("bad"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			top, _ := jsonTop(t, tt.give)
			assert.Equal(t, tt.want, top["retry_after"], "top-level retry_after")
			for _, form := range wireForms {
				top, _ := jsonTop(t, wireRoundTrip(t, form, errcode.Default, tt.give))
				assert.Equal(t, tt.want, top["retry_after"], "%s: top-level retry_after after a round trip", form.name)
			}
		})
	}
}

// TestJSONSentRetryAfter: a JSON document's top-level retry_after is
// sent on as it came, even where the receiver's registry gives the code
// another hint (the receiver still answers RetryAfterOf with its own);
// a hint the receiver adds, and a hop through the protobuf form, which
// has no top-level members, give the receiver's.
func TestJSONSentRetryAfter(t *testing.T) {
	t.Parallel()
	// A sender whose VmCapacityError has no hint, and one whose hint is 5s.
	const layer = `"chain":[{"kind":"coded","code":"VmCapacityError","ancestors":["VmTransientError","TransientError","SandboxError"],"retry":"transient","message":"full"}]}`
	tests := []struct {
		desc, give string
		wantTop    any // the re-encoded document's retry_after
	}{
		{"no hint sent", `{"version":1,"code":"VmCapacityError","retry":"transient","message":"full",` + layer, nil},
		{"another hint sent", `{"version":1,"code":"VmCapacityError","retry":"transient","retry_after":"5s","message":"full",` + layer, "5s"},
		{"the receiver's hint sent", `{"version":1,"code":"VmCapacityError","retry":"transient","retry_after":"1s","message":"full",` + layer, "1s"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got, err := errcode.DecodeJSON([]byte(tt.give))
			require.NoError(t, err)
			assert.Equal(t, time.Second, errcode.RetryAfterOf(got), "RetryAfterOf: the receiver's registry decides")
			b, err := errcode.EncodeJSON(got)
			require.NoError(t, err)
			assert.Equal(t, tt.give, string(b), "the document encodes again to the bytes it came as")

			// Wrapped by the receiver, the decoded layer still says what it
			// came with, as the top-level retry does.
			top, _ := jsonTop(t, fmt.Errorf("ctx: %w", got))
			assert.Equal(t, tt.wantTop, top["retry_after"], "wrapped")
			// A per-error hint the receiver adds comes first.
			top, _ = jsonTop(t, errcode.WithRetryAfter(got, 3*time.Second))
			assert.Equal(t, "3s", top["retry_after"], "with the receiver's WithRetryAfter")
			// After the protobuf form, which has no top level: the receiver's.
			top, _ = jsonTop(t, wireRoundTrip(t, wireForms[0], errcode.Default, got))
			assert.Equal(t, "1s", top["retry_after"], "after a protobuf hop")
		})
	}
}
