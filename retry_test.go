package errcode_test

import (
	"bytes"
	"encoding/json"
	stderrors "errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/errcode/errcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRetryOf walks the precedence rules of RetryOf one by one.
func TestRetryOf(t *testing.T) {
	t.Parallel()
	plain := io.EOF
	perm := errcode.VmConfigError.New("bad config")           // Permanent
	trans := errcode.VmBootTimeoutError.New("boot timed out") // Transient
	unspec := errcode.SnapshotError.New("snapshot failed")    // Unspecified

	tests := []struct {
		desc      string
		giveErr   error
		wantRetry errcode.Retry
	}{
		// (1) The outermost deciding layer wins.
		{"1: WithRetry Transient beats an inner Permanent code", errcode.WithRetry(perm, errcode.Transient), errcode.Transient},
		{"1: WithRetry Permanent beats an inner Transient code", errcode.WithRetry(trans, errcode.Permanent), errcode.Permanent},
		{"1: outer WithRetry beats inner WithRetry", errcode.WithRetry(errcode.WithRetry(plain, errcode.Transient), errcode.Permanent), errcode.Permanent},
		{"1: WithRetry under foreign wrappers", fmt.Errorf("op: %w", crdberrors.Wrap(errcode.WithRetry(perm, errcode.Transient), "x")), errcode.Transient},
		{"1: outer coded Transient beats inner Permanent", errcode.TransientError.Wrap(perm, "retry me"), errcode.Transient},
		{"1: outer coded Permanent beats inner Transient", errcode.VmDependencyError.Wrap(trans, "missing"), errcode.Permanent},
		{"1: outer coded Permanent beats an inner WithRetry", errcode.PermanentError.Wrap(errcode.WithRetry(plain, errcode.Transient), "x"), errcode.Permanent},
		{"1: outer bare Code wins", fmt.Errorf("%w: %w", errcode.VmConfigError, trans), errcode.Permanent},
		{"1: through cockroachdb wrappers", crdberrors.WithHint(crdberrors.Wrap(trans, "start"), "wait"), errcode.Transient},
		// (2) An unspecified code defers to what it wraps.
		{"2: SandboxError wrapping VmBootTimeoutError", errcode.SandboxError.Wrap(trans, "start"), errcode.Transient},
		{"2: PermanentError wrapping VmBootTimeoutError", errcode.PermanentError.Wrap(trans, "start"), errcode.Permanent},
		{"2: two unspecified codes over a Permanent", errcode.SocketAuthError.Wrap(errcode.CommunicationError.Wrap(perm, "a"), "b"), errcode.Permanent},
		{"2: unspecified code over a plain error", errcode.CommunicationError.Wrap(plain, "recv"), errcode.Unspecified},
		// (3) A multi-cause layer: Permanent if any, else Transient if any, else defer.
		{"3: Join(Permanent, Transient)", stderrors.Join(perm, trans), errcode.Permanent},
		{"3: Join(Transient, Permanent)", stderrors.Join(trans, perm), errcode.Permanent},
		{"3: Join(Transient, unspecified)", stderrors.Join(trans, unspec), errcode.Transient},
		{"3: Join(plain, Transient)", stderrors.Join(plain, trans), errcode.Transient},
		{"3: Join(unspecified, plain)", stderrors.Join(unspec, plain), errcode.Unspecified},
		{"3: two %w, Permanent second", fmt.Errorf("%w; %w", trans, perm), errcode.Permanent},
		{"3: nested joins", stderrors.Join(stderrors.Join(plain, trans), stderrors.Join(unspec, perm)), errcode.Permanent},
		{"3: unspecified code over a join", errcode.SandboxError.Wrap(stderrors.Join(plain, trans), "x"), errcode.Transient},
		{"3: WithRetry over a join", errcode.WithRetry(stderrors.Join(perm, trans), errcode.Transient), errcode.Transient},
		{"3: a branch's own override", stderrors.Join(errcode.WithRetry(perm, errcode.Transient), unspec), errcode.Transient},
		// (4) Nothing decides.
		{"4: plain error", plain, errcode.Unspecified},
		{"4: unspecified code", unspec, errcode.Unspecified},
		{"4: WithRetry(Unspecified) over a plain error", errcode.WithRetry(plain, errcode.Unspecified), errcode.Unspecified},
		{"4: WithRetry(Unspecified) defers to a Transient code", errcode.WithRetry(trans, errcode.Unspecified), errcode.Transient},
		{"4: WithRetry(Unspecified) defers to a Permanent code", errcode.WithRetry(perm, errcode.Unspecified), errcode.Permanent},
		{"4: WithRetry with an invalid Retry defers", errcode.WithRetry(trans, errcode.Retry(9)), errcode.Transient},
		{"4: nil", nil, errcode.Unspecified},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got := errcode.RetryOf(tt.giveErr)
			assert.Equal(t, tt.wantRetry, got, "RetryOf(%v) = %v; want %v", tt.giveErr, got, tt.wantRetry)
			assert.Equal(t, tt.wantRetry == errcode.Transient, errcode.IsRetryable(tt.giveErr),
				"IsRetryable(%v) = %v; want %v", tt.giveErr, errcode.IsRetryable(tt.giveErr), tt.wantRetry == errcode.Transient)
		})
	}
}

