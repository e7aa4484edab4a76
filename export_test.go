package errcode

import "fmt"

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

// RetryOfByWalk is RetryOf's rule applied layer by layer with the general
// unwrap, for the property test of RetryOf's own loop.
func RetryOfByWalk(err error) Retry {
	for err != nil {
		var r Retry
		if w, ok := err.(*withRetry); ok {
			r = w.retry
		} else if k := layerCode(err); k != nil {
			r = k.retry
		}
		if r != Unspecified {
			return r
		}
		next, causes := unwrap(err)
		if causes != nil {
			for _, c := range causes {
				switch RetryOfByWalk(c) {
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

// DecodeWarning is the warning function errcode gives cockroachdb, for a
// test that replaces it to put it back.
var DecodeWarning = decodeWarning

// DecodeViaCockroach is Registry.Decode as it was before Decode read the
// protobuf itself: the same checks, then gogo's Unmarshal and
// errbase.DecodeError of the whole tree. The differential tests hold
// Decode to its answers.
func DecodeViaCockroach(r *Registry, data []byte) (error, error) {
	if len(data) == 0 || len(data) > MaxEncodedSize {
		return r.Decode(data)
	}
	if err := scanError(data, 0, newScanState(len(data))); err != nil {
		return nil, fmt.Errorf("errcode: decode: %w", err)
	}
	return decodeCockroach(r, data)
}

// LayerBudget, DetailBudget and CodeBudget are WIRE.md's density limits,
// for the tests that build the densest input the limits let through.
func LayerBudget(n int) int  { return layerBudget(n) }
func DetailBudget(n int) int { return detailBudget(n) }
func CodeBudget(n int) int   { return codeBudget(n) }

// LayerCode returns the code of err's own layer, a code only known from
// the wire included; the zero Code for a layer without one.
func LayerCode(err error) Code { return Code{layerCode(err)} }
