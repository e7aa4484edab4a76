package errcode

import (
	"log/slog"
	"slices"
)

// LogValue makes an errcode error logged as a log/slog attribute a group:
// message, code (as its sender named it), retry decision, retry-after hint
// when there is one, and the merged fields of the whole chain.
func (e *codedErr) LogValue() slog.Value { return logValue(e) }

// LogValue: see (*codedErr).LogValue.
func (w *withFields) LogValue() slog.Value { return logValue(w) }

// LogValue: see (*codedErr).LogValue.
func (w *withRetry) LogValue() slog.Value { return logValue(w) }

// LogValue: see (*codedErr).LogValue.
func (w *withRetryAfter) LogValue() slog.Value { return logValue(w) }

var (
	_ slog.LogValuer = (*withFields)(nil)
	_ slog.LogValuer = (*withRetry)(nil)
	_ slog.LogValuer = (*withRetryAfter)(nil)
)

// LogValue returns err as a log/slog group value, as errcode's errors log
// themselves: use it for an error whose outermost layer is not errcode's
// (one wrapped by fmt.Errorf or cockroachdb's Wrap), so that it still logs
// its code, retry decision and fields:
//
//	logger.Error("request failed", "err", errcode.LogValue(err))
//
// LogValue(nil) is the zero slog.Value, which handlers print as they print
// a nil any: "<nil>" in text, null in JSON.
func LogValue(err error) slog.Value {
	if err == nil {
		return slog.Value{}
	}
	return logValue(err)
}

func logValue(err error) slog.Value {
	attrs := make([]slog.Attr, 0, 5)
	attrs = append(attrs, slog.String("message", err.Error()))
	if name := NameOf(err); name != "" {
		attrs = append(attrs, slog.String("code", name))
	}
	attrs = append(attrs, slog.String("retry", RetryOf(err).String()))
	if d := RetryAfterOf(err); d > 0 {
		attrs = append(attrs, slog.Duration("retry_after", d))
	}
	if fs := Fields(err); fs != nil {
		keys := make([]string, 0, len(fs))
		for k := range fs {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		group := make([]any, 0, len(keys))
		for _, k := range keys {
			group = append(group, slog.Any(k, fs[k]))
		}
		attrs = append(attrs, slog.Group("fields", group...))
	}
	return slog.GroupValue(attrs...)
}
