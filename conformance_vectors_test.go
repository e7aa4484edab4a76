package errcode_test

import (
	"context"
	stderrors "errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	"github.com/errcode/errcode"
)

// confCase is one row of the conformance table: a Go error that errcode
// writes in both forms (err), a JSON payload written as a peer writes it
// (json), or bytes errcode would not write (pb, crafted). wantErr makes
// it a refusal, with the substring the decoder's error must hold. The
// want fields are checked when the vectors are written, so that the
// table states, by hand, the answers a case exists for.
type confCase struct {
	name    string
	note    string
	err     func(t *testing.T) error
	forms   []string // of err; both when nil
	json    func(t *testing.T) []byte
	pb      func(t *testing.T) []byte
	crafted func(t *testing.T) []byte // JSON

	// lost lists, by "form query" ("protobuf Error"), what the hop is
	// known to lose today, and why; see checkHop.
	lost map[string]string

	wantErr   string
	wantCode  string
	wantName  string
	wantRetry string
}

// sender returns a registry that mirrors the catalog (parents, retry
// flags, retry-after hints, status mappings) with every code Stackless, so that its errors carry no stack trace (and so no machine
// path, and the same bytes on every machine), plus codes that Default
// lacks. Its errors decode, against Default, as the catalog's.
var sender = sync.OnceValue(func() *errcode.Registry {
	r := errcode.NewRegistry()
	retries := map[string]errcode.Retry{"": errcode.Unspecified}
	for _, row := range catalogTable {
		opts := []errcode.Option{errcode.Stackless()}
		if row.retry != retries[row.parent] {
			opts = append(opts, row.retry)
		}
		retries[row.name] = row.retry
		// The catalog's own settings, so that the sender resolves as
		// Default does.
		if row.code.RetryAfterFrom() == row.code {
			opts = append(opts, errcode.RetryAfter(row.code.RetryAfter()))
		}
		if row.code.GRPCCodeFrom() == row.code {
			g, _ := row.code.GRPCCode()
			opts = append(opts, errcode.GRPCCode(g))
		}
		if row.code.HTTPStatusFrom() == row.code {
			h, _ := row.code.HTTPStatus()
			opts = append(opts, errcode.HTTPStatus(h))
		}
		var parent errcode.Code
		if row.parent != "" {
			parent, _ = r.Lookup(row.parent)
		}
		r.MustRegister(row.name, parent, opts...)
	}
	for _, a := range catalogAliases {
		c, _ := r.Lookup(a.name)
		r.MustAlias(a.alias, c)
	}
	for _, u := range []struct {
		name, parent string
		retry        errcode.Retry
	}{
		// Default knows none of these.
		{"ConfSocketResetError", "CommunicationTransientError", errcode.Unspecified},
		{"ConfFlakyAssetError", "AssetError", errcode.Transient},
		{"ConfFatalVmError", "VmTransientError", errcode.Permanent},
		{"ConfOrphanRootError", "", errcode.Unspecified},
		{"ConfOrphanChildError", "ConfOrphanRootError", errcode.Transient},
	} {
		var parent errcode.Code
		if u.parent != "" {
			parent, _ = r.Lookup(u.parent)
		}
		opts := []errcode.Option{errcode.Stackless()}
		if u.retry != errcode.Unspecified {
			opts = append(opts, u.retry)
		}
		r.MustRegister(u.name, parent, opts...)
	}
	return r
})

// s returns the sender's code of that name.
func s(name string) errcode.Code {
	c, ok := sender().Lookup(name)
	if !ok {
		panic("conformance: no sender code " + name)
	}
	return c
}

// confJSON is a hand-written JSON payload.
func confJSON(doc string) func(*testing.T) []byte {
	return func(*testing.T) []byte { return []byte(doc) }
}

// decodedJSON returns the error DecodeJSON gives for doc: a way to make,
// in the protobuf form too, what only a peer sends (aliases, codes with
// claims the receiver overrules).
func decodedJSON(doc string) func(*testing.T) error {
	return func(t *testing.T) error {
		err, derr := errcode.DecodeJSON([]byte(doc))
		require.NoError(t, derr)
		return err
	}
}

// crdbEncoded returns cockroachdb's protobuf form of err, which it writes
// whatever the limits say.
func crdbEncoded(err func(*testing.T) error) func(*testing.T) []byte {
	return func(t *testing.T) []byte {
		enc := crdberrors.EncodeError(context.Background(), err(t))
		data, merr := enc.Marshal()
		require.NoError(t, merr)
		return data
	}
}

// padText is the message of every layer of the limit vectors: long
// enough that a layer carrying it takes more than the layer density
// limit's bytes per layer (layerBytes), so that the vectors test the
// limit they are named for and not a limit on layers per byte.
var padText = strings.Repeat("p", layerBytes)

