package errcode

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// scanJSON walks the JSON form of an error before json.Unmarshal
// allocates it, to refuse more layers than layerBudget allows for its
// size (at most MaxLayers) or a layer nested
// past MaxDepth, counted as encodeChain counts them: the layer at index
// i of a chain at depth d is at depth d+i, and the chains in its
// "causes" at depth d+i+1. Every element of a "chain" array counts as a
// layer, and so does a cause that is not a chain with a layer in it:
// json.Unmarshal makes a value for each before anything else is checked.
//
// Member names are matched as json.Unmarshal matches them (escapes
// decoded, case folded), so that no spelling it accepts goes uncounted.
// Malformed JSON ends the scan without an error: json.Unmarshal checks
// the syntax of the whole input before it allocates anything, and
// refuses it.
func scanJSON(data []byte) error {
	s := jsonScanner{b: data, budget: layerBudget(len(data))}
	if err := s.document(); err != nil && !errors.Is(err, errMalformedJSON) {
		return err
	}
	return nil
}

// errMalformedJSON stops a scan at input that json.Unmarshal will refuse.
var errMalformedJSON = errors.New("malformed JSON")

type jsonScanner struct {
	b      []byte
	i      int // the next byte to read
	layers int
	budget int // layerBudget of the input
}

func (s *jsonScanner) document() error {
	return s.object(func(key []byte) error {
		if s.peek() == '[' && memberIs(key, "chain") {
			return s.chain(0)
		}
		return s.skipValue()
	})
}

// chain scans a chain array at depth.
func (s *jsonScanner) chain(depth int) error {
	at := depth // the depth of the next layer
	return s.array(func() error {
		if err := s.countLayer(); err != nil {
			return err
		}
		if at >= MaxDepth {
			return fmt.Errorf("the chain nests deeper than MaxDepth (%d)", MaxDepth)
		}
		at++
		if s.peek() == '{' {
			return s.layer(at - 1)
		}
		return s.skipValue()
	})
}

// layer scans a layer object at depth.
func (s *jsonScanner) layer(depth int) error {
	return s.object(func(key []byte) error {
		if s.peek() != '[' || !memberIs(key, "causes") {
			return s.skipValue()
		}
		return s.array(func() error {
			before := s.layers
			var err error
			if s.peek() == '[' {
				err = s.chain(depth + 1)
			} else {
				err = s.skipValue()
			}
			if err == nil && s.layers == before {
				err = s.countLayer()
			}
			return err
		})
	})
}

func (s *jsonScanner) countLayer() error {
	if s.layers++; s.layers > s.budget {
		if s.budget == MaxLayers {
			return fmt.Errorf("the error holds more than MaxLayers (%d) layers", MaxLayers)
		}
		return fmt.Errorf("the error holds more than %d layers, the most %d bytes may hold (MaxLayers (%d), or %d and one per %d bytes when fewer)",
			s.budget, len(s.b), MaxLayers, minLayerAllowance, minLayerBytes)
	}
	return nil
}

// memberIs reports whether the member name key, as it appears between
// its quotes, is one that json.Unmarshal matches to name.
func memberIs(key []byte, name string) bool {
	if bytes.IndexByte(key, '\\') >= 0 {
		var k string
		if json.Unmarshal(append(append([]byte{'"'}, key...), '"'), &k) != nil {
			return false
		}
		key = []byte(k)
	}
	return bytes.EqualFold(key, []byte(name))
}

// peek returns the next byte other than white space, or 0 at the end.
func (s *jsonScanner) peek() byte {
	for ; s.i < len(s.b); s.i++ {
		switch c := s.b[s.i]; c {
		case ' ', '\t', '\n', '\r':
		default:
			return c
		}
	}
	return 0
}

// object scans an object, calling member with each member's name with
// the scanner at its value, which member must consume.
func (s *jsonScanner) object(member func(key []byte) error) error {
	if s.peek() != '{' {
		return errMalformedJSON
	}
	s.i++
	if s.peek() == '}' {
		s.i++
		return nil
	}
	for {
		if s.peek() != '"' {
			return errMalformedJSON
		}
		start := s.i + 1
		if err := s.skipString(); err != nil {
			return err
		}
		key := s.b[start : s.i-1]
		if s.peek() != ':' {
			return errMalformedJSON
		}
		s.i++
		if err := member(key); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.i++
		case '}':
			s.i++
			return nil
		default:
			return errMalformedJSON
		}
	}
}

// array scans an array, calling elem with the scanner at each element,
// which elem must consume.
func (s *jsonScanner) array(elem func() error) error {
	if s.peek() != '[' {
		return errMalformedJSON
	}
	s.i++
	if s.peek() == ']' {
		s.i++
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.i++
		case ']':
			s.i++
			return nil
		default:
			return errMalformedJSON
		}
	}
}

// skipString skips the string that starts at s.i.
func (s *jsonScanner) skipString() error {
	for s.i++; s.i < len(s.b); s.i++ {
		switch s.b[s.i] {
		case '\\':
			s.i++
		case '"':
			s.i++
			return nil
		}
	}
	return errMalformedJSON
}

// skipValue skips the value that starts at the next byte other than
// white space, without recursion: its nesting is json.Unmarshal's to
// bound.
func (s *jsonScanner) skipValue() error {
	nest := 0
	for {
		switch c := s.peek(); c {
		case 0:
			return errMalformedJSON
		case '"':
			if err := s.skipString(); err != nil {
				return err
			}
		case '{', '[':
			nest++
			s.i++
		case '}', ']':
			if nest == 0 {
				return errMalformedJSON
			}
			nest--
			s.i++
		case ',', ':':
			if nest == 0 {
				return errMalformedJSON
			}
			s.i++
		default: // a number, true, false or null
			for s.i < len(s.b) && strings.IndexByte(" \t\r\n,:[]{}\"", s.b[s.i]) < 0 {
				s.i++
			}
		}
		if nest == 0 {
			return nil
		}
	}
}
