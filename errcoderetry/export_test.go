package errcoderetry

// WithRand returns an Option that draws the jitter on retry-after hints
// from f, which returns a number in [0, n), instead of math/rand/v2.
func WithRand(f func(n int64) int64) Option {
	return optionFunc(func(c *config) { c.rand = f })
}
