package errcode_test

import (
	"context"
	stderrors "errors"
	"fmt"
	"io"
	"testing"
	"time"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/errcode/errcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
)

// TestMarkLayout fails when a new cockroachdb/errors moves the fields of
// its mark layer: the queries would otherwise ignore marks silently.
func TestMarkLayout(t *testing.T) {
	t.Parallel()
	require.NoError(t, errcode.MarkLayoutErr(), "cockroachdb's withMark layout changed; update mark.go")
	err := crdberrors.Mark(io.EOF, errcode.VmBootTimeoutError)
	require.True(t, errcode.Is(err, errcode.VmBootTimeoutError), "Is(Mark(io.EOF, VmBootTimeoutError), VmBootTimeoutError) = false; want true")
}

// markForms returns err as made and after each protobuf hop: Encode and
// Decode, and cockroachdb's own EncodeError and DecodeError.
func markForms(t *testing.T, err error) map[string]error {
	t.Helper()
	b, eerr := errcode.Encode(err)
	require.NoError(t, eerr)
	dec, derr := errcode.Decode(b)
	require.NoError(t, derr)
	ctx := context.Background()
	return map[string]error{
		"live":        err,
		"Decode":      dec,
		"DecodeError": crdberrors.DecodeError(ctx, crdberrors.EncodeError(ctx, err)),
	}
}

// TestMark asks every query of errors given an identity with
// cockroachdb's errors.Mark, live and after the protobuf hop.
func TestMark(t *testing.T) {
	t.Parallel()
	other := errcode.NewRegistry()
	otherRoot := other.MustRegister("OtherRoot", errcode.Code{})
	otherOnly := other.MustRegister("OtherOnly", otherRoot)
	otherBoot := other.MustRegister("VmBootTimeoutError", otherRoot)

	tests := []struct {
		desc        string
		giveErr     error
		giveCarried []string // names of the catalog codes Is sees
		wantCode    errcode.Code
		wantRetry   errcode.Retry
		wantGRPC    codes.Code
		wantHTTP    int
		wantAfter   time.Duration
	}{
		{
			desc:        "mark of a plain error",
			giveErr:     crdberrors.Mark(io.EOF, errcode.VmBootTimeoutError),
			giveCarried: []string{"VmBootTimeoutError"}, wantCode: errcode.VmBootTimeoutError,
			wantRetry: errcode.Transient, wantGRPC: codes.DeadlineExceeded, wantHTTP: 504,
		},
		{
			desc:        "mark under wrappers",
			giveErr:     fmt.Errorf("op: %w", crdberrors.Wrap(crdberrors.Mark(io.EOF, errcode.VmCapacityError), "acquire")),
			giveCarried: []string{"VmCapacityError"}, wantCode: errcode.VmCapacityError,
			wantRetry: errcode.Transient, wantGRPC: codes.Unavailable, wantHTTP: 503, wantAfter: time.Second,
		},
		{
			desc:        "mark over a coded error: the mark is outermost",
			giveErr:     crdberrors.Mark(errcode.VmConfigError.New("bad"), errcode.VmBootTimeoutError),
			giveCarried: []string{"VmBootTimeoutError", "VmConfigError"}, wantCode: errcode.VmBootTimeoutError,
			wantRetry: errcode.Transient, wantGRPC: codes.DeadlineExceeded, wantHTTP: 504,
		},
		{
			desc:        "coded layer over a mark: the mark decides what the outer code leaves unspecified",
			giveErr:     errcode.SandboxError.Wrap(crdberrors.Mark(io.EOF, errcode.VmConfigError), "start"),
			giveCarried: []string{"SandboxError", "VmConfigError"}, wantCode: errcode.SandboxError,
			wantRetry: errcode.Permanent, wantGRPC: codes.InvalidArgument, wantHTTP: 400,
		},
		{
			desc:        "mark in a join",
			giveErr:     stderrors.Join(io.EOF, crdberrors.Mark(io.ErrUnexpectedEOF, errcode.VmConfigError)),
			giveCarried: []string{"VmConfigError"}, wantCode: errcode.VmConfigError,
			wantRetry: errcode.Permanent, wantGRPC: codes.InvalidArgument, wantHTTP: 400,
		},
		{
			desc:        "mark by an alias's Code",
			giveErr:     crdberrors.Mark(io.EOF, errcode.VmTimeoutError),
			giveCarried: []string{"VmBootTimeoutError"}, wantCode: errcode.VmBootTimeoutError,
			wantRetry: errcode.Transient, wantGRPC: codes.DeadlineExceeded, wantHTTP: 504,
		},
		{
			desc:     "mark of a plain error is ignored",
			giveErr:  crdberrors.Mark(io.EOF, io.ErrUnexpectedEOF),
			wantGRPC: codes.Unknown, wantHTTP: 500,
		},
		{
			desc:     "mark of a coded error is ignored: its identity is that error's message",
			giveErr:  crdberrors.Mark(io.EOF, errcode.VmBootTimeoutError.New("VmBootTimeoutError")),
			wantGRPC: codes.Unknown, wantHTTP: 500,
		},
		{
			desc:     "mark of a name Default lacks is ignored",
			giveErr:  crdberrors.Mark(io.EOF, otherOnly),
			wantGRPC: codes.Unknown, wantHTTP: 500,
		},
		{
			desc:     "mark of the zero Code is ignored",
			giveErr:  crdberrors.Mark(io.EOF, errcode.Code{}),
			wantGRPC: codes.Unknown, wantHTTP: 500,
		},
		{
			desc:        "mark of another registry's code: its name counts",
			giveErr:     crdberrors.Mark(io.EOF, otherBoot),
			giveCarried: []string{"VmBootTimeoutError"}, wantCode: errcode.VmBootTimeoutError,
			wantRetry: errcode.Transient, wantGRPC: codes.DeadlineExceeded, wantHTTP: 504,
		},
	}
	for _, tt := range tests {
		for form, err := range markForms(t, tt.giveErr) {
			t.Run(tt.desc+"/"+form, func(t *testing.T) {
				t.Parallel()
				for _, c := range errcode.Codes() {
					want := false
					for _, name := range tt.giveCarried {
						want = want || catalogIsA(t, name, c.Name())
					}
					assert.Equal(t, want, errcode.Is(err, c), "Is(err, %v) = %v; want %v", c, !want, want)
				}
				assert.True(t, tt.wantCode == errcode.CodeOf(err), "CodeOf = %v; want %v", errcode.CodeOf(err), tt.wantCode)
				assert.Equal(t, tt.wantCode.Name(), errcode.NameOf(err), "NameOf")
				var wantAncestors []string
				for _, a := range tt.wantCode.Ancestors() {
					wantAncestors = append(wantAncestors, a.Name())
				}
				assert.Equal(t, wantAncestors, errcode.AncestorNamesOf(err), "AncestorNamesOf")
				assert.Equal(t, tt.wantRetry, errcode.RetryOf(err), "RetryOf")
				assert.Equal(t, tt.wantGRPC, errcode.GRPCCodeOf(err), "GRPCCodeOf")
				assert.Equal(t, tt.wantHTTP, errcode.HTTPStatusOf(err), "HTTPStatusOf")
				assert.Equal(t, tt.wantAfter, errcode.RetryAfterOf(err), "RetryAfterOf")
				got, ok := errcode.Match(err, errcode.SandboxError, errcode.TransientError, errcode.VmConfigError)
				want := errcode.Code{}
				switch {
				case tt.wantCode.IsA(errcode.VmConfigError):
					want = errcode.VmConfigError
				case tt.wantCode.IsA(errcode.TransientError):
					want = errcode.TransientError
				case tt.wantCode.IsA(errcode.SandboxError):
					want = errcode.SandboxError
				}
				assert.Equal(t, !want.IsZero(), ok, "Match ok")
				assert.True(t, want == got, "Match = %v; want %v", got, want)
			})
		}
	}
}

