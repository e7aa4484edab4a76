package errcode_test

// ExampleMatch and Example_service… run the snippets of README.md's
// "Using errcode in a service"; its gRPC and retry snippets run as
// errcodegrpc's Example and errcoderetry's ExampleDo.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/cockroachdb/errors/errbase"
	"github.com/cockroachdb/redact"

	"github.com/errcode/errcode"
)

// A service defines its codes once, returns them wrapped in context, and
// its handler asks the chain what happened.
func Example() {
	reg := errcode.NewRegistry()
	storeError := reg.MustRegister("StoreError", errcode.Code{}, errcode.Doc("the store failed"))
	storeUnavailable := reg.MustRegister("StoreUnavailable", storeError, errcode.Transient,
		errcode.Doc("the store is down; retry later"))
	storeCorrupt := reg.MustRegister("StoreCorrupt", storeError, errcode.Permanent)

	load := func(key string) error {
		// The store's client failed; say what we were doing and keep the cause.
		return storeUnavailable.Wrap(io.ErrUnexpectedEOF, "load "+key, "key", key)
	}

	err := fmt.Errorf("get user: %w", load("user/42"))

	fmt.Println(err)
	fmt.Println("code:", errcode.CodeOf(err))
	fmt.Println("is a StoreError:", errcode.Is(err, storeError))
	fmt.Println("is StoreCorrupt:", errcode.Is(err, storeCorrupt))
	fmt.Println("retryable:", errcode.IsRetryable(err))
	key, _ := errcode.Field[string](err, "key")
	fmt.Println("key:", key)
	// Output:
	// get user: load user/42: unexpected EOF
	// code: StoreUnavailable
	// is a StoreError: true
	// is StoreCorrupt: false
	// retryable: true
	// key: user/42
}

func ExampleCode_New() {
	err := errcode.VmConfigError.New("vcpus must be at least 1", "vcpus", 0)

	fmt.Println(err)
	fmt.Println(errcode.NameOf(err))
	fmt.Println(errcode.RetryOf(err))
	vcpus, _ := errcode.Field[int](err, "vcpus")
	fmt.Println("vcpus:", vcpus)
	// Output:
	// vcpus must be at least 1
	// VmConfigError
	// permanent
	// vcpus: 0
}

func ExampleCode_Wrap() {
	cause := fs.ErrNotExist
	err := errcode.AssetNotFoundError.Wrap(cause, "open rootfs.img")

	fmt.Println(err)
	fmt.Println(errors.Is(err, fs.ErrNotExist)) // the cause is still there
	fmt.Println(errcode.Is(err, errcode.AssetError))

	// An empty message adds a code and nothing to the text.
	fmt.Println(errcode.AssetNotFoundError.Wrap(cause, ""))

	// Wrapping nil gives nil, so a result can be wrapped unconditionally.
	fmt.Println(errcode.AssetNotFoundError.Wrap(nil, "open rootfs.img") == nil)
	// Output:
	// open rootfs.img: file does not exist
	// true
	// true
	// file does not exist
	// true
}

// A Code is a sentinel error: the standard library's errors.Is finds it,
// and its ancestors, in a chain.
func ExampleIs() {
	err := fmt.Errorf("start: %w", errcode.VmBootTimeoutError.New("guest agent not ready"))

	fmt.Println(errcode.Is(err, errcode.TransientError))
	fmt.Println(errors.Is(err, errcode.TransientError))
	fmt.Println(errors.Is(err, errcode.VmTimeoutError)) // the old name
	fmt.Println(errors.Is(err, errcode.PermanentError))
	// Output:
	// true
	// true
	// true
	// false
}

// A handler dispatches on the candidate nearest to the error's code.
func ExampleMatch() {
	reply := func(err error) string {
		switch c, _ := errcode.Match(err, errcode.VmCapacityError, errcode.TransientError, errcode.PermanentError); c {
		case errcode.VmCapacityError:
			return "busy, come back later"
		case errcode.TransientError:
			return "retrying"
		case errcode.PermanentError:
			return "failed"
		}
		return "unknown"
	}

	// VmCapacityError is a TransientError too; the nearer candidate wins.
	fmt.Println(reply(errcode.VmCapacityError.New("pool full")))
	fmt.Println(reply(crdberrors.Wrap(errcode.VmBootTimeoutError.New("agent not ready"), "boot")))
	fmt.Println(reply(errcode.VmConfigError.New("two boot disks")))
	fmt.Println(reply(errcode.SnapshotError.New("snapshot corrupt"))) // under none of them
	fmt.Println(reply(io.EOF))                                        // no code at all
	// Output:
	// busy, come back later
	// retrying
	// failed
	// unknown
	// unknown
}

