package errcode

// MarkLayoutErr says why cockroachdb's mark layer was not understood; nil
// when it was.
func MarkLayoutErr() error { return markLayout.err }

// CodeOfByWalk is CodeOf as the general walk answers it, for the property
// test of CodeOf's own loop.
func CodeOfByWalk(err error) Code {
	var k *code
	walk(err, func(l error) bool {
		k = layerCode(l).known()
		return k != nil
	})
	return Code{k}
}
