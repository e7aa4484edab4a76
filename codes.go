package errcode

import (
	"net/http"
	"time"

	"google.golang.org/grpc/codes"
)

// The sandbox catalog: the exception hierarchy of the Python sandbox
// runner this package started from, registered in [Default]. Every code's
// parent, retry flag and aliases are those of the runner's exception
// module; see CODES.md for the table.
var (
	SandboxError           = MustRegister("SandboxError", Code{}, Doc("base of all sandbox errors"))
	SandboxDependencyError = MustRegister("SandboxDependencyError", SandboxError,
		Doc("optional dependency missing (e.g. S3 client for snapshot backup)"),
		GRPCCode(codes.Unimplemented), HTTPStatus(http.StatusNotImplemented))

	TransientError = MustRegister("TransientError", SandboxError, Transient,
		Doc("may succeed on retry"),
		GRPCCode(codes.Unavailable), HTTPStatus(http.StatusServiceUnavailable))
	PermanentError = MustRegister("PermanentError", SandboxError, Permanent,
		Doc("will not succeed on retry"),
		GRPCCode(codes.Internal), HTTPStatus(http.StatusInternalServerError))

	VmTransientError   = MustRegister("VmTransientError", TransientError, Doc("transient VM errors"))
	VmBootTimeoutError = MustRegister("VmBootTimeoutError", VmTransientError,
		Doc("guest agent not ready in time (CPU contention)"),
		GRPCCode(codes.DeadlineExceeded), HTTPStatus(http.StatusGatewayTimeout))
	VmOverlayError = MustRegister("VmOverlayError", VmTransientError,
		Doc("qemu-img / qemu-storage-daemon overlay creation failed"),
		PythonInit(pyMessage, pyContext,
			PythonParam{Name: KeyStderr, Type: "str", Default: `""`},
			PythonParam{Name: KeyErrorClass, Type: "str | None", Default: "None"}))
	VmQemuCrashError = MustRegister("VmQemuCrashError", VmTransientError, Doc("QEMU exited during boot"))
	VmGvproxyError   = MustRegister("VmGvproxyError", VmTransientError,
		Doc("gvproxy failed to start or create its socket"))
	VmCapacityError = MustRegister("VmCapacityError", VmTransientError,
		Doc("pool full; back off and retry"),
		GRPCCode(codes.Unavailable), HTTPStatus(http.StatusServiceUnavailable),
		RetryAfter(time.Second), Stackless())

	VmPermanentError = MustRegister("VmPermanentError", PermanentError, Doc("permanent VM errors"))
	VmConfigError    = MustRegister("VmConfigError", VmPermanentError, Doc("invalid VM configuration"),
		GRPCCode(codes.InvalidArgument), HTTPStatus(http.StatusBadRequest))
	VmDependencyError = MustRegister("VmDependencyError", VmPermanentError,
		Doc("required binary, image or system user missing"),
		GRPCCode(codes.FailedPrecondition), HTTPStatus(http.StatusInternalServerError))

	BalloonTransientError       = MustRegister("BalloonTransientError", TransientError, Doc("balloon memory control failed"))
	CommunicationTransientError = MustRegister("CommunicationTransientError", TransientError,
		Doc("socket/network transient issue"))

	SnapshotError = MustRegister("SnapshotError", SandboxError, Doc("snapshot create/load/manage failed"),
		GRPCCode(codes.Internal), HTTPStatus(http.StatusInternalServerError))
	CommunicationError = MustRegister("CommunicationError", SandboxError, Doc("guest communication failed"),
		GRPCCode(codes.Unavailable), HTTPStatus(http.StatusBadGateway))
	SocketAuthError = MustRegister("SocketAuthError", CommunicationError,
		Doc("Unix socket peer is not the expected user (possible hijack)"),
		PythonInit(pyMessage,
			PythonParam{Name: KeyExpectedUID, Type: "int", Context: true},
			PythonParam{Name: KeyActualUID, Type: "int", Context: true},
			pyContext),
		GRPCCode(codes.Internal), HTTPStatus(http.StatusInternalServerError))
	GuestAgentError = MustRegister("GuestAgentError", SandboxError, Doc("guest agent reported failure"),
		PythonInit(pyMessage, PythonParam{Name: KeyResponse, Type: "dict[str, Any]", Context: true}),
		GRPCCode(codes.FailedPrecondition), HTTPStatus(http.StatusUnprocessableEntity))
	PackageNotAllowedError = MustRegister("PackageNotAllowedError", SandboxError, Doc("package not in the allowlist"),
		GRPCCode(codes.PermissionDenied), HTTPStatus(http.StatusForbidden))
	EnvVarValidationError = MustRegister("EnvVarValidationError", SandboxError,
		Doc("env var name/value has control chars, NUL, or is too large"),
		GRPCCode(codes.InvalidArgument), HTTPStatus(http.StatusBadRequest))
	AssetError = MustRegister("AssetError", SandboxError, Doc("asset download/verify/process failed"),
		GRPCCode(codes.Internal), HTTPStatus(http.StatusInternalServerError))
	AssetDownloadError = MustRegister("AssetDownloadError", AssetError, Doc("download failed after all retries"),
		GRPCCode(codes.Unavailable), HTTPStatus(http.StatusBadGateway))
	AssetChecksumError = MustRegister("AssetChecksumError", AssetError, Doc("SHA-256 mismatch"),
		GRPCCode(codes.DataLoss), HTTPStatus(http.StatusBadGateway))
	AssetNotFoundError = MustRegister("AssetNotFoundError", AssetError, Doc("asset or release not found"),
		GRPCCode(codes.NotFound), HTTPStatus(http.StatusNotFound))
)

