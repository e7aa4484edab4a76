// Package errcodesentry reports errcode errors to Sentry, live or decoded
// from another process, grouped by code.
//
// cockroachdb's errors.BuildSentryReport finds stack frames only through
// program counters or the wrappers it knows; an errcode error decoded
// from the wire ([errcode.Decode], [errcode.DecodeJSON], errcodegrpc)
// carries its sender's stack as text, so that report gives every such
// error the same frameless exception, and Sentry puts them all in one
// issue. [BuildReport] starts from cockroachdb's report and adds what
// errcode knows:
//
//   - the canonical name of the error's code ([errcode.CodeOf]) as the
//     title's exception type;
//   - the sender's stack frames for every layer that has a stack, decoded
//     or not, oldest frame first;
//   - the fingerprint {"errcode", "<code name>"}, so that Sentry groups by
//     code, not by message or stack;
//   - the tags errcode.code, errcode.retry and (for a code this process
//     lacks) errcode.sent_code, and an "errcode" context with the
//     ancestry.
//
// Messages and field values are redacted as cockroachdb redacts them;
// code names, ancestry, retry decisions and stack traces are safe details
// and appear as they are.
//
// # Use
//
//	hub := sentry.CurrentHub()
//	if err := startVM(ctx); err != nil {
//		errcodesentry.CaptureException(hub, err) // instead of hub.CaptureException(err)
//	}
//
// It lives in a subpackage so that users of errcode who do not report to
// Sentry do not depend on the Sentry SDK.
package errcodesentry
