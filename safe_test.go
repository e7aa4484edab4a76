package errcode_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/cockroachdb/errors"
	"github.com/cockroachdb/redact"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
)

// reportErr is an error with a secret message and field, a field marked
// safe with each of the two markers, wrapped by cockroachdb.
func reportErr() error {
	err := errcode.VmBootTimeoutError.New("boot of tenant-secret-vm timed out",
		"tenant", "secret-tenant", "vcpus", errcode.Safe(4), "attempt", redact.Safe(2))
	return errors.Wrap(errcode.SandboxError.Wrap(err, "start"), "request")
}

// roundTrips returns err as made, and after each wire form.
func roundTrips(t *testing.T, err error) map[string]error {
	t.Helper()
	pb, encErr := errcode.Encode(err)
	require.NoError(t, encErr)
	fromPB, decErr := errcode.Decode(pb)
	require.NoError(t, decErr)
	js, encErr := errcode.EncodeJSON(err)
	require.NoError(t, encErr)
	fromJSON, decErr := errcode.DecodeJSON(js)
	require.NoError(t, decErr)
	enc := errors.EncodeError(context.Background(), err)
	return map[string]error{
		"original":    err,
		"Encode":      fromPB,
		"EncodeJSON":  fromJSON,
		"EncodeError": errors.DecodeError(context.Background(), enc),
	}
}

func TestSafeDetailsShowCodes(t *testing.T) {
	t.Parallel()
	for name, err := range roundTrips(t, reportErr()) {
		t.Run(name, func(t *testing.T) {
			var found []string
			for _, d := range errors.GetAllSafeDetails(err) {
				found = append(found, d.SafeDetails...)
			}
			joined := strings.Join(found, "\n")
			assert.Contains(t, joined, "code=SandboxError")
			assert.Contains(t, joined, "code=VmBootTimeoutError")
			assert.Contains(t, joined, "ancestors=VmTransientError TransientError SandboxError")
			assert.Contains(t, joined, "retry=transient")
			assert.NotContains(t, joined, "secret", "a field value or message leaked into the safe details")
		})
	}
}

func TestRedactedOutput(t *testing.T) {
	t.Parallel()
	for name, err := range roundTrips(t, reportErr()) {
		t.Run(name, func(t *testing.T) {
			for _, out := range []string{
				string(redact.Sprint(err).Redact()),
				string(redact.Sprintf("%+v", err).Redact()),
			} {
				assert.NotContains(t, out, "secret", "a message or an unsafe field value shows in redacted output:\n%s", out)
				if name != "EncodeJSON" {
					// JSON carries no redaction marks: text of other
					// wrappers arrives unsafe, so redacted.
					assert.Contains(t, out, "request", "cockroachdb's own safe prefix is gone:\n%s", out)
				}
			}
			detail := string(redact.Sprintf("%+v", err).Redact())
			assert.Contains(t, detail, "errcode: VmBootTimeoutError")
			assert.Contains(t, detail, "ancestors: VmTransientError TransientError SandboxError")
			assert.Contains(t, detail, "retry: transient")
			assert.Contains(t, detail, "vcpus: 4", "a field marked with errcode.Safe is redacted")
			assert.Contains(t, detail, "attempt: 2", "a field marked with redact.Safe is redacted")
			assert.Contains(t, detail, "tenant: ‹×›", "an unmarked field is not redacted")

			// Unredacted, everything shows.
			full := fmt.Sprintf("%+v", err)
			assert.Contains(t, full, "tenant: secret-tenant")
			assert.Contains(t, full, "boot of tenant-secret-vm timed out")
		})
	}
}

func TestSafeValuesStayTyped(t *testing.T) {
	t.Parallel()
	for name, err := range roundTrips(t, reportErr()) {
		t.Run(name, func(t *testing.T) {
			vcpus, ok := errcode.Field[int](err, "vcpus")
			assert.True(t, ok, "Field[int](vcpus) of a Safe value")
			assert.Equal(t, 4, vcpus)
			attempt, ok := errcode.Field[int](err, "attempt")
			assert.True(t, ok, "Field[int](attempt) of a redact.Safe value")
			assert.Equal(t, 2, attempt)
		})
	}
}

func TestSentryReport(t *testing.T) {
	t.Parallel()
	for name, err := range roundTrips(t, reportErr()) {
		t.Run(name, func(t *testing.T) {
			ev, _ := errors.BuildSentryReport(err)
			require.NotNil(t, ev)
			var texts []string
			texts = append(texts, ev.Message)
			for _, ex := range ev.Exception {
				texts = append(texts, ex.Type, ex.Value)
			}
			for _, c := range ev.Contexts {
				texts = append(texts, fmt.Sprint(c))
			}
			report := strings.Join(texts, "\n")
			// Sentry's message is the redacted %+v, with the safe details
			// of layers that have no stack trace of their own.
			assert.Contains(t, report, "errcode: VmBootTimeoutError")
			assert.Contains(t, report, "ancestors: VmTransientError TransientError SandboxError")
			assert.Contains(t, report, "errcode: SandboxError")
			assert.Contains(t, report, "retry: transient")
			assert.NotContains(t, report, "secret", "the Sentry report leaks a message or field:\n%s", report)
		})
	}
}