// The parameters every constructor of the exception module starts with,
// for the PythonInit options above (package errcodepy).
var (
	pyMessage = PythonParam{Name: "message", Type: "str"}
	pyContext = PythonParam{Name: "context", Type: "dict[str, Any] | None", Default: "None"}
)

// The exception module's backward-compatible names: each is the same Code as
// the one it names, and [Lookup] finds it under the old name.
var (
	VmError                = MustAlias("VmError", VmPermanentError)
	VmTimeoutError         = MustAlias("VmTimeoutError", VmBootTimeoutError)
	VmBootError            = MustAlias("VmBootError", VmTransientError)
	QemuImgError           = MustAlias("QemuImgError", VmOverlayError)
	QemuStorageDaemonError = MustAlias("QemuStorageDaemonError", VmOverlayError)
	BalloonError           = MustAlias("BalloonError", BalloonTransientError)
)

// The field keys of the exception module's extra attributes.
const (
	KeyStderr      = "stderr"       // VmOverlayError: qemu-img's standard error
	KeyErrorClass  = "error_class"  // VmOverlayError: QMP error class, absent when none
	KeyExpectedUID = "expected_uid" // SocketAuthError: the uid the socket should belong to
	KeyActualUID   = "actual_uid"   // SocketAuthError: the uid it belongs to
	KeyResponse    = "response"     // GuestAgentError: the agent's response
)

// NewVmOverlayError returns a [VmOverlayError] with the fields stderr and,
// when errorClass is not "", error_class, and the extra fields kv.
func NewVmOverlayError(msg, stderr, errorClass string, kv ...any) error {
	typed := []any{KeyStderr, stderr}
	if errorClass != "" {
		typed = append(typed, KeyErrorClass, errorClass)
	}
	return VmOverlayError.withStack(&codedErr{code: VmOverlayError.c, msg: msg, fields: typedFields(kv, typed...)})
}

// NewSocketAuthError returns a [SocketAuthError] with the fields
// expected_uid and actual_uid, and the extra fields kv.
func NewSocketAuthError(msg string, expectedUID, actualUID int, kv ...any) error {
	return SocketAuthError.withStack(&codedErr{code: SocketAuthError.c, msg: msg,
		fields: typedFields(kv, KeyExpectedUID, expectedUID, KeyActualUID, actualUID)})
}

// NewGuestAgentError returns a [GuestAgentError] with the agent's response
// as the field response.
func NewGuestAgentError(msg string, response map[string]any) error {
	return GuestAgentError.withStack(&codedErr{code: GuestAgentError.c, msg: msg,
		fields: makeFields([]any{KeyResponse, response})})
}

// typedFields returns the fields kv with the typed pairs after them, so
// that a typed value wins over one of the same key in kv.
func typedFields(kv []any, typed ...any) []field {
	fs := append(makeFields(kv), makeFields(typed)...)
	sortFields(fs)
	return fs
}