// deepChain returns n layers: n-1 fmt wrappers over a leaf.
func deepChain(n int) func(*testing.T) error {
	return func(*testing.T) error {
		err := stderrors.New(padText)
		for range n - 1 {
			err = fmt.Errorf("%s: %w", padText, err)
		}
		return err
	}
}

// deepChainJSON is deepChain(n) as a peer writes it.
func deepChainJSON(n int) string {
	return jsonOfLayers(strings.TrimSuffix(strings.Repeat(`{"message": "`+padText+`"}, `, n), ", "))
}

// wideJoin returns a join of n leaves: n+1 layers.
func wideJoin(n int) func(*testing.T) error {
	return func(*testing.T) error {
		errs := make([]error, n)
		for i := range errs {
			errs[i] = stderrors.New(padText)
		}
		return stderrors.Join(errs...)
	}
}

// wideJoinJSON is wideJoin(n) as a peer writes it.
func wideJoinJSON(n int) string {
	return jsonOfLayers(`{"kind": "join", "causes": [` +
		strings.TrimSuffix(strings.Repeat(`[{"message": "`+padText+`"}], `, n), ", ") + `]}`)
}

// denseJoin returns, for the code density vectors of the protobuf form,
// a join naming as many distinct codes as its size allows and one more
// (past is 1) or one of them twice (past is 0), so that the two are of
// the same size (see codeDensityCases).
func denseJoin(t *testing.T, past int) error {
	k, pad := atCodeBudget(t, func(k, pad int) int { return len(crdbWire(t, codeJoin(pad, denseCodes(k)))) })
	c := codeDensityCases(k)[0]
	return codeJoin(pad, [][]codeSpec{c.want, c.past}[past])
}

// denseJoinJSON is denseJoin for the JSON form, written as a peer
// writes it.
func denseJoinJSON(t *testing.T, past int) []byte {
	k, pad := atCodeBudget(t, func(k, pad int) int { return len(codeJoinJSON(pad, denseCodes(k))) })
	c := codeDensityCases(k)[0]
	return codeJoinJSON(pad, [][]codeSpec{c.want, c.past}[past])
}

// ancestry returns an error of a Stackless code with n ancestors, none of
// which Default knows.
func ancestry(n int) func(*testing.T) error {
	return func(*testing.T) error {
		r := errcode.NewRegistry()
		var c errcode.Code
		for i := range n + 1 {
			c = r.MustRegister(fmt.Sprintf("C%d", i), c, errcode.Stackless())
		}
		return c.New("deep")
	}
}

// manyFields returns an error with n fields.
func manyFields(n int) func(*testing.T) error {
	return func(*testing.T) error {
		kv := make([]any, 0, 2*n)
		for i := range n {
			kv = append(kv, fmt.Sprintf("f%03d", i), i)
		}
		return s("GuestAgentError").New("many fields", kv...)
	}
}

// nested returns a value of depth levels of lists ([]any).
func nested(depth int) any {
	var v any = "leaf"
	for range depth {
		v = []any{v}
	}
	return v
}

// jsonOfLayers is a JSON document whose chain is layers.
func jsonOfLayers(layers ...string) string {
	return `{"version": 1, "chain": [` + strings.Join(layers, ", ") + `]}`
}

type confStringer struct{ n int }

func (c confStringer) String() string { return fmt.Sprintf("stringer %d", c.n) }

type confTags []string

type confPoint struct {
	X, Y int
	Name string `json:"name"`
}

// Field values of every type the wire types (WIRE.md, Fields).
func scalarFields() []any {
	return []any{
		"string", "plain", "int", 7, "int8", int8(-8), "int16", int16(-16), "int32", int32(-32),
		"int64", int64(math.MinInt64), "uint", uint(1), "uint8", uint8(255), "uint16", uint16(65535),
		"uint32", uint32(math.MaxUint32), "uint64", uint64(math.MaxUint64),
		"float32", float32(1.1), "float64", 2.5, "float64_int", 3.0, "bool", true,
		"bytes", []byte{0, 1, 2, 0xff}, "bytes_nil", []byte(nil), "bytes_empty", []byte{},
		"duration", 1500 * time.Millisecond, "nil", nil,
		"time", time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC),
		"time_zone", time.Date(2024, 5, 6, 7, 8, 9, 0, time.FixedZone("CEST", 2*3600)),
	}
}

func specialFields() []any {
	return []any{
		"nan", math.NaN(), "inf", math.Inf(1), "ninf", math.Inf(-1), "nan32", float32(math.NaN()),
		"stderr", "qemu-img: \xff\xfe raw bytes",
		"time_lmt", time.Date(1850, 1, 1, 0, 0, 0, 0, time.FixedZone("LMT", 3600+58)),
		"time_far", time.Date(12000, 1, 1, 0, 0, 0, 1, time.UTC),
		"time_bc", time.Date(-50, 3, 1, 0, 0, 0, 0, time.UTC),
	}
}

