package errcoderetry

import (
	"math"
	"math/rand/v2"
	"time"
)

// DefaultMaxRetryAfter is the longest retry-after hint [Do] honours unless
// [WithMaxRetryAfter] sets another: a longer hint counts as this long.
const DefaultMaxRetryAfter = 5 * time.Minute

// DefaultRetryAfterJitter is the fraction of a retry-after hint that [Do]
// adds at random on top of it unless [WithRetryAfterJitter] sets another.
const DefaultRetryAfterJitter = 0.2

// WithMaxRetryAfter returns an Option that caps every retry-after hint at
// d: a hint longer than d counts as d. The cap applies to every hint —
// errcode's, a gRPC RetryInfo's, a Classifier's — since the hint of a peer
// cannot be told from a local one. d <= 0 ignores hints altogether, so
// that the backoff alone sets the waits; math.MaxInt64 lifts the cap. The
// default is [DefaultMaxRetryAfter].
func WithMaxRetryAfter(d time.Duration) Option {
	return optionFunc(func(c *config) { c.maxRetryAfter = max(d, 0) })
}

// WithRetryAfterJitter returns an Option that adds to each retry-after
// hint h a random wait in [0, h×fraction), so that clients told the same
// hint do not retry in lock-step. fraction is clamped to [0, 1], and NaN
// counts as 0, which adds nothing. The default is
// [DefaultRetryAfterJitter].
func WithRetryAfterJitter(fraction float64) Option {
	return optionFunc(func(c *config) {
		if !(fraction > 0) { // also NaN
			fraction = 0
		}
		c.jitter = min(fraction, 1)
	})
}

// hintWait returns the wait that the retry-after hint h asks for: h
// clamped to [0, maxRetryAfter], plus a random part of up to jitter × h.
// It saturates at math.MaxInt64 rather than overflow.
func (c *config) hintWait(h time.Duration) time.Duration {
	h = min(max(h, 0), c.maxRetryAfter)
	span := float64(h) * c.jitter
	if span < 1 {
		return h
	}
	n := int64(math.MaxInt64)
	if span < math.MaxInt64 {
		n = int64(span)
	}
	return addSat(h, time.Duration(c.rand(n)))
}

// addSat returns a+b for a, b >= 0, or math.MaxInt64 if that overflows.
func addSat(a, b time.Duration) time.Duration {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// defaultRand is the source of hint jitter: a number in [0, n).
func defaultRand(n int64) int64 { return rand.Int64N(n) }
