package errcodegrpc

import (
	"context"
	"encoding/base64"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"

	"github.com/errcode/errcode"
)

// The trailer block of a failed RPC, as grpc-go's server writes it
// (internal/transport's writeStatus) and as HTTP/2 counts a header list
// against SETTINGS_MAX_HEADER_LIST_SIZE (RFC 9113 §6.5.2: each field's
// name and value lengths plus 32):
//
//	:status                  200               (when the trailers are the whole response)
//	content-type             application/grpc[+subtype]   (likewise)
//	grpc-status              the code
//	grpc-message             the message, percent-encoded
//	grpc-status-details-bin  the google.rpc.Status, base64 without padding
//	...                      the trailers the handler set
//
// :status and content-type are always counted: whether the server sent
// headers before the status is not known when the status is made.
const fieldOverhead = 32

func fieldSize(name string, valueLen int) int { return len(name) + valueLen + fieldOverhead }

// grpcMessageLen returns the length of msg as grpc-go percent-encodes it
// for grpc-message: printable ASCII but '%' as it is, every other byte of
// a valid character as %XX, an invalid byte as the %XX of U+FFFD.
func grpcMessageLen(msg string) int {
	n := 0
	for len(msg) > 0 {
		r, size := utf8.DecodeRuneInString(msg)
		switch {
		case size == 1 && r != utf8.RuneError && msg[0] >= ' ' && msg[0] <= '~' && msg[0] != '%':
			n++
		case r == utf8.RuneError && size == 1:
			n += 9
		default:
			n += 3 * size
		}
		msg = msg[size:]
	}
	return n
}

// fixedSize returns the size of the trailer block less grpc-message and
// grpc-status-details-bin: :status, content-type, grpc-status and the
// trailers set on the RPC's stream so far.
func fixedSize(ctx context.Context, code codes.Code) int {
	md, subtype := streamTrailers(ctx)
	ct := len("application/grpc")
	if subtype != "" {
		ct += 1 + len(subtype)
	}
	n := fieldSize(":status", 3) + fieldSize("content-type", ct) +
		fieldSize("grpc-status", len(strconv.Itoa(int(code))))
	for k, vs := range md {
		if reservedTrailer(k) {
			continue
		}
		for _, v := range vs {
			if strings.HasSuffix(k, "-bin") {
				n += fieldSize(k, base64.RawStdEncoding.EncodedLen(len(v)))
			} else {
				n += fieldSize(k, len(v))
			}
		}
	}
	return n
}

// reservedTrailer reports whether grpc-go leaves the trailer k out
// (isReservedHeader), or replaces it (grpc-status-details-bin, which it
// drops when the status has details, as every status here has).
func reservedTrailer(k string) bool {
	if strings.HasPrefix(k, ":") {
		return true
	}
	switch k {
	case "content-type", "user-agent", "grpc-message-type", "grpc-encoding", "grpc-message",
		"grpc-status", "grpc-timeout", "te", "grpc-status-details-bin":
		return true
	}
	return false
}

// streamTrailers returns the trailers set so far on the RPC's stream, and
// its content-subtype. grpc-go offers no way to read the trailers back:
// they are read from its transport stream's unexported trailer field. If
// a version of grpc-go moves it, none are found (TestHandlerTrailersCounted
// fails).
func streamTrailers(ctx context.Context) (md metadata.MD, subtype string) {
	s := grpc.ServerTransportStreamFromContext(ctx)
	if s == nil {
		return nil, ""
	}
	if cs, ok := s.(interface{ ContentSubtype() string }); ok {
		subtype = cs.ContentSubtype()
	}
	v := reflect.ValueOf(s)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil, subtype
	}
	f := v.Elem().FieldByName("trailer")
	if !f.IsValid() || f.Type() != reflect.TypeFor[metadata.MD]() {
		return nil, subtype
	}
	// Read without the stream's lock: grpc-go asks that SetTrailer not be
	// called concurrently with the stream's other writes, and the handler
	// has returned.
	md = make(metadata.MD, f.Len())
	for it := f.MapRange(); it.Next(); {
		vs := it.Value()
		for i := 0; i < vs.Len(); i++ {
			md[it.Key().String()] = append(md[it.Key().String()], vs.Index(i).String())
		}
	}
	return md, subtype
}

