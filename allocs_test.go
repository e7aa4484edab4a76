package errcode_test

// Allocation counts the documentation and the performance goals promise,
// pinned with testing.AllocsPerRun, in one table. The counts are the same
// with and without -race (checked with go1.26), so the test runs under
// the README's `go test -race ./...` too. It is not parallel:
// AllocsPerRun counts every allocation in the process.

import (
	"context"
	stderrors "errors"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	crdberrors "github.com/cockroachdb/errors"
	"google.golang.org/grpc/codes"

	"github.com/errcode/errcode"
)

// allocCase is one row of TestAllocs: give runs the call being counted
// and reports whether it gave the expected answer.
type allocCase struct {
	desc      string
	give      func() bool
	maxAllocs float64
}

// chainAllocCases returns the zero-allocation cases of the chain queries
// on err, a chain whose outermost code is want (zero for none) and whose
// answers are those of the other want… arguments. miss is a code err's
// codes do not descend from; match are Match's candidates.
func chainAllocCases(chain string, err error, want errcode.Code, wantName string,
	is, miss errcode.Code, match []errcode.Code, wantMatch errcode.Code,
	wantRetry errcode.Retry, wantGRPC codes.Code, wantHTTP int, wantAfter time.Duration,
) []allocCase {
	cases := []allocCase{
		{"Is/hit", func() bool { return errcode.Is(err, is) }, 0},
		{"Is/miss", func() bool { return !errcode.Is(err, miss) }, 0},
		{"CodeOf", func() bool { return errcode.CodeOf(err) == want }, 0},
		{"NameOf", func() bool { return errcode.NameOf(err) == wantName }, 0},
		{"Match/hit", func() bool {
			c, ok := errcode.Match(err, match...)
			return ok && c == wantMatch
		}, 0},
		{"Match/miss", func() bool {
			_, ok := errcode.Match(err, miss)
			return !ok
		}, 0},
		{"RetryOf", func() bool { return errcode.RetryOf(err) == wantRetry }, 0},
		{"IsRetryable", func() bool { return errcode.IsRetryable(err) == (wantRetry == errcode.Transient) }, 0},
		{"GRPCCodeOf", func() bool { return errcode.GRPCCodeOf(err) == wantGRPC }, 0},
		{"HTTPStatusOf", func() bool { return errcode.HTTPStatusOf(err) == wantHTTP }, 0},
		{"RetryAfterOf", func() bool { return errcode.RetryAfterOf(err) == wantAfter }, 0},
	}
	for i := range cases {
		cases[i].desc = chain + "/" + cases[i].desc
	}
	return cases
}

func TestAllocs(t *testing.T) {
	f := bmFixtures()
	k := f.k
	tree := bmTrees(10_000)

	var cases []allocCase

	// Code.IsA: on the 10,000-code tree of BenchmarkIsA, and on the catalog.
	treeHit, treeMiss := tree.hit[0], tree.miss[0]
	cases = append(cases,
		allocCase{"IsA/tree/hit", func() bool { return treeHit[0].IsA(treeHit[1]) }, 0},
		allocCase{"IsA/tree/miss", func() bool { return !treeMiss[0].IsA(treeMiss[1]) }, 0},
		allocCase{"IsA/catalog", func() bool { return errcode.VmBootTimeoutError.IsA(errcode.SandboxError) }, 0},
	)

	// The chain queries, on the 5-layer mixed chains of benchmarks_test.go
	// (the answer in the innermost layer), on their Encode → Decode copies,
	// and on a catalog error under fmt, cockroachdb, Join and WithRetryAfter.
	for _, c := range []struct {
		chain                 string
		hit, miss, leaf, none error
	}{
		{"chain5", f.hit5, f.miss5, f.leaf5, f.crdb5},
		{"decoded5", f.dhit5, f.dmiss5, f.dleaf5, f.dcrdb5},
	} {
		match := []errcode.Code{k.c[1], k.a[1], k.a[3]}
		cases = append(cases,
			chainAllocCases(c.chain+"/hit", c.hit, k.neutral, "BmNeutral", f.isHitCode, f.isMissTarget,
				match, k.a[3], errcode.Transient, codes.Unavailable, 503, 0)...)
		cases = append(cases,
			chainAllocCases(c.chain+"/miss", c.miss, k.neutral, "BmNeutral", k.b[1], f.isMissTarget,
				[]errcode.Code{k.c[1], k.b[2]}, k.b[2], errcode.Unspecified, codes.Unknown, 500, 0)...)
		cases = append(cases,
			chainAllocCases(c.chain+"/leaf", c.leaf, k.a[7], "BmA7", k.a[1], f.isMissTarget,
				match, k.a[3], errcode.Transient, codes.Unavailable, 503, 0)...)
		none := c.none
		cases = append(cases,
			allocCase{c.chain + "/nocode/CodeOf", func() bool { return errcode.CodeOf(none).IsZero() }, 0},
			allocCase{c.chain + "/nocode/NameOf", func() bool { return errcode.NameOf(none) == "" }, 0},
		)
	}
	joined := fmt.Errorf("op: %w", crdberrors.Wrap(
		stderrors.Join(io.EOF, errcode.WithRetryAfter(errcode.VmBootTimeoutError.New("timeout"), time.Second)), "start"))
	cases = append(cases, chainAllocCases("joined", joined, errcode.VmBootTimeoutError, "VmBootTimeoutError",
		errcode.TransientError, errcode.PermanentError,
		[]errcode.Code{errcode.SandboxError, errcode.TransientError, errcode.VmCapacityError}, errcode.TransientError,
		errcode.Transient, codes.DeadlineExceeded, 504, time.Second)...)

	// A Stackless code's New and Wrap make at most two allocations.
	sl, base := k.stackless, f.stdBase
	cases = append(cases,
		allocCase{"New/stackless", func() bool { return errcode.Is(sl.New("pool full"), sl) }, 2},
		allocCase{"Wrap/stackless", func() bool { return errcode.Is(sl.Wrap(base, "pool full"), sl) }, 2},
	)

	// NewSafeHandler hands on a record without errors as it is.
	safe := errcode.NewSafeHandler(slog.DiscardHandler)
	rec := slog.NewRecord(time.Time{}, slog.LevelInfo, "m", 0)
	rec.AddAttrs(slog.String("a", "b"), slog.Int("n", 1), slog.Group("g", slog.Bool("ok", true)))
	cases = append(cases,
		allocCase{"NewSafeHandler/no errors", func() bool { return safe.Handle(context.Background(), rec) == nil }, 0},
	)

	for _, tt := range cases {
		t.Run(tt.desc, func(t *testing.T) {
			if !tt.give() {
				t.Fatalf("%s: wrong answer", tt.desc)
			}
			ok := true
			allocs := testing.AllocsPerRun(100, func() { ok = tt.give() && ok })
			if allocs > tt.maxAllocs {
				t.Errorf("AllocsPerRun(%s) = %v; want <= %v", tt.desc, allocs, tt.maxAllocs)
			}
			if !ok {
				t.Errorf("%s: wrong answer while counting", tt.desc)
			}
		})
	}
}
