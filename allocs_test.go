package errcode_test

// Allocation counts the performance goals require, pinned with
// testing.AllocsPerRun on the fixtures of benchmarks_test.go. These tests
// are not parallel: AllocsPerRun counts every allocation in the process.

import (
	"testing"

	"google.golang.org/grpc/codes"

	"github.com/errcode/errcode"
)

func TestAllocsIsA(t *testing.T) {
	tree := bmTrees(10_000)
	for _, tt := range []struct {
		desc  string
		pairs *[bmPairs][2]errcode.Code
		want  bool
	}{
		{"hit", &tree.hit, true},
		{"miss", &tree.miss, false},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			c, a := tt.pairs[0][0], tt.pairs[0][1]
			var got bool
			allocs := testing.AllocsPerRun(100, func() { got = c.IsA(a) })
			if got != tt.want {
				t.Fatalf("%v.IsA(%v) = %v; want %v", c, a, got, tt.want)
			}
			if allocs != 0 {
				t.Errorf("AllocsPerRun(%v.IsA(%v)) = %v; want 0", c, a, allocs)
			}
		})
	}
}

// TestAllocsChainQueries pins that the chain queries allocate nothing,
// hit and miss, on the 5-layer mixed chains and on their decoded copies.
func TestAllocsChainQueries(t *testing.T) {
	f := bmFixtures()
	k := f.k
	for _, chain := range []struct {
		desc                    string
		hit, miss, leaf, nocode error
	}{
		{"chain5", f.hit5, f.miss5, f.leaf5, f.crdb5},
		{"decoded5", f.dhit5, f.dmiss5, f.dleaf5, f.dcrdb5},
	} {
		hit, miss, leaf, nocode := chain.hit, chain.miss, chain.leaf, chain.nocode
		tests := []struct {
			desc string
			// give reports whether the query gave the expected answer.
			give func() bool
		}{
			{"Is/hit", func() bool { return errcode.Is(hit, f.isHitCode) }},
			{"Is/miss", func() bool { return !errcode.Is(hit, f.isMissTarget) }},
			{"CodeOf/hit", func() bool { return errcode.CodeOf(leaf) == k.a[7] }},
			{"CodeOf/miss", func() bool { return errcode.CodeOf(nocode).IsZero() }},
			{"RetryOf/hit", func() bool { return errcode.RetryOf(hit) == errcode.Transient }},
			{"RetryOf/miss", func() bool { return errcode.RetryOf(miss) == errcode.Unspecified }},
			{"Match/hit", func() bool {
				c, ok := errcode.Match(hit, k.c[1], k.a[1], k.a[3])
				return ok && c == k.a[3]
			}},
			{"Match/miss", func() bool {
				_, ok := errcode.Match(hit, k.c[1], k.c[3])
				return !ok
			}},
			{"GRPCCodeOf/hit", func() bool { return errcode.GRPCCodeOf(hit) == codes.Unavailable }},
			{"GRPCCodeOf/miss", func() bool { return errcode.GRPCCodeOf(miss) == codes.Unknown }},
			{"HTTPStatusOf/hit", func() bool { return errcode.HTTPStatusOf(hit) == 503 }},
			{"HTTPStatusOf/miss", func() bool { return errcode.HTTPStatusOf(miss) == 500 }},
		}
		for _, tt := range tests {
			t.Run(chain.desc+"/"+tt.desc, func(t *testing.T) {
				if !tt.give() {
					t.Fatalf("%s on %s: wrong answer", tt.desc, chain.desc)
				}
				var ok bool
				if allocs := testing.AllocsPerRun(100, func() { ok = tt.give() }); allocs != 0 {
					t.Errorf("AllocsPerRun(%s on %s) = %v; want 0", tt.desc, chain.desc, allocs)
				}
				if !ok {
					t.Errorf("%s on %s: wrong answer while counting", tt.desc, chain.desc)
				}
			})
		}
	}
}

// TestAllocsErrorCached pins that Error() of a chain of coded layers
// builds its message once: later calls allocate nothing and return the
// same string.
func TestAllocsErrorCached(t *testing.T) {
	f := bmFixtures()
	k := f.k
	err := k.a[7].New("leaf")
	for i := 0; i < 4; i++ {
		err = k.neutral.Wrap(err, "coded layer")
	}
	want := err.Error()
	var got string
	if allocs := testing.AllocsPerRun(100, func() { got = err.Error() }); allocs != 0 {
		t.Errorf("AllocsPerRun(Error() of 5 coded layers, after the first call) = %v; want 0", allocs)
	}
	if got != want {
		t.Errorf("Error() = %q after %q; want the same", got, want)
	}
}

// TestAllocsStackless pins that a Stackless code's New and Wrap make at
// most two allocations.
func TestAllocsStackless(t *testing.T) {
	f := bmFixtures()
	c, base := f.k.stackless, f.stdBase
	for _, tt := range []struct {
		desc string
		give func() error
	}{
		{"New", func() error { return c.New("pool full") }},
		{"Wrap", func() error { return c.Wrap(base, "pool full") }},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			var err error
			if allocs := testing.AllocsPerRun(100, func() { err = tt.give() }); allocs > 2 {
				t.Errorf("AllocsPerRun(stackless %s) = %v; want <= 2", tt.desc, allocs)
			}
			if !errcode.Is(err, c) {
				t.Errorf("Is(%s(...), %v) = false; want true", tt.desc, c)
			}
		})
	}
}
