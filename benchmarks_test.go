package errcode_test

// Benchmarks for errcode's performance goals (BENCHMARKS.md). Every errcode case
// runs beside its baseline under the same parent name, so that one
// `go test -bench` run yields each ratio:
//
//	BenchmarkIs/chain5/miss/errcode
//	BenchmarkIs/chain5/miss/cockroachdb   // cockroachdb errors.Is
//	BenchmarkIs/chain5/miss/std           // the standard library's errors.Is
//
// bench/run.sh runs them and bench/ratios turns the output into a goal
// table (bench/out/goals.md; BENCHMARKS.md quotes one run's). The
// fixtures live in a Registry of their own, never in Default, so that
// tests walking Default see none of them.

import (
	"context"
	stderrors "errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync"
	"testing"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/cockroachdb/errors/errorspb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/errcode/errcode"
)

// Package-level sinks: every benchmark stores its last result in one, so
// the compiler cannot drop the work.
var (
	bmSinkBool  bool
	bmSinkCode  errcode.Code
	bmSinkRetry errcode.Retry
	bmSinkGRPC  codes.Code
	bmSinkInt   int
	bmSinkErr   error
	bmSinkStr   string
	bmSinkBytes []byte
)

// bmCodes is the registry the chain benchmarks use:
//
//	BmRoot
//	├── BmA1 (Transient, gRPC Unavailable, HTTP 503) → BmA2 → … → BmA7
//	├── BmB1 → BmB2 → BmB3         (no decision, no mapping)
//	├── BmC1 → BmC2 → BmC3         (in no chain: the miss target)
//	├── BmNeutral                  (the code of the coded wraps)
//	└── BmStackless (Stackless)
type bmCodes struct {
	reg       *errcode.Registry
	root      errcode.Code
	a         [8]errcode.Code // a[1..7]; a[7] is at depth 7
	b         [4]errcode.Code // b[1..3]
	c         [4]errcode.Code // c[1..3]
	neutral   errcode.Code
	stackless errcode.Code
}

// bmFixture holds the codes and the errors every benchmark and
// allocation test asks about. The "5-layer" chains are made by five calls
// (a New and four wraps), alternating cockroachdb's errors.Wrap and
// errcode's Code.Wrap:
//
//	hit5  = BmA7.New → crdb.Wrap → BmNeutral.Wrap → crdb.Wrap → BmNeutral.Wrap
//	miss5 = the same with a BmB3 leaf
//	leaf5 = BmA7.New → crdb.Wrap ×4   (the only code is the innermost)
//	crdb5 = crdb.New → crdb.Wrap ×4   (no code at all)
//
// In every "hit" the answer is in the innermost layer, so a hit walks the
// whole chain as a miss does: the miss/hit ratio compares equal walks.
type bmFixture struct {
	k bmCodes

	plain, plainMiss, plainCrdb error // BmA7.New, BmB3.New, crdb.New
	chain2, chain20             error // BmA7.New plus 1 and 19 mixed wraps
	stdwrap5                    error // BmA7.New plus 4 fmt.Errorf %w
	hit5, miss5, leaf5, crdb5   error
	dhit5, dmiss5, dleaf5       error // Encode → Decode of the above
	dcrdb5                      error

	coded5                  error        // BmA7.New + 4 × BmNeutral.Wrap: Error()
	newCoded5, newCrdb5     func() error // make another coded5, crdb5
	newHit5                 func() error // make another hit5
	coded4, crdb4           error        // New + 3 Wrap: Encode
	coded4Wire, crdb4Wire   []byte       // their encodings
	stdBase                 error        // what the Wrap benchmarks wrap
	grpcHit, grpcMiss       codes.Code
	httpHit, httpMiss       int
	matchHit, matchMiss     []errcode.Code
	isHitCode, isMissTarget errcode.Code

	// The cockroachdb idiom errcode is measured against: a sentinel
	// made by errors.New, asked about with errors.Is. sentinelHit5 is
	// the sentinel under 4 errors.Wrap, sentinelMiss5 another New under
	// 4 errors.Wrap; the d… ones went through Encode → Decode.
	sentinel                      error
	sentinelHit5, sentinelMiss5   error
	dsentinelHit5, dsentinelMiss5 error
}

var bmFixtures = sync.OnceValue(func() *bmFixture {
	f, err := newBMFixture()
	if err != nil {
		panic("benchmark fixture: " + err.Error())
	}
	return f
})

