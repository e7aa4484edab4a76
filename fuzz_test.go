package errcode_test

import (
	"bytes"
	stderrors "errors"
	"fmt"
	"math"
	"testing"
	"time"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/cockroachdb/redact"

	"github.com/errcode/errcode"
)

// The seed corpora of FuzzDecode and FuzzDecodeJSON are built here with
// f.Add, on every run, from fuzzSeedErrors and fuzzJSONSeeds: an encoded
// error holds the stack trace of the machine that made it, so checked-in
// copies would hold its absolute paths. testdata/fuzz keeps only inputs a
// fuzzer found (regress-* and hash-named files), each a regression test.

// fuzzSeedErrors returns one error of each layer kind, and mixes of them,
// for the seed corpora of FuzzDecode and FuzzDecodeJSON.
func fuzzSeedErrors() []error {
	newer := errcode.NewRegistry()
	nSandbox := newer.MustRegister("SandboxError", errcode.Code{})
	nTransient := newer.MustRegister("TransientError", nSandbox, errcode.Transient)
	nRestore := newer.MustRegister("VmSnapshotRestoreError", nTransient)
	everyType := []any{
		"s", "str", "b", true, "i", -3, "i8", int8(math.MinInt8), "i16", int16(7), "i32", int32(-9), "i64", int64(math.MinInt64),
		"u", uint(1), "u8", uint8(255), "u16", uint16(9), "u32", uint32(1), "u64", uint64(math.MaxUint64),
		"f32", float32(1.5), "f64", 0.25, "nan", math.NaN(), "inf", math.Inf(-1), "bytes", []byte{0, 1},
		"t", time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC), "d", time.Second,
		"m", map[string]any{"a": []any{int8(1), "x", map[string]any{"u": uint16(2)}}}, "l", []any{1, nil, 2.5},
		"other", struct{ A int }{1},
	}
	return []error{
		errcode.VmBootTimeoutError.New("coded leaf"),
		errcode.VmCapacityError.New("stackless leaf", "pool", "p"),
		errcode.VmCapacityError.Newf("pool %s ‹full› %d", "p‹›", redact.Safe(3)),
		errcode.SandboxError.Wrapf(errcode.VmCapacityError.New("full", "pool", "p"), "vm %s", "v"),
		errcode.SnapshotError.Wrap(stderrors.New("cause"), "coded wrapper", everyType...),
		errcode.SandboxError,
		fmt.Errorf("ctx: %w", errcode.PackageNotAllowedError),
		errcode.WithRetry(errcode.VmConfigError.New("bad"), errcode.Transient),
		errcode.WithRetryAfter(errcode.VmCapacityError.New("full"), 1500*time.Millisecond),
		errcode.WithFields(stderrors.New("plain"), "k", "v", "n", int64(2)),
		stderrors.Join(errcode.VmCapacityError.New("a"), errcode.VmConfigError.New("b")),
		crdberrors.WithDetail(crdberrors.WithHint(crdberrors.Wrap(errcode.GuestAgentError.New("agent"), "wrap"), "hint"), "detail"),
		nRestore.Wrap(stderrors.New("eof"), "unknown code", "snap", "s1"),
		nRestore,
		errcode.NewSocketAuthError("uid", 1000, 0),
		errcode.Code{}.New("zero code"),
		fmt.Errorf("a %w b", errcode.VmGvproxyError.New("mid")),
	}
}

// fuzzJSONSeeds are JSON documents as non-Go peers write them.
var fuzzJSONSeeds = []string{
	`{"version":1,"chain":[{"message":"m","fields":{"a":1}},{"kind":"future","message":"w","owns_message":true},{"message":"a\n"}]}`,
	`{"version":1,"chain":[{"message":"ctx"},{"kind":"tree","causes":[[{"message":""}],[{"causes":[[{"message":"b"}],[{"message":""}]]}]]}]}`,
	`{"version":1,"Chain":[{"message":"x"}],"chain":[{"Code":"VmConfigError","retry":"transient","message":"y"}]}`,
	`{"version": 1, "chain": [{"code": "SocketAuthError", "message": "peer uid mismatch", "fields": {"expected_uid": 1000, "actual_uid": 0}}]}`,
	`{"version":1,"chain":[{"code":"VmCapacityError","ancestors":["VmTransientError","TransientError","SandboxError"],"retry":"transient","message":"pool full"}]}`,
	`{"version": 1, "chain": [{"message": "while starting"}, {"code": "VmBootTimeoutError", "message": "boot timed out"}]}`,
	`{"version":1,"chain":[{"code":"NewError","ancestors":["TransientError","SandboxError"],"retry":"transient","message":"x","fields":{"f":1.5,"l":[1,{"a":null}]}}]}`,
	`{"version":1,"chain":[{"code":"VmCapacityError","message":"pool p full","safe_message":true,"redactable_message":"pool ‹p› full"}]}`,
	`{"version":1,"chain":[{"code":"VmCapacityError","message":"pool p full","redactable_message":"pool ‹p full","fields":{}}]}`,
	`{"version":1,"chain":[{"retry":"permanent"},{"retry_after":"2s"},{"fields":{"a":1},"field_types":{"a":"int8"}},{"causes":[[{"message":"a"}],[{"kind":"sentinel","code":"SandboxError"}]]}]}`,
	`{"version":1,"chain":[{"message":"all","owns_message":true},{"kind":"stack","stack":"x"},{"code":"X","fields":{"b":"AA=="},"field_types":{"b":"bytes"},"safe_fields":["b"]}]}`,
	`{"version":1,"chain":[{"code":"SocketTransientError","ancestors":["TransientError","CommunicationError","SandboxError"],"parents":["TransientError","CommunicationError"],"message":"reset"}]}`,
	`{"version":1,"chain":[{"kind":"sentinel","code":"X","ancestors":["CommunicationError","VmCapacityError","AssetError"],"parents":["CommunicationError","AssetError"]}]}`,
	`{"version":2,"chain":[]}`,
	`{}`,
	``,
}

