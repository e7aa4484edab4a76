package errcode

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cockroachdb/errors/errbase"
	"github.com/cockroachdb/errors/errorspb"
	"github.com/cockroachdb/errors/withstack"
	"github.com/gogo/protobuf/types"
	"google.golang.org/grpc/codes"
)

// A Trim says what [Trimmer.Encode] leaves out of an error's wire form,
// for a transport that must fit it in a size budget. Each member is a
// loss, listed cheapest first; the zero Trim leaves everything in.
type Trim struct {
	// ElideStacks cuts from each stack trace the frames it shares, at its
	// bottom, with the next stack trace inside it, as cockroachdb's
	// errbase.ElideSharedStackTraceSuffix does when it prints an error;
	// a line "[...repeated from below...]" takes their place.
	ElideStacks bool
	// DropStacks drops the stack traces of this many layers, innermost
	// first: errcode's coded layers lose their stack, cockroachdb's
	// withStack layers go. A negative value drops them all.
	DropStacks int
	// RedactFields replaces the value of every field not marked with
	// [Safe] by the string "‹×›", as redaction shows it.
	RedactFields bool
	// DropFields drops every field.
	DropFields bool
	// KeepLayers, when above 0, keeps the outermost KeepLayers levels of
	// the error's tree (see [Trimmer.Layers]) and replaces the rest with a
	// leaf whose message says how many layers were not sent; the chain's
	// [RetryOf], [RetryAfterOf] and [GRPCCodeOf] answers are then written
	// on top as [WithRetry], [WithRetryAfter] and [WithGRPCCode]
	// overrides, so that they stay what they were.
	KeepLayers int
	// MaxMessage, when above 0, cuts each layer's message to at most
	// MaxMessage bytes (at a character boundary) followed by
	// "…(N bytes cut)". A cut layer loses its redactable form: a safe
	// literal stays safe, any other message becomes unsafe as a whole.
	MaxMessage int
}

// A Trimmer holds an error's wire form, made once, so that
// [Trimmer.Encode] can try one [Trim] after another until the result
// fits a budget. Unlike [Encode], it accepts any error: fields past the
// limits are replaced as cockroachdb's errors.EncodeError replaces them
// (see [DroppedKey]), and Encode keeps the result within [MaxDepth]. It is
// not safe for concurrent use.
type Trimmer struct {
	// blobs holds the fields payloads parsed so far, by their bytes: a
	// search tries many Trims of one error, and a payload can be large
	// (a Newf message of a megabyte travels in it).
	blobs      map[string]fieldsBlob
	enc        errorspb.EncodedError
	msg        string
	retry      Retry
	retryAfter time.Duration
	grpc       codes.Code
	layers     int // levels of the tree
	coded      int // level of the outermost coded layer; -1 when none
	stacks     int // layers with a stack trace
}

// NewTrimmer returns a Trimmer of err; nil for a nil err.
func NewTrimmer(err error) *Trimmer {
	if err == nil {
		return nil
	}
	t := &Trimmer{
		enc:        encodeError(context.Background(), err),
		msg:        err.Error(),
		retry:      RetryOf(err),
		retryAfter: RetryAfterOf(err),
		grpc:       GRPCCodeOf(err),
		coded:      -1,
	}
	t.scan(&t.enc, 0)
	return t
}

func (t *Trimmer) scan(n *errorspb.EncodedError, level int) {
	t.layers = max(t.layers, level+1)
	d := nodeDetails(n)
	if t.coded < 0 && (d.ErrorTypeMark.FamilyName == codedFamily || d.ErrorTypeMark.FamilyName == codeFamily) {
		if _, ok := safeDetail(d.ReportablePayload, detailCode); ok {
			t.coded = level
		}
	}
	if _, ok := nodeStack(n); ok {
		t.stacks++
	}
	for _, c := range nodeCauses(n) {
		t.scan(c, level+1)
	}
}

// Layers returns the number of levels of the error's tree: the length of
// its chain, or more when a multi-cause layer's causes nest deeper.
func (t *Trimmer) Layers() int { return t.layers }

// CodedLayer returns the level of the outermost layer that carries a code
// (0 for the error itself), or -1 when none does: a [Trim.KeepLayers] of
// CodedLayer()+1 or more keeps the code, its ancestry and its retry
// decision in the wire form.
func (t *Trimmer) CodedLayer() int { return t.coded }

// Stacks returns the number of layers that carry a stack trace.
func (t *Trimmer) Stacks() int { return t.stacks }