// TestMarkRegistry checks that a mark's name is looked up in the
// registry of the query's target (Is) or candidates (Match), and in
// Default for the other queries, also after a Decode with another
// registry.
func TestMarkRegistry(t *testing.T) {
	t.Parallel()
	other := errcode.NewRegistry()
	otherRoot := other.MustRegister("OtherRoot", errcode.Code{}, errcode.Permanent)
	otherOnly := other.MustRegister("OtherOnly", otherRoot)
	otherBoot := other.MustRegister("VmBootTimeoutError", otherRoot)

	b, err := errcode.Encode(crdberrors.Mark(io.EOF, otherOnly))
	require.NoError(t, err)
	decoded, err := other.Decode(b)
	require.NoError(t, err)
	for form, err := range map[string]error{"live": crdberrors.Mark(io.EOF, otherOnly), "Decode with its registry": decoded} {
		t.Run(form, func(t *testing.T) {
			t.Parallel()
			assert.True(t, errcode.Is(err, otherOnly), "Is(Mark(io.EOF, OtherOnly), OtherOnly) = false; want true")
			assert.True(t, errcode.Is(err, otherRoot), "Is(Mark(io.EOF, OtherOnly), OtherRoot) = false; want true")
			assert.False(t, errcode.Is(err, errcode.SandboxError), "Is(Mark(io.EOF, OtherOnly), SandboxError) = true; want false")
			got, ok := errcode.Match(err, errcode.SandboxError, otherRoot)
			assert.True(t, ok && got == otherRoot, "Match(Mark(io.EOF, OtherOnly), SandboxError, OtherRoot) = %v, %v; want OtherRoot", got, ok)
			assert.True(t, errcode.CodeOf(err).IsZero(), "CodeOf = %v; want the zero Code: Default lacks OtherOnly", errcode.CodeOf(err))
			assert.Equal(t, errcode.Unspecified, errcode.RetryOf(err), "RetryOf looks the mark up in Default")
		})
	}

	// The same name in two registries: each query's registry decides.
	err = crdberrors.Mark(io.EOF, errcode.VmBootTimeoutError)
	assert.True(t, errcode.Is(err, otherBoot), "Is(Mark(io.EOF, VmBootTimeoutError), other's VmBootTimeoutError) = false; want true")
	assert.True(t, errcode.Is(err, otherRoot), "Is(Mark(io.EOF, VmBootTimeoutError), OtherRoot) = false; want true")
	got, ok := errcode.Match(err, otherRoot, errcode.TransientError)
	assert.True(t, ok && got == errcode.TransientError, "Match = %v, %v; want TransientError, the deeper", got, ok)
	assert.True(t, errcode.VmBootTimeoutError == errcode.CodeOf(err), "CodeOf = %v; want Default's VmBootTimeoutError", errcode.CodeOf(err))
}