func ExampleRetryOf() {
	boot := errcode.VmBootTimeoutError.New("guest agent not ready")

	fmt.Println(errcode.RetryOf(boot))
	// An unspecified code defers to what it wraps...
	fmt.Println(errcode.RetryOf(errcode.SandboxError.Wrap(boot, "start sandbox")))
	// ...a deciding one wins.
	fmt.Println(errcode.RetryOf(errcode.PermanentError.Wrap(boot, "start sandbox")))
	// So does an explicit override.
	fmt.Println(errcode.RetryOf(errcode.WithRetry(boot, errcode.Permanent)))
	// Of several causes, one Permanent is enough.
	fmt.Println(errcode.RetryOf(errors.Join(boot, errcode.VmConfigError.New("bad image"))))
	// Nothing known.
	fmt.Println(errcode.RetryOf(io.EOF))
	// Output:
	// transient
	// transient
	// permanent
	// permanent
	// permanent
	// unspecified
}

func ExampleWithFields() {
	err := errcode.SnapshotError.New("snapshot failed", "vm", "vm-1")
	err = errcode.WithFields(err, "attempt", 3, slog.String("vm", "vm-2"))

	fields := errcode.Fields(err)
	fmt.Println(fields["vm"], fields["attempt"]) // the outer layer wins
	// Output:
	// vm-2 3
}

func ExampleField() {
	err := errcode.NewSocketAuthError("socket peer is not the agent", 1000, 0)

	expected, _ := errcode.Field[int](err, errcode.KeyExpectedUID)
	actual, _ := errcode.Field[int](err, errcode.KeyActualUID)
	fmt.Println(expected, actual)

	_, ok := errcode.Field[string](err, errcode.KeyActualUID) // not a string
	fmt.Println(ok)
	// Output:
	// 1000 0
	// false
}

func ExampleRegistry_Alias() {
	reg := errcode.NewRegistry()
	base := reg.MustRegister("VmPermanentError", errcode.Code{}, errcode.Permanent)
	if err := reg.Alias("VmError", base); err != nil {
		fmt.Println(err)
	}

	code, _ := reg.Lookup("VmError")
	fmt.Println(code, code == base)
	fmt.Println(reg.Aliases(base))

	// A name is taken once.
	_, err := reg.Register("VmError", errcode.Code{})
	fmt.Println(err)
	// Output:
	// VmPermanentError true
	// [VmError]
	// errcode: registering "VmError": the name is an alias of "VmPermanentError"
}

// An error crosses to another process in cockroachdb's protobuf form and
// answers every question there. This receiver's registry (a stand-in for
// an older release) lacks VmSnapshotRestoreError, and still answers for
// its ancestors.
func ExampleDecode() {
	sender := errcode.NewRegistry()
	root := sender.MustRegister("SandboxError", errcode.Code{})
	transient := sender.MustRegister("TransientError", root, errcode.Transient)
	vmTransient := sender.MustRegister("VmTransientError", transient)
	restore := sender.MustRegister("VmSnapshotRestoreError", vmTransient)

	data, _ := errcode.Encode(restore.New("restore failed", "snapshot", "s1"))

	older := errcode.NewRegistry()
	oroot := older.MustRegister("SandboxError", errcode.Code{})
	otransient := older.MustRegister("TransientError", oroot, errcode.Transient)
	ovmTransient := older.MustRegister("VmTransientError", otransient)

	err, decErr := older.Decode(data)
	if decErr != nil {
		panic(decErr)
	}
	snapshot, _ := errcode.Field[string](err, "snapshot")
	fmt.Println(err)
	fmt.Println(errcode.Is(err, ovmTransient), errcode.RetryOf(err), snapshot)
	fmt.Println(errcode.CodeOf(err), errcode.NameOf(err), errcode.AncestorNamesOf(err))

	// Sent on, it is the same bytes: a receiver with the code sees it
	// as if it came straight from the sender.
	again, _ := errcode.Encode(err)
	fmt.Println(string(again) == string(data))
	// Output:
	// restore failed
	// true transient s1
	// VmTransientError VmSnapshotRestoreError [VmTransientError TransientError SandboxError]
	// true
}

// EncodeJSON writes what a non-Go peer reads.
func ExampleEncodeJSON() {
	err := errcode.VmCapacityError.New("pool full", "pool", "default", "waiting", int32(3))
	data, _ := errcode.EncodeJSON(err)
	fmt.Println(string(data))
	// Output:
	// {"version":1,"code":"VmCapacityError","retry":"transient","retry_after":"1s","message":"pool full","chain":[{"kind":"coded","code":"VmCapacityError","ancestors":["VmTransientError","TransientError","SandboxError"],"retry":"transient","message":"pool full","safe_message":true,"fields":{"pool":"default","waiting":3},"field_types":{"waiting":"int32"}}]}
}

