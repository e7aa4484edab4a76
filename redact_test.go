package errcode_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cockroachdb/errors"
	"github.com/cockroachdb/errors/errorspb"
	"github.com/cockroachdb/redact"
	"github.com/gogo/protobuf/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
)

// reportErr is an error with a safe literal message, a secret field, a
// field marked safe with each of the two markers, a secret Wrapf
// argument, wrapped by cockroachdb.
func reportErr() error {
	err := errcode.VmBootTimeoutError.New("boot timed out",
		"tenant", "secret-tenant", "vcpus", errcode.Safe(4), "attempt", redact.Safe(2))
	return errors.Wrap(errcode.SandboxError.Wrapf(err, "start %s", "secret-vm"), "request")
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

// redactCase is one row of TestRedaction. Every unsafe word in give
// contains "secret", so no redacted output may.
type redactCase struct {
	desc      string
	give      func() error
	wantError string // Error(), in every form
	// wantRedacted is redact.Sprint(err).Redact(), in every form but
	// JSON's when wantJSON is set: JSON carries no redaction marks for
	// other wrappers' text, which arrives unsafe.
	wantRedacted string
	wantJSON     string
	// wantDetail are in redact.Sprintf("%+v", err).Redact().
	wantDetail []string
}

func redactCases() []redactCase {
	secretErr := func() error { return errcode.VmBootTimeoutError.New("boot timed out") }
	return []redactCase{{
		desc:         "New: the message is a safe literal",
		give:         func() error { return errcode.VmConfigError.New("bad config") },
		wantError:    "bad config",
		wantRedacted: "bad config",
		wantDetail:   []string{"errcode: VmConfigError", "ancestors: VmPermanentError PermanentError SandboxError", "retry: permanent"},
	}, {
		desc: "New: fields unsafe unless marked Safe",
		give: func() error {
			return errcode.VmConfigError.New("bad config", "path", "/home/secret", "vcpus", errcode.Safe(4), "mem", redact.Safe("2G"))
		},
		wantError:    "bad config",
		wantRedacted: "bad config",
		wantDetail:   []string{"path: ‹×›", "vcpus: 4", "mem: 2G"},
	}, {
		desc:         "Newf: the format is safe, an argument is not",
		give:         func() error { return errcode.VmConfigError.Newf("tenant %s asked for %d vcpus", "secret-tenant", 64) },
		wantError:    "tenant secret-tenant asked for 64 vcpus",
		wantRedacted: "tenant ‹×› asked for ‹×› vcpus",
		wantDetail:   []string{"errcode: VmConfigError"},
	}, {
		desc: "Newf: arguments marked safe stay",
		give: func() error {
			return errcode.VmConfigError.Newf("vm %s: %d vcpus, %s", redact.Safe("vm-7"), errcode.Safe(64), redact.SafeString("too many"))
		},
		wantError:    "vm vm-7: 64 vcpus, too many",
		wantRedacted: "vm vm-7: 64 vcpus, too many",
	}, {
		desc:         "Wrap: both messages safe",
		give:         func() error { return errcode.SandboxError.Wrap(secretErr(), "starting") },
		wantError:    "starting: boot timed out",
		wantRedacted: "starting: boot timed out",
		wantDetail:   []string{"errcode: SandboxError", "errcode: VmBootTimeoutError"},
	}, {
		desc:         "Wrap with no message",
		give:         func() error { return errcode.SandboxError.Wrap(secretErr(), "") },
		wantError:    "boot timed out",
		wantRedacted: "boot timed out",
	}, {
		desc:         "Wrapf: an argument is redacted",
		give:         func() error { return errcode.SandboxError.Wrapf(secretErr(), "starting %s", "secret-vm") },
		wantError:    "starting secret-vm: boot timed out",
		wantRedacted: "starting ‹×›: boot timed out",
	}, {
		desc: "nested with cockroachdb wrappers",
		give: func() error {
			inner := errors.Newf("dial %s", "secret-host")
			return errors.Wrap(errcode.SandboxError.Wrapf(inner, "start %s", "secret-vm"), "request")
		},
		wantError:    "request: start secret-vm: dial secret-host",
		wantRedacted: "request: start ‹×›: dial ‹×›",
		wantJSON:     "‹×›: start ‹×›: ‹×›",
		wantDetail:   []string{"errcode: SandboxError"},
	}, {
		desc: "cockroachdb wrapping errcode wrapping cockroachdb",
		give: func() error {
			return errors.Wrapf(errcode.VmConfigError.Wrap(errors.New("no such file"), "reading config", "path", "/secret"), "vm %s", "secret-vm")
		},
		wantError:    "vm secret-vm: reading config: no such file",
		wantRedacted: "vm ‹×›: reading config: no such file",
		wantJSON:     "‹×›: reading config: ‹×›",
		wantDetail:   []string{"errcode: VmConfigError", "path: ‹×›"},
	}, {
		desc:         "a literal with markers: Error() keeps them, redacted output cannot use them",
		give:         func() error { return errcode.VmConfigError.New("bad ‹config› ›") },
		wantError:    "bad ‹config› ›",
		wantRedacted: "bad ?config? ?",
	}, {
		desc: "a literal that would open a marker over an unsafe cause",
		give: func() error {
			return errcode.SandboxError.Wrap(errcode.VmConfigError.Newf("%s", "secret"), "open ‹")
		},
		wantError:    "open ‹: secret",
		wantRedacted: "open ?: ‹×›",
	}, {
		desc:         "Newf: markers in the format and in an argument",
		give:         func() error { return errcode.VmConfigError.Newf("‹%s› %s", "secret", "a›b secret ‹c") },
		wantError:    "‹secret› a›b secret ‹c",
		wantRedacted: "?‹×›? ‹×›",
	}, {
		desc:         "a bare Code: its name is safe",
		give:         func() error { return errors.Wrap(errcode.VmCapacityError, "lookup") },
		wantError:    "lookup: VmCapacityError",
		wantRedacted: "lookup: VmCapacityError",
		wantJSON:     "‹×›: VmCapacityError",
		wantDetail:   []string{"errcode: VmCapacityError"},
	}}
}

func TestRedaction(t *testing.T) {
	t.Parallel()
	for _, tt := range redactCases() {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			for form, err := range roundTrips(t, tt.give()) {
				want := tt.wantRedacted
				if form == "EncodeJSON" && tt.wantJSON != "" {
					want = tt.wantJSON
				}
				assert.Equal(t, tt.wantError, err.Error(), "%s: Error()", form)
				assert.Equal(t, want, string(redact.Sprint(err).Redact()), "%s: redact.Sprint(err).Redact()", form)
				assert.Equal(t, redact.RedactableString(want).StripMarkers(), errors.Redact(err), "%s: errors.Redact(err)", form)
				detail := string(redact.Sprintf("%+v", err).Redact())
				assert.True(t, strings.HasPrefix(detail, want+"\n"), "%s: %%+v redacted starts %q:\n%s", form, want, detail)
				for _, w := range tt.wantDetail {
					assert.Contains(t, detail, w, "%s: %%+v redacted", form)
				}
				for _, out := range []string{detail, errors.Redact(err)} {
					assert.NotContains(t, out, "secret", "%s: unsafe text in redacted output:\n%s", form, out)
				}
				// Code names show in %+v, not in errors.Redact (which renders %v).
				assert.NotContains(t, errors.Redact(err), "errcode:", form)
			}
		})
	}
}