// Encode returns the wire form of the error with what tr says left out,
// as [Encode] would give it, and the message the decoded error's Error()
// returns. Without cuts, that is the error's own Error(). The wire form
// never nests past [MaxDepth], whatever tr.KeepLayers says; it may be
// over [MaxEncodedSize], which the caller checks.
func (t *Trimmer) Encode(tr Trim) (data []byte, msg string, err error) {
	if t == nil {
		return nil, "", errors.New("errcode: Encode of a nil Trimmer")
	}
	// Room for the leaf that replaces the cut layers and three overrides.
	if limit := MaxDepth - 5; t.layers > limit && (tr.KeepLayers <= 0 || tr.KeepLayers > limit) {
		tr.KeepLayers = limit
	}
	if tr == (Trim{}) {
		data, err = t.enc.Marshal()
		return data, t.msg, err
	}
	n := cloneNode(&t.enc)
	if tr.ElideStacks || tr.DropStacks != 0 {
		trimStacks(n, tr)
	}
	if tr.RedactFields || tr.DropFields {
		if err := walkNodes(n, func(n *errorspb.EncodedError) error { return t.trimFields(n, tr) }); err != nil {
			return nil, "", err
		}
	}
	if tr.KeepLayers > 0 && tr.KeepLayers < t.layers {
		cutLayers(n, tr.KeepLayers, 0)
		n = t.overrides(n)
	}
	if tr.MaxMessage > 0 {
		if err := walkNodes(n, func(n *errorspb.EncodedError) error { return t.cutMessage(n, tr.MaxMessage) }); err != nil {
			return nil, "", err
		}
	}
	data, err = n.Marshal()
	if err != nil {
		return nil, "", err
	}
	// The message as the receiver computes it: cockroachdb's decoders, not
	// the encoded messages, decide it (a withPrefix layer sends its whole
	// message and decodes its prefix). A decode context of errcode's
	// own, so that payloads cockroachdb cannot unpack log nothing.
	ctx, _ := newDecodeContext(Default)
	return data, errbase.DecodeError(ctx, *n).Error(), nil
}

// overrides returns n under the overrides that keep the chain's retry
// decision, retry-after hint and gRPC code.
func (t *Trimmer) overrides(n *errorspb.EncodedError) *errorspb.EncodedError {
	var top error = errPlaceholder
	if t.retry != Unspecified {
		top = WithRetry(top, t.retry)
	}
	if t.retryAfter > 0 {
		top = WithRetryAfter(top, t.retryAfter)
	}
	if t.grpc != codes.Unknown {
		top = WithGRPCCode(top, t.grpc)
	}
	if top == errPlaceholder {
		return n
	}
	enc := errbase.EncodeError(context.Background(), top)
	p := &enc
	for p.GetWrapper() != nil {
		p = &p.GetWrapper().Cause
	}
	*p = *n
	return &enc
}

var errPlaceholder = errors.New("placeholder")

var (
	codedFamily     = string(errbase.GetTypeKey(&codedErr{}))
	codeFamily      = string(errbase.GetTypeKey(Code{}))
	fieldsFamily    = string(errbase.GetTypeKey(&withFields{}))
	withStackFamily = string(errbase.GetTypeKey(withstack.WithStack(errors.New(""))))
)

func nodeDetails(n *errorspb.EncodedError) *errorspb.EncodedErrorDetails {
	if w := n.GetWrapper(); w != nil {
		return &w.Details
	}
	if l := n.GetLeaf(); l != nil {
		return &l.Details
	}
	return &errorspb.EncodedErrorDetails{}
}

func nodeCauses(n *errorspb.EncodedError) []*errorspb.EncodedError {
	if w := n.GetWrapper(); w != nil {
		return []*errorspb.EncodedError{&w.Cause}
	}
	if l := n.GetLeaf(); l != nil {
		return l.MultierrorCauses
	}
	return nil
}

// cloneNode returns a copy of n that the trims may change: nodes, slices
// and details are copied; strings and payloads (replaced, never changed)
// are shared.
func cloneNode(n *errorspb.EncodedError) *errorspb.EncodedError {
	out := &errorspb.EncodedError{}
	switch {
	case n.GetWrapper() != nil:
		w := *n.GetWrapper()
		w.Details.ReportablePayload = append([]string(nil), w.Details.ReportablePayload...)
		w.Cause = *cloneNode(&w.Cause)
		out.Error = &errorspb.EncodedError_Wrapper{Wrapper: &w}
	case n.GetLeaf() != nil:
		l := *n.GetLeaf()
		l.Details.ReportablePayload = append([]string(nil), l.Details.ReportablePayload...)
		if l.MultierrorCauses != nil {
			causes := make([]*errorspb.EncodedError, len(l.MultierrorCauses))
			for i, c := range l.MultierrorCauses {
				causes[i] = cloneNode(c)
			}
			l.MultierrorCauses = causes
		}
		out.Error = &errorspb.EncodedError_Leaf{Leaf: &l}
	}
	return out
}

