package errcode

import (
	"fmt"
	"time"

	"github.com/cockroachdb/errors/errbase"
	"github.com/cockroachdb/redact"
)

// Retry is the retry decision attached to a code or to one error. It
// marshals as text — "unspecified", "transient" or "permanent" — so that
// JSON, log/slog and flags print the word, never the number.
type Retry int8

const (
	// Unspecified means no decision: the code defers to its ancestors,
	// and an error whose chain decides nothing is not known to be
	// retryable.
	Unspecified Retry = iota
	// Transient means the operation may succeed if retried.
	Transient
	// Permanent means the operation will not succeed if retried.
	Permanent
)

// String returns "unspecified", "transient" or "permanent"
// (or "Retry(N)" for a value out of range).
func (r Retry) String() string {
	switch r {
	case Unspecified:
		return "unspecified"
	case Transient:
		return "transient"
	case Permanent:
		return "permanent"
	}
	return fmt.Sprintf("Retry(%d)", int8(r))
}

func (r Retry) valid() bool { return r >= Unspecified && r <= Permanent }

// ParseRetry returns the Retry whose [Retry.String] is s. The empty
// string parses as [Unspecified], as an absent decision on the wire does;
// any other text gives an error that names it.
//
//	ParseRetry("transient") // Transient, nil
//	ParseRetry("")          // Unspecified, nil
//	ParseRetry("Transient") // Unspecified, error: unknown retry decision
func ParseRetry(s string) (Retry, error) {
	switch s {
	case "unspecified", "":
		return Unspecified, nil
	case "transient":
		return Transient, nil
	case "permanent":
		return Permanent, nil
	}
	return Unspecified, fmt.Errorf("errcode: unknown retry decision %q (want unspecified, transient or permanent)", s)
}