// TestRedactionOfPeers: a message whose sender says nothing about its
// safety — a non-Go peer, an older errcode — is unsafe; one whose sender
// says it is safe, or sends a well-formed redactable form, is not.
func TestRedactionOfPeers(t *testing.T) {
	t.Parallel()
	oldSender := func() []byte {
		// What an errcode without message=safe sends for New("uid 0 refused").
		enc := errors.EncodeError(context.Background(), errcode.SocketAuthError.New("uid 0 refused"))
		d := &enc.GetLeaf().Details
		d.ReportablePayload = slices.DeleteFunc(d.ReportablePayload, func(s string) bool { return s == "message=safe" })
		b, err := enc.Marshal()
		require.NoError(t, err)
		return b
	}
	tests := []struct {
		desc         string
		give         func() (error, error)
		wantRedacted string
	}{{
		desc: "JSON without safe_message: unsafe",
		give: func() (error, error) {
			return errcode.DecodeJSON([]byte(`{"version":1,"chain":[{"code":"SocketAuthError","message":"uid 0 refused"}]}`))
		},
		wantRedacted: "‹×›",
	}, {
		desc: "JSON with safe_message",
		give: func() (error, error) {
			return errcode.DecodeJSON([]byte(`{"version":1,"chain":[{"code":"SocketAuthError","message":"uid 0 refused","safe_message":true}]}`))
		},
		wantRedacted: "uid 0 refused",
	}, {
		desc: "JSON with redactable_message",
		give: func() (error, error) {
			return errcode.DecodeJSON([]byte(`{"version":1,"chain":[{"code":"SocketAuthError","message":"uid 0 refused","redactable_message":"uid ‹0› refused"}]}`))
		},
		wantRedacted: "uid ‹×› refused",
	}, {
		desc: "JSON with a malformed redactable_message: unsafe",
		give: func() (error, error) {
			return errcode.DecodeJSON([]byte(`{"version":1,"chain":[{"code":"SocketAuthError","message":"uid 0 refused","redactable_message":"uid ‹0 refused","safe_message":true}]}`))
		},
		wantRedacted: "‹×›",
	}, {
		desc: "JSON with safe_message and a well-formed redactable_message: the latter decides",
		give: func() (error, error) {
			return errcode.DecodeJSON([]byte(`{"version":1,"chain":[{"code":"SocketAuthError","message":"uid 0 refused","redactable_message":"uid ‹0› refused","safe_message":true}]}`))
		},
		wantRedacted: "uid ‹×› refused",
	}, {
		desc: "JSON message layers: unsafe",
		give: func() (error, error) {
			return errcode.DecodeJSON([]byte(`{"version":1,"chain":[{"message":"peer 0"},{"code":"SocketAuthError","message":"refused","safe_message":true}]}`))
		},
		wantRedacted: "‹×›: refused",
	}, {
		desc:         "protobuf from an errcode without message=safe: unsafe",
		give:         func() (error, error) { return errcode.Decode(oldSender()) },
		wantRedacted: "‹×›",
	}}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			err, derr := tt.give()
			require.NoError(t, derr)
			assert.Equal(t, tt.wantRedacted, string(redact.Sprint(err).Redact()))
			// The verdict survives another hop in either form.
			for form, hop := range roundTrips(t, err) {
				assert.Equal(t, tt.wantRedacted, string(redact.Sprint(hop).Redact()), "after %s", form)
			}
		})
	}
}

