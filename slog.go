package errcode

import (
	"log/slog"
	"reflect"
	"slices"
	"strings"

	"github.com/cockroachdb/redact"
)

// LogValue makes an errcode error logged as a log/slog attribute a group;
// see [LogValue] for its members.
func (e *codedErr) LogValue() slog.Value { return logValue(e, false) }

// LogValue: see (*codedErr).LogValue.
func (w *withFields) LogValue() slog.Value { return logValue(w, false) }

// LogValue: see (*codedErr).LogValue.
func (w *withRetry) LogValue() slog.Value { return logValue(w, false) }

// LogValue: see (*codedErr).LogValue.
func (w *withRetryAfter) LogValue() slog.Value { return logValue(w, false) }

var (
	_ slog.LogValuer = (*withFields)(nil)
	_ slog.LogValuer = (*withRetry)(nil)
	_ slog.LogValuer = (*withRetryAfter)(nil)
)

// LogValue returns err as a log/slog group value, the group errcode's
// errors log as:
//
//   - message: err.Error();
//   - code: the name of [CodeOf](err), omitted when err has no code;
//   - codes: the name of every code in err's tree — of coded layers,
//     bare Codes and marks, where [CodeOf] looks — outermost first
//     (depth first, first branch first), omitted when there is none;
//   - retry: [RetryOf](err), as text ("transient");
//   - retry_after: [RetryAfterOf](err) as text ("1s"), omitted when 0;
//   - fields: [Fields](err), sorted by key, omitted when there are none.
//
// code is this process's name for the code: a grouping key bounded by
// its registry. For a code decoded from a peer and missing from this
// process's registry, it is the nearest ancestor the registry knows, as
// CodeOf gives it; codes keeps the names as the sender gave them, as
// [NameOf] does, so that such a code shows there and code differs from
// codes[0].
//
// Use LogValue for an error whose outermost layer is not errcode's (one
// wrapped by fmt.Errorf or cockroachdb's Wrap), so that it still logs
// as the group, or let [ReplaceAttr] do it for every error attribute:
//
//	logger.Error("request failed", "err", errcode.LogValue(err))
//
// LogValue(nil) is the zero slog.Value, which handlers print as they print
// a nil any: "<nil>" in text, null in JSON.
func LogValue(err error) slog.Value {
	if err == nil {
		return slog.Value{}
	}
	return logValue(err, false)
}

// logValue returns err's group. When safe, it holds only what is safe to
// report: the message as cockroachdb redacts it and the fields marked
// with [Safe].
func logValue(err error, safe bool) slog.Value {
	attrs := make([]slog.Attr, 0, 6)
	if safe {
		attrs = append(attrs, slog.String("message", string(redact.Sprint(err).Redact())))
	} else {
		attrs = append(attrs, slog.String("message", err.Error()))
	}
	if name := CodeOf(err).Name(); name != "" {
		attrs = append(attrs, slog.String("code", name))
	}
	if names := codeNames(err); names != nil {
		attrs = append(attrs, slog.Any("codes", names))
	}
	attrs = append(attrs, slog.String("retry", RetryOf(err).String()))
	if d := RetryAfterOf(err); d > 0 {
		attrs = append(attrs, slog.String("retry_after", d.String()))
	}
	if fs := mergedFields(err, safe); len(fs) > 0 {
		group := make([]slog.Attr, len(fs))
		for i, f := range fs {
			group[i] = slog.Any(f.key, f.value)
		}
		attrs = append(attrs, slog.Attr{Key: "fields", Value: slog.GroupValue(group...)})
	}
	return slog.GroupValue(attrs...)
}

// codeNames returns the name of every code in err's tree, outermost
// first, as its sender named it; nil when there is none.
func codeNames(err error) []string {
	var names []string
	walk(err, func(l error) bool {
		if e, ok := l.(*codedErr); ok {
			if name := e.sentName(); name != "" {
				names = append(names, name)
			}
		} else if k := layerCode(l); k != nil && k.name != "" {
			names = append(names, k.name)
		}
		return false
	})
	return names
}

// mergedFields returns the fields of err's tree merged as [Fields] merges
// them, sorted by key; with safeOnly, only those whose winning value is
// marked safe (an unsafe outer value hides a safe inner one).
func mergedFields(err error, safeOnly bool) []field {
	var out []field
	walk(err, func(l error) bool {
		fs := layerFields(l)
		for i := len(fs) - 1; i >= 0; i-- {
			if !slices.ContainsFunc(out, func(f field) bool { return f.key == fs[i].key }) {
				out = append(out, fs[i])
			}
		}
		return false
	})
	if safeOnly {
		out = slices.DeleteFunc(out, func(f field) bool { return !f.safe })
	}
	slices.SortFunc(out, func(a, b field) int { return strings.Compare(a.key, b.key) })
	return out
}

// ReplaceAttr is a [slog.HandlerOptions] ReplaceAttr function that logs
// every attribute whose value is an error as errcode's group (see
// [LogValue]), whatever wraps it: fmt.Errorf, cockroachdb's Wrap and
// errors.Join are not slog.LogValuers, so without it they log as their
// Error() string. Other attributes are returned unchanged, as are a nil
// error and a nil pointer of an error type (which handlers print as
// "<nil>").
//
//	logger := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: errcode.ReplaceAttr}))
//	logger.Error("start failed", "err", fmt.Errorf("vm 7: %w", err)) // "err":{"message":"vm 7: pool full","code":…}
//
// slog resolves an attribute's LogValuer before calling ReplaceAttr, so
// errcode's own errors reach it as groups already, and it calls
// ReplaceAttr again on each member of the group ReplaceAttr returns. To
// keep a ReplaceAttr function of your own, use [ReplaceAttrThen]. To log
// only what is safe to report, use [NewSafeHandler] instead.
func ReplaceAttr(_ []string, a slog.Attr) slog.Attr {
	if err := errorOf(a.Value); err != nil {
		a.Value = logValue(err, false)
	}
	return a
}

// ReplaceAttrThen returns a [slog.HandlerOptions] ReplaceAttr function
// that logs an error attribute as [ReplaceAttr] does and hands every
// other attribute to next, then logs an error next returns as the group
// too. next sees an error as slog shows it an errcode error: as the
// members of its group, each with the error's key last in groups.
// ReplaceAttrThen(nil) is ReplaceAttr.
func ReplaceAttrThen(next func(groups []string, a slog.Attr) slog.Attr) func(groups []string, a slog.Attr) slog.Attr {
	if next == nil {
		return ReplaceAttr
	}
	return func(groups []string, a slog.Attr) slog.Attr {
		if err := errorOf(a.Value); err != nil {
			a.Value = logValue(err, false)
			return a
		}
		return ReplaceAttr(groups, next(groups, a))
	}
}

// errorOf returns the error v holds, or nil when it holds none that can
// be asked: a nil pointer of an error type is none (its methods may
// panic; handlers print it as "<nil>").
func errorOf(v slog.Value) error {
	if k := v.Kind(); k != slog.KindAny && k != slog.KindLogValuer {
		return nil
	}
	err, ok := v.Any().(error)
	if !ok {
		return nil
	}
	if r := reflect.ValueOf(err); r.Kind() == reflect.Pointer && r.IsNil() {
		return nil
	}
	return err
}