// fuzzAsk asks every question of the package; none may panic.
func fuzzAsk(err error) {
	_ = err.Error()
	_ = fmt.Sprintf("%+v", err)
	_ = errcode.CodeOf(err)
	_ = errcode.NameOf(err)
	_ = errcode.RetryOf(err)
	_ = errcode.RetryAfterOf(err)
	_ = errcode.GRPCCodeOf(err)
	_ = errcode.HTTPStatusOf(err)
	_ = errcode.Fields(err)
	_, _ = errcode.Match(err, errcode.SandboxError, errcode.TransientError, errcode.VmCapacityError)
	for _, c := range []errcode.Code{errcode.SandboxError, errcode.TransientError, errcode.VmConfigError} {
		_ = errcode.Is(err, c)
		_ = stderrors.Is(err, c)
	}
	_ = crdberrors.GetAllSafeDetails(err)
}

func FuzzDecode(f *testing.F) {
	for _, err := range fuzzSeedErrors() {
		b, eerr := errcode.Encode(err)
		if eerr != nil {
			f.Fatalf("Encode(%v): %v", err, eerr)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	for _, b := range [][]byte{{}, {0}, {0x0a}, {0x12}, {0x12, 0x00}, {0x0a, 0x00}, {0xff}} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := errcode.Decode(data)
		if err != nil {
			if got != nil {
				t.Fatalf("Decode returned an error value and an error: %v", err)
			}
			return
		}
		if got == nil {
			t.Fatal("Decode returned neither an error value nor an error")
		}
		fuzzAsk(got)
		b1, err := errcode.Encode(got)
		if err != nil {
			t.Fatalf("Encode of a decoded error: %v", err)
		}
		got2, err := errcode.Decode(b1)
		if err != nil {
			t.Fatalf("Decode of a re-encoded error: %v", err)
		}
		b2, err := errcode.Encode(got2)
		if err != nil {
			t.Fatalf("Encode after the second hop: %v", err)
		}
		if !bytes.Equal(b1, b2) {
			t.Fatalf("re-encoding is not stable:\n%q\n%q", b1, b2)
		}
		_, _ = errcode.EncodeJSON(got)
	})
}

func FuzzDecodeJSON(f *testing.F) {
	for _, err := range fuzzSeedErrors() {
		b, eerr := errcode.EncodeJSON(err)
		if eerr != nil {
			f.Fatalf("EncodeJSON(%v): %v", err, eerr)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	for _, s := range fuzzJSONSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := errcode.DecodeJSON(data)
		if err != nil {
			if got != nil {
				t.Fatalf("DecodeJSON returned an error value and an error: %v", err)
			}
			return
		}
		if got == nil {
			t.Fatal("DecodeJSON returned neither an error value nor an error")
		}
		fuzzAsk(got)
		b1, err := errcode.EncodeJSON(got)
		if err != nil {
			t.Fatalf("EncodeJSON of a decoded error: %v", err)
		}
		got2, err := errcode.DecodeJSON(b1)
		if err != nil {
			t.Fatalf("DecodeJSON of a re-encoded error: %v\n%s", err, b1)
		}
		if got.Error() != got2.Error() {
			t.Fatalf("Error() changed in a JSON hop: %q, then %q\n%s", got.Error(), got2.Error(), b1)
		}
		b2, err := errcode.EncodeJSON(got2)
		if err != nil {
			t.Fatalf("EncodeJSON after the second hop: %v", err)
		}
		if !bytes.Equal(b1, b2) {
			t.Fatalf("re-encoding is not stable:\n%s\n%s", b1, b2)
		}
		// The protobuf form must not panic either.
		if pb, err := errcode.Encode(got); err == nil {
			if _, err := errcode.Decode(pb); err != nil {
				t.Fatalf("Decode of Encode of a JSON-decoded error: %v", err)
			}
		}
	})
}
