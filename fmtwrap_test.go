package errcode_test

import (
	"bytes"
	"context"
	stderrors "errors"
	"fmt"
	"strings"
	"testing"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/cockroachdb/errors/errorspb"
	"github.com/cockroachdb/redact"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
)

// TestDecodeFmtWrapper: Decode makes a fmt.Errorf wrapper a real one, with
// the sender's message over its decoded causes, so that it reads, and
// prints under any wrapper, as the sender's did, and encodes again to the
// bytes it came as.
func TestDecodeFmtWrapper(t *testing.T) {
	t.Parallel()
	coded := func(msg string) error { return errcode.GuestAgentError.New(msg) }
	tests := []struct {
		desc string
		give error
	}{
		{"a prefix", fmt.Errorf("x: %w", coded("a"))},
		{"no prefix", fmt.Errorf("%w", coded("a"))},
		{"the whole message", fmt.Errorf("%w: %s", coded("00"), "x")},
		{"not valid UTF-8", fmt.Errorf("%w: %s", coded("00"), "\xc3")},
		{"not valid UTF-8 in the prefix", fmt.Errorf("\xff: %w", coded("a"))},
		{"redaction markers", fmt.Errorf("‹x›: %w", coded("a"))},
		{"an empty prefix", fmt.Errorf(": %w", coded("a"))},
		{"over an empty message", fmt.Errorf("x: %w", errcode.Code{}.New(""))},
		{"an empty prefix over an empty message", fmt.Errorf(": %w", errcode.Code{}.New(""))},
		{"nested", fmt.Errorf("0: %w", fmt.Errorf("%w: %s", coded("00"), "\xc3"))},
		{"over a plain error", fmt.Errorf("x%w", stderrors.New("\xc3"))},
		{"over a join", fmt.Errorf("x: %w", stderrors.Join(coded(""), stderrors.New("b\n")))},
		{"several causes", fmt.Errorf("%w and %w: \xc3", coded("a"), stderrors.New("b"))},
		{"one cause twice", fmt.Errorf("%w, %[1]w", coded("a"))},
		{"several causes, not valid UTF-8", fmt.Errorf("\xff%w%w", coded(""), fmt.Errorf(": %w", coded("")))},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			b1, err := errcode.Encode(tt.give)
			require.NoError(t, err)
			got, err := errcode.Decode(b1)
			require.NoError(t, err)
			assert.Equal(t, fmt.Sprintf("%T", tt.give), fmt.Sprintf("%T", got), "the decoded layer's type")
			b2, err := errcode.Encode(got)
			require.NoError(t, err)
			assert.Equal(t, b1, b2, "Encode of the decoded error")
			checkPrintsAsOriginal(t, got, tt.give)
		})
	}
}

// checkPrintsAsOriginal checks that got reads as orig does, alone and
// under the wrappers that print their cause through cockroachdb's
// formatter.
func checkPrintsAsOriginal(t *testing.T, got, orig error) {
	t.Helper()
	for _, wrap := range []struct {
		desc string
		fn   func(error) error
	}{
		{"alone", func(err error) error { return err }},
		{"under errors.Wrap", func(err error) error { return crdberrors.Wrap(err, "w") }},
		{"under a coded layer", func(err error) error { return errcode.VmOverlayError.Wrap(err, "c") }},
		{"under an empty coded layer", func(err error) error { return errcode.Code{}.Wrap(err, "") }},
		{"under errors.Wrap under a coded layer", func(err error) error {
			return crdberrors.Wrap(errcode.Code{}.Wrap(err, ""), "0")
		}},
		{"under a fmt wrapper", func(err error) error { return fmt.Errorf("f: %w", err) }},
	} {
		g, o := wrap.fn(got), wrap.fn(orig)
		assert.Equal(t, o.Error(), g.Error(), "%s: Error()", wrap.desc)
		for _, verb := range []string{"%v", "%s", "%q"} {
			assert.Equal(t, fmt.Sprintf(verb, o), fmt.Sprintf(verb, g), "%s: %s", wrap.desc, verb)
		}
		// %+v: the first line is the message; the details below it name the
		// types of the layers, and the sender's stacks print otherwise.
		gl, _, _ := strings.Cut(fmt.Sprintf("%+v", g), "\n(1)")
		ol, _, _ := strings.Cut(fmt.Sprintf("%+v", o), "\n(1)")
		assert.Equal(t, ol, gl, "%s: %%+v", wrap.desc)
		assert.Equal(t, redact.Sprint(o), redact.Sprint(g), "%s: redactable", wrap.desc)
		assert.Equal(t, redact.Sprint(o).Redact(), redact.Sprint(g).Redact(), "%s: redacted", wrap.desc)
	}
}

