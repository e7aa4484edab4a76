package errcode_test

import (
	"context"
	stderrors "errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/errcode/errcode"
	"github.com/stretchr/testify/require"
)

// isLayer is a foreign wrapper (or leaf, when cause is nil) with its own
// Is method, which says yes to one Code only.
type isLayer struct {
	cause error
	yes   errcode.Code
}

func (e *isLayer) Error() string {
	if e.cause == nil {
		return "is " + e.yes.Name()
	}
	return "is " + e.yes.Name() + ": " + e.cause.Error()
}

func (e *isLayer) Unwrap() error { return e.cause }

func (e *isLayer) Is(target error) bool {
	c, ok := target.(errcode.Code)
	return ok && c == e.yes
}

// noLayer is a foreign wrapper whose Is method says no to everything.
type noLayer struct{ cause error }

func (e *noLayer) Error() string        { return "no: " + e.cause.Error() }
func (e *noLayer) Unwrap() error        { return e.cause }
func (e *noLayer) Is(target error) bool { return false }

// causeOnly is a wrapper in pkg/errors' style: Cause, no Unwrap.
type causeOnly struct{ cause error }

func (e *causeOnly) Error() string { return "cause: " + e.cause.Error() }
func (e *causeOnly) Cause() error  { return e.cause }

// chainGen draws random error trees.
type chainGen struct {
	r       *rand.Rand
	codes   []errcode.Code // Default's catalog, another registry's codes, the zero Code
	dflt    int            // codes[:dflt] are Default's
	foreign bool           // the last tree drawn has a Cause-only layer or a mark
	others  bool           // the last tree drawn has a code of another registry
}

func newChainGen(seed uint64) *chainGen {
	other := errcode.NewRegistry()
	root := other.MustRegister("OtherRoot", errcode.Code{})
	g := &chainGen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	g.codes = append(g.codes, errcode.Codes()...)
	g.dflt = len(g.codes)
	g.codes = append(g.codes,
		root,
		other.MustRegister("OtherChild", root),
		other.MustRegister("SandboxError", errcode.Code{}), // a name Default has too
		other.MustRegister("VmBootTimeoutError", root),
		errcode.Code{})
	return g
}

// code draws a code: mostly Default's.
func (g *chainGen) code() errcode.Code {
	i := g.r.IntN(len(g.codes))
	if g.r.IntN(4) != 0 {
		i = g.r.IntN(g.dflt)
	}
	if i >= g.dflt {
		g.others = true
	}
	return g.codes[i]
}

// tree draws a tree at most depth layers deep.
func (g *chainGen) tree(depth int) error {
	if depth == 0 || g.r.IntN(6) == 0 {
		switch g.r.IntN(6) {
		case 0:
			return io.EOF
		case 1:
			return crdberrors.New("crdb leaf")
		case 2:
			return g.code()
		case 3:
			return &isLayer{yes: g.code()}
		default:
			return g.code().New("leaf", "k", 1)
		}
	}
	inner := g.tree(depth - 1)
	switch g.r.IntN(16) {
	case 0:
		return g.code().Wrap(inner, "wrap")
	case 1:
		return errcode.WithFields(inner, "k", "v")
	case 2:
		return errcode.WithRetry(inner, errcode.Retry(g.r.IntN(3)))
	case 3:
		return errcode.WithRetryAfter(inner, time.Second)
	case 4:
		return fmt.Errorf("fmt: %w", inner)
	case 5:
		return stderrors.Join(g.tree(depth-1), inner)
	case 6:
		return crdberrors.Wrap(inner, "crdb wrap")
	case 7:
		return crdberrors.WithStack(inner)
	case 8:
		return crdberrors.WithHint(inner, "hint")
	case 9:
		return crdberrors.Join(inner, g.tree(depth-1))
	case 10, 11:
		return &isLayer{cause: inner, yes: g.code()}
	case 12:
		return &noLayer{cause: inner}
	case 13:
		g.foreign = true
		return &causeOnly{cause: inner}
	case 14:
		g.foreign = true
		return crdberrors.Mark(inner, g.code())
	default:
		return g.code().Wrap(inner, "")
	}
}

// draw returns a tree and whether it unwraps only with Unwrap (no
// Cause-only layer, no mark) and holds only Default's codes.
//
//lint:ignore ST1008 err is the tree drawn, not a failure
func (g *chainGen) draw() (err error, unwrapOnly, defaultOnly bool) {
	g.foreign, g.others = false, false
	err = g.tree(1 + g.r.IntN(7))
	return err, !g.foreign, !g.others
}