func newBMFixture() (*bmFixture, error) {
	r := errcode.NewRegistry()
	k := bmCodes{reg: r}
	var err error
	reg := func(name string, parent errcode.Code, opts ...errcode.Option) errcode.Code {
		c, rerr := r.Register(name, parent, opts...)
		if rerr != nil && err == nil {
			err = rerr
		}
		return c
	}
	k.root = reg("BmRoot", errcode.Code{})
	k.a[1] = reg("BmA1", k.root, errcode.Transient, errcode.GRPCCode(codes.Unavailable), errcode.HTTPStatus(503))
	for i := 2; i <= 7; i++ {
		k.a[i] = reg("BmA"+strconv.Itoa(i), k.a[i-1])
	}
	k.b[1], k.c[1] = reg("BmB1", k.root), reg("BmC1", k.root)
	for i := 2; i <= 3; i++ {
		k.b[i] = reg("BmB"+strconv.Itoa(i), k.b[i-1])
		k.c[i] = reg("BmC"+strconv.Itoa(i), k.c[i-1])
	}
	k.neutral = reg("BmNeutral", k.root)
	k.stackless = reg("BmStackless", k.root, errcode.Stackless())
	if err != nil {
		return nil, err
	}

	f := &bmFixture{k: k}
	// mixed wraps leaf n times: odd layers cockroachdb's, even ones coded.
	mixed := func(leaf error, n int) error {
		e := leaf
		for i := 1; i <= n; i++ {
			if i%2 == 1 {
				e = crdberrors.Wrap(e, "crdb layer "+strconv.Itoa(i))
			} else {
				e = k.neutral.Wrap(e, "coded layer "+strconv.Itoa(i))
			}
		}
		return e
	}
	crdbWraps := func(leaf error, n int) error {
		e := leaf
		for i := 1; i <= n; i++ {
			e = crdberrors.Wrap(e, "crdb layer "+strconv.Itoa(i))
		}
		return e
	}
	codedWraps := func(leaf error, n int) error {
		e := leaf
		for i := 1; i <= n; i++ {
			e = k.neutral.Wrap(e, "coded layer "+strconv.Itoa(i))
		}
		return e
	}

	f.plain = k.a[7].New("leaf")
	f.plainMiss = k.b[3].New("leaf")
	f.plainCrdb = crdberrors.New("leaf")
	f.chain2 = mixed(k.a[7].New("leaf"), 1)
	f.chain20 = mixed(k.a[7].New("leaf"), 19)
	f.stdwrap5 = k.a[7].New("leaf")
	for i := 1; i <= 4; i++ {
		f.stdwrap5 = fmt.Errorf("std layer %d: %w", i, f.stdwrap5)
	}
	f.newHit5 = func() error { return mixed(k.a[7].New("leaf"), 4) }
	f.newCrdb5 = func() error { return crdbWraps(crdberrors.New("leaf"), 4) }
	f.newCoded5 = func() error { return codedWraps(k.a[7].New("leaf"), 4) }
	f.hit5 = f.newHit5()
	f.miss5 = mixed(k.b[3].New("leaf"), 4)
	f.leaf5 = crdbWraps(k.a[7].New("leaf"), 4)
	f.crdb5 = f.newCrdb5()
	f.coded5 = f.newCoded5()
	f.coded4 = codedWraps(k.a[7].New("leaf"), 3)
	f.crdb4 = crdbWraps(crdberrors.New("leaf"), 3)
	f.stdBase = stderrors.New("base")

	roundTrip := func(e error) error {
		if err != nil {
			return nil
		}
		b, eerr := errcode.Encode(e)
		if eerr != nil {
			err = eerr
			return nil
		}
		d, derr := r.Decode(b)
		if derr != nil {
			err = derr
		}
		return d
	}
	f.sentinel = crdberrors.New("sentinel")
	f.sentinelHit5 = crdbWraps(f.sentinel, 4)
	f.sentinelMiss5 = crdbWraps(crdberrors.New("leaf"), 4)
	f.dsentinelHit5, f.dsentinelMiss5 = roundTrip(f.sentinelHit5), roundTrip(f.sentinelMiss5)
	f.dhit5, f.dmiss5 = roundTrip(f.hit5), roundTrip(f.miss5)
	f.dleaf5, f.dcrdb5 = roundTrip(f.leaf5), roundTrip(f.crdb5)
	if err != nil {
		return nil, err
	}
	if f.coded4Wire, err = errcode.Encode(f.coded4); err != nil {
		return nil, err
	}
	enc := crdberrors.EncodeError(context.Background(), f.crdb4)
	if f.crdb4Wire, err = enc.Marshal(); err != nil {
		return nil, err
	}

	f.isHitCode, f.isMissTarget = k.a[3], k.c[3]
	f.grpcHit, f.grpcMiss = codes.Unavailable, codes.Unknown
	f.httpHit, f.httpMiss = 503, 500
	f.matchHit = []errcode.Code{k.c[1], k.a[1], k.a[3]} // hit5 matches BmA3, the deepest
	f.matchMiss = []errcode.Code{k.c[1], k.c[3]}
	return f, nil
}

