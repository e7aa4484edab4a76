// Package errcode is a registry of error codes: every error is a
// registered [Code] with a parent code and a retry flag, and the registry
// answers, for any error however deeply wrapped, "is this a kind of X?"
// and "should I retry it?" — in the process that made it and in any
// process it was sent to, even one whose registry is older and lacks the
// code. It is built on github.com/cockroachdb/errors, which gives it
// stack traces, redaction, Sentry reports and a network-portable
// encoding.
//
// # Codes
//
// A [Registry] holds a tree of codes. [Default] holds the sandbox catalog
// (see codes.go and CODES.md), and programs add their own:
//
//	var VmSnapshotRestoreError = errcode.MustRegister("VmSnapshotRestoreError",
//		errcode.VmTransientError, errcode.Doc("snapshot restore failed"))
//
// A code's retry decision is its own flag ([Transient], [Permanent]) or
// its nearest ancestor's; [Code.IsA] answers ancestry in constant time.
// A Code is also a sentinel error: errors.Is(err, errcode.TransientError)
// is true for any error carrying TransientError or a descendant.
//
// # Errors
//
// [Code.New], [Code.Newf], [Code.Wrap] and [Code.Wrapf] make coded errors
// with a stack trace and fields (log/slog-style key/value pairs, the
// Python sandbox runner's context dict). A helper that makes errors for
// its callers uses [Code.NewWithDepth] and [Code.WrapWithDepth], so that
// the stack trace starts at its caller. [WithFields], [WithRetry] and
// [WithRetryAfter] add fields, a per-error retry decision and a retry
// hint to any error.
//
// # Questions
//
// [Is], [CodeOf], [Match], [RetryOf], [IsRetryable], [Fields], [Field],
// [GRPCCodeOf], [HTTPStatusOf] and [RetryAfterOf] walk the whole error
// tree — errcode's layers, cockroachdb's, fmt.Errorf's %w and errors.Join
// — without allocating where the answer is a code or a decision.
//
// [RetryOf] follows one precedence rule, written out in its
// documentation: the outermost layer that decides, decides.
//
// # Across processes
//
// [Encode] and [Decode] carry an error in cockroachdb's protobuf form;
// [EncodeJSON] and [DecodeJSON] in a small JSON form for non-Go peers
// (WIRE.md). Each coded layer carries its code's name, ancestry and retry
// decision, so a receiver that lacks the code still answers for every
// ancestor it knows — in every ancestry, for a peer's code with several
// parents (a Python class with several bases) — and a receiver that
// knows the code answers from its own registry. Decoding binds names to [Default]; a program with its own
// Registry uses [Registry.Decode], [Registry.DecodeJSON], or
// [WithRegistry] around cockroachdb's errors.DecodeError.
//
// # At the boundary
//
// The errcodegrpc subpackage carries errors through gRPC status details:
// errcode's own encoding beside the standard google.rpc.ErrorInfo (its
// reason is [Code.Reason], its domain [Registry.Domain]) and RetryInfo,
// within a trailer budget. [WriteHTTPError] writes an RFC 9457 problem
// document that is also errcode's JSON form, and [ErrorFromResponse]
// reads any response back. [WithGRPCCode] and [WithHTTPStatus] choose one
// error's status; [GRPCCodeRetry] and [HTTPStatusRetry] classify the
// statuses of peers that know nothing of errcode. At a trust boundary,
// [Public] — the [DisclosePublic] policy of both transports — keeps only
// what is safe to show the caller.
//
// # Reporting
//
// errcode follows cockroachdb's redaction rules: a [Code.New] or
// [Code.Wrap] message is a safe literal, [Code.Newf]'s arguments are not,
// field values are not unless marked [Safe], and codes, ancestry and
// retry decisions always are. Errors log themselves as log/slog groups;
// [ReplaceAttr] does the same for any error and [NewSafeHandler] logs only
// the safe parts. The errcodesentry and errcodeotel subpackages report to
// Sentry, grouped by code, and to OpenTelemetry spans, whose error.type
// errcode's errors give through an ErrorType method.
package errcode