// walkNodes calls f on n and every node below it, outer first.
func walkNodes(n *errorspb.EncodedError, f func(*errorspb.EncodedError) error) error {
	if err := f(n); err != nil {
		return err
	}
	for _, c := range nodeCauses(n) {
		if err := walkNodes(c, f); err != nil {
			return err
		}
	}
	return nil
}

// nodeStack returns the stack trace n carries: a coded layer's "stack="
// detail or a withStack layer's one detail.
func nodeStack(n *errorspb.EncodedError) (string, bool) {
	d := nodeDetails(n)
	switch d.ErrorTypeMark.FamilyName {
	case codedFamily:
		return safeDetail(d.ReportablePayload, detailStack)
	case withStackFamily:
		if n.GetWrapper() != nil && len(d.ReportablePayload) == 1 {
			return d.ReportablePayload[0], true
		}
	}
	return "", false
}

func setNodeStack(n *errorspb.EncodedError, st string) {
	d := nodeDetails(n)
	if d.ErrorTypeMark.FamilyName == withStackFamily {
		d.ReportablePayload[0] = st
		return
	}
	for i, v := range d.ReportablePayload {
		if strings.HasPrefix(v, detailStack) {
			d.ReportablePayload[i] = detailStack + st
		}
	}
}

// dropNodeStack removes n's stack trace; a withStack layer is replaced by
// its cause.
func dropNodeStack(n *errorspb.EncodedError) {
	d := nodeDetails(n)
	if d.ErrorTypeMark.FamilyName == withStackFamily {
		*n = n.GetWrapper().Cause
		return
	}
	kept := d.ReportablePayload[:0]
	for _, v := range d.ReportablePayload {
		if !strings.HasPrefix(v, detailStack) {
			kept = append(kept, v)
		}
	}
	d.ReportablePayload = kept
}

// elided is the line that replaces the frames a stack trace shares with
// the one below it, as cockroachdb prints it.
const elided = "\n[...repeated from below...]"

func trimStacks(root *errorspb.EncodedError, tr Trim) {
	var nodes []*errorspb.EncodedError
	_ = walkNodes(root, func(n *errorspb.EncodedError) error {
		if _, ok := nodeStack(n); ok {
			nodes = append(nodes, n)
		}
		return nil
	})
	if tr.ElideStacks {
		// Each stack against the one below it, before either changes.
		stacks := make([]string, len(nodes))
		for i, n := range nodes {
			stacks[i], _ = nodeStack(n)
		}
		for i := 0; i+1 < len(nodes); i++ {
			if st, ok := elideShared(stacks[i+1], stacks[i]); ok {
				setNodeStack(nodes[i], st)
			}
		}
	}
	drop := tr.DropStacks
	if drop < 0 || drop > len(nodes) {
		drop = len(nodes)
	}
	// Innermost first; a withStack layer is replaced by its cause, which
	// is further down the list, so go from the bottom.
	for i := len(nodes) - 1; i >= len(nodes)-drop; i-- {
		dropNodeStack(nodes[i])
	}
}

// frames splits a stack trace formatted as "\nfunction\n\tfile:line" per
// frame into its frames.
func frames(st string) []string {
	lines := strings.Split(strings.TrimPrefix(st, "\n"), "\n")
	var out []string
	for i := 0; i < len(lines); i++ {
		if i+1 < len(lines) && strings.HasPrefix(lines[i+1], "\t") {
			out = append(out, lines[i]+"\n"+lines[i+1])
			i++
			continue
		}
		out = append(out, lines[i])
	}
	return out
}

// elideShared returns st less the frames at its bottom that below shares,
// keeping at least one, followed by the elided marker; false when there
// is nothing to elide.
func elideShared(below, st string) (string, bool) {
	if below == "" || st == "" {
		return st, false
	}
	fb, fs := frames(below), frames(st)
	i, j := len(fs)-1, len(fb)-1
	for i > 0 && j >= 0 && fs[i] == fb[j] {
		i, j = i-1, j-1
	}
	keep := i + 1
	if keep >= len(fs) {
		return st, false
	}
	var b strings.Builder
	for _, f := range fs[:keep] {
		b.WriteString("\n")
		b.WriteString(f)
	}
	b.WriteString(elided)
	return b.String(), true
}

