// Package errcodeotel records errcode errors on OpenTelemetry spans: the
// error's code as the span's error.type, errcode's answers about it as
// attributes, and its message redacted.
//
// It lives in a subpackage so that users of errcode who do not trace need
// not build against OpenTelemetry's trace API.
//
// # Recording
//
//	ctx, span := tracer.Start(ctx, "StartSandbox")
//	defer span.End()
//	if err := start(ctx); err != nil {
//		errcodeotel.RecordError(span, err)
//		return err
//	}
//
// [RecordError] on a recording span:
//
//   - sets error.type to semconv.ErrorType(err): the canonical name of the
//     outermost code this process knows ([errcode.Code.ErrorType]); "_OTHER"
//     for a peer's code this process knows neither by name nor by any
//     ancestor; the Go type's name for an error with no errcode layer;
//   - sets [CodeKey] (errcode.code) and [AncestorsKey] (errcode.ancestors)
//     to [errcode.NameOf] and [errcode.AncestorNamesOf]: the outermost
//     code as the sender named it, also when this process lacks the
//     code, and its ancestry — this process's for a code it knows, as
//     sent for one it lacks; omitted when err has no code (ancestors,
//     also for a root code);
//   - sets [RetryKey] (errcode.retry) to [errcode.RetryOf](err):
//     "transient", "permanent" or "unspecified";
//   - sets [RetryAfterKey] (errcode.retry_after) to [errcode.RetryAfterOf](err)
//     in seconds when there is a hint;
//   - adds an "exception" event with exception.type (the same value as
//     error.type) and exception.message;
//   - sets the span's status to Error with the same message as the event.
//
// # Redaction
//
// The message on the event and the status is the error's redactable form
// with every unsafe part replaced by ‹×› — redact.Sprint(err).Redact(), as
// cockroachdb's reports do — so that what is not known to be safe, such as
// an [errcode.Code.Newf] argument or a plain error's text, does not reach
// the tracing backend. Field values are not in the message. Code names
// are safe, and are in the attributes. [WithUnredactedMessage] records
// err.Error() instead, for a backend trusted with it.
//
// RecordError does not call the span's own RecordError, which would
// record err.Error() unredacted and the Go type as exception.type.
package errcodeotel