// bmLoop runs f in a b.Loop with allocation reporting and keeps the last
// result in *sink.
func bmLoop[T any](b *testing.B, sink *T, f func() T) {
	b.Helper()
	b.ReportAllocs()
	var r T
	for b.Loop() {
		r = f()
	}
	*sink = r
}

// bmCase is one sub-case of a chain query: the error a hit and a miss
// are asked about ("" name parts are skipped by the caller).
type bmCase struct {
	name      string
	hit, miss error
}

// bmQueryCases returns the nil, plain, chain5 and decoded5 cases of a
// query without a target (CodeOf, RetryOf, GRPCCodeOf, HTTPStatusOf),
// given the hit and miss plain errors and 5-layer chains.
func bmQueryCases(plainHit, plainMiss, hit5, miss5, dhit5, dmiss5 error) []bmCase {
	return []bmCase{
		{"nil", nil, nil},
		{"plain", plainHit, plainMiss},
		{"chain5", hit5, miss5},
		{"decoded5", dhit5, dmiss5},
	}
}

// bmEachCase runs body(b, err, hit) under name/hit and name/miss for
// every case; a nil case has only a miss.
func bmEachCase(b *testing.B, cases []bmCase, body func(b *testing.B, err error, hit bool)) {
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			if c.name != "nil" {
				b.Run("hit", func(b *testing.B) { body(b, c.hit, true) })
			}
			b.Run("miss", func(b *testing.B) { body(b, c.miss, false) })
		})
	}
}

// bmCrdbMiss is the baseline the chain-query goals name: cockroachdb's
// errors.Is on the same chain with a code the chain does not carry.
func bmCrdbMiss(b *testing.B, f *bmFixture, err error) {
	target := error(f.isMissTarget)
	b.Run("cockroachdb", func(b *testing.B) {
		bmLoop(b, &bmSinkBool, func() bool { return crdberrors.Is(err, target) })
	})
}

// BenchmarkIsA measures Code.IsA in registries of 100, 10,000 and
// 100,000 codes, a root with chains of depth 8 fanned out below it. Each
// iteration asks about one of 1024 random (code, ancestor) pairs: a code
// at depth 8 and, for hit, one of its ancestors (or itself), for miss, a
// code of another chain at a random depth. hot repeats one hit pair.
func BenchmarkIsA(b *testing.B) {
	for _, n := range []int{100, 10_000, 100_000} {
		t := bmTrees(n)
		b.Run("codes="+strconv.Itoa(n), func(b *testing.B) {
			for _, pc := range []struct {
				name  string
				pairs *[bmPairs][2]errcode.Code
				want  bool
			}{{"hit", &t.hit, true}, {"miss", &t.miss, false}} {
				b.Run(pc.name, func(b *testing.B) {
					p := pc.pairs
					for i := range p {
						if p[i][0].IsA(p[i][1]) != pc.want {
							b.Fatalf("%v.IsA(%v) = %v; want %v", p[i][0], p[i][1], !pc.want, pc.want)
						}
					}
					b.ReportAllocs()
					var i, hits int
					for b.Loop() {
						q := &p[i&(bmPairs-1)]
						if q[0].IsA(q[1]) {
							hits++
						}
						i++
					}
					bmSinkInt = hits
				})
			}
			// hot asks about one hit pair over and over: its codes stay
			// in cache, so it shows the check itself, free of the cache
			// and TLB misses the random pairs of a large registry add.
			b.Run("hot", func(b *testing.B) {
				c, a := t.hit[0][0], t.hit[0][1]
				b.ReportAllocs()
				var hits int
				for b.Loop() {
					if c.IsA(a) {
						hits++
					}
				}
				bmSinkInt = hits
			})
		})
	}
}

const (
	bmPairs     = 1024 // a power of two
	bmTreeDepth = 8
)

type bmTree struct {
	reg       *errcode.Registry
	codes     []errcode.Code
	hit, miss [bmPairs][2]errcode.Code
}

var (
	bmTreeMu    sync.Mutex
	bmTreeCache = map[int]*bmTree{}
)

// bmTreeNames returns the names of an n-code tree, in registration order.
func bmTreeNames(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = "BmTree" + strconv.Itoa(i)
	}
	return names
}

// bmRegisterTree registers names in r as a root (names[0]) with chains of
// bmTreeDepth codes below it: names[1..8] the first chain, names[9..16]
// the second, and so on (the last chain may be shorter).
func bmRegisterTree(r *errcode.Registry, names []string, out []errcode.Code) error {
	root, err := r.Register(names[0], errcode.Code{})
	if err != nil {
		return err
	}
	out[0] = root
	for i := 1; i < len(names); i++ {
		parent := root
		if (i-1)%bmTreeDepth != 0 {
			parent = out[i-1]
		}
		if out[i], err = r.Register(names[i], parent); err != nil {
			return err
		}
	}
	return nil
}