func TestWithRetry(t *testing.T) {
	t.Parallel()
	err := errcode.VmConfigError.Wrap(io.EOF, "bad")
	got := errcode.WithRetry(err, errcode.Transient)
	assert.Equal(t, "bad: EOF", got.Error())
	assert.True(t, errcode.CodeOf(got) == errcode.VmConfigError, "CodeOf(WithRetry) = %v", errcode.CodeOf(got))
	assert.True(t, errcode.Is(got, errcode.PermanentError), "WithRetry changed the code")
	assert.True(t, stderrors.Is(got, io.EOF), "WithRetry hides the cause from errors.Is")
	assert.True(t, errcode.IsRetryable(got))
	assert.False(t, errcode.IsRetryable(err), "WithRetry changed the error it wraps")
}

func TestRetryAfterOf(t *testing.T) {
	t.Parallel()
	reg := errcode.NewRegistry()
	slow := reg.MustRegister("Slow", errcode.Code{}, errcode.Transient, errcode.RetryAfter(3*time.Second))
	slowChild := reg.MustRegister("SlowChild", slow)
	capacity := errcode.VmCapacityError.New("pool full") // RetryAfter(time.Second) in the catalog

	tests := []struct {
		desc    string
		giveErr error
		want    time.Duration
	}{
		{"nil", nil, 0},
		{"plain", io.EOF, 0},
		{"code without a hint", errcode.VmConfigError.New("bad"), 0},
		{"catalog VmCapacityError", capacity, time.Second},
		{"own hint", slow.New("x"), 3 * time.Second},
		{"inherited hint", slowChild.New("x"), 3 * time.Second},
		{"outer code without a hint defers", errcode.SandboxError.Wrap(capacity, "start"), time.Second},
		{"WithRetryAfter overrides the code's hint", errcode.WithRetryAfter(capacity, 5*time.Second), 5 * time.Second},
		{"outer coded hint beats inner WithRetryAfter", errcode.VmCapacityError.Wrap(errcode.WithRetryAfter(io.EOF, 5*time.Second), "x"), time.Second},
		{"inner WithRetryAfter under a code without a hint", errcode.VmConfigError.Wrap(errcode.WithRetryAfter(io.EOF, 5*time.Second), "x"), 5 * time.Second},
		{"negative counts as 0", errcode.WithRetryAfter(capacity, -time.Second), 0},
		{"explicit 0 overrides", errcode.WithRetryAfter(capacity, 0), 0},
		{"second branch of a join", stderrors.Join(io.EOF, errcode.WithRetryAfter(io.EOF, 2*time.Second)), 2 * time.Second},
		{"through foreign wrappers", fmt.Errorf("op: %w", crdberrors.Wrap(capacity, "x")), time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got := errcode.RetryAfterOf(tt.giveErr)
			assert.Equal(t, tt.want, got, "RetryAfterOf(%v) = %v; want %v", tt.giveErr, got, tt.want)
		})
	}
}

func TestRetryStringParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		give errcode.Retry
		want string
	}{
		{errcode.Unspecified, "unspecified"},
		{errcode.Transient, "transient"},
		{errcode.Permanent, "permanent"},
		{errcode.Retry(9), "Retry(9)"},
		{errcode.Retry(-1), "Retry(-1)"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.give.String(), "Retry(%d).String() = %q; want %q", int8(tt.give), tt.give.String(), tt.want)
		got, err := errcode.ParseRetry(tt.want)
		if strings.HasPrefix(tt.want, "Retry(") {
			assert.Error(t, err, "ParseRetry(%q) = %v, nil; want an error", tt.want, got)
			continue
		}
		require.NoError(t, err, "ParseRetry(%q)", tt.want)
		assert.Equal(t, tt.give, got, "ParseRetry(%q) = %v; want %v", tt.want, got, tt.give)
	}
	_, err := errcode.ParseRetry("sometimes")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"sometimes"`)
}

func TestRetryText(t *testing.T) {
	t.Parallel()
	type doc struct {
		Retry errcode.Retry `json:"retry"`
	}
	for _, r := range []errcode.Retry{errcode.Unspecified, errcode.Transient, errcode.Permanent} {
		b, err := json.Marshal(doc{r})
		require.NoError(t, err)
		assert.Equal(t, `{"retry":"`+r.String()+`"}`, string(b), "json.Marshal(%v)", r)

		var back doc
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, r, back.Retry, "json.Unmarshal(%s)", b)

		var buf bytes.Buffer
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("m", "retry", r)
		assert.Contains(t, buf.String(), `"retry":"`+r.String()+`"`, "slog JSON of %v", r)
		buf.Reset()
		slog.New(slog.NewTextHandler(&buf, nil)).Info("m", "retry", r)
		assert.Contains(t, buf.String(), "retry="+r.String(), "slog text of %v", r)
	}

	_, err := json.Marshal(doc{errcode.Retry(7)})
	require.Error(t, err, "json.Marshal of an out-of-range Retry")
	assert.Contains(t, err.Error(), "invalid retry decision 7")

	r := errcode.Transient
	err = json.Unmarshal([]byte(`{"retry":"sometimes"}`), &struct {
		Retry *errcode.Retry `json:"retry"`
	}{&r})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"sometimes"`)
	assert.Equal(t, errcode.Transient, r, "a failed UnmarshalText leaves the value unchanged")

	require.NoError(t, r.UnmarshalText(nil))
	assert.Equal(t, errcode.Unspecified, r, `UnmarshalText("") = %v; want unspecified`, r)

	var fs flag.FlagSet
	fs.TextVar(&r, "retry", errcode.Unspecified, "retry decision")
	require.NoError(t, fs.Parse([]string{"-retry=permanent"}))
	assert.Equal(t, errcode.Permanent, r, "flag.TextVar")
}

// TestRetryOfDocExamples checks the examples in RetryOf's documentation.
func TestRetryOfDocExamples(t *testing.T) {
	t.Parallel()
	tests := []struct {
		give error
		want errcode.Retry
	}{
		{errcode.SandboxError.Wrap(errcode.VmBootTimeoutError.New("slow"), "boot"), errcode.Transient},
		{errcode.PermanentError.Wrap(errcode.VmBootTimeoutError.New("slow"), ""), errcode.Permanent},
		{errcode.WithRetry(errcode.VmCapacityError.New("full"), errcode.Permanent), errcode.Permanent},
		{io.EOF, errcode.Unspecified},
		{nil, errcode.Unspecified},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, errcode.RetryOf(tt.give), "RetryOf(%v)", tt.give)
	}
	assert.Equal(t, errcode.Unspecified, errcode.RetryOf(errcode.WithRetry(io.EOF, errcode.Retry(9))),
		"an override out of range decides nothing")
	assert.False(t, errcode.IsRetryable(nil), "IsRetryable(nil)")
	assert.Zero(t, errcode.RetryAfterOf(nil), "RetryAfterOf(nil)")
}