// TestDecodeFmtWrapperKeepsOddNodes: a node of fmt's wrapper types that
// errcode's encoder would not send so (a prefix cut otherwise, details of
// its own) stays cockroachdb's opaque layer, which reads as sent and
// encodes again to the same bytes.
func TestDecodeFmtWrapperKeepsOddNodes(t *testing.T) {
	t.Parallel()
	const key = "fmt/*fmt.wrapError"
	plain := errcode.Code{}.New("a")
	details := func(d *errorspb.EncodedErrorDetails) errorspb.EncodedErrorDetails {
		out := errorspb.EncodedErrorDetails{OriginalTypeName: key, ErrorTypeMark: errorspb.ErrorTypeMark{FamilyName: key}}
		if d != nil {
			out = *d
		}
		return out
	}
	wrapper := func(msg string, mt errorspb.MessageType, d *errorspb.EncodedErrorDetails) errorspb.EncodedError {
		return errorspb.EncodedError{Error: &errorspb.EncodedError_Wrapper{Wrapper: &errorspb.EncodedWrapper{
			Cause: crdberrors.EncodeError(context.Background(), plain), Message: msg, Details: details(d), MessageType: mt,
		}}}
	}
	tests := []struct {
		desc      string
		give      errorspb.EncodedError
		wantError string
	}{
		{"a whole message that is a prefix and the cause", wrapper("x: a", errorspb.MessageType_FULL_MESSAGE, nil), "x: a"},
		{"the cause's message as the whole message", wrapper("a", errorspb.MessageType_FULL_MESSAGE, nil), "a"},
		{"an unknown message type", wrapper("x", 7, nil), "x: a"},
		{"a safe detail", wrapper("x", errorspb.MessageType_PREFIX, &errorspb.EncodedErrorDetails{
			OriginalTypeName: key, ErrorTypeMark: errorspb.ErrorTypeMark{FamilyName: key}, ReportablePayload: []string{"d"},
		}), "x: a"},
		{"another type name", wrapper("x", errorspb.MessageType_PREFIX, &errorspb.EncodedErrorDetails{
			OriginalTypeName: "fmt/*fmt.other", ErrorTypeMark: errorspb.ErrorTypeMark{FamilyName: key},
		}), "x: a"},
		{"an extension", wrapper("x", errorspb.MessageType_PREFIX, &errorspb.EncodedErrorDetails{
			OriginalTypeName: key, ErrorTypeMark: errorspb.ErrorTypeMark{FamilyName: key, Extension: "e"},
		}), "x: a"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			b1, err := tt.give.Marshal()
			require.NoError(t, err)
			got, err := errcode.Decode(b1)
			require.NoError(t, err)
			assert.Equal(t, tt.wantError, got.Error())
			assert.Equal(t, "*errbase.opaqueWrapper", fmt.Sprintf("%T", got))
			b2, err := errcode.Encode(got)
			require.NoError(t, err)
			assert.True(t, bytes.Equal(b1, b2), "Encode of the decoded error = %q; want %q", b2, b1)
		})
	}
}

// TestDecodeFmtWrapperCockroachStaysOpaque: cockroachdb's own DecodeError,
// which cannot tell a fmt wrapper's message, still makes it its opaque
// layer; errcode's Decode makes it real.
func TestDecodeFmtWrapperCockroachStaysOpaque(t *testing.T) {
	t.Parallel()
	orig := fmt.Errorf("x: %w", stderrors.New("a"))
	ctx := context.Background()
	enc := crdberrors.EncodeError(ctx, orig)
	assert.Equal(t, "*errbase.opaqueWrapper", fmt.Sprintf("%T", crdberrors.DecodeError(ctx, enc)))
	assert.Equal(t, "*errbase.opaqueWrapper", fmt.Sprintf("%T", crdberrors.DecodeError(errcode.WithRegistry(ctx, errcode.Default), enc)))
	b, err := enc.Marshal()
	require.NoError(t, err)
	got, err := errcode.Decode(b)
	require.NoError(t, err)
	assert.Equal(t, "*fmt.wrapError", fmt.Sprintf("%T", got))
}

// BenchmarkDecodeFmtWrapper decodes a coded error under four fmt.Errorf
// wrappers, with errcode's Decode, which makes them real fmt wrappers, and
// with cockroachdb's Unmarshal + DecodeError, which makes them opaque
// layers: the baseline in the same run.
func BenchmarkDecodeFmtWrapper(b *testing.B) {
	err := errcode.GuestAgentError.New("agent down", "vm", 7)
	for i := range 4 {
		err = fmt.Errorf("layer %d: %w", i, err)
	}
	wire, eerr := errcode.Encode(err)
	require.NoError(b, eerr)
	var sink error
	b.Run("errcode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			got, derr := errcode.Decode(wire)
			if derr != nil {
				b.Fatal(derr)
			}
			sink = got
		}
	})
	b.Run("cockroachdb", func(b *testing.B) {
		b.ReportAllocs()
		ctx := context.Background()
		for b.Loop() {
			var enc errorspb.EncodedError
			if uerr := enc.Unmarshal(wire); uerr != nil {
				b.Fatal(uerr)
			}
			sink = crdberrors.DecodeError(ctx, enc)
		}
	})
	_ = sink
}