// TestMarkCockroachdbIs pins what cockroachdb's own errors.Is says of a
// mark of a Code, the case errcode's queries widen: yes for the code
// itself, no for its ancestors.
func TestMarkCockroachdbIs(t *testing.T) {
	t.Parallel()
	err := crdberrors.Mark(io.EOF, errcode.VmBootTimeoutError)
	assert.True(t, crdberrors.Is(err, errcode.VmBootTimeoutError))
	assert.False(t, crdberrors.Is(err, errcode.TransientError))
	assert.False(t, stderrors.Is(err, errcode.VmBootTimeoutError))
	assert.True(t, errcode.Is(err, errcode.TransientError))
	var c errcode.Code
	assert.False(t, stderrors.As(err, &c), "errors.As cannot see marks")
	assert.False(t, crdberrors.As(err, &c), "cockroachdb's errors.As cannot see marks")
}

// TestAllocsMarkQueries pins that the queries allocate nothing over a
// chain with a mark, live and decoded. It is not parallel:
// testing.AllocsPerRun counts every allocation in the process.
func TestAllocsMarkQueries(t *testing.T) {
	live := errcode.WithFields(fmt.Errorf("op: %w", crdberrors.Wrap(
		crdberrors.Mark(errcode.VmConfigError.New("bad"), errcode.VmBootTimeoutError), "start")), "vm", "vm-1")
	b, err := errcode.Encode(live)
	require.NoError(t, err)
	decoded, err := errcode.Decode(b)
	require.NoError(t, err)
	for form, err := range map[string]error{"live": live, "decoded": decoded} {
		tests := []struct {
			desc string
			give func() bool // reports whether the query answered right
		}{
			{"Is/hit", func() bool { return errcode.Is(err, errcode.TransientError) }},
			{"Is/miss", func() bool { return !errcode.Is(err, errcode.VmCapacityError) }},
			{"CodeOf", func() bool { return errcode.CodeOf(err) == errcode.VmBootTimeoutError }},
			{"NameOf", func() bool { return errcode.NameOf(err) == "VmBootTimeoutError" }},
			{"RetryOf", func() bool { return errcode.RetryOf(err) == errcode.Transient }},
			{"Match", func() bool {
				c, ok := errcode.Match(err, errcode.VmConfigError, errcode.TransientError)
				return ok && c == errcode.TransientError
			}},
			{"GRPCCodeOf", func() bool { return errcode.GRPCCodeOf(err) == codes.DeadlineExceeded }},
			{"HTTPStatusOf", func() bool { return errcode.HTTPStatusOf(err) == 504 }},
			{"RetryAfterOf", func() bool { return errcode.RetryAfterOf(err) == 0 }},
		}
		for _, tt := range tests {
			t.Run(form+"/"+tt.desc, func(t *testing.T) {
				require.True(t, tt.give(), "%s on the %s marked chain: wrong answer", tt.desc, form)
				if allocs := testing.AllocsPerRun(100, func() { tt.give() }); allocs != 0 {
					t.Errorf("AllocsPerRun(%s on the %s marked chain) = %v; want 0", tt.desc, form, allocs)
				}
			})
		}
	}
}

// TestMarkWireOnlyTarget checks that a mark never matches a code known
// only from the wire, even one of the same name.
func TestMarkWireOnlyTarget(t *testing.T) {
	t.Parallel()
	sender := errcode.NewRegistry()
	child := sender.MustRegister("Child", sender.MustRegister("Root", errcode.Code{}))
	receiver := errcode.NewRegistry()
	receiver.MustRegister("Root", errcode.Code{})
	b, err := errcode.Encode(child)
	require.NoError(t, err)
	decoded, err := receiver.Decode(b)
	require.NoError(t, err)
	var wire errcode.Code
	require.True(t, stderrors.As(decoded, &wire))
	require.Nil(t, wire.Registry(), "want a code known only from the wire")

	assert.True(t, errcode.Is(decoded, wire), "Is(decoded Child, wire-only Child) = false; want true")
	assert.False(t, errcode.Is(crdberrors.Mark(io.EOF, child), wire), "Is(Mark(io.EOF, Child), wire-only Child) = true; want false")
}