// A non-Go peer writes the JSON form with nothing but its json module.
func ExampleDecodeJSON() {
	payload := `{"version": 1, "chain": [
		{"message": "while starting vm 7"},
		{"code": "SocketAuthError", "message": "socket peer is not the sandbox user",
		 "fields": {"expected_uid": 1000, "actual_uid": 0}}]}`
	err, decErr := errcode.DecodeJSON([]byte(payload))
	if decErr != nil {
		panic(decErr)
	}
	uid, _ := errcode.Field[int](err, errcode.KeyExpectedUID)
	fmt.Println(err)
	fmt.Println(errcode.CodeOf(err), errcode.Is(err, errcode.CommunicationError), uid)
	// Output:
	// while starting vm 7: socket peer is not the sandbox user
	// SocketAuthError true 1000
}

// A Python peer's class with several bases,
//
//	class SocketTransientError(TransientError, CommunicationError): ...
//
// sends its method-resolution order as ancestors and its bases as
// parents. A receiver that lacks it answers Is for both ancestries, and
// takes each setting from the first class in that order that sets it:
// the retry decision, gRPC code and HTTP status from TransientError.
func ExampleDecodeJSON_severalParents() {
	payload := `{"version": 1, "chain": [{"code": "SocketTransientError",
		"ancestors": ["TransientError", "CommunicationError", "SandboxError"],
		"parents": ["TransientError", "CommunicationError"],
		"message": "socket reset"}]}`
	err, decErr := errcode.DecodeJSON([]byte(payload))
	if decErr != nil {
		panic(decErr)
	}
	fmt.Println(errcode.NameOf(err), errcode.CodeOf(err))
	fmt.Println(errcode.Is(err, errcode.TransientError), errcode.Is(err, errcode.CommunicationError))
	fmt.Println(errcode.RetryOf(err), errcode.GRPCCodeOf(err), errcode.HTTPStatusOf(err))
	// Output:
	// SocketTransientError TransientError
	// true true
	// transient Unavailable 503
}

// Code names, ancestry and retry decisions are safe to report; messages
// and field values are redacted unless marked with Safe.
func ExampleSafe() {
	r := errcode.NewRegistry()
	config := r.MustRegister("ConfigError", errcode.Code{}, errcode.Permanent, errcode.Stackless())
	err := config.New("bad vcpu count", "tenant", "acme", "vcpus", errcode.Safe(0))
	fmt.Println(redact.Sprintf("%+v", err).Redact())
	vcpus, _ := errcode.Field[int](err, "vcpus") // Safe does not change the value
	fmt.Println(vcpus)
	// Output:
	// bad vcpu count
	// (1) bad vcpu count
	//   | errcode: ConfigError
	//   | retry: permanent
	//   | tenant: ‹×›
	//   | vcpus: 0
	// Error types: (1) *errcode.codedErr
	// 0
}

// Redacted output keeps what cockroachdb's own errors keep: a New or Wrap
// message (a literal), the format of Newf and Wrapf and their arguments
// marked safe; other arguments and field values are redacted. Code names
// show in the detailed form, %+v.
func ExampleCode_Newf_redaction() {
	r := errcode.NewRegistry()
	config := r.MustRegister("ConfigError", errcode.Code{}, errcode.Permanent, errcode.Stackless())
	err := config.Newf("tenant %s asked for %d vcpus", "acme", redact.Safe(0))
	err = config.Wrap(err, "validating request", "request", "r-17")
	fmt.Println(err)
	fmt.Println(crdberrors.Redact(err))
	fmt.Println(redact.Sprintf("%+v", err).Redact())
	// Output:
	// validating request: tenant acme asked for 0 vcpus
	// validating request: tenant × asked for 0 vcpus
	// validating request: tenant ‹×› asked for 0 vcpus
	// (1) validating request
	//   | errcode: ConfigError
	//   | retry: permanent
	//   | request: ‹×›
	// Wraps: (2) tenant ‹×› asked for 0 vcpus
	//   | errcode: ConfigError
	//   | retry: permanent
	// Error types: (1) *errcode.codedErr (2) *errcode.codedErr
}