// MarshalText implements [encoding.TextMarshaler]: it returns
// [Retry.String], and an error for a value out of range.
func (r Retry) MarshalText() ([]byte, error) {
	if !r.valid() {
		return nil, fmt.Errorf("errcode: invalid retry decision %d", int8(r))
	}
	return []byte(r.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler] with [ParseRetry].
// On error r is left unchanged.
func (r *Retry) UnmarshalText(text []byte) error {
	v, err := ParseRetry(string(text))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

func (r Retry) apply(s *spec) {
	if !r.valid() {
		s.setBad(fmt.Sprintf("invalid retry decision %d", int8(r)))
		return
	}
	s.retry = r
}

// withRetry is the layer [WithRetry] makes.
type withRetry struct {
	cause error
	skip  error // below(cause)
	retry Retry
}

var (
	_ errbase.SafeFormatter = (*withRetry)(nil)
	_ errbase.SafeDetailer  = (*withRetry)(nil)
)

func (w *withRetry) Error() string { return w.cause.Error() }

func (w *withRetry) Cause() error { return w.cause }

func (w *withRetry) Unwrap() error { return w.cause }

func (w *withRetry) SafeDetails() []string { return []string{detailRetry + w.retry.String()} }

func (w *withRetry) Format(s fmt.State, verb rune) { errbase.FormatError(w, s, verb) }

func (w *withRetry) SafeFormatError(p errbase.Printer) error {
	if p.Detail() {
		p.Printf("retry override: %s", redact.Safe(w.retry.String()))
	}
	return w.cause
}

// WithRetry returns err with its retry decision overridden to r: the
// outermost override decides (see the precedence rule on [RetryOf]).
// WithRetry(nil, r) returns nil; an override of [Unspecified], or of a
// value out of range, decides nothing and defers to what it wraps.
func WithRetry(err error, r Retry) error {
	if err == nil {
		return nil
	}
	if !r.valid() {
		r = Unspecified
	}
	return &withRetry{cause: err, skip: below(err), retry: r}
}

// RetryOf returns the retry decision for err:
//
//  1. Walk from the outermost layer inward. The first layer that decides,
//     decides: a [WithRetry] override, or a coded layer whose code's
//     Retry() is not Unspecified.
//  2. A coded layer whose code is Unspecified defers to what it wraps.
//  3. A multi-cause layer decides Permanent if any branch is Permanent,
//     else Transient if any branch is Transient, else it defers.
//  4. No deciding layer: Unspecified.
//
// A coded layer's code decides with its own flag or, when it has none, its
// nearest ancestor's ([Code.Retry]). RetryOf(nil) is Unspecified.
//
//	RetryOf(SandboxError.Wrap(VmBootTimeoutError.New("slow"), "boot")) // Transient: SandboxError defers
//	RetryOf(PermanentError.Wrap(VmBootTimeoutError.New("slow"), ""))   // Permanent: the outer layer decides
//	RetryOf(WithRetry(VmCapacityError.New("full"), Permanent))         // Permanent: the override decides
//	RetryOf(io.EOF)                                                     // Unspecified
func RetryOf(err error) Retry { return retryOf(err, false) }

// retryOf is RetryOf; when sent, it is RetryOf as the error's sender
// resolved it: a layer decoded from the wire decides by the decision it
// came with, not by this process's registry, so that the JSON form's
// top-level retry of a decoded error is the one it came with.
func retryOf(err error, sent bool) Retry {
	for err != nil {
		// errcode's own layers go straight to the next layer a query needs,
		// as in Is.
		switch e := err.(type) {
		case *codedErr:
			r := Unspecified
			if sent {
				r = e.sentRetry()
			} else if e.code != nil {
				r = e.code.retry
			}
			if r != Unspecified {
				return r
			}
			err = e.skip
			continue
		case *withRetry:
			if e.retry != Unspecified {
				return e.retry
			}
			err = e.skip
			continue
		case *withFields:
			err = e.skip
			continue
		case *withRetryAfter:
			err = e.skip
			continue
		case *withStatus:
			err = e.skip
			continue
		case Code:
			if sent && e.c != nil {
				return e.c.sentRetry()
			}
			return e.Retry()
		}
		var r Retry
		if isMark(err) {
			if k := markCode(err, Default); k != nil && k.retry != Unspecified {
				return k.retry
			}
		}
		next, causes := unwrap(err)
		if causes != nil {
			for _, c := range causes {
				switch retryOf(c, sent) {
				case Permanent:
					return Permanent
				case Transient:
					r = Transient
				}
			}
			return r
		}
		err = next
	}
	return Unspecified
}

// IsRetryable reports whether [RetryOf](err) is [Transient]: false for an
// error that no layer decides (and for nil), since such an error is not
// known to be retryable.
func IsRetryable(err error) bool { return RetryOf(err) == Transient }

// withRetryAfter is the layer [WithRetryAfter] makes.
type withRetryAfter struct {
	cause error
	skip  error // below(cause)
	after time.Duration
}

var (
	_ errbase.SafeFormatter = (*withRetryAfter)(nil)
	_ errbase.SafeDetailer  = (*withRetryAfter)(nil)
)

func (w *withRetryAfter) Error() string { return w.cause.Error() }

func (w *withRetryAfter) Cause() error { return w.cause }

func (w *withRetryAfter) Unwrap() error { return w.cause }

func (w *withRetryAfter) SafeDetails() []string { return []string{detailRetryAfter + w.after.String()} }

func (w *withRetryAfter) Format(s fmt.State, verb rune) { errbase.FormatError(w, s, verb) }

func (w *withRetryAfter) SafeFormatError(p errbase.Printer) error {
	if p.Detail() {
		p.Printf("retry after: %s", redact.Safe(w.after.String()))
	}
	return w.cause
}

// WithRetryAfter returns err with a hint that a retry should wait at
// least d; it overrides the hint of err's codes (see [RetryAfter]).
// WithRetryAfter(nil, d) returns nil; a negative d counts as 0.
func WithRetryAfter(err error, d time.Duration) error {
	if err == nil {
		return nil
	}
	return &withRetryAfter{cause: err, skip: below(err), after: max(d, 0)}
}

// RetryAfterOf returns the minimum wait before retrying err: that of the
// outermost [WithRetryAfter] layer or coded layer whose code has a
// [RetryAfter] hint, or 0 when there is none (and for nil). A layer's
// hint applies whatever the retry decision; [RetryOf] says whether to
// retry at all.
func RetryAfterOf(err error) time.Duration {
	var d time.Duration
	walk(err, func(l error) bool {
		switch e := l.(type) {
		case *withRetryAfter:
			d = e.after
			return true
		}
		if k := layerCode(l); k != nil && k.retryAfter > 0 {
			d = k.retryAfter
			return true
		}
		return false
	})
	return d
}
