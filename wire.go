package errcode

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cockroachdb/redact"
)

// Safe details of the wire form: a coded layer carries "code=NAME",
// "retry=DECISION" and "ancestors=PARENT ... ROOT", and, for a code with
// several direct parents (only a non-Go peer's), "parents=P1 P2 ..."; code
// names hold no whitespace, so spaces separate the names. "message=safe" says the
// layer's message is a safe literal; it never carries the message.
const (
	detailCode       = "code="
	detailRetry      = "retry="
	detailAncestors  = "ancestors="
	detailParents    = "parents="
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
// them, with its direct parents when the sender gave them.
func codeDetails(c *code) []string {
	if c == nil {
		return nil
	}
	d := []string{
		detailCode + c.name,
		detailRetry + c.sentRetry().String(),
		detailAncestors + ancestorText(c),
	}
	if c.reg == nil && c.wireParents != nil {
		d = append(d, detailParents+strings.Join(c.wireParents, " "))
	}
	return d
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
	json     *jsonDecoder  // DecodeJSON's own decoder, for its causeHoles

	// size is the input's length, for its codeBudget; 0 in a decode
	// through errors.DecodeError, which counts nothing.
	size int
	// The codes bound in this decode, by the details that named them
	// (see bindDetails): the first few in few, the rest in more; last is
	// the one bound last.
	few   [4]boundCode
	nfew  int
	more  map[codeKey]*boundCode
	last  *boundCode
	codes int // the codes named, against codeBudget
}

// boundCode is a code bound in a decode: the details that named it, the
// code, and the wireLayer of the last layer that came with it and no
// payload, which a layer with the same details shares.
type boundCode struct {
	key  codeKey
	c    *code
	wire *wireLayer
}

// codeKey is what parseDetails reads of a coded layer's safe details:
// layers with the same key name the same code.
type codeKey struct {
	name, retry, ancestors, parents             string
	hasName, hasRetry, hasAncestors, hasParents bool
}

// keyOf returns the codeKey of a coded layer's safe details.
func keyOf(details []string) codeKey {
	var k codeKey
	for _, d := range details {
		switch {
		case !k.hasName && strings.HasPrefix(d, detailCode):
			k.name, k.hasName = d[len(detailCode):], true
		case !k.hasRetry && strings.HasPrefix(d, detailRetry):
			k.retry, k.hasRetry = d[len(detailRetry):], true
		case !k.hasAncestors && strings.HasPrefix(d, detailAncestors):
			k.ancestors, k.hasAncestors = d[len(detailAncestors):], true
		case !k.hasParents && strings.HasPrefix(d, detailParents):
			k.parents, k.hasParents = d[len(detailParents):], true
		}
	}
	return k
}

// bindDetails returns the code a coded layer's safe details describe,
// bound to the registry, as parseDetails and wireCode.bind do. Details
// already bound in this decode are not parsed again, and layers with the
// same details of a code the registry lacks share one code record, so
// that a payload repeating a code costs one record, not one per layer. A
// shared record answers every question as separate ones would: it is
// made from the same details and never changed, and IsA of the one
// against the other — false between two records — becomes true, as it
// is between two layers of one registered code.
//
// In Decode and DecodeJSON, the codes an error names — its distinct
// keys with a name — are counted against codeBudget, as scanError and
// EncodeJSON count them: past it, bindDetails refuses.
func (s *decodeState) bindDetails(details []string) (*boundCode, error) {
	k := keyOf(details)
	if s.last != nil && s.last.key == k {
		return s.last, nil
	}
	if b := s.lookup(k); b != nil {
		s.last = b
		return b, nil
	}
	c, known := s.bindRegistered(k)
	if !known {
		w, err := parseCodeDetails(details)
		if err != nil {
			return nil, err
		}
		c = w.bind(s.reg) // w.ancestors stay unsplit: only bind needs them
	}
	if k.hasName {
		if s.codes++; s.size > 0 && s.codes > codeBudget(s.size) {
			return nil, codeBudgetError{s.size}
		}
	}
	b := s.add(k)
	b.c = c
	s.last = b
	return b, nil
}

// bindRegistered returns the code that parseCodeDetails and bind would
// give for the details k of a code the registry knows, sent with no
// parents, a valid retry decision and the registry's own ancestors (or
// none), and reports whether k is such: then the names need no checks,
// since the registry holds only names that pass them, and there are no
// more than MaxDepth.
func (s *decodeState) bindRegistered(k codeKey) (*code, bool) {
	if !k.hasName || k.hasParents {
		return nil, false
	}
	c, ok := s.reg.Lookup(k.name)
	if !ok || c.c.depth > MaxDepth || !isAncestryText(c.c, k.ancestors) {
		return nil, false
	}
	if k.hasRetry {
		if _, err := ParseRetry(k.retry); err != nil {
			return nil, false // for parseCodeDetails to refuse
		}
	}
	return c.c, true
}

// isAncestryText reports whether text is "" or the names of the
// registered code c's ancestors, parent first, separated by single
// spaces, as codeDetails sends them.
func isAncestryText(c *code, text string) bool {
	if text == "" {
		return true
	}
	for i := c.depth - 1; i >= 0; i-- {
		rest, ok := strings.CutPrefix(text, c.path[i].name)
		if !ok {
			return false
		}
		if i > 0 {
			if rest, ok = strings.CutPrefix(rest, " "); !ok {
				return false
			}
		}
		text = rest
	}
	return text == ""
}

// lookup returns the code bound in this decode from the details of key
// k; nil if none is.
func (s *decodeState) lookup(k codeKey) *boundCode {
	for i := range s.nfew {
		if s.few[i].key == k {
			return &s.few[i]
		}
	}
	return s.more[k]
}

// add returns a new boundCode of key k, for bindDetails to fill in.
func (s *decodeState) add(k codeKey) *boundCode {
	if s.nfew < len(s.few) {
		b := &s.few[s.nfew]
		s.nfew++
		b.key = k
		return b
	}
	if s.more == nil {
		s.more = make(map[codeKey]*boundCode)
	}
	b := &boundCode{key: k}
	s.more[k] = b
	return b
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

// refuse records err, bindDetails' refusal of a layer's details, as a
// problem; in Decode's first walk, a refusal past codeBudget ends the
// walk instead, for scanError to name the limit as it counts it.
func (s *decodeState) refuse(err error) {
	if _, ok := err.(codeBudgetError); ok && s.proto != nil && s.proto.fast {
		d := s.proto
		d.giveUp()
		return
	}
	s.problem("errcode: decode: %w", err)
}

func (s *decodeState) problem(format string, args ...any) {
	s.problems = append(s.problems, fmt.Errorf(format, args...))
}

// wireCode is a code as the wire describes it.
type wireCode struct {
	name      string
	retry     Retry
	ancestors []string // the sender's method-resolution order, parent first
	// parents are the direct parents, in order, when the sender sent them
	// (a code with several); nil when it did not.
	parents []string

	// ancestorText is the ancestors detail as sent, and sentAncestors
	// whether there was one, when parseCodeDetails left it unsplit:
	// ancestors is then nil until splitAncestors. A code the registry
	// knows never needs the names as a slice.
	ancestorText  string
	sentAncestors bool
}

// parseDetails reads the safe details of a coded layer. Unknown details
// (from a newer sender) are ignored. A layer made with the zero Code has
// no code name: its wireCode's name is "".
func parseDetails(details []string) (wireCode, error) {
	w, err := parseCodeDetails(details)
	w.splitAncestors()
	return w, err
}

// parseCodeDetails reads and checks the safe details of a coded layer as
// parseDetails does, but leaves the ancestor names unsplit, in
// ancestorText, so that checking them allocates nothing.
func parseCodeDetails(details []string) (wireCode, error) {
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
	w.ancestorText, w.sentAncestors = safeDetail(details, detailAncestors)
	if v, ok := safeDetail(details, detailParents); ok {
		w.parents = append([]string{}, strings.Fields(v)...) // non-nil: sent, if empty
	}
	if !haveName {
		if w.retry != Unspecified || w.sentAncestors || w.parents != nil {
			return w, errors.New("errcode: coded layer with a retry decision, ancestors or parents but no code name")
		}
		return w, nil
	}
	return w, w.validate()
}

// splitAncestors sets w.ancestors from ancestorText, if it was sent and
// is not split yet: non-nil, if empty, as sent.
func (w *wireCode) splitAncestors() {
	if w.sentAncestors && w.ancestors == nil {
		w.ancestors = strings.Fields(w.ancestorText)
	}
}

// eachAncestor yields w's ancestor names, in order, splitting
// ancestorText as it goes when they are not split.
func (w *wireCode) eachAncestor() iter.Seq[string] {
	if w.ancestors != nil {
		return slices.Values(w.ancestors)
	}
	return strings.FieldsSeq(w.ancestorText)
}

// joinedAncestors returns w's ancestor names separated by single spaces:
// ancestorText itself, allocating nothing, when it is so already.
func (w *wireCode) joinedAncestors() string {
	if w.ancestors != nil {
		return strings.Join(w.ancestors, " ")
	}
	return joinedFields(w.ancestorText)
}

// joinedFields returns strings.Join(strings.Fields(s), " "): s itself,
// allocating nothing, when it is in that form already.
func joinedFields(s string) string {
	space := true // a space here would lead s
	for _, r := range s {
		isSpace := unicode.IsSpace(r)
		if isSpace && (r != ' ' || space) {
			return strings.Join(strings.Fields(s), " ")
		}
		space = isSpace
	}
	if space && s != "" { // a trailing space
		return strings.Join(strings.Fields(s), " ")
	}
	return s
}

func (w wireCode) validate() error {
	if err := validName("code", w.name); err != nil {
		return err
	}
	if w.parents != nil {
		w.splitAncestors() // validateParents indexes them
	}
	if w.ancestors == nil {
		if err := w.validateAncestorText(); err != nil {
			return err
		}
		return w.validateParents()
	}
	if len(w.ancestors) > MaxDepth {
		return fmt.Errorf("errcode: code %q has %d ancestors, over MaxDepth (%d)", w.name, len(w.ancestors), MaxDepth)
	}
	for _, a := range w.ancestors {
		if err := validName("ancestor", a); err != nil {
			return fmt.Errorf("errcode: code %q: %w", w.name, err)
		}
	}
	return w.validateParents()
}

// validateAncestorText checks the unsplit ancestor names of a code sent
// without parents as validate checks split ones, allocating nothing.
func (w wireCode) validateAncestorText() error {
	if n := countFields(w.ancestorText); n > MaxDepth {
		return fmt.Errorf("errcode: code %q has %d ancestors, over MaxDepth (%d)", w.name, n, MaxDepth)
	}
	for rest := w.ancestorText; ; {
		rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
		if rest == "" {
			return nil
		}
		i := strings.IndexFunc(rest, unicode.IsSpace)
		if i < 0 {
			i = len(rest)
		}
		if err := validName("ancestor", rest[:i]); err != nil {
			return fmt.Errorf("errcode: code %q: %w", w.name, err)
		}
		rest = rest[i:]
	}
}

// countFields returns len(strings.Fields(s)) without allocating.
func countFields(s string) int {
	n := 0
	for inField, r := false, rune(0); len(s) > 0; {
		r, s = firstRune(s)
		space := unicode.IsSpace(r)
		if !space && !inField {
			n++
		}
		inField = !space
	}
	return n
}

// firstRune returns the first rune of the non-empty s and the rest.
func firstRune(s string) (rune, string) {
	r, size := utf8.DecodeRuneInString(s)
	return r, s[size:]
}

// validateParents checks the direct parents the sender sent, if any: each
// a valid name, in ancestors, once, and in ancestors' order with the
// first ancestor first — as a C3 method-resolution order (Python's) keeps
// a class's bases: the first base comes right after the class, and the
// bases come in the order they are listed.
func (w wireCode) validateParents() error {
	if w.parents == nil {
		return nil
	}
	if len(w.parents) == 0 {
		return fmt.Errorf("errcode: code %q: parents sent without a name (send them only for a code with several parents)", w.name)
	}
	if len(w.parents) > MaxDepth {
		return fmt.Errorf("errcode: code %q has %d parents, over MaxDepth (%d)", w.name, len(w.parents), MaxDepth)
	}
	next := 0 // the index in ancestors after the previous parent's
	for i, p := range w.parents {
		if err := validName("parent", p); err != nil {
			return fmt.Errorf("errcode: code %q: %w", w.name, err)
		}
		at := -1
		for j, a := range w.ancestors {
			if a == p {
				at = j
				break
			}
		}
		switch {
		case at < 0:
			return fmt.Errorf("errcode: code %q: parent %q is not among its ancestors", w.name, p)
		case at < next:
			for _, q := range w.parents[:i] {
				if q == p {
					return fmt.Errorf("errcode: code %q: parent %q is listed twice", w.name, p)
				}
			}
			return fmt.Errorf("errcode: code %q: parent %q comes before parent %q in its ancestors, after it in its parents", w.name, p, w.parents[i-1])
		case i == 0 && at != 0:
			return fmt.Errorf("errcode: code %q: its first parent %q is not its first ancestor %q", w.name, p, w.ancestors[0])
		}
		next = at + 1
	}
	return nil
}

// bind returns the code the registry r knows under w.name (an alias
// included), or else a code known only from the wire: it keeps w's name,
// ancestors, parents and retry decision, and hangs below the first
// ancestor r knows, so that IsA, Is and Match answer for every ancestor
// r knows, in every ancestry w lists. r is never changed.
//
// The code's settings — retry decision, gRPC code, HTTP status, retry
// after — resolve as Python's attribute lookup does: the first class of
// the method-resolution order that sets one itself gives it. That order
// is w.ancestors, with, right after each name r knows, those of its
// ancestors in r that w.ancestors does not list (each once): for w's
// single-parent chains in r, a merge consistent with C3's. The code's own
// retry decision is w's when that is Transient or Permanent; an
// Unspecified one (sent as such, or not sent) decides nothing, as a code
// registered without a flag.
func (w wireCode) bind(r *Registry) *code {
	if w.name == "" {
		return nil
	}
	if c, ok := r.Lookup(w.name); ok {
		return c.c
	}
	// The known ancestors, in w's order, each once. One ancestry when
	// the first known one descends from every other, listed nearest
	// first: then the order above is that ancestor's path in r, and the
	// settings are the ones resolve copies from it.
	var known []*code
	single := true
	for a := range w.eachAncestor() {
		k, ok := r.Lookup(a)
		if !ok {
			continue
		}
		if n := len(known); n > 0 && (k.c.depth >= known[n-1].depth || !(Code{known[0]}).IsA(k)) {
			single = false
		}
		if !single && slices.Contains(known, k.c) {
			continue // one chain sent nearest first holds no code twice
		}
		known = append(known, k.c)
	}
	var parent *code
	if len(known) > 0 {
		parent = known[0]
	}
	c := newWireOnly(w.name, parent)
	c.wireAncestors, c.wireRetry, c.wireParents = w.joinedAncestors(), w.retry, w.parents
	if !single {
		c.mro = known
		c.resolveMRO()
	}
	if w.retry != Unspecified {
		c.retry, c.retryFrom = w.retry, c
	}
	return c
}

// walkMRO calls f on the known part of c's method-resolution order (see
// bind), each code once, until f returns true: c.mro in order, each
// followed by those of its ancestors that c.mro does not hold.
func (c *code) walkMRO(f func(*code) bool) {
	sent := c.mro
	inSent := func(a *code) bool { return slices.Contains(sent, a) }
	if len(sent) > 8 {
		set := make(map[*code]bool, len(sent))
		for _, k := range sent {
			set[k] = true
		}
		inSent = func(a *code) bool { return set[a] }
	}
	for i, k := range sent {
		if f(k) {
			return
		}
	up:
		for d := k.depth - 1; d >= 0; d-- {
			a := k.path[d]
			for _, e := range sent[:i] {
				if a.depth <= e.depth && e.path[a.depth] == a {
					// a descends to an earlier one: it and its
					// ancestors are placed already.
					break up
				}
			}
			if !inSent(a) && f(a) {
				return
			}
		}
	}
}

// resolveMRO sets c's inherited settings from the first code of its
// method-resolution order that sets each itself, replacing what resolve
// copied from c.parent.
func (c *code) resolveMRO() {
	c.retry, c.retryFrom = Unspecified, nil
	c.grpc, c.hasGRPC, c.grpcFrom = 0, false, nil
	c.http, c.httpFrom = 0, nil
	c.retryAfter, c.retryAfterFrom = 0, nil
	c.walkMRO(func(k *code) bool {
		s := k.spec
		if c.retryFrom == nil && s.retry != Unspecified {
			c.retry, c.retryFrom = s.retry, k
		}
		if c.grpcFrom == nil && s.hasGRPC {
			c.grpc, c.hasGRPC, c.grpcFrom = s.grpc, true, k
		}
		if c.httpFrom == nil && s.http != 0 {
			c.http, c.httpFrom = s.http, k
		}
		if c.retryAfterFrom == nil && s.retryAfter != 0 {
			c.retryAfter, c.retryAfterFrom = s.retryAfter, k
		}
		return c.retryFrom != nil && c.grpcFrom != nil && c.httpFrom != nil && c.retryAfterFrom != nil
	})
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
