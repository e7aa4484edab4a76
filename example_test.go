package errcode_test

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"

	crdberrors "github.com/cockroachdb/errors"

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

// A handler picks the most specific code it knows how to handle.
func ExampleMatch() {
	handle := func(err error) string {
		code, ok := errcode.Match(err, errcode.SandboxError, errcode.TransientError, errcode.VmCapacityError)
		if !ok {
			return "500: unexpected error"
		}
		switch code {
		case errcode.VmCapacityError:
			return "429: pool full, back off"
		case errcode.TransientError:
			return "503: try again"
		default:
			return "400: " + errcode.NameOf(err)
		}
	}

	fmt.Println(handle(errcode.VmCapacityError.New("no free VM")))
	fmt.Println(handle(crdberrors.Wrap(errcode.VmBootTimeoutError.New("agent not ready"), "start")))
	fmt.Println(handle(errcode.PackageNotAllowedError.New("numpy")))
	fmt.Println(handle(io.EOF))
	// Output:
	// 429: pool full, back off
	// 503: try again
	// 400: PackageNotAllowedError
	// 500: unexpected error
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
