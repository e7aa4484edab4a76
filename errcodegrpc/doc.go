// Package errcodegrpc carries errcode errors across gRPC: the server
// interceptors put the whole error — codes, ancestry, retry decision,
// fields, messages and stack traces — into the gRPC status, and the
// client interceptors give it back as an error that answers
// [errcode.Is], [errcode.RetryOf], [errcode.Field] and the other
// queries as it did in the server.
//
// It lives in a subpackage so that users of errcode who do not serve gRPC
// need only the small google.golang.org/grpc/codes package, not the gRPC
// runtime.
//
// # Server
//
//	srv := grpc.NewServer(
//		grpc.ChainUnaryInterceptor(errcodegrpc.UnaryServerInterceptor()),
//		grpc.ChainStreamInterceptor(errcodegrpc.StreamServerInterceptor()),
//	)
//
// [UnaryServerInterceptor] and [StreamServerInterceptor] turn a handler's
// error into a status:
//
//   - code: [errcode.GRPCCodeOf](err). When no code in err maps to a gRPC
//     code, the code of a gRPC status that err wraps, or else what grpc-go
//     itself would send (Canceled or DeadlineExceeded for context errors,
//     Unknown for the rest).
//   - message: err.Error(), so that a client without the interceptors
//     still gets the right code and message.
//   - details: the details of a gRPC status err wraps, if any, less its
//     errcode detail, and less its google.rpc.ErrorInfo when err has a
//     code and its google.rpc.RetryInfo always; then, for an error with a
//     code, one google.rpc.ErrorInfo (AIP-193: reason [errcode.ReasonOf],
//     the registry's domain, metadata [MetadataCode], [MetadataAncestors],
//     [MetadataRetry] and the Safe fields whose keys AIP-193 allows); a
//     google.rpc.RetryInfo (AIP-194) exactly when err is
//     [errcode.Transient], its delay [errcode.RetryAfterOf]; and err in
//     errcode's wire form as a google.protobuf.Any of type
//     [DetailTypeURL] — [errcode.Public](err) under [WithDisclosure]
//     ([errcode.DisclosePublic]).
//
// The message is made valid UTF-8 for grpc-message; the wire form keeps
// its bytes. A handler's error that is a gRPC status and carries nothing
// of errcode (no code, retry decision, retry-after hint or field in its
// chain) is returned unchanged.
//
// # Trailer budget
//
// The trailer block — :status, content-type, grpc-status, grpc-message,
// grpc-status-details-bin and the trailers set on the RPC's stream before
// the interceptor returns — is fitted to [DefaultTrailerBudget] bytes or
// the [WithTrailerBudget] budget, each field counted as HTTP/2 counts a
// header list: name, value and 32. What does not fit is given up in this
// order, each step named in ErrorInfo's [MetadataDropped]: "shared-frames",
// "stacks" (innermost first), "field-values" (unsafe ones), "fields",
// "details" (an inner status's), "layers" (inner ones; the retry decision,
// retry-after hint and gRPC code are then written on top as overrides),
// "messages" (cut and marked), and last "errcode" (the whole wire form,
// leaving code, message, ErrorInfo and RetryInfo). See [errcode.Trim].
//
// # Client
//
//	conn, err := grpc.NewClient(target,
//		grpc.WithChainUnaryInterceptor(errcodegrpc.UnaryClientInterceptor()),
//		grpc.WithChainStreamInterceptor(errcodegrpc.StreamClientInterceptor()),
//		...)
//
// [UnaryClientInterceptor] and [StreamClientInterceptor] look for the
// errcode detail in the status of a failed call and return the error it
// decodes to, with code names bound to [errcode.Default] or the registry
// given with [WithRegistry]. A code the client's registry lacks stays
// known by its name and answers for its nearest ancestor the registry
// knows (see [errcode.Registry.Decode]).
//
// The error returned keeps the status it came in: status.Code and
// status.FromError give the code, message and every detail the server
// sent (errdetails.BadRequest and other details the client knows nothing
// of among them), also through fmt.Errorf's %w (grpc-go then gives the
// status the wrapper's message). [errcode.GRPCCodeOf] reports the code
// the server sent, even where the client's registry maps the error's
// codes to another or to none (a handler's context.Canceled, a
// SandboxError wrapping a NotFound status). The status is a thin layer
// that [errcode.Encode] and [errcode.EncodeJSON] leave out: re-encoding
// the error gives the bytes the server sent, so a service that returns it
// from its own handler passes the detail on unchanged, and wrapped with
// fmt.Errorf it encodes as the server's error so wrapped.
//
// A status without the detail — from a server that knows nothing of
// errcode, in any language — is read by its standard details
// (AIP-193, AIP-194), and its status is kept as above:
//
//   - the first google.rpc.ErrorInfo whose reason, in the registry's
//     domain ([errcode.Registry.Domain]), or whose metadata["code"]
//     names a code the registry knows makes the error that code's
//     [errcode.Code.Wrap] of the status error, with no message of its
//     own;
//   - the retry decision is that code's when it decides one; else
//     Transient when the status has a google.rpc.RetryInfo; else, when no
//     code is named, [errcode.GRPCCodeRetry] of the status code
//     (Transient for Unavailable only), as a [errcode.WithRetry]
//     override;
//   - the RetryInfo's retry_delay, when over 0, is the retry-after hint
//     ([errcode.WithRetryAfter]).
//
// Errors that are not statuses are returned unchanged (io.EOF from a
// stream's RecvMsg stays io.EOF). A detail that does not decode —
// malformed, over [errcode.MaxEncodedSize], nested past
// [errcode.MaxDepth] — gives a [*DecodeError], which says what was wrong,
// carries the status, and unwraps to the status read as one without the
// detail.
//
// A plain gRPC client should follow RetryInfo, not the status code:
// errcode maps VmBootTimeoutError to DeadlineExceeded though it is
// transient, and CommunicationError to Unavailable though it decides
// nothing.
//
// # Wire form
//
// The detail's type URL, [DetailTypeURL], names cockroachdb's
// cockroach.errorspb.EncodedError because that is exactly what the bytes
// are: a client using cockroachdb/errors' own grpc middleware decodes
// the detail too, and these client interceptors decode what that
// middleware's server sends. Clients that know neither ignore the detail
// (grpc-go's Status.Details reports it as an unknown type) and read the
// code and message.
package errcodegrpc