func collectionFields() []any {
	return []any{
		"strings", []string{"a", "b"}, "strings_nil", []string(nil), "strings_empty", []string{},
		"ints", []int{1, -2}, "int32s", []int32{3}, "uint8s", []uint8{1, 2},
		"labels", map[string]string{"b": "2", "a": "1"}, "nested", map[string][]int32{"x": {1, 2}, "y": nil},
		"blobs", [][]byte{{1}, nil}, "cube", [][][]string{{{"a"}, {}}, nil},
		"raw", []string{"ok", "\xff"}, "times", []time.Time{time.Date(1850, 1, 1, 0, 0, 0, 0, time.FixedZone("LMT", 58))},
		"durations", []time.Duration{time.Second},
		"floats", []float64{1, math.NaN(), math.Inf(-1)},
		"any", []any{"x", int8(1), []string{"y"}, nil, map[string]any{"t": time.Duration(5)}},
		"obj", map[string]any{"a": uint16(9), "b": []any{true}, "c": "\xfe"},
	}
}

func jsonValueFields() []any {
	return []any{
		"struct", confPoint{1, 2, "p"}, "named_slice", confTags{"a"}, "stringer", confStringer{3},
		"error", stderrors.New("boom"), "complex", complex(1, 2), "int_keys", map[int]string{2: "b", 1: "a"},
		"maps", []map[string]any{{"k": 1}},
	}
}

