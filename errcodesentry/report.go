package errcodesentry

import (
	"strings"

	"github.com/cockroachdb/errors"
	"github.com/cockroachdb/errors/errbase"
	"github.com/cockroachdb/redact"
	"github.com/getsentry/sentry-go"

	"github.com/errcode/errcode"
)

// Tag keys and the context key of an event for a coded error.
const (
	// TagCode is the canonical name of the error's code, [errcode.CodeOf]:
	// for a code this process's registry lacks, its nearest known
	// ancestor.
	TagCode = "errcode.code"
	// TagSentCode is the code's name as the sender named it,
	// [errcode.NameOf], set only when it differs from the TagCode value.
	TagSentCode = "errcode.sent_code"
	// TagRetry is the error's retry decision, [errcode.RetryOf]:
	// "transient", "permanent" or "unspecified".
	TagRetry = "errcode.retry"
	// ContextKey is the key of the event's context that holds the code,
	// the code as sent, its ancestors ([errcode.AncestorNamesOf]: this
	// registry's for a code it knows, as sent for one it lacks) and the
	// retry decision.
	ContextKey = "errcode"
)

// FingerprintPrefix is the first element of the fingerprint of an event
// for a coded error: {"errcode", "<canonical code name>"}.
const FingerprintPrefix = "errcode"

// BuildReport returns a Sentry event for err and the extra details that
// go with it, as cockroachdb's errors.BuildSentryReport does, with what
// errcode knows added; it returns nil, nil for a nil err.
//
// For an error with a code the event has:
//   - as exceptions, one per layer with a stack trace, in Sentry's order
//     (innermost first, the outermost last); each frame list oldest
//     first. A live errcode layer gives the frames of its program
//     counters; one decoded from the wire ([errcode.Decode],
//     [errcode.DecodeJSON]) gives the sender's frames, parsed from the
//     stack that travelled with it. A layer's exception type is its code
//     name if it is a coded layer, else its Go type; its value is its
//     message, redacted.
//   - as the last exception, which Sentry shows as the title, the
//     canonical name of the error's code, [errcode.CodeOf](err).Name(),
//     and the whole message, redacted. Without any stack trace in err,
//     this is the only exception, without frames.
//   - as fingerprint, {"errcode", CodeOf(err).Name()}: Sentry groups by
//     code, not by message or stack. A code this process lacks groups
//     under its nearest known ancestor, so a peer's new names do not make
//     new issues here; the name it was sent under is the TagSentCode tag.
//   - the tags [TagCode], [TagRetry] and, when it differs, [TagSentCode],
//     and the context [ContextKey].
//
// An error whose codes are all unknown to this process's registry, with
// no known ancestor, is titled with its code's name as sent and has no
// fingerprint: Sentry's default grouping, by the frames, applies. An
// error with no code at all gets errors.BuildSentryReport's event
// unchanged. Every event has level error (errors.BuildSentryReport sets
// none, which Sentry takes as info).
//
// Nothing unsafe is reported: messages and field values appear redacted
// as cockroachdb redacts them (redact.Sprint(err).Redact()), except those
// marked safe ([errcode.Safe], redact.Safe); code names, ancestry, retry
// decisions and stack traces, which are safe details, appear as they
// are. The event's Message is errors.BuildSentryReport's: the redacted
// %+v of err and the layers' types; the extra details are its too.
func BuildReport(err error) (*sentry.Event, map[string]any) {
	if err == nil {
		return nil, nil
	}
	event, extras := errors.BuildSentryReport(err)
	event.Level = sentry.LevelError
	sent := errcode.NameOf(err)
	if sent == "" {
		return event, extras
	}
	code := errcode.CodeOf(err)
	retry := errcode.RetryOf(err).String()

	title := code.Name()
	if code.IsZero() {
		title = sent
	}
	module := ""
	if len(event.Exception) > 0 {
		module = event.Exception[0].Module
	}
	event.Exception = exceptions(err, title, module)

	ctx := sentry.Context{"sent_code": sent, "retry": retry}
	if a := errcode.AncestorNamesOf(err); a != nil {
		ctx["ancestors"] = a
	}
	if !code.IsZero() {
		event.Fingerprint = []string{FingerprintPrefix, code.Name()}
		event.Tags[TagCode] = code.Name()
		ctx["code"] = code.Name()
	}
	if sent != code.Name() {
		event.Tags[TagSentCode] = sent
	}
	event.Tags[TagRetry] = retry
	if event.Contexts == nil {
		event.Contexts = make(map[string]sentry.Context)
	}
	event.Contexts[ContextKey] = ctx
	return event, extras
}

// exceptions returns the exceptions of err's event: one per layer with a
// stack trace, innermost first, the last one titled with title and err's
// whole message.
func exceptions(err error, title, module string) []sentry.Exception {
	var out []sentry.Exception
	visit(err, func(layer error) {
		st := stackOf(layer)
		if st == nil {
			return
		}
		out = append(out, sentry.Exception{
			Type:       layerType(layer),
			Value:      redacted(layer),
			Module:     module,
			Stacktrace: st,
		})
	})
	if len(out) == 0 {
		out = append(out, sentry.Exception{Module: module})
	}
	// visit went outermost first; Sentry wants the outermost last.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	main := &out[len(out)-1]
	main.Type = title
	main.Value = redacted(err)
	return out
}

// visit calls f with each layer of err's tree, outermost first, depth
// first, first branch first, as errors.BuildSentryReport visits them.
func visit(err error, f func(error)) {
	f(err)
	if c := errbase.UnwrapOnce(err); c != nil {
		visit(c, f)
	}
	for _, c := range errbase.UnwrapMulti(err) {
		visit(c, f)
	}
}

// layerType returns the code name of a coded layer, as it travelled, or
// else the layer's Go type less its package path, as
// errors.BuildSentryReport names layers ("*withstack.withStack").
func layerType(layer error) string {
	if name, ok := detail(safeDetails(layer), detailCode); ok {
		return name
	}
	tn := errbase.GetSafeDetails(layer).OriginalTypeName
	if i := strings.LastIndexByte(tn, '/'); i >= 0 {
		tn = tn[i+1:]
	}
	return tn
}

// redacted returns err's message with everything not marked safe
// replaced by redact's marker, and the markers of safe parts removed.
func redacted(err error) string {
	return redact.Sprint(err).Redact().StripMarkers()
}

// CaptureException builds err's event with [BuildReport] and sends it
// through hub, or through sentry.CurrentHub() when hub is nil, as
// hub.CaptureException(err) would send sentry-go's own event. The extra
// details become contexts, as cockroachdb's errors.ReportError makes
// them, and err is the event hint's OriginalException, for a BeforeSend
// callback. It returns the event's ID, or nil when err is nil or the
// event was not sent (no client, sampled out, dropped by BeforeSend).
func CaptureException(hub *sentry.Hub, err error) *sentry.EventID {
	if err == nil {
		return nil
	}
	if hub == nil {
		hub = sentry.CurrentHub()
	}
	event, extras := BuildReport(err)
	if event.Contexts == nil {
		event.Contexts = make(map[string]sentry.Context)
	}
	for k, v := range extras {
		event.Contexts[k] = sentry.Context{"value": v}
	}
	return hub.CaptureEventWithHint(event, &sentry.EventHint{OriginalException: err})
}
