package errcode

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
//
//lint:ignore ST1008 both results are what the layer wraps, neither a failure
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
	case *withStatus:
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
// a query needs to see: one of errcode's layers, a Code, a mark (see
// markName), a layer with its own Is(error) bool method (which [Is] asks,
// as errors.Is does), or a multi-cause error; nil when there is none.
// Every query looks only at those, so an errcode layer keeps below(cause)
// and the walk skips the layers between, which are fixed once made.
func below(err error) error {
	for err != nil {
		switch err.(type) {
		case *codedErr, *withFields, *withRetry, *withRetryAfter, *withStatus, Code, interface{ Is(error) bool }:
			return err
		}
		if isMark(err) {
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
// layer or of a bare Code, or the code of [Default] that a mark of a Code
// names; nil for any other layer.
func layerCode(err error) *code {
	switch e := err.(type) {
	case *codedErr:
		return e.code
	case Code:
		return e.c
	}
	if isMark(err) {
		return markCode(err, Default)
	}
	return nil
}

// Is reports whether any error in err's tree carries c or a descendant of
// c. Is returns false when err is nil.
//
// On a tree whose layers unwrap with Unwrap, Is gives the same answer as
// the standard library's errors.Is(err, c), without allocating on
// errcode's own layers: it holds a coded layer or a bare Code that
// [Code.IsA] c, a bare Code equal to c, or a layer whose own Is(error)
// bool method says yes to c. Is also says yes, where errors.Is says no,
// for what only cockroachdb/errors knows how to read:
//
//   - a layer that unwraps only with Cause() error (pkg/errors' style) is
//     followed, as cockroachdb's errors.Is follows it;
//   - a mark made by cockroachdb's errors.Mark(x, m) with a Code m, live
//     or decoded, counts as m's name looked up in c's [Registry]: Is says
//     yes when that code [Code.IsA] c. A mark of anything but a Code, or
//     of a name c's Registry lacks, is ignored, and a mark never matches
//     a code known only from the wire.
//
// The zero Code is no code: Is(err, Code{}) is true only when err's tree
// holds a bare zero Code, or a layer whose Is method says yes to it, as
// with errors.Is.
func Is(err error, c Code) bool {
	return is(err, c)
}

// is is Is without the closure of walk: the hottest query gets the
// tightest loop. errcode's own layers go straight to the next layer Is
// needs (skip), without unwrap's interface checks.
func is(err error, c Code) bool {
	for err != nil {
		switch e := err.(type) {
		case *codedErr:
			if (Code{e.code}).IsA(c) {
				return true
			}
			err = e.skip
			continue
		case *withFields:
			err = e.skip
			continue
		case *withRetry:
			err = e.skip
			continue
		case *withRetryAfter:
			err = e.skip
			continue
		case *withStatus:
			err = e.skip
			continue
		case Code:
			return e == c || e.IsA(c)
		case interface{ Is(error) bool }:
			if e.Is(c) {
				return true
			}
		default:
			if isMark(err) && c.c != nil && (Code{markCode(err, c.c.reg)}).IsA(c) {
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
// branch first), or the zero Code if there is none; CodeOf(nil) is the
// zero Code. A layer's code is that of a coded layer ([Code.New],
// [Code.Wrap]) or of a bare Code, or, for a mark made by cockroachdb's
// errors.Mark(x, m) with a Code m, the code [Default] has under m's name
// (a mark of a name Default lacks has none). Marks are looked up in
// Default also after [Registry.Decode] with another registry: cockroachdb
// decodes marks itself, and a decoded mark does not record a registry.
// For an error decoded from a peer whose code the decoding registry
// lacks, CodeOf returns the nearest ancestor the registry knows (the
// first it knows of the ancestors sent, in the sender's
// method-resolution order, for a code with several parents), and looks
// further in when it knows none; see [NameOf].
//
// errors.As(err, &c) with a Code c, the standard library's and
// cockroachdb's, sets c to the same code through layers that unwrap with
// Unwrap, except that errors.As cannot see marks, and that it sets a bare
// Code decoded from a peer as it is, also one known only from the wire
// (whose [Code.Registry] is nil).
func CodeOf(err error) Code {
	return Code{codeOf(err)}
}

// codeOf is CodeOf's walk without walk's closure, as is is Is's: errcode's
// own layers go straight to the next layer a query needs.
func codeOf(err error) *code {
	for err != nil {
		switch e := err.(type) {
		case *codedErr:
			if k := e.code.known(); k != nil {
				return k
			}
			err = e.skip
			continue
		case *withFields:
			err = e.skip
			continue
		case *withRetry:
			err = e.skip
			continue
		case *withRetryAfter:
			err = e.skip
			continue
		case *withStatus:
			err = e.skip
			continue
		case Code:
			return e.c.known()
		}
		if isMark(err) {
			if k := markCode(err, Default).known(); k != nil {
				return k
			}
		}
		next, causes := unwrap(err)
		for _, b := range causes {
			if k := codeOf(b); k != nil {
				return k
			}
		}
		err = next
	}
	return nil
}

// NameOf returns the name of the outermost code in err's tree as its
// sender named it — an alias it sent stays that alias, and a code this
// process's registry lacks keeps its name — or "" if there is none.
// [CodeOf](err).Name() is the canonical name, the one to group by. A bare
// Code decoded from a peer has its canonical name.
func NameOf(err error) string {
	k, layer := outermost(err)
	if layer != nil {
		return layer.sentName()
	}
	return Code{k}.Name()
}

// AncestorNamesOf returns the ancestor names, parent first, of the
// outermost code in err's tree: for a code this process's registry
// knows, the ancestry the registry gives it, whatever a sender claimed;
// for a code it lacks, the ancestry that came with it on the wire. It
// returns nil when err has no code or the code is a root.
func AncestorNamesOf(err error) []string {
	k, _ := outermost(err)
	if k == nil {
		return nil
	}
	if names := ancestorNames(k); len(names) > 0 {
		return names
	}
	return nil
}

// outermost returns the outermost code in err's tree, and the coded
// layer that carries it (nil when it is a bare Code or a mark).
func outermost(err error) (k *code, layer *codedErr) {
	walk(err, func(l error) bool {
		k = layerCode(l)
		layer, _ = l.(*codedErr)
		return k != nil
	})
	return k, layer
}

// Match returns, of the candidates, the one nearest to the outermost
// code in err's tree that is or descends from any of them (the deepest
// candidate; a tie goes to the earlier one), and true; the zero Code and
// false when no code in err descends from a candidate, and for a nil err.
// It is for dispatch in handlers: with candidates SandboxError,
// TransientError and VmCapacityError, a VmCapacityError matches
// VmCapacityError and a VmBootTimeoutError matches TransientError. A mark
// of a Code (see [Is]) counts, for each candidate, as the code the
// candidate's [Registry] has under the mark's name.
func Match(err error, candidates ...Code) (Code, bool) {
	best := match(err, candidates)
	return best, best.c != nil
}

// match is Match's walk, without walk's closure.
func match(err error, candidates []Code) Code {
	for err != nil {
		if best := matchLayer(err, candidates); best.c != nil {
			return best
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

// matchLayer returns the deepest candidate that the code of one layer is
// or descends from, or the zero Code. A mark's name is looked up in each
// candidate's registry.
func matchLayer(err error, candidates []Code) Code {
	var best Code
	switch e := err.(type) {
	case *codedErr, Code:
		k := Code{layerCode(e)}
		for _, c := range candidates {
			if k.IsA(c) && (best.c == nil || c.c.depth > best.c.depth) {
				best = c
			}
		}
		return best
	}
	if !isMark(err) {
		return best
	}
	name, ok := markName(err)
	if !ok {
		return best
	}
	var reg *Registry
	var k *code
	for _, c := range candidates {
		if c.c == nil {
			continue
		}
		if c.c.reg != reg {
			reg, k = c.c.reg, registered(c.c.reg, name)
		}
		if (Code{k}).IsA(c) && (best.c == nil || c.c.depth > best.c.depth) {
			best = c
		}
	}
	return best
}
