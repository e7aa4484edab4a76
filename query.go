package errcode

import (
	"net/http"

	"google.golang.org/grpc/codes"
)

// walk calls f on err and every error in its tree, depth first (an
// outer layer before what it wraps, a multi-cause error's first branch
// first), until f returns true. It reports whether f did.
func walk(err error, f func(error) bool) bool {
	for err != nil {
		if f(err) {
			return true
		}
		next, causes := unwrap(err)
		for _, c := range causes {
			if walk(c, f) {
				return true
			}
		}
		err = next
	}
	return false
}

// unwrap returns what one layer wraps, as far as the queries are
// concerned: its cause, or its causes when it has several (then cause is
// nil). It asks cockroachdb's way (Unwrap() []error, then Cause(), then
// Unwrap()), with errcode's own layers first: a concrete type check is
// cheaper than an interface one, and they skip straight to the next layer
// a query needs (see below).
func unwrap(err error) (cause error, causes []error) {
	switch e := err.(type) {
	case *codedErr:
		return e.skip, nil
	case *withFields:
		return e.skip, nil
	case *withRetry:
		return e.skip, nil
	case *withRetryAfter:
		return e.skip, nil
	case Code:
		return nil, nil
	case interface{ Unwrap() []error }:
		return nil, e.Unwrap()
	case interface{ Cause() error }:
		return e.Cause(), nil
	case interface{ Unwrap() error }:
		return e.Unwrap(), nil
	}
	return nil, nil
}

// below returns the first layer of err's chain, err itself included, that
// a query needs to see: one of errcode's layers, a Code, or a multi-cause
// error; nil when there is none. Every query looks only at those, so an
// errcode layer keeps below(cause) and the walk skips the layers between,
// which are fixed once made.
func below(err error) error {
	for err != nil {
		switch err.(type) {
		case *codedErr, *withFields, *withRetry, *withRetryAfter, Code:
			return err
		}
		next, causes := unwrap(err)
		if causes != nil {
			return err
		}
		err = next
	}
	return nil
}

// layerCode returns the code of one layer of a chain: that of a coded
// layer or of a bare Code; nil for any other layer.
func layerCode(err error) *code {
	switch e := err.(type) {
	case *codedErr:
		return e.code
	case Code:
		return e.c
	}
	return nil
}

// Is reports whether any error in err's tree carries c or a descendant of
// c. It gives the same answer as errors.Is(err, c) without allocating. Is
// returns false when err is nil or c is zero.
func Is(err error, c Code) bool {
	if c.c == nil {
		return false
	}
	return is(err, c)
}

// is is Is without the closure of walk: the hottest query gets the
// tightest loop.
func is(err error, c Code) bool {
	for err != nil {
		switch e := err.(type) {
		case *codedErr:
			if (Code{e.code}).IsA(c) {
				return true
			}
		case Code:
			if e.IsA(c) {
				return true
			}
		}
		next, causes := unwrap(err)
		for _, b := range causes {
			if is(b, c) {
				return true
			}
		}
		err = next
	}
	return false
}

// CodeOf returns the outermost code in err's tree (depth first, first
// branch first), or the zero Code if there is none. For an error decoded
// from a peer whose code this process's registry lacks, it returns the
// nearest ancestor the registry knows; see [NameOf].
func CodeOf(err error) Code {
	var k *code
	walk(err, func(l error) bool {
		k = layerCode(l).known()
		return k != nil
	})
	return Code{k}
}

// NameOf returns the name of the outermost code in err's tree as its
// sender named it — also when this process's registry lacks the code —
// or "" if there is none.
func NameOf(err error) string {
	k, _ := outermost(err)
	return Code{k}.Name()
}

// AncestorNamesOf returns the ancestor names, parent first, of the
// outermost code in err's tree, as its sender named them: for a code this
// process's registry lacks, the ancestry that came with it on the wire.
// It returns nil when err has no code or the code is a root.
func AncestorNamesOf(err error) []string {
	k, layer := outermost(err)
	if k == nil {
		return nil
	}
	if layer != nil && layer.wire != nil {
		if w, err := parseDetails(layer.wire); err == nil {
			return w.ancestors
		}
	}
	return ancestorNames(k)
}

// outermost returns the outermost code in err's tree, and the coded
// layer that carries it (nil when it is a bare Code).
func outermost(err error) (k *code, layer *codedErr) {
	walk(err, func(l error) bool {
		k = layerCode(l)
		layer, _ = l.(*codedErr)
		return k != nil
	})
	return k, layer
}

// Match is for dispatch in handlers. It takes the outermost code in err
// that is or descends from any of the candidates, and returns the
// candidate nearest to it (the deepest; a tie goes to the earlier
// candidate). With candidates SandboxError, TransientError and
// VmCapacityError, a VmCapacityError matches VmCapacityError and a
// VmBootTimeoutError matches TransientError. It returns false when no
// code in err descends from a candidate.
func Match(err error, candidates ...Code) (Code, bool) {
	best := match(err, candidates)
	return best, best.c != nil
}

// match is Match's walk, without walk's closure.
func match(err error, candidates []Code) Code {
	for err != nil {
		if k := (Code{layerCode(err)}); k.c != nil {
			var best Code
			for _, c := range candidates {
				if k.IsA(c) && (best.c == nil || c.c.depth > best.c.depth) {
					best = c
				}
			}
			if best.c != nil {
				return best
			}
		}
		next, causes := unwrap(err)
		for _, b := range causes {
			if best := match(b, candidates); best.c != nil {
				return best
			}
		}
		err = next
	}
	return Code{}
}

// GRPCCodeOf returns the gRPC status code of the outermost code in err's
// tree that maps to one (see [GRPCCode]), or codes.Unknown when none
// does; codes.OK for a nil err. It does not allocate.
func GRPCCodeOf(err error) codes.Code {
	if err == nil {
		return codes.OK
	}
	g := codes.Unknown
	walk(err, func(l error) bool {
		if k := layerCode(l); k != nil && k.hasGRPC {
			g = k.grpc
			return true
		}
		return false
	})
	return g
}

// HTTPStatusOf returns the HTTP status of the outermost code in err's
// tree that maps to one (see [HTTPStatus]), or 500 when none does; 200
// for a nil err. It does not allocate.
func HTTPStatusOf(err error) int {
	if err == nil {
		return http.StatusOK
	}
	s := http.StatusInternalServerError
	walk(err, func(l error) bool {
		if k := layerCode(l); k != nil && k.http != 0 {
			s = k.http
			return true
		}
		return false
	})
	return s
}
