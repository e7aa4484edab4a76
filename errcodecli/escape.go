package errcodecli

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Everything decode prints from a payload is the sender's text, and a
// terminal acts on some of it: ESC and CSI sequences move the cursor,
// recolour, retitle the window or clear the screen; BEL rings; a
// carriage return overwrites the line; bidi overrides reorder what the
// reader sees. decode escapes them all in its output, as Go's strconv
// quoting writes them.

// escapeTerminal returns s with each rune a terminal could act on
// escaped as Go's strconv.QuoteRune writes it (ESC as \x1b, U+202E as
// \u202e), and each byte that is not UTF-8 as \xNN. Line breaks and tabs
// are kept: decode lays out its output with them. Backslashes are kept
// too, so text that spells an escape reads like one.
func escapeTerminal(s string) string {
	i := strings.IndexFunc(s, unsafeRune)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unsafeRune(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// escapeJSON returns the JSON text s with each rune a terminal could act
// on, which in JSON can only stand inside a string, escaped as JSON
// writes it (\u001b, \u202e), so that it reads as the same JSON.
func escapeJSON(s string) string {
	if strings.IndexFunc(s, unsafeRune) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if !unsafeRune(r) {
			b.WriteRune(r)
			continue
		}
		if r1, r2 := utf16.EncodeRune(r); r1 != unicode.ReplacementChar {
			fmt.Fprintf(&b, `\u%04x\u%04x`, r1, r2)
			continue
		}
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return b.String()
}

// unsafeRune reports whether a terminal could act on r: anything
// unicode.IsPrint rejects but a line break or a tab. That covers the C0
// and C1 controls, DEL, the bidi overrides and isolates, line and
// paragraph separators and other invisible format characters, and
// spaces other than U+0020. utf8.RuneError counts, so that a search
// finds bytes that are not UTF-8; escapeTerminal writes a real U+FFFD as
// it is.
func unsafeRune(r rune) bool {
	return r != '\n' && r != '\t' && (r == utf8.RuneError || !unicode.IsPrint(r))
}