const propertyChains = 3000

// TestIsLikeErrorsIs proves on random trees that Is answers like the
// standard library's errors.Is on trees that unwrap with Unwrap, and says
// yes whenever it does on every tree.
func TestIsLikeErrorsIs(t *testing.T) {
	t.Parallel()
	g := newChainGen(1)
	var equal, superset int
	for i := 0; i < propertyChains; i++ {
		err, unwrapOnly, _ := g.draw()
		for _, c := range g.codes {
			got, std := errcode.Is(err, c), stderrors.Is(err, c)
			if unwrapOnly {
				equal++
				if got != std {
					t.Fatalf("chain %d: Is(%+v, %q) = %v; errors.Is = %v", i, err, c, got, std)
				}
			}
			superset++
			if std && !got {
				t.Fatalf("chain %d: Is(%+v, %q) = false; errors.Is = true", i, err, c)
			}
		}
	}
	t.Logf("%d answers equal to errors.Is, %d at least as wide", equal, superset)
	require.Greater(t, equal, propertyChains, "too few Unwrap-only trees drawn")
}

// TestIsWiderThanCockroachdbIs proves on random trees of Default's codes,
// live and after Encode and Decode, that Is says yes whenever
// cockroachdb's errors.Is does. (With codes of several registries it need
// not: cockroachdb matches a bare Code by name, whatever its registry.)
func TestIsWiderThanCockroachdbIs(t *testing.T) {
	t.Parallel()
	g := newChainGen(2)
	var n int
	for i := 0; i < propertyChains; i++ {
		err, _, defaultOnly := g.draw()
		if !defaultOnly {
			continue
		}
		forms := []error{err}
		if i%10 == 0 {
			b, eerr := errcode.Encode(err)
			require.NoError(t, eerr)
			dec, derr := errcode.Decode(b)
			require.NoError(t, derr)
			ctx := context.Background()
			forms = append(forms, dec, crdberrors.DecodeError(ctx, crdberrors.EncodeError(ctx, err)))
		}
		for _, e := range forms {
			for _, c := range g.codes[:g.dflt] {
				n++
				if crdberrors.Is(e, c) && !errcode.Is(e, c) {
					t.Fatalf("chain %d: Is(%+v, %q) = false; cockroachdb's errors.Is = true", i, e, c)
				}
			}
		}
	}
	require.Greater(t, n, propertyChains, "too few trees of Default's codes drawn")
}

// TestAllocsIsRandom pins that Is allocates nothing on random trees
// (whose foreign layers allocate nothing either). It is not parallel:
// testing.AllocsPerRun counts every allocation in the process.
func TestAllocsIsRandom(t *testing.T) {
	g := newChainGen(3)
	for i := 0; i < 200; i++ {
		err, _, _ := g.draw()
		c := g.code()
		var got bool
		if allocs := testing.AllocsPerRun(10, func() { got = errcode.Is(err, c) }); allocs != 0 {
			t.Fatalf("chain %d: AllocsPerRun(Is(%+v, %q)) = %v; want 0", i, err, c, allocs)
		}
		_ = got
	}
}

// TestQueriesLikeTheWalk proves on random trees, live and decoded, that
// the own loops of CodeOf and RetryOf answer as the general tree walk
// does.
func TestQueriesLikeTheWalk(t *testing.T) {
	t.Parallel()
	g := newChainGen(4)
	partial := errcode.NewRegistry()
	partial.MustRegister("SandboxError", errcode.Code{})
	for i := 0; i < propertyChains; i++ {
		err, _, _ := g.draw()
		forms := []error{err}
		if i%5 == 0 {
			// Decoded by Default and by a registry that knows a part of the
			// codes, so that some are known only from the wire.
			b, eerr := errcode.Encode(err)
			require.NoError(t, eerr)
			for _, r := range []*errcode.Registry{errcode.Default, partial} {
				dec, derr := r.Decode(b)
				require.NoError(t, derr)
				forms = append(forms, dec)
			}
		}
		for _, e := range forms {
			if got, want := errcode.CodeOf(e), errcode.CodeOfByWalk(e); got != want {
				t.Fatalf("chain %d: CodeOf(%+v) = %v; the walk says %v", i, e, got, want)
			}
			if got, want := errcode.RetryOf(e), errcode.RetryOfByWalk(e); got != want {
				t.Fatalf("chain %d: RetryOf(%+v) = %v; the walk says %v", i, e, got, want)
			}
		}
	}
}