// bmTrees returns the n-code tree and its pairs, built once per n.
func bmTrees(n int) *bmTree {
	bmTreeMu.Lock()
	defer bmTreeMu.Unlock()
	if t, ok := bmTreeCache[n]; ok {
		return t
	}
	t := &bmTree{reg: errcode.NewRegistry(), codes: make([]errcode.Code, n)}
	if err := bmRegisterTree(t.reg, bmTreeNames(n), t.codes); err != nil {
		panic(err)
	}
	chains := (n - 1) / bmTreeDepth // full chains only
	at := func(chain, depth int) errcode.Code { return t.codes[1+chain*bmTreeDepth+depth-1] }
	rng := rand.New(rand.NewPCG(uint64(n), 8))
	for i := range bmPairs {
		ch := rng.IntN(chains)
		other := (ch + 1 + rng.IntN(chains-1)) % chains
		t.hit[i] = [2]errcode.Code{at(ch, bmTreeDepth), at(ch, 1+rng.IntN(bmTreeDepth))}
		t.miss[i] = [2]errcode.Code{at(ch, bmTreeDepth), at(other, 1+rng.IntN(bmTreeDepth))}
	}
	bmTreeCache[n] = t
	return t
}

// BenchmarkIs measures errcode.Is beside cockroachdb's and the standard
// library's errors.Is on the same error and the same Code (a sentinel
// error for both): hit asks about BmA3, an ancestor of the innermost
// code; miss about BmC3, in no chain. A miss also runs
// cockroachdb-sentinel: cockroachdb's errors.Is on the same chain with an
// errors.New sentinel it does not carry, cockroachdb's own idiom.
//
// sentinel5 and sentinel5decoded are the cockroachdb idiom: the
// cockroachdb idiom on New + 4 errors.Wrap with no code anywhere, hit
// (the sentinel is the innermost error) and miss (another errors.New).
func BenchmarkIs(b *testing.B) {
	f := bmFixtures()
	cases := []bmCase{
		{"nil", nil, nil},
		{"plain", f.plain, f.plain},
		{"chain2", f.chain2, f.chain2},
		{"chain5", f.hit5, f.hit5},
		{"chain20", f.chain20, f.chain20},
		{"stdwrap5", f.stdwrap5, f.stdwrap5},
		{"decoded5", f.dhit5, f.dhit5},
	}
	bmEachCase(b, cases, func(b *testing.B, err error, hit bool) {
		target := f.isMissTarget
		if hit {
			target = f.isHitCode
		}
		targetErr := error(target)
		if got := errcode.Is(err, target); got != hit {
			b.Fatalf("Is(%v, %v) = %v; want %v", err, target, got, hit)
		}
		if got := crdberrors.Is(err, targetErr); got != hit {
			b.Fatalf("cockroachdb errors.Is(%v, %v) = %v; want %v", err, target, got, hit)
		}
		b.Run("errcode", func(b *testing.B) {
			bmLoop(b, &bmSinkBool, func() bool { return errcode.Is(err, target) })
		})
		b.Run("cockroachdb", func(b *testing.B) {
			bmLoop(b, &bmSinkBool, func() bool { return crdberrors.Is(err, targetErr) })
		})
		b.Run("std", func(b *testing.B) {
			bmLoop(b, &bmSinkBool, func() bool { return stderrors.Is(err, targetErr) })
		})
		if !hit && err != nil {
			// cockroachdb's own idiom on the same chain: a sentinel
			// made by errors.New that the chain does not carry.
			sentinel := f.sentinel
			b.Run("cockroachdb-sentinel", func(b *testing.B) {
				bmLoop(b, &bmSinkBool, func() bool { return crdberrors.Is(err, sentinel) })
			})
		}
	})

	// The cockroachdb idiom: cockroachdb's errors.Is with an
	// errors.New sentinel on New + 4 errors.Wrap, with no code anywhere.
	bmEachCase(b, []bmCase{
		{"sentinel5", f.sentinelHit5, f.sentinelMiss5},
		{"sentinel5decoded", f.dsentinelHit5, f.dsentinelMiss5},
	}, func(b *testing.B, err error, hit bool) {
		sentinel := f.sentinel
		if got := crdberrors.Is(err, sentinel); got != hit {
			b.Fatalf("cockroachdb errors.Is(%v, sentinel) = %v; want %v", err, got, hit)
		}
		b.Run("cockroachdb", func(b *testing.B) {
			bmLoop(b, &bmSinkBool, func() bool { return crdberrors.Is(err, sentinel) })
		})
	})
}

