package errcode_test

import (
	"bytes"
	"context"
	"log"
	"strings"
	"testing"

	"github.com/cockroachdb/errors/errbase"
	"github.com/cockroachdb/errors/errorspb"
	"github.com/errcode/errcode"
	"github.com/gogo/protobuf/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// unknownPayloads returns an EncodedError: a leaf with n causes, each a
// leaf whose payload is of a type no program links. Each cause's message
// is layerPad, so that the layer density limit lets n reach MaxLayers-1:
// the most payloads one error may carry.
func unknownPayloads(n int) errorspb.EncodedError {
	const family = "example.com/peer.unknownError"
	details := func() errorspb.EncodedErrorDetails {
		return errorspb.EncodedErrorDetails{
			OriginalTypeName: family,
			ErrorTypeMark:    errorspb.ErrorTypeMark{FamilyName: family},
			FullDetails:      &types.Any{TypeUrl: "type.googleapis.com/peer.Unknown", Value: []byte{0x0a, 0x01, 'x'}},
		}
	}
	leaf := &errorspb.EncodedErrorLeaf{Message: "join", Details: details()}
	for range n {
		leaf.MultierrorCauses = append(leaf.MultierrorCauses, &errorspb.EncodedError{
			Error: &errorspb.EncodedError_Leaf{Leaf: &errorspb.EncodedErrorLeaf{Message: layerPad, Details: details()}},
		})
	}
	return errorspb.EncodedError{Error: &errorspb.EncodedError_Leaf{Leaf: leaf}}
}

// captureLog sets the standard logger's output to a buffer for the rest
// of the test. Tests that use it cannot run in parallel.
func captureLog(t *testing.T) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	out, flags := log.Writer(), log.Flags()
	log.SetOutput(&buf)
	t.Cleanup(func() { log.SetOutput(out); log.SetFlags(flags) })
	return &buf
}

// Not parallel: it captures the process's log.
func TestDecodeLogsAtMostAFewLines(t *testing.T) {
	const n = errcode.MaxLayers - 1
	enc := unknownPayloads(n)
	data, err := enc.Marshal()
	require.NoError(t, err)
	logged := captureLog(t)

	got, err := errcode.Decode(data)
	require.NoError(t, err)
	require.NotNil(t, got)
	lines := strings.Count(logged.String(), "\n")
	assert.LessOrEqual(t, lines, 3, "Decode of %d unknown payloads logged %d lines:\n%.500s", n+1, lines, logged)

	// The payloads stay, opaque, and travel on as they came.
	again, err := errcode.Encode(got)
	require.NoError(t, err)
	assert.Equal(t, data, again)
}

// Not parallel: it captures the process's log.
func TestDecodeErrorOutsideErrcodeStillWarns(t *testing.T) {
	logged := captureLog(t)
	got := errbase.DecodeError(errcode.WithRegistry(context.Background(), errcode.Default), unknownPayloads(2))
	require.NotNil(t, got)
	assert.Equal(t, 3, strings.Count(logged.String(), "peer.Unknown"), "logged:\n%s", logged)
}

// Not parallel: it replaces the process's warning function.
func TestWarningFnSetAfterErrcodeTakesCharge(t *testing.T) {
	t.Cleanup(func() { errbase.SetWarningFn(errcode.DecodeWarning) })
	var warnings int
	errbase.SetWarningFn(func(context.Context, string, ...any) { warnings++ })
	enc := unknownPayloads(2)
	data, err := enc.Marshal()
	require.NoError(t, err)
	_, err = errcode.Decode(data)
	require.NoError(t, err)
	assert.Equal(t, 3, warnings)
}

// Not parallel: it captures the process's log.
func TestTrimLogsAtMostAFewLines(t *testing.T) {
	enc := unknownPayloads(errcode.MaxLayers - 1)
	data, err := enc.Marshal()
	require.NoError(t, err)
	decoded, err := errcode.Decode(data)
	require.NoError(t, err)
	logged := captureLog(t)

	_, msg, err := errcode.NewTrimmer(decoded).Encode(errcode.Trim{MaxMessage: 16})
	require.NoError(t, err)
	assert.NotEmpty(t, msg)
	lines := strings.Count(logged.String(), "\n")
	assert.LessOrEqual(t, lines, 3, "Trimmer.Encode logged %d lines:\n%.500s", lines, logged)
}