// TestSafeDetailsHoldNoMessage: the safe details say whether a message is
// safe and never carry a message, even a redactable one.
func TestSafeDetailsHoldNoMessage(t *testing.T) {
	t.Parallel()
	err := errcode.SandboxError.Wrapf(errcode.VmConfigError.New("bad config"), "tenant %s", "secret-tenant")
	for form, err := range roundTrips(t, err) {
		var found []string
		for _, d := range errors.GetAllSafeDetails(err) {
			found = append(found, d.SafeDetails...)
		}
		joined := strings.Join(found, "\n")
		assert.NotContains(t, joined, "tenant", form)
		assert.NotContains(t, joined, "bad config", form)
		assert.Equal(t, 1, strings.Count(joined, "message=safe"), "%s: message=safe for New's message only:\n%s", form, joined)
	}
	// message=safe comes after the code's details, before the stack.
	d := errors.GetSafeDetails(errcode.VmConfigError.New("bad config")).SafeDetails
	require.Len(t, d, 5)
	assert.Equal(t, "message=safe", d[3])
	assert.True(t, strings.HasPrefix(d[4], "stack="), d[4])
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
			assert.Contains(t, report, "start ×: boot timed out", "the safe parts of the messages")
			assert.NotContains(t, report, "secret", "the Sentry report leaks a message or field:\n%s", report)
		})
	}
}

// TestRedactionOnTheWire pins what each form carries (WIRE.md,
// "Redaction"): message=safe after the code's details and before the
// stack, redactable_message in the payload or the layer, nothing for an
// empty message.
func TestRedactionOnTheWire(t *testing.T) {
	t.Parallel()
	stackless := errcode.VmCapacityError // no stack detail
	tests := []struct {
		desc        string
		give        error
		under       bool // the coded layer is below the outermost one
		wantDetails []string
		wantPayload string // the payload's JSON; "" for none
		wantJSON    string // in the JSON form's layer
	}{{
		desc:        "New",
		give:        stackless.New("pool full"),
		wantDetails: []string{"code=VmCapacityError", "retry=transient", "ancestors=VmTransientError TransientError SandboxError", "message=safe"},
		wantJSON:    `"message":"pool full","safe_message":true}`,
	}, {
		desc:        "Newf",
		give:        stackless.Newf("pool %s full", "p1"),
		wantDetails: []string{"code=VmCapacityError", "retry=transient", "ancestors=VmTransientError TransientError SandboxError"},
		wantPayload: `{"redactable_message":"pool ‹p1› full"}`,
		wantJSON:    `"message":"pool p1 full","redactable_message":"pool ‹p1› full"}`,
	}, {
		desc:        "Newf with fields beside",
		give:        errcode.WithFields(stackless.Newf("pool %s full", "p1"), "k", 1),
		under:       true,
		wantDetails: []string{"code=VmCapacityError", "retry=transient", "ancestors=VmTransientError TransientError SandboxError"},
		wantPayload: `{"redactable_message":"pool ‹p1› full"}`,
		wantJSON:    `"message":"pool p1 full","redactable_message":"pool ‹p1› full"}`,
	}, {
		desc:        "Wrap with no message",
		give:        stackless.Wrap(errcode.SandboxError, ""),
		wantDetails: []string{"code=VmCapacityError", "retry=transient", "ancestors=VmTransientError TransientError SandboxError"},
		wantJSON:    `"retry":"transient"},{"kind":"sentinel"`,
	}}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			layer, enc := tt.give, errors.EncodeError(context.Background(), tt.give)
			if tt.under {
				layer, enc = errors.UnwrapOnce(layer), enc.GetWrapper().Cause
			}
			assert.Equal(t, tt.wantDetails, errors.GetSafeDetails(layer).SafeDetails)
			var details *errorspb.EncodedErrorDetails
			if w := enc.GetWrapper(); w != nil {
				details = &w.Details
			} else {
				details = &enc.GetLeaf().Details
			}
			assert.Equal(t, tt.wantDetails, details.ReportablePayload)
			var payload string
			if details.FullDetails != nil {
				var bv types.BytesValue
				require.NoError(t, types.UnmarshalAny(details.FullDetails, &bv))
				payload = string(bv.Value)
			}
			assert.Equal(t, tt.wantPayload, payload)
			js, err := errcode.EncodeJSON(tt.give)
			require.NoError(t, err)
			assert.Contains(t, string(js), tt.wantJSON)
		})
	}
}
