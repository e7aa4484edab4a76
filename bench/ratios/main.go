// Command ratios reads the output of `go test -bench` for package errcode
// (benchmarks_test.go) and prints errcode's performance goals as
// Markdown tables: for each goal the measured median, the baseline's
// median, their ratio, the goal, and whether it is met.
//
//	go test -run '^$' -bench . -benchmem -count 10 . > bench/out/results.txt
//	go run ./bench/ratios bench/out/results.txt
//
// With -count N every benchmark has N samples; the median of each is
// used, as benchstat does. A benchmark missing from the input is reported
// as such, not as a failure.
package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

func main() {
	in := io.Reader(os.Stdin)
	if len(os.Args) > 1 {
		f, err := os.Open(os.Args[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, "ratios:", err)
			os.Exit(2)
		}
		defer f.Close()
		in = f
	}
	samples, err := parse(in)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ratios:", err)
		os.Exit(2)
	}
	report(os.Stdout, medians(samples), goals())
}

// procSuffix is the -GOMAXPROCS suffix go test adds to benchmark names.
var procSuffix = regexp.MustCompile(`-\d+$`)

// parse returns, per benchmark name (without the -GOMAXPROCS suffix) and
// unit, every sample in the input.
func parse(r io.Reader) (map[string]map[string][]float64, error) {
	out := map[string]map[string][]float64{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue // not a result line
		}
		name := procSuffix.ReplaceAllString(f[0], "")
		if out[name] == nil {
			out[name] = map[string][]float64{}
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%s: value %q: %v", f[0], f[i], err)
			}
			out[name][f[i+1]] = append(out[name][f[i+1]], v)
		}
	}
	return out, sc.Err()
}

type stat struct {
	median float64
	n      int
}