// The names MetadataDropped lists, in the order they are given up.
const (
	droppedSharedFrames = "shared-frames" // stack frames repeated from the layer below
	droppedStacks       = "stacks"        // stack traces, innermost first
	droppedFieldValues  = "field-values"  // values of fields not marked Safe
	droppedFields       = "fields"        // every field, Safe ones too, in ErrorInfo too
	droppedDetails      = "details"       // details of an inner status other than ErrorInfo and RetryInfo
	droppedLayers       = "layers"        // inner layers
	droppedMessages     = "messages"      // the ends of long messages
	droppedEncoded      = "errcode"       // errcode's own detail, the whole error
)

// candidate is one way to fill the trailer.
type candidate struct {
	tr              errcode.Trim
	noSafe, noInner bool // Safe fields out of ErrorInfo; inner details out
	noEncoded       bool // no errcode detail at all
	dropped         []string
}

// statusOf returns the status for err: code, a valid UTF-8 message, the
// details of an inner status (innerDetails; less its ErrorInfo, RetryInfo
// and errcode detail), ErrorInfo, RetryInfo and errcode's detail, cut to
// the budget. See the package documentation for the order of the cuts.
func (c *config) statusOf(ctx context.Context, err error, code codes.Code, innerDetails []*anypb.Any) *status.Status {
	send := err
	if c.server.disclosure == errcode.DisclosePublic {
		send = errcode.Public(err)
	}
	info := newErrorInfo(err, c.registry)
	var retry *anypb.Any
	if errcode.RetryOf(err) == errcode.Transient {
		retry = retryInfo(errcode.RetryAfterOf(err))
	}
	var inner []*anypb.Any
	for _, d := range innerDetails {
		// RetryInfo goes exactly with a transient err; an ErrorInfo gives
		// way to the outermost code's.
		if isErrcodeDetail(d) || isDetail(d, retryInfoName) || info.code != "" && isDetail(d, errorInfoName) {
			continue
		}
		inner = append(inner, d)
	}
	b := &builder{
		code: code, info: &info, retry: retry, inner: inner,
		trimmer: errcode.NewTrimmer(send),
		room:    c.server.budget - fixedSize(ctx, code),
	}
	return b.fit()
}

type builder struct {
	code    codes.Code
	info    *errorInfo
	retry   *anypb.Any
	inner   []*anypb.Any
	trimmer *errcode.Trimmer
	room    int // budget left for grpc-message and grpc-status-details-bin
	lastLen int // the length of the errcode detail last built
}

// build returns the status that cand makes, and whether it fits.
func (b *builder) build(cand candidate) (*spb.Status, bool) {
	var data []byte
	var msg string
	if !cand.noEncoded {
		var err error
		data, msg, err = b.trimmer.Encode(cand.tr)
		b.lastLen = len(data)
		if err != nil || len(data) > errcode.MaxEncodedSize {
			return nil, false
		}
	}
	return b.assemble(cand, data, msg)
}

func (b *builder) assemble(cand candidate, data []byte, msg string) (*spb.Status, bool) {
	msg = strings.ToValidUTF8(msg, "\uFFFD")
	p := &spb.Status{Code: int32(b.code), Message: msg}
	if !cand.noInner {
		p.Details = append(p.Details, b.inner...)
	}
	if d := b.info.detail(!cand.noSafe, strings.Join(cand.dropped, " ")); d != nil {
		p.Details = append(p.Details, d)
	}
	if b.retry != nil {
		p.Details = append(p.Details, b.retry)
	}
	if data != nil {
		p.Details = append(p.Details, &anypb.Any{TypeUrl: DetailTypeURL, Value: data})
	}
	size := fieldSize("grpc-message", grpcMessageLen(msg))
	if len(p.Details) > 0 {
		size += fieldSize("grpc-status-details-bin", base64.RawStdEncoding.EncodedLen(proto.Size(p)))
	}
	return p, size <= b.room
}