// redactedValue is what RedactFields puts in place of an unsafe value.
var redactedValue = json.RawMessage(strconv.Quote("‹×›"))

func (t *Trimmer) trimFields(n *errorspb.EncodedError, tr Trim) error {
	d := nodeDetails(n)
	if f := d.ErrorTypeMark.FamilyName; f != codedFamily && f != fieldsFamily || d.FullDetails == nil {
		return nil
	}
	blob, err := t.nodeBlob(d)
	if err != nil {
		return err
	}
	if len(blob.Fields) == 0 {
		return nil
	}
	if tr.DropFields {
		blob.Fields, blob.Types, blob.Safe = nil, nil, nil
	} else {
		for k := range blob.Fields {
			if !containsString(blob.Safe, k) {
				blob.Fields[k] = redactedValue
				delete(blob.Types, k)
			}
		}
	}
	return setNodeBlob(d, blob)
}

func containsString(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func (t *Trimmer) nodeBlob(d *errorspb.EncodedErrorDetails) (fieldsBlob, error) {
	var bv types.BytesValue
	var blob fieldsBlob
	if err := types.UnmarshalAny(d.FullDetails, &bv); err != nil {
		return blob, fmt.Errorf("errcode: trim: fields payload: %w", err)
	}
	if cached, ok := t.blobs[string(bv.Value)]; ok {
		return cached.clone(), nil
	}
	// Member names matched exactly, case included, as Decode reads them.
	rb, err := parseRawBlob(bv.Value)
	if err != nil {
		return blob, fmt.Errorf("errcode: trim: malformed fields: %w", err)
	}
	blob = rb.blob()
	if t.blobs == nil {
		t.blobs = make(map[string]fieldsBlob)
	}
	t.blobs[string(bv.Value)] = blob
	return blob.clone(), nil
}

// clone returns a copy of b that its caller may change.
func (b fieldsBlob) clone() fieldsBlob {
	b.Fields = maps.Clone(b.Fields)
	b.Types = maps.Clone(b.Types)
	b.Safe = slices.Clone(b.Safe)
	return b
}

func setNodeBlob(d *errorspb.EncodedErrorDetails, blob fieldsBlob) error {
	if len(blob.Fields) == 0 && blob.Redactable == "" {
		d.FullDetails = nil
		return nil
	}
	raw, err := json.Marshal(blob)
	if err != nil {
		return fmt.Errorf("errcode: trim: %w", err)
	}
	d.FullDetails, err = types.MarshalAny(&types.BytesValue{Value: raw})
	return err
}

// cutLayers replaces what lies below level keep-1 by a leaf that says how
// many layers it stands for.
func cutLayers(n *errorspb.EncodedError, keep, level int) {
	if level < keep-1 {
		for _, c := range nodeCauses(n) {
			cutLayers(c, keep, level+1)
		}
		return
	}
	count := 0
	for _, c := range nodeCauses(n) {
		count += countNodes(c)
	}
	if count == 0 {
		return
	}
	leaf := errbase.EncodeError(context.Background(),
		errors.New("errcode: "+strconv.Itoa(count)+" inner layers not sent"))
	if w := n.GetWrapper(); w != nil {
		w.Cause = leaf
		return
	}
	n.GetLeaf().MultierrorCauses = []*errorspb.EncodedError{&leaf}
}

func countNodes(n *errorspb.EncodedError) int {
	c := 1
	for _, x := range nodeCauses(n) {
		c += countNodes(x)
	}
	return c
}

func (t *Trimmer) cutMessage(n *errorspb.EncodedError, limit int) error {
	var msg *string
	if w := n.GetWrapper(); w != nil {
		msg = &w.Message
	} else if l := n.GetLeaf(); l != nil {
		msg = &l.Message
	}
	if msg == nil || len(*msg) <= limit {
		return nil
	}
	k := limit
	if utf8.ValidString(*msg) {
		for k > 0 && !utf8.RuneStart((*msg)[k]) {
			k--
		}
	}
	*msg = (*msg)[:k] + "…(" + strconv.Itoa(len(*msg)-k) + " bytes cut)"
	d := nodeDetails(n)
	if d.ErrorTypeMark.FamilyName != codedFamily || d.FullDetails == nil {
		return nil
	}
	blob, err := t.nodeBlob(d)
	if err != nil || blob.Redactable == "" {
		return err
	}
	blob.Redactable = ""
	return setNodeBlob(d, blob)
}
