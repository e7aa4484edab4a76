package errcode

import (
	"math/rand/v2"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

// protowireFields reads the fields of b as fieldIter should: with
// protowire alone.
func protowireFields(b []byte) (fields []fieldIter, ok bool) {
	pos := 0
	for pos < len(b) {
		num, typ, n := protowire.ConsumeTag(b[pos:])
		if n < 0 {
			return fields, false
		}
		f := fieldIter{num: num, typ: typ}
		rest := b[pos+n:]
		var m int
		switch typ {
		case protowire.BytesType:
			var v []byte
			v, m = protowire.ConsumeBytes(rest)
			if m >= 0 {
				lo := pos + n + m - len(v)
				f.val = span{lo, lo + len(v)}
			}
		case protowire.VarintType:
			f.v, m = protowire.ConsumeVarint(rest)
		default:
			m = protowire.ConsumeFieldValue(num, typ, rest)
		}
		if m < 0 {
			return fields, false
		}
		fields = append(fields, f)
		pos += n + m
	}
	return fields, true
}

// TestFieldIterAsProtowire: fieldIter, which reads the common fields
// inline, reads every input as protowire does: the same fields, and an
// error at the same one.
func TestFieldIterAsProtowire(t *testing.T) {
	t.Parallel()
	long := make([]byte, 300)
	inputs := [][]byte{
		nil,
		{0x0a, 0x00},             // an empty bytes field
		{0x0a, 0x01},             // truncated
		{0x0a, 0x80},             // a truncated length
		{0x0a, 0x80, 0x00},       // length 0 in two bytes
		{0x0a, 0x81, 0x00, 0x7},  // length 1 in two bytes
		{0x0a, 0xff, 0x7f},       // 16383 bytes, truncated
		{0x0a, 0x80, 0x80, 0x01}, // a three-byte length, truncated
		{0x02, 0x00},             // field number 0
		{0x08, 0x96, 0x01},       // a varint
		{0x0d, 1, 2, 3, 4},       // fixed32
		{0x82, 0x01, 0x01, 0x41}, // a two-byte tag
		append([]byte{0x0a, 0xac, 0x02}, long...), // 300 bytes
		append([]byte{0x0a, 0xac, 0x02}, long[:299]...),
	}
	// A 300-byte field and 400 empty ones: a misread length would still
	// fit.
	twoFields := append([]byte{0x0a, 0xac, 0x02}, long...)
	for range 400 {
		twoFields = append(twoFields, 0x0a, 0x00)
	}
	inputs = append(inputs, twoFields)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		b := make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = byte(rng.IntN(256))
			if rng.IntN(3) == 0 {
				b[i] = []byte{0x0a, 0x12, 0x1a, 0x80, 0x81, 0x01, 0x00, 0x02}[rng.IntN(8)]
			}
		}
		inputs = append(inputs, b)
	}
	for _, b := range inputs {
		want, wantOK := protowireFields(b)
		it := fieldIter{b: b, end: len(b)}
		var got []fieldIter
		for it.next() {
			got = append(got, fieldIter{num: it.num, typ: it.typ, val: it.val, v: it.v})
		}
		if gotOK := it.err == nil; gotOK != wantOK || len(got) != len(want) {
			t.Fatalf("fields of % x: %d, ok %v; protowire: %d, ok %v", b, len(got), gotOK, len(want), wantOK)
		}
		for i := range got {
			g, w := got[i], want[i]
			if g.num != w.num || g.typ != w.typ || (g.typ == protowire.BytesType && g.val != w.val) || (g.typ == protowire.VarintType && g.v != w.v) {
				t.Fatalf("field %d of % x: %d/%d %v %d; protowire: %d/%d %v %d", i, b, g.num, g.typ, g.val, g.v, w.num, w.typ, w.val, w.v)
			}
		}
	}
}