// fit returns the first status, down the ladder of cuts, that fits the
// budget.
func (b *builder) fit() *status.Status {
	cand := candidate{}
	try := func(c candidate) (*spb.Status, bool) { return b.build(c) }
	if p, ok := try(cand); ok {
		return status.FromProto(p)
	}
	if b.trimmer.Stacks() > 1 {
		cand.tr.ElideStacks = true
		cand.dropped = append(cand.dropped, droppedSharedFrames)
		if p, ok := try(cand); ok {
			return status.FromProto(p)
		}
	}
	if n := b.trimmer.Stacks(); n > 0 {
		cand.dropped = append(cand.dropped, droppedStacks)
		// The fewest stacks, innermost first, whose loss makes it fit.
		k, p := search(1, n, true, func(k int) (*spb.Status, bool) {
			c := cand
			c.tr.DropStacks = k
			return try(c)
		})
		if p != nil {
			return status.FromProto(p)
		}
		cand.tr.DropStacks = k
	}
	// Field values, then fields (in ErrorInfo too) and inner details; each
	// named in dropped only if there was something to drop.
	prev := b.lastLen
	cand.tr.RedactFields = true
	cand.dropped = append(cand.dropped, droppedFieldValues)
	if p, ok := try(cand); ok {
		return status.FromProto(p)
	} else if b.lastLen == prev {
		cand.dropped = cand.dropped[:len(cand.dropped)-1]
	}
	prev = b.lastLen
	cand.tr.DropFields, cand.noSafe, cand.noInner = true, true, true
	base := slices.Clip(cand.dropped)
	names := func(fields bool) []string {
		d := base
		if fields {
			d = append(d, droppedFields)
		}
		if len(b.inner) > 0 {
			d = append(d, droppedDetails)
		}
		return d
	}
	cand.dropped = names(len(b.info.safe) > 0)
	p, ok := try(cand)
	if b.lastLen != prev && len(b.info.safe) == 0 {
		// Fields left errcode's detail, though ErrorInfo had none.
		cand.dropped = names(true)
		p, ok = try(cand)
	}
	if ok {
		return status.FromProto(p)
	}
	if layers, keep := b.trimmer.Layers(), max(b.trimmer.CodedLayer()+1, 1); layers > keep {
		cand.dropped = append(cand.dropped, droppedLayers)
		// The most outer layers that fit.
		k, p := search(keep, layers-1, false, func(k int) (*spb.Status, bool) {
			c := cand
			c.tr.KeepLayers = k
			return try(c)
		})
		if p != nil {
			return status.FromProto(p)
		}
		cand.tr.KeepLayers = k
	}
	cand.dropped = append(cand.dropped, droppedMessages)
	// The longest messages that fit.
	if _, p := search(1, 1<<20, false, func(k int) (*spb.Status, bool) {
		c := cand
		c.tr.MaxMessage = k
		return try(c)
	}); p != nil {
		return status.FromProto(p)
	}
	// Not even that: the code, ErrorInfo and RetryInfo without errcode's
	// detail, the message cut to what is left.
	cand.noEncoded = true
	cand.dropped = append(cand.dropped, droppedEncoded)
	_, msg, _ := b.trimmer.Encode(errcode.Trim{})
	_, p = search(0, len(msg), false, func(k int) (*spb.Status, bool) {
		return b.assemble(cand, nil, cutString(msg, k))
	})
	if p == nil {
		// The handler's own trailers leave no room: send the least, and
		// let the transport say what it will.
		p, _ = b.assemble(cand, nil, "")
	}
	return status.FromProto(p)
}

// search returns the smallest (smallest true) or the largest k in
// [lo, hi] for which f fits, with its status; the status is nil when none
// does, and k is then hi (smallest) or lo (largest), the value nearest to
// fitting. f must fit for every k above (smallest) or below (largest) one
// that fits.
func search(lo, hi int, smallest bool, f func(int) (*spb.Status, bool)) (int, *spb.Status) {
	var best *spb.Status
	bestK := hi
	if !smallest {
		bestK = lo
	}
	for lo <= hi {
		mid := lo + (hi-lo)/2
		p, ok := f(mid)
		switch {
		case ok && smallest:
			best, bestK, hi = p, mid, mid-1
		case ok:
			best, bestK, lo = p, mid, mid+1
		case smallest:
			lo = mid + 1
		default:
			hi = mid - 1
		}
	}
	return bestK, best
}

// cutString returns s cut to at most n bytes at a character boundary,
// marked as errcode.Trim marks a cut message.
func cutString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	k := n
	for k > 0 && !utf8.RuneStart(s[k]) {
		k--
	}
	return s[:k] + "…(" + strconv.Itoa(len(s)-k) + " bytes cut)"
}
