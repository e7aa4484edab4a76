package errcode

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A PythonParam is one parameter of a code's Python constructor, for the
// Python module that package errcodepy generates from a [Registry] (a
// Registry itself has no use for it).
type PythonParam struct {
	// Name is the parameter's name: a Python identifier, not a keyword.
	// It is also the attribute the constructor sets and the field the
	// value travels as.
	Name string
	// Type is the parameter's annotation as Python source ("str",
	// "dict[str, Any] | None"); "" for none. The generated module
	// imports only typing.Any.
	Type string
	// Default is the parameter's default value as Python source ("\"\"",
	// "None"); "" makes the parameter required.
	Default string
	// Context says that the constructor also stores the value in the
	// exception's context dict, as the seed's SocketAuthError does with
	// expected_uid.
	Context bool
}

// PythonInit returns an Option describing the code's Python constructor
// for package errcodepy: params list the whole signature in order, the
// first being "message" and "context" (the dict of structured details),
// when present, where it stands. A code without this option inherits its
// parent's constructor, as a Python class does; a root code without it
// gets __init__(self, message: str, context: dict[str, Any] | None = None).
//
// Register refuses, naming the parameter, a first parameter other than
// "message", a name that is not a Python identifier or is a keyword, a
// name given twice, a required parameter after one with a default, a
// "message" or "context" parameter with Context set, and a Type or Default
// that is not one line of valid UTF-8.
//
//	errcode.PythonInit(
//		errcode.PythonParam{Name: "message", Type: "str"},
//		errcode.PythonParam{Name: "expected_uid", Type: "int", Context: true},
//		errcode.PythonParam{Name: "context", Type: "dict[str, Any] | None", Default: "None"})
func PythonInit(params ...PythonParam) Option {
	return optionFunc(func(s *spec) {
		if err := validPythonParams(params); err != nil {
			s.setBad("PythonInit: " + err.Error())
			return
		}
		s.python = encodePythonParams(params)
	})
}

// PythonInit returns the parameters of the code's own Python constructor
// (see the [PythonInit] option) and true, or nil and false when the code
// was registered without one (it inherits its parent's).
func (c Code) PythonInit() ([]PythonParam, bool) {
	if c.c == nil || c.c.spec.python == "" {
		return nil, false
	}
	return decodePythonParams(c.c.spec.python), true
}

func validPythonParams(params []PythonParam) error {
	if len(params) == 0 || params[0].Name != "message" {
		return fmt.Errorf(`the first parameter must be "message"`)
	}
	seen := make(map[string]bool, len(params))
	defaulted := ""
	for i, p := range params {
		if err := ValidPythonIdentifier(p.Name); err != nil {
			return fmt.Errorf("parameter %d: %w", i, err)
		}
		if seen[p.Name] {
			return fmt.Errorf("parameter %q given twice", p.Name)
		}
		seen[p.Name] = true
		if p.Context && (p.Name == "message" || p.Name == "context") {
			return fmt.Errorf("parameter %q cannot also go into the context", p.Name)
		}
		for _, src := range [...]struct{ what, text string }{{"type", p.Type}, {"default", p.Default}} {
			if !utf8.ValidString(src.text) || strings.ContainsAny(src.text, "\r\n\x00") {
				return fmt.Errorf("parameter %q: its %s %q is not one line of UTF-8", p.Name, src.what, src.text)
			}
		}
		switch {
		case p.Default != "":
			defaulted = p.Name
		case defaulted != "":
			return fmt.Errorf("required parameter %q after %q, which has a default", p.Name, defaulted)
		}
	}
	return nil
}

// pythonKeywords are Python 3.11's keywords (keyword.kwlist).
var pythonKeywords = map[string]bool{
	"False": true, "None": true, "True": true, "and": true, "as": true, "assert": true, "async": true,
	"await": true, "break": true, "class": true, "continue": true, "def": true, "del": true, "elif": true,
	"else": true, "except": true, "finally": true, "for": true, "from": true, "global": true, "if": true,
	"import": true, "in": true, "is": true, "lambda": true, "nonlocal": true, "not": true, "or": true,
	"pass": true, "raise": true, "return": true, "try": true, "while": true, "with": true, "yield": true,
}

// ValidPythonIdentifier returns nil if name is an ASCII Python identifier
// and not a keyword, and otherwise an error that says which.
func ValidPythonIdentifier(name string) error {
	if name == "" {
		return fmt.Errorf("an empty name is not a Python identifier")
	}
	for i := 0; i < len(name); i++ {
		b := name[i]
		letter := b == '_' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
		if !letter && !(i > 0 && '0' <= b && b <= '9') {
			return fmt.Errorf("%q is not a Python identifier (ASCII letters, digits and _, not starting with a digit)", name)
		}
	}
	if pythonKeywords[name] {
		return fmt.Errorf("%q is a Python keyword", name)
	}
	return nil
}

// encodePythonParams encodes params as one comparable string (spec is
// compared with ==): each parameter's four parts quoted, space separated,
// a line per parameter.
func encodePythonParams(params []PythonParam) string {
	var b strings.Builder
	for _, p := range params {
		fmt.Fprintf(&b, "%s %s %s %t\n", strconv.Quote(p.Name), strconv.Quote(p.Type), strconv.Quote(p.Default), p.Context)
	}
	return b.String()
}

func decodePythonParams(s string) []PythonParam {
	var out []PythonParam
	for _, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		var p PythonParam
		var parts [3]string
		rest := line
		for i := range parts {
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				panic("errcode: corrupt PythonInit encoding: " + err.Error()) // encodePythonParams wrote it
			}
			parts[i], _ = strconv.Unquote(q)
			rest = strings.TrimPrefix(rest[len(q):], " ")
		}
		p.Name, p.Type, p.Default, p.Context = parts[0], parts[1], parts[2], rest == "true"
		out = append(out, p)
	}
	return out
}