// BenchmarkCodeOf measures errcode.CodeOf: hit on a chain whose only code
// is its innermost layer (leaf5), miss on one with no code (crdb5). The
// cockroachdb sub-case is errors.Is on the same chain with a code it does
// not carry.
func BenchmarkCodeOf(b *testing.B) {
	f := bmFixtures()
	cases := bmQueryCases(f.plain, f.plainCrdb, f.leaf5, f.crdb5, f.dleaf5, f.dcrdb5)
	bmEachCase(b, cases, func(b *testing.B, err error, hit bool) {
		want := errcode.Code{}
		if hit {
			want = f.k.a[7]
		}
		if got := errcode.CodeOf(err); got != want {
			b.Fatalf("CodeOf(%v) = %v; want %v", err, got, want)
		}
		b.Run("errcode", func(b *testing.B) {
			bmLoop(b, &bmSinkCode, func() errcode.Code { return errcode.CodeOf(err) })
		})
		bmCrdbMiss(b, f, err)
	})
}

// BenchmarkRetryOf measures errcode.RetryOf: hit on hit5 (Transient,
// decided by the innermost code), miss on miss5 (Unspecified). The
// cockroachdb sub-case is errors.Is on the same chain with a code it does
// not carry.
func BenchmarkRetryOf(b *testing.B) {
	f := bmFixtures()
	cases := bmQueryCases(f.plain, f.plainMiss, f.hit5, f.miss5, f.dhit5, f.dmiss5)
	bmEachCase(b, cases, func(b *testing.B, err error, hit bool) {
		want := errcode.Unspecified
		if hit {
			want = errcode.Transient
		}
		if got := errcode.RetryOf(err); got != want {
			b.Fatalf("RetryOf(%v) = %v; want %v", err, got, want)
		}
		b.Run("errcode", func(b *testing.B) {
			bmLoop(b, &bmSinkRetry, func() errcode.Retry { return errcode.RetryOf(err) })
		})
		bmCrdbMiss(b, f, err)
	})
}

// BenchmarkMatch measures errcode.Match on one chain: hit with the
// candidates BmC1, BmA1, BmA3 (BmA3 matches the innermost code), miss
// with BmC1, BmC3. The cockroachdb sub-case is what a caller would write
// without Match: errors.Is for each candidate, deepest first.
func BenchmarkMatch(b *testing.B) {
	f := bmFixtures()
	cases := []bmCase{
		{"nil", nil, nil},
		{"plain", f.plain, f.plain},
		{"chain5", f.hit5, f.hit5},
		{"decoded5", f.dhit5, f.dhit5},
	}
	bmEachCase(b, cases, func(b *testing.B, err error, hit bool) {
		cands := f.matchMiss
		if hit {
			cands = f.matchHit
		}
		if got, ok := errcode.Match(err, cands...); ok != hit || (hit && got != f.k.a[3]) {
			b.Fatalf("Match(%v, %v) = %v, %v; want hit=%v", err, cands, got, ok, hit)
		}
		// Deepest first, as Match decides.
		crdbCands := make([]error, len(cands))
		for i, c := range cands {
			crdbCands[i] = c
		}
		slicesSortByDepth(crdbCands)
		b.Run("errcode", func(b *testing.B) {
			bmLoop(b, &bmSinkCode, func() errcode.Code {
				c, _ := errcode.Match(err, cands...)
				return c
			})
		})
		b.Run("cockroachdb", func(b *testing.B) {
			bmLoop(b, &bmSinkBool, func() bool {
				for _, c := range crdbCands {
					if crdberrors.Is(err, c) {
						return true
					}
				}
				return false
			})
		})
	})
}

