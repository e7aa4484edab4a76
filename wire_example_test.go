package errcode_test

import (
	"fmt"

	"github.com/cockroachdb/redact"

	"github.com/errcode/errcode"
)

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

// EncodeJSON writes what a non-Go peer reads.
func ExampleEncodeJSON() {
	err := errcode.VmCapacityError.New("pool full", "pool", "default", "waiting", int32(3))
	data, _ := errcode.EncodeJSON(err)
	fmt.Println(string(data))
	// Output:
	// {"version":1,"code":"VmCapacityError","retry":"transient","message":"pool full","chain":[{"kind":"coded","code":"VmCapacityError","ancestors":["VmTransientError","TransientError","SandboxError"],"retry":"transient","message":"pool full","fields":{"pool":"default","waiting":3},"field_types":{"waiting":"int32"}}]}
}

// Code names, ancestry and retry decisions are safe to report; messages
// and field values are redacted unless marked with Safe.
func ExampleSafe() {
	r := errcode.NewRegistry()
	config := r.MustRegister("ConfigError", errcode.Code{}, errcode.Permanent, errcode.Stackless())
	err := config.New("tenant acme asked for 0 vcpus", "tenant", "acme", "vcpus", errcode.Safe(0))
	fmt.Println(redact.Sprintf("%+v", err).Redact())
	vcpus, _ := errcode.Field[int](err, "vcpus") // Safe does not change the value
	fmt.Println(vcpus)
	// Output:
	// ‹×›
	// (1) ‹×›
	//   | errcode: ConfigError
	//   | retry: permanent
	//   | tenant: ‹×›
	//   | vcpus: 0
	// Error types: (1) *errcode.codedErr
	// 0
}