func medians(s map[string]map[string][]float64) map[string]map[string]stat {
	out := map[string]map[string]stat{}
	for name, units := range s {
		out[name] = map[string]stat{}
		for unit, vs := range units {
			vs = slices.Clone(vs)
			slices.Sort(vs)
			m := vs[len(vs)/2]
			if len(vs)%2 == 0 {
				m = (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2
			}
			out[name][unit] = stat{m, len(vs)}
		}
	}
	return out
}

type kind int

const (
	atMost      kind = iota // measured <= target
	ratioMax                // measured / baseline <= target
	speedup                 // baseline / measured >= target
	info                    // shown with no target
	infoSpeedup             // baseline / measured, shown with no target
	infoRatio               // measured / baseline, shown with no target
)

type goal struct {
	section string
	desc    string
	bench   string // the measured benchmark, without the "Benchmark" prefix
	unit    string
	base    string // the baseline benchmark, for ratios
	kind    kind
	target  float64
}

const (
	ns     = "ns/op"
	allocs = "allocs/op"
)

// goals returns the performance goals, in the order of BENCHMARKS.md's table.
func goals() []goal {
	var g []goal
	add := func(x goal) { g = append(g, x) }

	const isa = "Code.IsA (10,000 codes, depth 8; ≤ 5 ns, 0 allocs, flat from 100 to 100,000 codes)"
	for _, n := range []string{"100", "10000", "100000"} {
		for _, hm := range []string{"hit", "miss"} {
			add(goal{isa, n + " codes, " + hm, "IsA/codes=" + n + "/" + hm, ns, "", atMost, 5})
		}
	}
	for _, hm := range []string{"hit", "miss"} {
		add(goal{isa, "10000 codes, " + hm + ": allocs", "IsA/codes=10000/" + hm, allocs, "", atMost, 0})
	}
	for _, hm := range []string{"hit", "miss", "hot"} {
		for _, n := range []string{"10000", "100000"} {
			what := "random pairs, " + hm
			if hm == "hot" {
				what = "one pair, in cache"
			}
			add(goal{isa, "flat: " + n + " vs 100 codes, " + what + " (≤ 1.5× chosen here)",
				"IsA/codes=" + n + "/" + hm, ns, "IsA/codes=100/" + hm, ratioMax, 1.5})
		}
	}

	const chain = "Is, CodeOf, RetryOf, Match on a 5-layer chain (≤ 150 ns, 0 allocs; miss within 1.5× of hit; ≥ 10× faster than cockroachdb errors.Is, miss)"
	for _, op := range []string{"Is", "CodeOf", "RetryOf", "Match"} {
		for _, hm := range []string{"hit", "miss"} {
			b := op + "/chain5/" + hm + "/errcode"
			add(goal{chain, op + " " + hm, b, ns, "", atMost, 150})
			add(goal{chain, op + " " + hm + ": allocs", b, allocs, "", atMost, 0})
		}
		add(goal{chain, op + " miss vs hit", op + "/chain5/miss/errcode", ns, op + "/chain5/hit/errcode", ratioMax, 1.5})
		for _, hm := range []string{"hit", "miss"} {
			b := op + "/chain5/" + hm + "/errcode"
			add(goal{chain, op + " " + hm + " vs cockroachdb errors.Is(same chain, errcode.Code), miss",
				b, ns, sameChainMiss(op, "chain5", hm), speedup, 10})
			add(goal{chain, op + " " + hm + " vs cockroachdb errors.Is(New + 4 Wrap, errors.New sentinel), miss — the cockroachdb idiom",
				b, ns, "Is/sentinel5/miss/cockroachdb", speedup, 10})
		}
	}
	for _, hm := range []string{"hit", "miss"} {
		add(goal{chain, "(info) Match " + hm + " vs cockroachdb errors.Is for each candidate, deepest first",
			"Match/chain5/" + hm + "/errcode", ns, "Match/chain5/" + hm + "/cockroachdb", infoSpeedup, 0})
	}
	add(goal{chain, "(info) Is miss vs cockroachdb errors.Is(same chain, errors.New sentinel)",
		"Is/chain5/miss/errcode", ns, "Is/chain5/miss/cockroachdb-sentinel", infoSpeedup, 0})
	add(goal{chain, "(info) Is hit vs std errors.Is (same chain, same Code)",
		"Is/chain5/hit/errcode", ns, "Is/chain5/hit/std", infoSpeedup, 0})

	const dec = "The same on the decoded chain (Encode → Decode; 0 allocs; ≥ 10× faster than cockroachdb errors.Is on that chain)"
	for _, op := range []string{"Is", "CodeOf", "RetryOf", "Match"} {
		for _, hm := range []string{"hit", "miss"} {
			b := op + "/decoded5/" + hm + "/errcode"
			add(goal{dec, op + " " + hm + ": allocs", b, allocs, "", atMost, 0})
			add(goal{dec, op + " " + hm + " vs cockroachdb errors.Is(same decoded chain, errcode.Code), miss",
				b, ns, sameChainMiss(op, "decoded5", hm), speedup, 10})
			add(goal{dec, op + " " + hm + " vs cockroachdb errors.Is(decoded New + 4 Wrap, sentinel), miss — the anchor",
				b, ns, "Is/sentinel5decoded/miss/cockroachdb", speedup, 10})
		}
	}

	const mk = "Code.New / Code.Wrap (≤ 1.1× cockroachdb errors.New / errors.Wrap); stackless New ≤ 150 ns, ≤ 2 allocs"
	add(goal{mk, "New vs cockroachdb errors.New", "New/errcode", ns, "New/cockroachdb", ratioMax, 1.1})
	add(goal{mk, "Wrap vs cockroachdb errors.Wrap", "Wrap/errcode", ns, "Wrap/cockroachdb", ratioMax, 1.1})
	add(goal{mk, "stackless New", "New/stackless", ns, "", atMost, 150})
	add(goal{mk, "stackless New: allocs", "New/stackless", allocs, "", atMost, 2})
	add(goal{mk, "(info) stackless Wrap", "Wrap/stackless", ns, "", info, 0})
	add(goal{mk, "(info) stackless Wrap: allocs", "Wrap/stackless", allocs, "", info, 0})

	const wire = "Error(), Encode, Decode"
	add(goal{wire, "Error() of 5 coded layers vs cockroachdb New + 4 Wrap, first call on each error (≤ 0.05×)",
		"Error/chain5/errcode/cold", ns, "Error/chain5/cockroachdb/cold", ratioMax, 0.05})
	add(goal{wire, "(info) the same, asked again of one error",
		"Error/chain5/errcode/again", ns, "Error/chain5/cockroachdb/again", infoRatio, 0})
	add(goal{wire, "Encode of New + 3 coded Wraps vs EncodeError + Marshal of New + 3 Wrap (≤ 0.5×)",
		"Encode/chain4/errcode", ns, "Encode/chain4/cockroachdb", ratioMax, 0.5})
	add(goal{wire, "Encode: bytes (≤ 1.1×)", "Encode/chain4/errcode", "bytes", "Encode/chain4/cockroachdb", ratioMax, 1.1})
	add(goal{wire, "(info) the same, the error made anew each time (New + 3 Wrap + encode)",
		"EncodeFresh/chain4/errcode", ns, "EncodeFresh/chain4/cockroachdb", infoRatio, 0})
	add(goal{wire, "Decode vs Unmarshal + DecodeError of cockroachdb's own (≤ 1.0×)",
		"Decode/chain4/errcode", ns, "Decode/chain4/cockroachdb", ratioMax, 1.0})

	const grpc = "GRPCCodeOf on a 5-layer chain (0 allocs, ≤ 150 ns; vs grpc status.Code)"
	for _, c := range []string{"chain5", "crdbwrap5", "decoded5"} {
		for _, hm := range []string{"hit", "miss"} {
			b := "GRPCCodeOf/" + c + "/" + hm + "/errcode"
			add(goal{grpc, c + " " + hm, b, ns, "", atMost, 150})
			add(goal{grpc, c + " " + hm + ": allocs", b, allocs, "", atMost, 0})
			add(goal{grpc, "(info) " + c + " " + hm + " vs grpc status.Code", b, ns,
				"GRPCCodeOf/" + c + "/" + hm + "/grpc", infoSpeedup, 0})
		}
	}

	const reg = "Registering 100,000 codes (≤ 0.5 s total; memory per code reported)"
	add(goal{reg, "100,000 codes, total", "Register/codes=100000", ns, "", atMost, 0.5e9})
	add(goal{reg, "(info) time per code", "Register/codes=100000", "ns/code", "", info, 0})
	add(goal{reg, "(info) bytes allocated per code", "Register/codes=100000", "B/code", "", info, 0})
	add(goal{reg, "(info) bytes retained per code", "Register/codes=100000", "live-B/code", "", info, 0})
	add(goal{reg, "(info) allocations, total", "Register/codes=100000", allocs, "", info, 0})
	return g
}

// sameChainMiss returns the benchmark of cockroachdb's errors.Is with a
// code the chain lacks, on the chain op's hit or miss case asks about.
// Is and Match ask about one chain for hit and miss, whose cockroachdb
// miss is Is/<chain>/miss/cockroachdb (Match's own cockroachdb sub-case
// is several errors.Is calls, one per candidate); the other queries run
// that baseline on each of their chains.
func sameChainMiss(op, chain, hm string) string {
	switch op {
	case "Is", "Match":
		return "Is/" + chain + "/miss/cockroachdb"
	}
	return op + "/" + chain + "/" + hm + "/cockroachdb"
}

func report(w io.Writer, m map[string]map[string]stat, gs []goal) {
	met, total, missing := 0, 0, 0
	section := ""
	for _, g := range gs {
		if g.section != section {
			section = g.section
			fmt.Fprintf(w, "\n#### %s\n\n", section)
			fmt.Fprintln(w, "| goal | measured | baseline | ratio | target | met |")
			fmt.Fprintln(w, "|---|---|---|---|---|---|")
		}
		v, ok := m["Benchmark"+g.bench][g.unit]
		var b stat
		bok := true
		if g.base != "" {
			b, bok = m["Benchmark"+g.base][g.unit]
		}
		if !ok || !bok {
			missing++
			fmt.Fprintf(w, "| %s | %s | %s | | | missing |\n", g.desc, cell(g.bench, g.unit, v, ok), cell(g.base, g.unit, b, bok))
			continue
		}
		var ratio, target, verdict string
		pass := true
		switch g.kind {
		case atMost:
			target = "≤ " + format(g.unit, g.target)
			pass = v.median <= g.target
		case ratioMax, infoRatio:
			ratio = fmt.Sprintf("%.3g×", v.median/b.median)
			if g.kind == ratioMax {
				target = fmt.Sprintf("≤ %g×", g.target)
				pass = v.median <= g.target*b.median
			}
		case speedup, infoSpeedup:
			switch {
			case v.median == 0:
				ratio = "∞"
			case b.median < v.median:
				ratio = fmt.Sprintf("%.3g× slower", v.median/b.median)
			default:
				ratio = fmt.Sprintf("%.3g× faster", b.median/v.median)
			}
			if g.kind == speedup {
				target = fmt.Sprintf("≥ %g× faster", g.target)
				pass = b.median >= g.target*v.median
			}
		}
		switch {
		case g.kind == info || g.kind == infoSpeedup || g.kind == infoRatio:
			verdict = "—"
		case pass:
			verdict, met, total = "yes", met+1, total+1
		default:
			verdict, total = "**no**", total+1
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n",
			g.desc, cell(g.bench, g.unit, v, true), cell(g.base, g.unit, b, g.base != ""), ratio, target, verdict)
	}
	fmt.Fprintf(w, "\n**%d of %d goals met**", met, total)
	if missing > 0 {
		fmt.Fprintf(w, " (%d rows missing from the input)", missing)
	}
	fmt.Fprintln(w)
}

// cell is one measured or baseline cell: the median and the benchmark it
// comes from.
func cell(bench, unit string, s stat, ok bool) string {
	if bench == "" {
		return ""
	}
	if !ok {
		return "`" + bench + "` (missing)"
	}
	return fmt.Sprintf("%s <br>`%s`", format(unit, s.median), bench)
}

func format(unit string, v float64) string {
	switch unit {
	case ns, "ns/code":
		switch {
		case v >= 1e9:
			return fmt.Sprintf("%.3g s", v/1e9)
		case v >= 1e6:
			return fmt.Sprintf("%.3g ms", v/1e6)
		case v >= 1e3:
			return fmt.Sprintf("%.3g µs", v/1e3)
		}
		return fmt.Sprintf("%.3g ns", v)
	case allocs:
		return strconv.FormatFloat(v, 'f', -1, 64) + " allocs"
	case "bytes", "B/op", "B/code", "live-B/code":
		return strconv.FormatFloat(math.Round(v), 'f', -1, 64) + " B"
	}
	return fmt.Sprintf("%g %s", v, unit)
}