// HTTP: the handler writes the problem document with the mapped status; the
// client turns the response back into the error.
func Example_serviceHTTP() {
	startVM := func(context.Context) error {
		return errcode.VmCapacityError.New("pool full", "pool", "default")
	}
	handle := func(w http.ResponseWriter, r *http.Request) {
		if err := startVM(r.Context()); err != nil {
			errcode.WriteHTTPError(w, err) // 503 for a VmCapacityError, problem+json body
			return
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(handle))
	defer srv.Close()

	resp, err := http.Get(srv.URL)
	if err == nil {
		defer resp.Body.Close()
		err = errcode.ErrorFromResponse(resp) // nil for 2xx; the coded error otherwise
	}
	pool, _ := errcode.Field[string](err, "pool")
	fmt.Println(resp.StatusCode, errcode.CodeOf(err), errcode.IsRetryable(err), pool)
	// Output:
	// 503 VmCapacityError true default
}

// Logging: errcode's errors are slog.LogValuers.
func Example_serviceLogging() {
	logger := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // for a stable output
			}
			return a
		},
	}))
	err := errcode.SandboxError.Wrap(errcode.VmCapacityError.New("pool full", "pool", "default"), "start vm")
	logger.Error("start failed", "err", err)
	// Output:
	// {"level":"ERROR","msg":"start failed","err":{"message":"start vm: pool full","code":"SandboxError","codes":["SandboxError","VmCapacityError"],"retry":"transient","retry_after":"1s","fields":{"pool":"default"}}}
}

// ReplaceAttr makes an error wrapped by someone else log as errcode's
// group; slog would otherwise log it as its Error() string.
func ExampleReplaceAttr() {
	err := fmt.Errorf("vm 7: %w", errcode.VmCapacityError.New("pool full", "pool", "default"))
	fmt.Println(slog.Any("err", err))
	fmt.Println(errcode.ReplaceAttr(nil, slog.Any("err", err)))
	// Output:
	// err=vm 7: pool full
	// err=[message=vm 7: pool full code=VmCapacityError codes=[VmCapacityError] retry=transient retry_after=1s fields=[pool=default]]
}

// ReplaceAttrThen keeps a ReplaceAttr function of your own: here one that
// drops the time.
func ExampleReplaceAttrThen() {
	dropTime := func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}
	logger := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: errcode.ReplaceAttrThen(dropTime),
	}))
	err := errcode.VmCapacityError.New("pool full", "pool", "default")
	logger.Error("start failed", "err", fmt.Errorf("vm 7: %w", err))
	logger.Error("start failed", "err", crdberrors.Wrap(err, "vm 7"))
	logger.Error("start failed", "err", errors.Join(err, io.EOF))
	// Output:
	// {"level":"ERROR","msg":"start failed","err":{"message":"vm 7: pool full","code":"VmCapacityError","codes":["VmCapacityError"],"retry":"transient","retry_after":"1s","fields":{"pool":"default"}}}
	// {"level":"ERROR","msg":"start failed","err":{"message":"vm 7: pool full","code":"VmCapacityError","codes":["VmCapacityError"],"retry":"transient","retry_after":"1s","fields":{"pool":"default"}}}
	// {"level":"ERROR","msg":"start failed","err":{"message":"pool full\nEOF","code":"VmCapacityError","codes":["VmCapacityError"],"retry":"transient","retry_after":"1s","fields":{"pool":"default"}}}
}

// NewSafeHandler logs only what of an error is safe to report: the
// message as cockroachdb redacts it, the codes, the retry decision and
// hint, and the fields marked Safe. Other attributes are untouched.
func ExampleNewSafeHandler() {
	logger := slog.New(errcode.NewSafeHandler(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // for a stable output
			}
			return a
		},
	})))
	full := crdberrors.Newf("pool %s is full", "tenant-acme") // format safe, argument not
	err := errcode.VmCapacityError.Wrap(full, "", "tenant", "acme", "waiting", errcode.Safe(3))
	logger.Error("start failed", "vm", 7, "err", fmt.Errorf("vm 7: %w", err))
	// Output:
	// {"level":"ERROR","msg":"start failed","vm":7,"err":{"message":"‹×›: pool ‹×› is full","code":"VmCapacityError","codes":["VmCapacityError"],"retry":"transient","retry_after":"1s","fields":{"waiting":3}}}
}

// errBadVcpus is a helper constructor: NewWithDepth(1) starts the stack
// trace at its caller, so the trace points at the code that had the bad
// value, not at the helper.
func errBadVcpus(n int) error {
	return errcode.VmConfigError.NewWithDepth(1, "bad vcpu count", "vcpus", n)
}

func ExampleCode_NewWithDepth() {
	err := errBadVcpus(0)

	// The first frame of the trace is this function, the helper's caller.
	st := err.(interface{ StackTrace() errbase.StackTrace }).StackTrace()
	fmt.Printf("%s: %n\n", err, st[0])
	// Output: bad vcpu count: ExampleCode_NewWithDepth
}
