package errcode

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cockroachdb/redact"
)

// Safe details of the wire form: a coded layer carries "code=NAME",
// "retry=DECISION" and "ancestors=PARENT ... ROOT"; code names hold no
// whitespace, so spaces separate the ancestors. "message=safe" says the
// layer's message is a safe literal; it never carries the message.
const (
	detailCode       = "code="
	detailRetry      = "retry="
	detailAncestors  = "ancestors="
	detailMessage    = "message="
	detailRetryAfter = "retry-after="
	detailStack      = "stack="
	detailGRPCCode   = "grpc-code="
	detailHTTPStatus = "http-status="

	messageSafe = "safe" // detailMessage's one value
)

// safeDetail returns the value of the first safe detail that starts
// with prefix, and whether there is one.
func safeDetail(details []string, prefix string) (string, bool) {
	for _, d := range details {
		if v, ok := strings.CutPrefix(d, prefix); ok {
			return v, true
		}
	}
	return "", false
}

// codeDetails returns the safe details that describe c on the wire and in
// errors.GetSafeDetails: its name, its retry decision and its ancestors,
// parent first — for a code known only from the wire, as its sender gave
// them.
func codeDetails(c *code) []string {
	if c == nil {
		return nil
	}
	return []string{
		detailCode + c.name,
		detailRetry + c.sentRetry().String(),
		detailAncestors + strings.Join(ancestorNames(c), " "),
	}
}

// The decoding context. WithRegistry puts only the registry in a
// context, which callers may share between goroutines and decodes;
// Decode and DecodeJSON add a decodeState made for that one call, which
// collects the problems the decoders meet. Without one (cockroachdb's
// errors.DecodeError called directly) each decoder makes its own and the
// problems go nowhere: a malformed layer stays cockroachdb's opaque one.

type registryKey struct{}

type decodeStateKey struct{}

type decodeState struct {
	reg      *Registry
	problems []error
	proto    *protoDecoder // Decode's own decoder, for its causeHoles
}

// WithRegistry returns a context that makes the errcode decoders, when
// cockroachdb's errors.DecodeError is called with it, bind code names to
// r instead of [Default]. The context holds r and nothing else: any
// number of decodes, concurrent ones included, may share it.
// [Registry.Decode] and [Registry.DecodeJSON] do this for you, and report
// malformed errcode layers as an error; through errors.DecodeError, which
// cannot return one, such a layer stays cockroachdb's opaque layer
// instead.
func WithRegistry(ctx context.Context, r *Registry) context.Context {
	return context.WithValue(ctx, registryKey{}, r)
}

// newDecodeContext returns the context of one Decode or DecodeJSON call,
// binding to r, and the state that collects its problems.
func newDecodeContext(r *Registry) (context.Context, *decodeState) {
	s := &decodeState{reg: r}
	return context.WithValue(context.Background(), decodeStateKey{}, s), s
}

// stateOf returns the decoding state of ctx: the one its Decode call
// made, or else a new one, bound to the registry of WithRegistry or to
// Default, whose problems nobody reads.
func stateOf(ctx context.Context) *decodeState {
	if s, ok := ctx.Value(decodeStateKey{}).(*decodeState); ok {
		return s
	}
	if r, ok := ctx.Value(registryKey{}).(*Registry); ok && r != nil {
		return &decodeState{reg: r}
	}
	return &decodeState{reg: Default}
}

func (s *decodeState) problem(format string, args ...any) {
	s.problems = append(s.problems, fmt.Errorf(format, args...))
}

// wireCode is a code as the wire describes it.
type wireCode struct {
	name      string
	retry     Retry
	ancestors []string
}

// parseDetails reads the safe details of a coded layer. Unknown details
// (from a newer sender) are ignored. A layer made with the zero Code has
// no code name: its wireCode's name is "".
func parseDetails(details []string) (wireCode, error) {
	var w wireCode
	name, haveName := safeDetail(details, detailCode)
	w.name = name
	if v, ok := safeDetail(details, detailRetry); ok {
		r, err := ParseRetry(v)
		if err != nil {
			return w, err
		}
		w.retry = r
	}
	if v, ok := safeDetail(details, detailAncestors); ok {
		w.ancestors = strings.Fields(v)
	}
	if !haveName {
		if w.retry != Unspecified || w.ancestors != nil {
			return w, errors.New("errcode: coded layer with a retry decision or ancestors but no code name")
		}
		return w, nil
	}
	return w, w.validate()
}

func (w wireCode) validate() error {
	if err := validName("code", w.name); err != nil {
		return err
	}
	if len(w.ancestors) > MaxDepth {
		return fmt.Errorf("errcode: code %q has %d ancestors, over MaxDepth (%d)", w.name, len(w.ancestors), MaxDepth)
	}
	for _, a := range w.ancestors {
		if err := validName("ancestor", a); err != nil {
			return fmt.Errorf("errcode: code %q: %w", w.name, err)
		}
	}
	return nil
}

// bind returns the code the registry r knows under w.name (an alias
// included), or else a code known only from the wire: it keeps w's name,
// ancestors and retry decision, and hangs below the nearest ancestor r
// knows, so that IsA, Is and Match answer for every ancestor r knows.
// Its retry decision is w's when that is Transient or Permanent; an
// Unspecified one (sent as such, or not sent) decides nothing, as a
// code registered without a flag, and the code inherits that of its
// nearest known ancestor. r is never changed.
func (w wireCode) bind(r *Registry) *code {
	if w.name == "" {
		return nil
	}
	if c, ok := r.Lookup(w.name); ok {
		return c.c
	}
	var parent *code
	for _, a := range w.ancestors {
		if c, ok := r.Lookup(a); ok {
			parent = c.c
			break
		}
	}
	c := &code{name: w.name, parent: parent, wire: w.ancestors, wireRetry: w.retry}
	c.resolve()
	if w.retry != Unspecified {
		c.retry, c.retryFrom = w.retry, c
	}
	return c
}

// decodedRedactable returns codedErr.redactable for a layer decoded from
// the wire: its payload's redactable message when that is well formed,
// else nil when its details say the message is a safe literal, else
// msgUnsafe: a message its sender said nothing about (an older errcode, a
// non-Go peer) is unsafe.
func decodedRedactable(details []string, redactable string) *redact.RedactableString {
	if redactable != "" {
		if !wellFormed(redactable) {
			return msgUnsafe
		}
		r := redact.RedactableString(redactable)
		return &r
	}
	if v, ok := safeDetail(details, detailMessage); ok && v == messageSafe {
		return nil
	}
	return msgUnsafe
}

// wellFormed reports whether s has its redaction markers as redact
// writes them: each ‹ closed by a › before the next ‹, none left open.
// One that is not could leave text it marks unsafe unredacted, or pair
// up with the markers of the layers printed beside it.
func wellFormed(s string) bool {
	open := false
	for _, r := range s {
		switch r {
		case '‹':
			if open {
				return false
			}
			open = true
		case '›':
			if !open {
				return false
			}
			open = false
		}
	}
	return !open
}
