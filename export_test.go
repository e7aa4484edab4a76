package errcode

// MarkLayoutErr says why cockroachdb's mark layer was not understood; nil
// when it was.
func MarkLayoutErr() error { return markLayout.err }