// confCases is the conformance table. Add a row to add vectors; run
// go test -run TestConformance -update-conformance and review the diff.
func confCases() []confCase {
	overlay := func(*testing.T) error {
		return fmt.Errorf("starting vm 7: %w",
			s("VmOverlayError").Wrap(stderrors.New("qemu-img failed"), "overlay",
				errcode.KeyStderr, "no space left", "attempt", int32(3), "took", 1500*time.Millisecond))
	}
	return []confCase{
		// Layer kinds, written by errcode.
		{name: "coded-leaf", wantCode: "VmConfigError", wantRetry: "permanent",
			err: func(*testing.T) error { return s("VmConfigError").New("bad vcpu count") }},
		{name: "coded-leaf-empty-message", wantCode: "SnapshotError",
			err: func(*testing.T) error { return s("SnapshotError").New("") }},
		{name: "coded-newf", note: "redactable_message", wantCode: "VmConfigError",
			err: func(*testing.T) error { return s("VmConfigError").Newf("vcpus %d > %s", 64, errcode.Safe("max")) }},
		{name: "coded-wrap-chain", note: "WIRE.md's example, without its stack", wantCode: "VmOverlayError", wantRetry: "transient",
			err: overlay},
		{name: "coded-wrap-empty-message", wantCode: "AssetError",
			err: func(*testing.T) error { return s("AssetError").Wrap(stderrors.New("eof"), "") }},
		{name: "coded-over-coded", note: "the outer code does not decide retry: the inner does", wantCode: "SandboxError", wantRetry: "transient",
			err: func(*testing.T) error {
				return s("SandboxError").Wrap(s("VmBootTimeoutError").New("slow"), "boot")
			}},
		{name: "coded-over-coded-permanent", wantCode: "PermanentError", wantRetry: "permanent",
			err: func(*testing.T) error { return s("PermanentError").Wrap(s("VmBootTimeoutError").New("slow"), "") }},
		{name: "sentinel", note: "a bare Code returned as an error", wantCode: "VmCapacityError",
			err: func(*testing.T) error { return s("VmCapacityError") }},
		{name: "sentinel-wrapped", wantCode: "AssetNotFoundError",
			err: func(*testing.T) error { return fmt.Errorf("fetch kernel: %w", s("AssetNotFoundError")) }},
		{name: "default-capacity", note: "a Default code (Stackless): its own retry-after hint", wantCode: "VmCapacityError", wantRetry: "transient",
			err: func(*testing.T) error { return errcode.VmCapacityError.New("pool full") }},
		{name: "retry-override", wantCode: "VmCapacityError", wantRetry: "permanent",
			err: func(*testing.T) error { return errcode.WithRetry(s("VmCapacityError").New("full"), errcode.Permanent) }},
		{name: "retry-override-uncoded", wantRetry: "transient",
			err: func(*testing.T) error { return errcode.WithRetry(stderrors.New("io"), errcode.Transient) }},
		{name: "retry-after", wantCode: "CommunicationTransientError",
			err: func(*testing.T) error {
				return errcode.WithRetryAfter(s("CommunicationTransientError").New("reset"), 1500*time.Millisecond)
			}},
		{name: "status", wantCode: "GuestAgentError",
			err: func(*testing.T) error {
				return errcode.WithGRPCCode(errcode.WithHTTPStatus(s("GuestAgentError").New("agent"), 429), codes.ResourceExhausted)
			}},
		{name: "status-http-only",
			err: func(*testing.T) error { return errcode.WithHTTPStatus(stderrors.New("teapot"), 418) }},
		{name: "status-grpc-only",
			err: func(*testing.T) error { return errcode.WithGRPCCode(stderrors.New("gone"), codes.NotFound) }},
		{name: "fields-only", note: "WithFields over an uncoded error",
			err: func(*testing.T) error { return errcode.WithFields(stderrors.New("plain"), "vm", 7) }},
		{name: "plain", note: "an error without a code",
			err: func(*testing.T) error { return stderrors.New("plain") }},

		// Field types.
		{name: "fields-scalars", wantCode: "GuestAgentError",
			err: func(*testing.T) error { return s("GuestAgentError").New("scalars", scalarFields()...) }},
		{name: "fields-special", note: "NaN, infinities, bytestring, unixtime", wantCode: "GuestAgentError",
			err: func(*testing.T) error { return s("GuestAgentError").New("special", specialFields()...) }},
		{name: "fields-collections", wantCode: "GuestAgentError",
			err: func(*testing.T) error { return s("GuestAgentError").New("collections", collectionFields()...) }},
		{name: "fields-json-values", note: "other Go types travel as their JSON (or %v) and arrive as plain JSON",
			wantCode: "GuestAgentError",
			err:      func(*testing.T) error { return s("GuestAgentError").New("json values", jsonValueFields()...) }},
		{name: "fields-safe", wantCode: "SocketAuthError",
			err: func(*testing.T) error {
				return s("SocketAuthError").New("peer", errcode.KeyExpectedUID, 1000, errcode.KeyActualUID, 0,
					"path", errcode.Safe("/run/x.sock"))
			}},
		{name: "fields-outer-wins",
			err: func(*testing.T) error {
				return errcode.WithFields(s("VmConfigError").New("bad", "vcpus", 4, "mem", 1), "vcpus", "four")
			}},

		// Joins and chains.
		{name: "join", wantCode: "VmBootTimeoutError", wantRetry: "permanent",
			err: func(*testing.T) error {
				return stderrors.Join(s("VmBootTimeoutError").New("slow"), s("VmConfigError").New("bad"))
			}},
		{name: "join-nested-wrapped", wantCode: "AssetDownloadError", wantRetry: "transient",
			err: func(*testing.T) error {
				return fmt.Errorf("setup: %w", stderrors.Join(stderrors.New("a"),
					stderrors.Join(s("AssetDownloadError").New("dl"), s("BalloonTransientError").New("bal"))))
			}},
		{name: "join-in-coded", wantCode: "SnapshotError",
			err: func(*testing.T) error {
				return s("SnapshotError").Wrap(stderrors.Join(stderrors.New("x"), stderrors.New("y")), "save")
			}},
		{name: "fmt-own-message", note: "text that is not prefix: cause",
			err: func(*testing.T) error { return fmt.Errorf("%w (after 3 tries)", s("VmQemuCrashError").New("crash")) }},
		{name: "fmt-colon-prefix", note: "an fmt wrapper with an empty prefix keeps its ': '",
			err: func(*testing.T) error { return fmt.Errorf(": %w", s("VmGvproxyError").New("gvproxy")) }},
		{name: "fmt-two-causes",
			err: func(*testing.T) error {
				return fmt.Errorf("%w; %w", s("VmGvproxyError").New("a"), s("AssetChecksumError").New("b"))
			}},
		{name: "cause-chain", wantCode: "VmTransientError",
			err: func(*testing.T) error {
				return fmt.Errorf("a: %w", s("VmTransientError").Wrap(fmt.Errorf("b: %w",
					s("PermanentError").Wrap(fmt.Errorf("c: %w", stderrors.New("root")), "perm")), "vm"))
			}},

		// cockroachdb wrappers: their details travel only in the protobuf form.
		{name: "crdb-wrappers", wantCode: "VmConfigError",
			err: func(*testing.T) error {
				e := s("VmConfigError").New("bad")
				e = crdberrors.WithHint(e, "use fewer vcpus")
				e = crdberrors.WithDetail(e, "asked 64")
				e = crdberrors.WithTelemetry(e, "vm.config")
				e = crdberrors.WithIssueLink(e, crdberrors.IssueLink{IssueURL: "https://example.com/1", Detail: "d"})
				e = crdberrors.WithSafeDetails(e, "vm %d", 7)
				e = crdberrors.WithDomain(e, "conf")
				return crdberrors.WithMessage(e, "create")
			}},
		{name: "crdb-mark", note: "errors.Mark with a Code: a mark layer in the JSON form", wantCode: "VmCapacityError",
			err: func(*testing.T) error { return crdberrors.Mark(stderrors.New("full"), errcode.VmCapacityError) }},
		{name: "crdb-handled", note: "a barrier hides its cause's code",
			err: func(*testing.T) error { return crdberrors.Handled(s("VmConfigError").New("bad")) }},

		// Text that is not UTF-8.
		{name: "non-utf8", wantCode: "VmOverlayError",
			err: func(*testing.T) error {
				return fmt.Errorf("vm \xff: %w", s("VmOverlayError").Wrap(stderrors.New("raw \xfe\xfd"), "overlay \xc3",
					errcode.KeyStderr, "\xff\xfe"))
			}},

		// Codes Default lacks, written by a sender that has them.
		{name: "unknown-under-known", wantCode: "CommunicationTransientError", wantName: "ConfSocketResetError", wantRetry: "transient",
			err: func(*testing.T) error { return s("ConfSocketResetError").New("reset") }},
		{name: "unknown-own-retry", note: "its own Transient under an Unspecified ancestor", wantCode: "AssetError", wantRetry: "transient",
			err: func(*testing.T) error { return s("ConfFlakyAssetError").New("flaky") }},
		{name: "unknown-permanent-under-transient", wantCode: "VmTransientError", wantRetry: "permanent",
			err: func(*testing.T) error { return s("ConfFatalVmError").New("fatal") }},
		{name: "unknown-no-known-ancestor", wantName: "ConfOrphanChildError", wantRetry: "transient",
			err: func(*testing.T) error { return s("ConfOrphanChildError").New("orphan") }},
		{name: "unknown-wrapping-known", note: "CodeOf looks further in when it knows no ancestor", wantCode: "VmConfigError",
			err: func(*testing.T) error { return s("ConfOrphanRootError").Wrap(s("VmConfigError").New("bad"), "orphan") }},

		// What a peer sends: aliases and claims the receiver overrules, in
		// the protobuf form too (decoded from JSON, written by Encode).
		{name: "alias", wantCode: "VmPermanentError", wantName: "VmError", wantRetry: "permanent",
			err: decodedJSON(jsonOfLayers(`{"code": "VmError", "message": "vm died"}`))},
		{name: "alias-qemu-img", wantCode: "VmOverlayError", wantName: "QemuImgError",
			err: decodedJSON(jsonOfLayers(`{"code": "QemuImgError", "ancestors": ["VmTransientError", "TransientError", "SandboxError"], "retry": "transient", "message": "qemu-img", "fields": {"stderr": "full"}}`))},
		{name: "known-code-false-claims", note: "the receiver's registry decides ancestry and retry", wantCode: "VmConfigError", wantRetry: "permanent",
			err: decodedJSON(jsonOfLayers(`{"code": "VmConfigError", "ancestors": ["TransientError"], "retry": "transient", "message": "bad"}`))},
		{name: "unknown-without-retry", note: "no retry member: the nearest known ancestor decides", wantCode: "TransientError", wantRetry: "transient",
			err: decodedJSON(jsonOfLayers(`{"code": "PySocketTimeoutError", "ancestors": ["TransientError", "SandboxError"], "message": "timed out"}`))},

		// Peer-written JSON, as WIRE.md describes it.
		{name: "peer-python-example", wantCode: "SocketAuthError",
			json: confJSON(`{"version": 1, "chain": [
    {"code": "SocketAuthError", "message": "socket peer is not the sandbox user",
     "ancestors": ["CommunicationError", "SandboxError"],
     "fields": {"expected_uid": 1000, "actual_uid": 0}}]}`)},
		{name: "peer-minimal", wantCode: "VmBootTimeoutError",
			json: confJSON(`{"version":1,"chain":[{"code":"VmBootTimeoutError","message":"agent not ready"}]}`)},
		{name: "peer-inferred-kinds", note: "no kind member anywhere",
			json: confJSON(jsonOfLayers(
				`{"message": "outer"}`, `{"grpc_code": 14, "http_status": 503}`, `{"retry": "permanent"}`,
				`{"retry_after": "250ms"}`, `{"fields": {"a": 1}}`, `{"stack": "\nmain.f\n\tmain.go:1"}`,
				`{"causes": [[{"code": "VmGvproxyError", "message": "g"}], [{"message": "m"}]]}`))},
		{name: "peer-unknown-members", note: "unknown members at every level are ignored",
			json: confJSON(`{"version": 1, "x-trace": {"id": 7}, "Chain": [], "CODE": "x", "chain": [
    {"kind": "coded", "code": "AssetChecksumError", "message": "sha", "x-extra": [1, 2], "Message": "ignored"}]}`)},
		{name: "peer-unknown-kind", note: "an unknown kind reads as message, owns_message honoured, and is sent on with its kind",
			json: confJSON(jsonOfLayers(`{"kind": "frobnicate", "message": "whole text", "owns_message": true, "extra": 1}`,
				`{"kind": "coded", "code": "VmQemuCrashError", "message": "crash"}`))},
		{name: "peer-unknown-kind-join", note: "an unknown kind last in its chain with causes reads as join",
			json: confJSON(jsonOfLayers(`{"kind": "gather", "causes": [[{"message": "a"}], [{"code": "VmConfigError", "message": "b"}]]}`))},
		{name: "peer-join-no-message",
			json: confJSON(jsonOfLayers(`{"kind": "join", "causes": [[{"message": "a"}], [{"message": "b"}]]}`))},
		{name: "peer-message-and-fields", note: "a fields layer with a message keeps both",
			json: confJSON(jsonOfLayers(`{"message": "ctx", "fields": {"k": "v"}}`, `{"code": "SnapshotError", "message": "snap"}`))},
		{name: "peer-field-types", note: "every field_types name, written by a peer",
			json: confJSON(jsonOfLayers(`{"code": "GuestAgentError", "message": "typed",
     "fields": {"i8": -8, "i16": -16, "i32": -32, "i64": -64, "u": 1, "u8": 8, "u16": 16, "u32": 32, "u64": 18446744073709551615,
       "f32": 1.5, "f64": 2, "b": "AAH/", "t": "2024-05-06T07:08:09.123456789+02:00", "d": 1500000000,
       "s": "str", "bo": false, "i": 3, "bs": "/w==", "ut": [-1, 5, 58], "nan": "NaN", "inf": "+Inf",
       "ss": ["a"], "m": {"k": [1]}, "cube": [[["x"]]], "bl": ["AQ=="], "unknown": ["a", "b"],
       "anys": ["x", "AQ==", 1], "obj": {"bs": "/w==", "plain": 1}, "big": 123456789012345678901234567890, "fl": 1.25},
     "field_types": {"i8": "int8", "i16": "int16", "i32": "int32", "i64": "int64", "u": "uint", "u8": "uint8", "u16": "uint16",
       "u32": "uint32", "u64": "uint64", "f32": "float32", "f64": "float64", "b": "bytes", "t": "time", "d": "duration",
       "s": "string", "bo": "bool", "i": "int", "bs": "bytestring", "ut": "unixtime", "nan": "float64", "inf": "float32",
       "ss": "[]string", "m": "map[string][]int32", "cube": "[][][]string", "bl": "[]bytes", "unknown": "set[string]",
       "anys": [null, "bytes", "int8"], "obj": {"bs": "bytestring"}}}`))},
		{name: "peer-message-bytes", note: "message_bytes is the message; message is ignored",
			json: confJSON(jsonOfLayers(`{"code": "VmOverlayError", "message": "raw \ufffd", "message_bytes": "cmF3IP8="}`))},
		{name: "peer-ensure-ascii", note: "a Python json.dumps default: non-ASCII escaped",
			json: confJSON(jsonOfLayers(`{"code": "EnvVarValidationError", "message": "caf\u00e9 \ud83d\ude00", "fields": {"name": "\u00e9t\u00e9"}}`))},
		{name: "peer-nulls", note: "null reads as an absent member",
			json: confJSON(`{"version": 1, "code": null, "retry": null, "chain": [{"kind": null, "code": "SnapshotError", "ancestors": null, "retry": null, "message": "s", "fields": null}]}`)},
		{name: "peer-stack", note: "a stack trace as a peer sends it (no absolute path)",
			json: confJSON(jsonOfLayers(`{"code": "VmQemuCrashError", "message": "crash", "stack": "\nmain.boot\n\tmain.go:42"}`, `{"kind": "stack", "stack": "\nmain.run\n\tmain.go:7"}`, `{"message": "exit 1"}`))},
		// Several parents (WIRE.md, "Several parents"): a Python peer's
		// class SocketTransientError(TransientError, CommunicationError).
		{name: "peer-parents", note: "a code Default lacks with two parents: Is for both ancestries; each setting from the first class in the MRO that sets it (TransientError: transient, 503)",
			wantCode: "TransientError", wantName: "SocketTransientError", wantRetry: "transient",
			json: confJSON(jsonOfLayers(`{"code": "SocketTransientError", "message": "socket reset",
				"ancestors": ["TransientError", "CommunicationError", "SandboxError"],
				"parents": ["TransientError", "CommunicationError"]}`))},
		{name: "peer-parents-reversed", note: "the same code with its parents the other way round: CodeOf and the MRO follow the order (CommunicationError: 502; its retry unset, so TransientError's transient)",
			wantCode: "CommunicationError", wantName: "SocketTransientError", wantRetry: "transient",
			json: confJSON(jsonOfLayers(`{"code": "SocketTransientError", "message": "socket reset",
				"ancestors": ["CommunicationError", "TransientError", "SandboxError"],
				"parents": ["CommunicationError", "TransientError"]}`))},
		{name: "parents", note: "the protobuf form of a code with two parents (parents= detail)", forms: []string{formProtobuf},
			wantCode: "TransientError", wantName: "SocketTransientError",
			err: decodedJSON(jsonOfLayers(`{"kind": "coded", "code": "SocketTransientError", "message": "socket reset",
				"ancestors": ["TransientError", "CommunicationError", "SandboxError"],
				"parents": ["TransientError", "CommunicationError"], "retry": "unspecified"}`))},
		{name: "parents-not-ancestor", wantErr: "not among its ancestors",
			crafted: confJSON(jsonOfLayers(`{"code": "SocketTransientError", "message": "m",
				"ancestors": ["TransientError", "SandboxError"], "parents": ["TransientError", "CommunicationError"]}`))},
		{name: "peer-sentinel", json: confJSON(jsonOfLayers(`{"kind": "sentinel", "code": "VmCapacityError"}`))},
		{name: "peer-redaction", json: confJSON(jsonOfLayers(`{"code": "VmConfigError", "message": "vcpus 64", "safe_message": true}`,
			`{"code": "AssetError", "message": "file a", "redactable_message": "file ‹a›"}`))},

		// Limits, at the boundary (accepted) and one past (refused).
		{name: "limit-depth-at", note: "MaxDepth layers in a chain", err: deepChain(errcode.MaxDepth)},
		{name: "limit-depth-past", wantErr: "MaxDepth", pb: crdbEncoded(deepChain(errcode.MaxDepth + 1))},
		{name: "limit-depth-past", wantErr: "MaxDepth", crafted: func(*testing.T) []byte { return []byte(deepChainJSON(errcode.MaxDepth + 1)) }},
		{name: "limit-layers-at", note: "MaxLayers layers: a join of MaxLayers-1 leaves", err: wideJoin(errcode.MaxLayers - 1)},
		{name: "limit-layers-past", wantErr: "MaxLayers", pb: crdbEncoded(wideJoin(errcode.MaxLayers))},
		{name: "limit-layers-past", wantErr: "MaxLayers", crafted: func(*testing.T) []byte { return []byte(wideJoinJSON(errcode.MaxLayers)) }},
		{name: "limit-ancestors-at", note: "a code with MaxDepth ancestors", err: ancestry(errcode.MaxDepth)},
		{name: "limit-ancestors-past", wantErr: "MaxDepth", pb: crdbEncoded(ancestry(errcode.MaxDepth + 1))},
		{name: "limit-ancestors-past", wantErr: "MaxDepth", crafted: func(*testing.T) []byte {
			anc := make([]string, errcode.MaxDepth+1)
			for i := range anc {
				anc[i] = fmt.Sprintf(`"C%d"`, len(anc)-1-i)
			}
			return []byte(jsonOfLayers(`{"code": "C129", "ancestors": [` + strings.Join(anc, ", ") + `], "message": "deep"}`))
		}},
		{name: "limit-codes-at", note: "as many distinct codes as the code density allows for the size (16 + 1 per 1024 bytes), one of them twice: a repeat counts once",
			forms: []string{formProtobuf}, err: func(t *testing.T) error { return denseJoin(t, 0) }},
		{name: "limit-codes-at", note: "as many distinct codes as the code density allows for the size (16 + 1 per 1024 bytes), one of them twice: a repeat counts once",
			json: func(t *testing.T) []byte { return denseJoinJSON(t, 0) }},
		{name: "limit-codes-past", wantErr: "distinct codes, the most its", pb: crdbEncoded(func(t *testing.T) error { return denseJoin(t, 1) })},
		{name: "limit-codes-past", wantErr: "distinct codes, the most its", crafted: func(t *testing.T) []byte { return denseJoinJSON(t, 1) }},
		{name: "limit-fields-at", err: manyFields(errcode.MaxFields)},
		{name: "limit-fields-past", wantErr: "MaxFields", crafted: func(*testing.T) []byte {
			fs := make([]string, errcode.MaxFields+1)
			for i := range fs {
				fs[i] = fmt.Sprintf(`"f%03d": %d`, i, i)
			}
			return []byte(jsonOfLayers(`{"code": "GuestAgentError", "message": "m", "fields": {` + strings.Join(fs, ", ") + `}}`))
		}},
		{name: "limit-field-size-at", note: "a string whose JSON is MaxFieldSize bytes",
			err: func(*testing.T) error {
				return s("GuestAgentError").New("big", "v", strings.Repeat("a", errcode.MaxFieldSize-2))
			}},
		{name: "limit-field-size-past", wantErr: "MaxFieldSize", crafted: func(*testing.T) []byte {
			return []byte(jsonOfLayers(`{"message": "m", "fields": {"v": "` + strings.Repeat("a", errcode.MaxFieldSize-1) + `"}}`))
		}},
		{name: "limit-field-size-escaped", note: "counted on the content: \\u00e9 counts as the 2 bytes of é",
			json: func(*testing.T) []byte {
				return []byte(jsonOfLayers(`{"message": "m", "fields": {"v": "` + strings.Repeat(`\u00e9`, (errcode.MaxFieldSize-2)/2) + `"}}`))
			}},
		{name: "limit-field-depth-at", err: func(*testing.T) error {
			return s("GuestAgentError").New("deep", "v", nested(errcode.MaxFieldDepth))
		}},
		{name: "limit-field-depth-past", wantErr: "MaxFieldDepth", crafted: func(*testing.T) []byte {
			d := errcode.MaxFieldDepth + 1
			return []byte(jsonOfLayers(`{"message": "m", "fields": {"v": ` + strings.Repeat("[", d) + `"leaf"` + strings.Repeat("]", d) + `}}`))
		}},
		{name: "limit-name-at", wantName: strings.Repeat("N", errcode.MaxNameLen),
			json: confJSON(jsonOfLayers(`{"code": "` + strings.Repeat("N", errcode.MaxNameLen) + `", "message": "m"}`))},
		{name: "limit-name-past", wantErr: "MaxNameLen",
			crafted: confJSON(jsonOfLayers(`{"code": "` + strings.Repeat("N", errcode.MaxNameLen+1) + `", "message": "m"}`))},
		{name: "limit-size-at", note: "MaxEncodedSize bytes, padded with spaces",
			json: func(*testing.T) []byte { return padJSON(errcode.MaxEncodedSize) }},
		{name: "limit-size-past", wantErr: "MaxEncodedSize",
			crafted: func(*testing.T) []byte { return padJSON(errcode.MaxEncodedSize + 1) }},

		// Malformed input.
		{name: "bad-empty", wantErr: "empty", pb: func(*testing.T) []byte { return []byte{} }},
		{name: "bad-empty", wantErr: "empty", crafted: confJSON(``)},
		{name: "bad-garbage", wantErr: "malformed protobuf", pb: func(*testing.T) []byte { return []byte("not protobuf \xff\xff\xff") }},
		{name: "bad-truncated", wantErr: "malformed protobuf", pb: func(t *testing.T) []byte {
			data, err := errcode.Encode(s("VmConfigError").New("bad vcpu count"))
			require.NoError(t, err)
			return data[:len(data)-3]
		}},
		{name: "bad-repeated-field", note: "the payload twice: protobuf would merge the repeated wrapper", wantErr: "repeat",
			pb: func(t *testing.T) []byte {
				data, err := errcode.Encode(fmt.Errorf("w: %w", s("VmConfigError").New("bad")))
				require.NoError(t, err)
				return append(data, data...)
			}},
		{name: "bad-not-json", wantErr: "JSON", crafted: confJSON(`{"version": 1, "chain": [`)},
		{name: "bad-version", wantErr: "version", crafted: confJSON(`{"version": 2, "chain": [{"message": "m"}]}`)},
		{name: "bad-no-version", wantErr: "version", crafted: confJSON(`{"chain": [{"message": "m"}]}`)},
		{name: "bad-no-chain", wantErr: "chain", crafted: confJSON(`{"version": 1, "Chain": [{"message": "m"}]}`)},
		{name: "bad-empty-chain", wantErr: "chain", crafted: confJSON(`{"version": 1, "chain": []}`)},
		{name: "bad-chain-type", wantErr: "chain", crafted: confJSON(`{"version": 1, "chain": {"message": "m"}}`)},
		{name: "bad-retry", wantErr: "retry", crafted: confJSON(jsonOfLayers(`{"code": "PyError", "retry": "Transient", "message": "m"}`))},
		{name: "bad-retry-after", wantErr: "retry-after \"soon\"", crafted: confJSON(jsonOfLayers(`{"retry_after": "soon"}`, `{"message": "m"}`))},
		{name: "bad-grpc-code", wantErr: "gRPC code", crafted: confJSON(jsonOfLayers(`{"grpc_code": 17}`, `{"message": "m"}`))},
		{name: "bad-http-status", wantErr: "HTTP status", crafted: confJSON(jsonOfLayers(`{"http_status": 200}`, `{"message": "m"}`))},
		{name: "bad-last-layer", wantErr: "last", crafted: confJSON(jsonOfLayers(`{"message": "m"}`, `{"kind": "fields", "fields": {"a": 1}}`))},
		{name: "bad-message-bytes", wantErr: "message_bytes", crafted: confJSON(jsonOfLayers(`{"message": "m", "message_bytes": "not base64!"}`))},
		{name: "bad-field-type-range", wantErr: "int8", crafted: confJSON(jsonOfLayers(`{"message": "m", "fields": {"v": 300}, "field_types": {"v": "int8"}}`))},
		{name: "bad-field-bytes", wantErr: "base64", crafted: confJSON(jsonOfLayers(`{"message": "m", "fields": {"v": "%%"}, "field_types": {"v": "bytes"}}`))},
		{name: "bad-code-name", wantErr: "name", crafted: confJSON(jsonOfLayers(`{"code": "Bad Name", "message": "m"}`))},
		{name: "bad-join-not-last", wantErr: "join", crafted: confJSON(jsonOfLayers(`{"kind": "join", "causes": [[{"message": "a"}]]}`, `{"message": "m"}`))},
	}
}

// padJSON returns a valid JSON document of exactly n bytes.
func padJSON(n int) []byte {
	doc := jsonOfLayers(`{"code": "VmConfigError", "message": "padded"}`)
	return []byte(doc + strings.Repeat(" ", n-len(doc)))
}
