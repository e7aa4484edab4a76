package errcode_test

import (
	stderrors "errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/cockroachdb/redact"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	"github.com/errcode/errcode"
)

// publicCases are errors that hold secrets ("secret" in a Newf argument,
// an unmarked field, another library's text, a stack) beside what Public
// must keep.
func publicCases() map[string]error {
	leaf := errcode.VmBootTimeoutError.Newf("boot of %s timed out", "secret-vm")
	coded := errcode.SandboxError.Wrap(leaf, "starting sandbox", "tenant", "secret-tenant", "vcpus", errcode.Safe(4))
	return map[string]error{
		"coded chain":    coded,
		"retry layers":   errcode.WithRetryAfter(errcode.WithRetry(coded, errcode.Permanent), 3*time.Second),
		"status layers":  errcode.WithHTTPStatus(errcode.WithGRPCCode(coded, codes.Aborted), 409),
		"fmt.Errorf":     fmt.Errorf("request of secret-user: %w", coded),
		"cockroachdb":    crdberrors.WithHint(crdberrors.Wrapf(coded, "request %s", "secret-req"), "secret hint"),
		"join":           stderrors.Join(coded, stderrors.New("secret-other")),
		"plain":          stderrors.New("secret-plain"),
		"fields only":    errcode.WithFields(io.EOF, "vcpus", errcode.Safe(4), "tenant", "secret-tenant"),
		"mark":           crdberrors.Mark(stderrors.New("secret-marked"), errcode.VmCapacityError),
		"bare code":      errcode.WithRetry(errcode.VmConfigError, errcode.Transient),
		"unsafe literal": errcode.VmConfigError.New("a ‹literal› with markers"),
		"stackless":      errcode.VmCapacityError.New("pool full"),
	}
}

func TestPublic(t *testing.T) {
	t.Parallel()
	for name, err := range publicCases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			forms := map[string]error{"live": err}
			for _, form := range wireForms {
				forms[form.name] = wireRoundTrip(t, form, errcode.Default, err)
			}
			for form, e := range forms {
				pub := errcode.Public(e)
				require.NotNil(t, pub)
				assert.Equal(t, crdberrors.Redact(e), pub.Error(), "%s: Public(err).Error() is errors.Redact(err)", form)
				assertSameAnswers(t, e, pub, form)
				full := fmt.Sprintf("%+v", pub)
				assert.NotContains(t, full, "secret", "%s: Public leaks:\n%s", form, full)
				assert.NotContains(t, full, ".go:", "%s: Public keeps a stack trace:\n%s", form, full)
				for _, f := range errcode.Fields(pub) {
					assert.NotContains(t, fmt.Sprint(f), "secret")
				}
				// What Public keeps survives both wire forms, and a second
				// Public changes nothing.
				for _, wf := range wireForms {
					hop := wireRoundTrip(t, wf, errcode.Default, pub)
					assertSameAnswers(t, e, hop, form+"→"+wf.name)
					assert.NotContains(t, fmt.Sprintf("%+v", hop), "secret")
					assert.Equal(t, pub.Error(), hop.Error(), "%s→%s: Error()", form, wf.name)
				}
				assert.Equal(t, errcode.Fields(pub), errcode.SafeFields(e), "%s: SafeFields(err) is Fields(Public(err))", form)
				again := errcode.Public(pub)
				assert.Equal(t, pub.Error(), again.Error(), "%s: Public(Public(err))", form)
				assert.Equal(t, string(redact.Sprintf("%+v", pub).Redact()), string(redact.Sprintf("%+v", again).Redact()))
			}
		})
	}
	assert.Nil(t, errcode.Public(nil))
}

// assertSameAnswers checks that got answers every query as want does.
func assertSameAnswers(t *testing.T, want, got error, msg string) {
	t.Helper()
	assert.Equal(t, errcode.CodeOf(want), errcode.CodeOf(got), "%s: CodeOf", msg)
	assert.Equal(t, errcode.NameOf(want), errcode.NameOf(got), "%s: NameOf", msg)
	assert.Equal(t, errcode.AncestorNamesOf(want), errcode.AncestorNamesOf(got), "%s: AncestorNamesOf", msg)
	assert.Equal(t, errcode.RetryOf(want), errcode.RetryOf(got), "%s: RetryOf", msg)
	assert.Equal(t, errcode.RetryAfterOf(want), errcode.RetryAfterOf(got), "%s: RetryAfterOf", msg)
	assert.Equal(t, errcode.GRPCCodeOf(want), errcode.GRPCCodeOf(got), "%s: GRPCCodeOf", msg)
	assert.Equal(t, errcode.HTTPStatusOf(want), errcode.HTTPStatusOf(got), "%s: HTTPStatusOf", msg)
	for _, c := range errcode.Codes() {
		assert.Equal(t, errcode.Is(want, c), errcode.Is(got, c), "%s: Is(%s)", msg, c)
	}
}

func TestPublicKeepsSafeParts(t *testing.T) {
	t.Parallel()
	err := errcode.SandboxError.Wrap(
		errcode.VmBootTimeoutError.Newf("boot of %s took %s", "secret-vm", redact.Safe("31s")),
		"starting sandbox", "tenant", "secret-tenant", "vcpus", errcode.Safe(4))
	pub := errcode.Public(err)
	assert.Equal(t, "starting sandbox: boot of × took 31s", pub.Error())
	assert.Equal(t, map[string]any{"vcpus": 4}, errcode.Fields(pub))
	detail := string(redact.Sprintf("%+v", pub))
	assert.True(t, strings.HasPrefix(detail, "starting sandbox: boot of ‹×› took 31s"), "%s", detail)
}

func TestSafeFields(t *testing.T) {
	t.Parallel()
	inner := errcode.VmConfigError.New("bad", "vcpus", errcode.Safe(4), "tenant", "acme", "zone", errcode.Safe("z1"))
	err := errcode.WithFields(inner, "vcpus", 8, "zone", errcode.Safe("z2"))
	assert.Equal(t, map[string]any{"vcpus": 4, "zone": "z2"}, errcode.SafeFields(err),
		"an outer unsafe value gives way to an inner Safe one; an outer Safe one wins")
	assert.Equal(t, errcode.Fields(errcode.Public(err)), errcode.SafeFields(err))
	assert.Nil(t, errcode.SafeFields(errcode.VmConfigError.New("bad", "tenant", "acme")))
	assert.Nil(t, errcode.SafeFields(nil))
}
