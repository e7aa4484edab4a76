package errcode

import (
	"context"

	"github.com/cockroachdb/errors/errbase"
	"github.com/cockroachdb/errors/errorspb"
)

// transparent is a layer that errcode's wire forms leave out: [Encode],
// [EncodeJSON] and the checks of the limits encode the error its
// ErrcodeTransparent method returns in the layer's place, wherever the
// layer is in a chain. The queries see the layer as any other, through
// its Unwrap.
//
// It is for a transport's layer over a decoded error, such as the one
// errcodegrpc's client interceptors return: that layer answers questions
// about how the error arrived (the gRPC status it came in, the code that
// status had), and passing the error on must send the bytes that came,
// not that layer. Its Error() must be that of the error it stands for,
// so that a wrapper above it encodes the same message prefix either way.
// The method name is exported only so that another package can implement
// it; it is not part of errcode's API.
type transparent interface {
	ErrcodeTransparent() error
}

// wireForm returns the error that stands on the wire for err when err is
// a transparent layer (through up to MaxDepth of them, so that a layer
// that stands for itself cannot loop), else err.
func wireForm(err error) error {
	for range MaxDepth {
		t, ok := err.(transparent)
		if !ok {
			return err
		}
		err = t.ErrcodeTransparent()
	}
	return err
}

// hasTransparent reports whether a transparent layer is anywhere in err's
// tree as cockroachdb walks it.
func hasTransparent(err error) bool {
	for err != nil {
		if _, ok := err.(transparent); ok {
			return true
		}
		if causes := errbase.UnwrapMulti(err); causes != nil {
			for _, c := range causes {
				if hasTransparent(c) {
					return true
				}
			}
			return false
		}
		err = errbase.UnwrapOnce(err)
	}
	return false
}

// encodeError returns cockroachdb's encoding of err with every transparent
// layer replaced by the encoding of the error it stands for.
func encodeError(ctx context.Context, err error) errorspb.EncodedError {
	err = wireForm(err)
	enc := errbase.EncodeError(ctx, err)
	if _, loops := err.(transparent); loops {
		return enc // a layer that stands for itself: sent as it is
	}
	if hasTransparent(err) {
		spliceTransparent(ctx, err, &enc)
	}
	return enc
}

// spliceTransparent walks err's tree and enc, its encoding, side by side
// (cockroachdb encodes one node per layer: a wrapper for a layer with
// one cause, a leaf with its causes for a multi-cause layer) and replaces
// the node of each transparent layer.
func spliceTransparent(ctx context.Context, err error, enc *errorspb.EncodedError) {
	for err != nil && enc != nil {
		if _, ok := err.(transparent); ok {
			*enc = encodeError(ctx, err)
			return
		}
		if w := enc.GetWrapper(); w != nil {
			err, enc = errbase.UnwrapOnce(err), &w.Cause
			continue
		}
		if l := enc.GetLeaf(); l != nil {
			causes := errbase.UnwrapMulti(err)
			for i, c := range causes {
				if i < len(l.MultierrorCauses) {
					spliceTransparent(ctx, c, l.MultierrorCauses[i])
				}
			}
		}
		return
	}
}