// slicesSortByDepth orders codes (as errors) deepest first, stably.
func slicesSortByDepth(cs []error) {
	depth := func(e error) int { return len(e.(errcode.Code).Ancestors()) }
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && depth(cs[j]) > depth(cs[j-1]); j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

// BenchmarkGRPCCodeOf measures errcode.GRPCCodeOf beside grpc's
// status.Code (which calls Error() on an error without a GRPCStatus
// method) and cockroachdb's errors.Is (miss) on the same chain: hit on
// hit5 (Unavailable from the innermost code), miss on miss5 (Unknown);
// crdbwrap5 has cockroachdb's wraps outermost (leaf5 and crdb5), whose
// Error() status.Code pays for.
func BenchmarkGRPCCodeOf(b *testing.B) {
	f := bmFixtures()
	cases := append(bmQueryCases(f.plain, f.plainMiss, f.hit5, f.miss5, f.dhit5, f.dmiss5),
		bmCase{"crdbwrap5", f.leaf5, f.crdb5}) // cockroachdb's wraps outermost
	bmEachCase(b, cases, func(b *testing.B, err error, hit bool) {
		want := f.grpcMiss
		switch {
		case err == nil:
			want = codes.OK
		case hit:
			want = f.grpcHit
		}
		if got := errcode.GRPCCodeOf(err); got != want {
			b.Fatalf("GRPCCodeOf(%v) = %v; want %v", err, got, want)
		}
		b.Run("errcode", func(b *testing.B) {
			bmLoop(b, &bmSinkGRPC, func() codes.Code { return errcode.GRPCCodeOf(err) })
		})
		b.Run("grpc", func(b *testing.B) {
			bmLoop(b, &bmSinkGRPC, func() codes.Code { return status.Code(err) })
		})
		bmCrdbMiss(b, f, err)
	})
}

// BenchmarkHTTPStatusOf measures errcode.HTTPStatusOf on the chains of
// BenchmarkGRPCCodeOf.
func BenchmarkHTTPStatusOf(b *testing.B) {
	f := bmFixtures()
	cases := bmQueryCases(f.plain, f.plainMiss, f.hit5, f.miss5, f.dhit5, f.dmiss5)
	bmEachCase(b, cases, func(b *testing.B, err error, hit bool) {
		want := f.httpMiss
		switch {
		case err == nil:
			want = 200
		case hit:
			want = f.httpHit
		}
		if got := errcode.HTTPStatusOf(err); got != want {
			b.Fatalf("HTTPStatusOf(%v) = %v; want %v", err, got, want)
		}
		b.Run("errcode", func(b *testing.B) {
			bmLoop(b, &bmSinkInt, func() int { return errcode.HTTPStatusOf(err) })
		})
		bmCrdbMiss(b, f, err)
	})
}

// BenchmarkNew compares Code.New (with a stack trace) with cockroachdb's
// errors.New, a Stackless code's New, and the standard errors.New.
func BenchmarkNew(b *testing.B) {
	f := bmFixtures()
	code, stackless := f.k.a[7], f.k.stackless
	b.Run("errcode", func(b *testing.B) {
		bmLoop(b, &bmSinkErr, func() error { return code.New("vm boot timed out") })
	})
	b.Run("cockroachdb", func(b *testing.B) {
		bmLoop(b, &bmSinkErr, func() error { return crdberrors.New("vm boot timed out") })
	})
	b.Run("stackless", func(b *testing.B) {
		bmLoop(b, &bmSinkErr, func() error { return stackless.New("vm boot timed out") })
	})
	b.Run("std", func(b *testing.B) {
		bmLoop(b, &bmSinkErr, func() error { return stderrors.New("vm boot timed out") })
	})
	// Newf formats twice: the message and its redactable form.
	b.Run("newf/errcode", func(b *testing.B) {
		bmLoop(b, &bmSinkErr, func() error { return code.Newf("vm %s boot timed out after %d s", "vm-7", 30) })
	})
	b.Run("newf/cockroachdb", func(b *testing.B) {
		bmLoop(b, &bmSinkErr, func() error { return crdberrors.Newf("vm %s boot timed out after %d s", "vm-7", 30) })
	})
	b.Run("newf/stackless", func(b *testing.B) {
		bmLoop(b, &bmSinkErr, func() error { return stackless.Newf("vm %s boot timed out after %d s", "vm-7", 30) })
	})
}

// BenchmarkWrap compares Code.Wrap with cockroachdb's errors.Wrap, a
// Stackless code's Wrap and fmt.Errorf's %w, all wrapping the same error.
func BenchmarkWrap(b *testing.B) {
	f := bmFixtures()
	code, stackless, base := f.k.neutral, f.k.stackless, f.stdBase
	b.Run("errcode", func(b *testing.B) {
		bmLoop(b, &bmSinkErr, func() error { return code.Wrap(base, "booting vm") })
	})
	b.Run("cockroachdb", func(b *testing.B) {
		bmLoop(b, &bmSinkErr, func() error { return crdberrors.Wrap(base, "booting vm") })
	})
	b.Run("stackless", func(b *testing.B) {
		bmLoop(b, &bmSinkErr, func() error { return stackless.Wrap(base, "booting vm") })
	})
	b.Run("std", func(b *testing.B) {
		bmLoop(b, &bmSinkErr, func() error { return fmt.Errorf("booting vm: %w", base) })
	})
}

// BenchmarkError measures Error() of a New and 4 wraps: chain5/errcode
// is 5 coded layers, chain5/cockroachdb is cockroachdb's New + 4 Wrap,
// mixed5/errcode the hit5 chain of alternating coded and cockroachdb
// wraps; plain is a New alone. Each chain is measured two ways:
//
//   - again: Error() of one error asked again and again;
//   - cold: each call is the first Error() of a chain never read before,
//     as when a service logs or returns an error once. See bmCold.
//
// Neither library keeps a built message, so the two cases differ only in
// how warm the CPU's caches are.
func BenchmarkError(b *testing.B) {
	f := bmFixtures()
	b.Run("plain/errcode", func(b *testing.B) {
		err := f.plain
		bmLoop(b, &bmSinkStr, func() string { return err.Error() })
	})
	b.Run("plain/cockroachdb", func(b *testing.B) {
		err := f.plainCrdb
		bmLoop(b, &bmSinkStr, func() string { return err.Error() })
	})
	for _, c := range []struct {
		name  string
		err   error
		build func() error
	}{
		{"chain5/errcode", f.coded5, f.newCoded5},
		{"chain5/cockroachdb", f.crdb5, f.newCrdb5},
		{"mixed5/errcode", f.hit5, f.newHit5},
	} {
		b.Run(c.name+"/again", func(b *testing.B) {
			err := c.err
			_ = err.Error()
			bmLoop(b, &bmSinkStr, func() string { return err.Error() })
		})
		b.Run(c.name+"/cold", func(b *testing.B) { bmCold(b, c.build) })
	}
}

// bmCold measures the first Error() of errors made by build. It builds
// them in batches with the timer stopped, so time and allocations are
// Error()'s alone; b.Loop cannot pause its timer for a batch, hence b.N.
// The garbage collector may still run during the timed calls: the
// batches' allocations are paid for there in part, as in a real program.
func bmCold(b *testing.B, build func() error) {
	const batch = 1024
	errs := make([]error, batch)
	b.ReportAllocs()
	var s string
	for i := 0; i < b.N; i++ {
		j := i % batch
		if j == 0 {
			b.StopTimer()
			for n := range min(batch, b.N-i) {
				errs[n] = build()
			}
			b.StartTimer()
		}
		s = errs[j].Error()
	}
	b.StopTimer()
	bmSinkStr = s
}

// BenchmarkEncode compares errcode.Encode of New + 3 coded Wraps with
// cockroachdb's EncodeError + Marshal of New + 3 Wrap, and reports the
// size of each encoding as "bytes".
func BenchmarkEncode(b *testing.B) {
	f := bmFixtures()
	b.Run("chain4/errcode", func(b *testing.B) {
		err := f.coded4
		bmLoop(b, &bmSinkBytes, func() []byte {
			out, eerr := errcode.Encode(err)
			if eerr != nil {
				b.Fatal(eerr)
			}
			return out
		})
		b.ReportMetric(float64(len(bmSinkBytes)), "bytes")
	})
	b.Run("chain4/cockroachdb", func(b *testing.B) {
		err, ctx := f.crdb4, context.Background()
		bmLoop(b, &bmSinkBytes, func() []byte {
			enc := crdberrors.EncodeError(ctx, err)
			out, merr := enc.Marshal()
			if merr != nil {
				b.Fatal(merr)
			}
			return out
		})
		b.ReportMetric(float64(len(bmSinkBytes)), "bytes")
	})
	// fmt.Errorf's wrappers, which errcode's encoder for *fmt.wrapError
	// sends (stdwrap.go).
	b.Run("stdwrap5/errcode", func(b *testing.B) {
		err := f.stdwrap5
		bmLoop(b, &bmSinkBytes, func() []byte {
			out, eerr := errcode.Encode(err)
			if eerr != nil {
				b.Fatal(eerr)
			}
			return out
		})
		b.ReportMetric(float64(len(bmSinkBytes)), "bytes")
	})
}

// BenchmarkEncodeFresh is BenchmarkEncode with the error made anew in
// every iteration (New + 3 Wrap, then encode), so that no cache kept in
// an error can make a repeat encoding cheaper than the first.
func BenchmarkEncodeFresh(b *testing.B) {
	f := bmFixtures()
	leaf, wrap := f.k.a[7], f.k.neutral
	b.Run("chain4/errcode", func(b *testing.B) {
		bmLoop(b, &bmSinkBytes, func() []byte {
			err := wrap.Wrap(wrap.Wrap(wrap.Wrap(leaf.New("leaf"), "coded layer 1"), "coded layer 2"), "coded layer 3")
			out, eerr := errcode.Encode(err)
			if eerr != nil {
				b.Fatal(eerr)
			}
			return out
		})
		b.ReportMetric(float64(len(bmSinkBytes)), "bytes")
	})
	b.Run("chain4/cockroachdb", func(b *testing.B) {
		ctx := context.Background()
		bmLoop(b, &bmSinkBytes, func() []byte {
			err := crdberrors.Wrap(crdberrors.Wrap(crdberrors.Wrap(crdberrors.New("leaf"), "crdb layer 1"), "crdb layer 2"), "crdb layer 3")
			enc := crdberrors.EncodeError(ctx, err)
			out, merr := enc.Marshal()
			if merr != nil {
				b.Fatal(merr)
			}
			return out
		})
		b.ReportMetric(float64(len(bmSinkBytes)), "bytes")
	})
}

// BenchmarkDecode compares errcode's Registry.Decode of the chain4
// encoding with cockroachdb's Unmarshal + DecodeError of its own.
func BenchmarkDecode(b *testing.B) {
	f := bmFixtures()
	b.Run("chain4/errcode", func(b *testing.B) {
		reg, wire := f.k.reg, f.coded4Wire
		bmLoop(b, &bmSinkErr, func() error {
			e, derr := reg.Decode(wire)
			if derr != nil {
				b.Fatal(derr)
			}
			return e
		})
	})
	b.Run("chain4/cockroachdb", func(b *testing.B) {
		wire, ctx := f.crdb4Wire, context.Background()
		bmLoop(b, &bmSinkErr, func() error {
			var enc errorspb.EncodedError
			if uerr := enc.Unmarshal(wire); uerr != nil {
				b.Fatal(uerr)
			}
			return crdberrors.DecodeError(ctx, enc)
		})
	})
}

// BenchmarkDecodeJSON decodes the chain4 error's JSON form with its
// registry, and a Python-style payload (no kind, fields, a join) with
// Default.
func BenchmarkDecodeJSON(b *testing.B) {
	f := bmFixtures()
	wire, err := errcode.EncodeJSON(f.coded4)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("chain4", func(b *testing.B) {
		reg := f.k.reg
		bmLoop(b, &bmSinkErr, func() error {
			e, derr := reg.DecodeJSON(wire)
			if derr != nil {
				b.Fatal(derr)
			}
			return e
		})
	})
	python := []byte(`{"version": 1, "chain": [{"message": "handling request 7"}, {"causes": [` +
		`[{"code": "SocketAuthError", "message": "peer uid mismatch", "ancestors": ["CommunicationError", "SandboxError"],` +
		` "fields": {"expected_uid": 1000, "actual_uid": 0, "peer": "/run/x.sock"}}],` +
		` [{"code": "VmCapacityError", "message": "pool full", "retry": "transient"}]]}]}`)
	b.Run("python", func(b *testing.B) {
		bmLoop(b, &bmSinkErr, func() error {
			e, derr := errcode.DecodeJSON(python)
			if derr != nil {
				b.Fatal(derr)
			}
			return e
		})
	})
}

// BenchmarkRegister registers 100,000 codes (the BenchmarkIsA tree) in a
// new Registry per iteration. Besides the total, it reports per code the
// time ("ns/code"), the bytes allocated ("B/code") and the bytes still
// held once the registration is done ("live-B/code").
func BenchmarkRegister(b *testing.B) {
	const n = 100_000
	b.Run("codes="+strconv.Itoa(n), func(b *testing.B) {
		names := bmTreeNames(n)
		out := make([]errcode.Code, n)

		// Retained memory, measured once outside the timed loop.
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		kept := errcode.NewRegistry()
		if err := bmRegisterTree(kept, names, out); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		live := float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / n
		runtime.KeepAlive(kept)

		b.ReportAllocs()
		runtime.ReadMemStats(&before)
		iters := 0
		for b.Loop() {
			r := errcode.NewRegistry()
			if err := bmRegisterTree(r, names, out); err != nil {
				b.Fatal(err)
			}
			iters++
		}
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(b.Elapsed())/float64(iters*n), "ns/code")
		b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(iters*n), "B/code")
		b.ReportMetric(live, "live-B/code")
	})
}

