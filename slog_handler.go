package errcode

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/cockroachdb/redact"
)

// NewSafeHandler returns a [slog.Handler] that logs through h only what
// of an error is safe to report. Every attribute whose value is an error
// — errcode's or anyone's, at the top level, inside a group, added with
// Logger.With or returned by a LogValuer — reaches h as errcode's group
// (see [LogValue]) with:
//
//   - message: the error as cockroachdb redacts it,
//     redact.Sprint(err).Redact(), unsafe text replaced by ‹×›;
//   - code, codes, retry and retry_after, which are always safe;
//   - fields: only those marked with [Safe] (or redact.Safe); a field
//     whose value an outer layer replaced with an unsafe one is left out.
//
// Other attributes and the record's message reach h unchanged, except
// that a LogValuer is resolved before h sees it (once, as h would), so
// that an error it returns is rewritten too; one that panics logs as
// "LogValue panicked: " and the redacted panic value. A nil error, a nil
// pointer of an error type, and a group already made — such as
// [LogValue]'s, which is not an error any more — reach h as they are: log
// the error itself.
//
//	logger := slog.New(errcode.NewSafeHandler(slog.NewJSONHandler(os.Stdout, nil)))
//
// The rewriting happens before h resolves anything, which is why it takes
// a Handler: a ReplaceAttr function sees an errcode error only after slog
// has turned it into its full group. NewSafeHandler panics if h is nil,
// and returns h itself if h is already one it made.
func NewSafeHandler(h slog.Handler) slog.Handler {
	if h == nil {
		panic("errcode: NewSafeHandler called with a nil Handler")
	}
	if s, ok := h.(*safeHandler); ok {
		return s
	}
	return &safeHandler{inner: h}
}

// safeHandler is the Handler NewSafeHandler returns.
type safeHandler struct {
	inner slog.Handler
}

func (h *safeHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.inner.Enabled(ctx, l)
}

// Handle hands h.inner r with its error attributes rewritten; r itself,
// without copying or allocating, when it has none to rewrite (see
// allocs_test.go).
func (h *safeHandler) Handle(ctx context.Context, r slog.Record) error {
	var out []slog.Attr
	n := 0
	r.Attrs(func(a slog.Attr) bool {
		v, changed := safeValue(a.Value)
		if changed && out == nil {
			out = make([]slog.Attr, 0, r.NumAttrs())
			r.Attrs(func(b slog.Attr) bool {
				if len(out) == n {
					return false
				}
				out = append(out, b)
				return true
			})
		}
		if out != nil {
			a.Value = v
			out = append(out, a)
		}
		n++
		return true
	})
	if out == nil {
		return h.inner.Handle(ctx, r)
	}
	nr := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	nr.AddAttrs(out...)
	return h.inner.Handle(ctx, nr)
}

func (h *safeHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	attrs, _ = safeAttrs(attrs)
	return &safeHandler{inner: h.inner.WithAttrs(attrs)}
}

func (h *safeHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return &safeHandler{inner: h.inner.WithGroup(name)}
}

// safeAttrs returns attrs with their error values rewritten, and whether
// there were any: attrs itself when there were none, a copy otherwise.
func safeAttrs(attrs []slog.Attr) ([]slog.Attr, bool) {
	var out []slog.Attr
	for i, a := range attrs {
		v, changed := safeValue(a.Value)
		if changed && out == nil {
			out = make([]slog.Attr, i, len(attrs))
			copy(out, attrs[:i])
		}
		if out != nil {
			a.Value = v
			out = append(out, a)
		}
	}
	if out == nil {
		return attrs, false
	}
	return out, true
}

// maxLogValues is how many LogValue calls in a row safeValue makes, as
// slog.Value.Resolve does, before it gives up.
const maxLogValues = 100

// safeValue returns v with every error in it replaced by its safe group,
// a LogValuer resolved first, and whether it changed anything.
func safeValue(v slog.Value) (slog.Value, bool) {
	if err := errorOf(v); err != nil {
		return logValue(err, true), true
	}
	switch v.Kind() {
	case slog.KindLogValuer:
		orig := v.Any()
		for i := 0; v.Kind() == slog.KindLogValuer; i++ {
			if err := errorOf(v); err != nil {
				return logValue(err, true), true
			}
			if i == maxLogValues {
				return slog.StringValue(fmt.Sprintf("LogValue called too many times on Value of type %T", orig)), true
			}
			v = resolveOnce(v.LogValuer())
		}
		r, _ := safeValue(v)
		return r, true
	case slog.KindGroup:
		if g, changed := safeAttrs(v.Group()); changed {
			return slog.GroupValue(g...), true
		}
	}
	return v, false
}

// resolveOnce returns lv.LogValue(), as slog.Value.Resolve calls it but
// one step only, so that safeValue sees an error a LogValuer returns
// before that error's own LogValue runs. Like Resolve, it recovers a
// panic, into a value that shows only the safe part of its message.
func resolveOnce(lv slog.LogValuer) (v slog.Value) {
	defer func() {
		if r := recover(); r != nil {
			v = slog.StringValue(string(redact.Sprintf("LogValue panicked: %v", r).Redact()))
		}
	}()
	return lv.LogValue()
}
