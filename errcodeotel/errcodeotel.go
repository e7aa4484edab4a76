package errcodeotel

import (
	"github.com/cockroachdb/redact"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/errcode/errcode"
)

// The keys of the span attributes [RecordError] sets besides semconv's
// error.type.
const (
	// CodeKey is the outermost code's name as its sender named it
	// ([errcode.NameOf]), a string.
	CodeKey = attribute.Key("errcode.code")
	// AncestorsKey is the outermost code's ancestry, parent first
	// ([errcode.AncestorNamesOf]: this registry's for a code it knows, as
	// its sender named it for one it lacks), a string slice.
	AncestorsKey = attribute.Key("errcode.ancestors")
	// RetryKey is the retry decision ([errcode.RetryOf]): "transient",
	// "permanent" or "unspecified".
	RetryKey = attribute.Key("errcode.retry")
	// RetryAfterKey is the retry-after hint ([errcode.RetryAfterOf]) in
	// seconds, a float64.
	RetryAfterKey = attribute.Key("errcode.retry_after")
)

// An Option configures one call of [RecordError]. A nil Option is
// ignored.
type Option interface {
	apply(*config)
}

// optionFunc adapts a function to an Option.
type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	unredacted bool
}

// WithUnredactedMessage returns an Option that records err.Error() as the
// exception message and the status description, instead of its redacted
// form: for a tracing backend trusted with whatever the messages and
// fields hold.
func WithUnredactedMessage() Option {
	return optionFunc(func(c *config) { c.unredacted = true })
}

// RecordError records err on span: error.type, errcode's attributes, an
// exception event with the redacted message, and an Error status (see the
// package documentation). It does nothing when err is nil, span is nil or
// span is not recording.
func RecordError(span trace.Span, err error, opts ...Option) {
	if err == nil || span == nil || !span.IsRecording() {
		return
	}
	var c config
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}

	errorType := semconv.ErrorType(err)
	attrs := make([]attribute.KeyValue, 0, 5)
	attrs = append(attrs, errorType)
	if name := errcode.NameOf(err); name != "" {
		attrs = append(attrs, CodeKey.String(name))
	}
	if names := errcode.AncestorNamesOf(err); len(names) > 0 {
		attrs = append(attrs, AncestorsKey.StringSlice(names))
	}
	attrs = append(attrs, RetryKey.String(errcode.RetryOf(err).String()))
	if d := errcode.RetryAfterOf(err); d > 0 {
		attrs = append(attrs, RetryAfterKey.Float64(d.Seconds()))
	}
	span.SetAttributes(attrs...)

	msg := message(err, c.unredacted)
	span.AddEvent(semconv.ExceptionEventName, trace.WithAttributes(
		semconv.ExceptionType(errorType.Value.AsString()),
		semconv.ExceptionMessage(msg),
	))
	span.SetStatus(codes.Error, msg)
}

// message returns err's message for the event and the status: redacted
// unless unredacted.
func message(err error, unredacted bool) string {
	if unredacted {
		return err.Error()
	}
	return string(redact.Sprint(err).Redact())
}