// BenchmarkIsSeveralParents measures errcode.Is on codes only known from
// the wire, decoded from JSON: single is one known ancestry (asked about
// TransientError, and PermanentError for a miss); several is a Python
// class SocketTransientError(TransientError, CommunicationError), asked
// about its first ancestry (TransientError), its second
// (CommunicationError, found only by the extra check), and a miss.
func BenchmarkIsSeveralParents(b *testing.B) {
	decode := func(doc string) error {
		err, derr := errcode.DecodeJSON([]byte(doc))
		if derr != nil {
			b.Fatal(derr)
		}
		return err
	}
	single := decode(`{"version":1,"chain":[{"code":"VmSnapshotRestoreError","ancestors":["VmTransientError","TransientError","SandboxError"],"message":"m"}]}`)
	several := decode(`{"version":1,"chain":[{"code":"SocketTransientError","ancestors":["TransientError","CommunicationError","SandboxError"],"parents":["TransientError","CommunicationError"],"message":"m"}]}`)
	for _, bc := range []struct {
		name   string
		err    error
		target errcode.Code
		want   bool
	}{
		{"single/hit", single, errcode.TransientError, true},
		{"single/miss", single, errcode.PermanentError, false},
		{"several/first", several, errcode.TransientError, true},
		{"several/second", several, errcode.CommunicationError, true},
		{"several/miss", several, errcode.PermanentError, false},
	} {
		if got := errcode.Is(bc.err, bc.target); got != bc.want {
			b.Fatalf("Is(%v, %v) = %v; want %v", bc.err, bc.target, got, bc.want)
		}
		b.Run(bc.name, func(b *testing.B) {
			bmLoop(b, &bmSinkBool, func() bool { return errcode.Is(bc.err, bc.target) })
		})
	}
}
