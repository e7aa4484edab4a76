package textmatch

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"os"
	"regexp"
	"strings"
)

var errNotFound = errors.New("not found")

type myErr struct{ msg string }

func (e *myErr) Error() string { return e.msg }

var notFoundRE = regexp.MustCompile(`not found`)

// Decisions on an error's text: each is reported.
func decisions(err error, e *myErr, other error) int {
	if err.Error() == "not found" { // want `decision on an error's text \(==\): use errcode.Is\(err, code\) or errors.Is\(err, target\)`
		return 1
	}
	if "not found" != err.Error() { // want `decision on an error's text \(!=\)`
		return 2
	}
	if (err).Error() == other.Error() { // want `decision on an error's text \(==\)`
		return 3
	}
	if e.Error() == "mine" { // want `decision on an error's text \(==\)`
		return 4
	}
	if strings.Contains(err.Error(), "not found") { // want `decision on an error's text \(strings.Contains\)`
		return 5
	}
	if strings.Contains("timeout: "+os.Args[0], err.Error()) { // want `decision on an error's text \(strings.Contains\)`
		return 6
	}
	if strings.HasPrefix(err.Error(), "rpc error:") { // want `decision on an error's text \(strings.HasPrefix\)`
		return 7
	}
	if strings.HasSuffix(err.Error(), "EOF") { // want `decision on an error's text \(strings.HasSuffix\)`
		return 8
	}
	if strings.EqualFold("NOT FOUND", err.Error()) { // want `decision on an error's text \(strings.EqualFold\)`
		return 9
	}
	if notFoundRE.MatchString(err.Error()) { // want `decision on an error's text \(regexp MatchString\)`
		return 10
	}
	if notFoundRE.Match([]byte(err.Error())) { // want `decision on an error's text \(regexp Match\)`
		return 11
	}
	if notFoundRE.FindString(err.Error()) != "" { // want `decision on an error's text \(regexp FindString\)`
		return 12
	}
	if m := notFoundRE.FindStringSubmatch(err.Error()); m != nil { // want `decision on an error's text \(regexp FindStringSubmatch\)`
		return 13
	}
	if ok, _ := regexp.MatchString(`^not found`, err.Error()); ok { // want `decision on an error's text \(regexp.MatchString\)`
		return 14
	}
	if ok, _ := regexp.Match(`found`, []byte(err.Error())); ok { // want `decision on an error's text \(regexp.Match\)`
		return 15
	}
	switch err.Error() { // want `switch on an error's text: use errcode.Match\(err, codes...\) or errors.Is\(err, target\)`
	case "not found":
		return 16
	}
	return 0
}

// A local variable that holds the text for all its life is the text.
func throughVariable(err error) bool {
	msg := err.Error()
	var text = err.Error()
	if msg == "not found" { // want `decision on an error's text \(==\)`
		return true
	}
	switch text { // want `switch on an error's text`
	case "timeout":
		return true
	}
	return strings.Contains(msg, "timeout") // want `decision on an error's text \(strings.Contains\)`
}

// A variable that may hold other text is not the error's text.
func reassigned(err error, other string) bool {
	msg := err.Error()
	if other != "" {
		msg = other
	}
	addressed := err.Error()
	p := &addressed
	*p = other
	if msg == "not found" || addressed == "x" {
		return true
	}
	both, n := err.Error(), len(other) // both is the text, n is not
	return both == "y" || n == 0       // want `decision on an error's text \(==\)`
}

// err.Error() to build a message, log or encode: not a decision.
func formatting(err error) string {
	log.Printf("failed: %s", err.Error())
	log.Println(err.Error())
	slog.Error("request failed", "err", err.Error())
	fmt.Fprintln(os.Stderr, err.Error())
	msg := fmt.Sprintf("lookup: %s", err.Error())
	msg += "; " + err.Error()
	b, _ := json.Marshal(map[string]string{"error": err.Error()})
	var buf bytes.Buffer
	buf.WriteString(err.Error())
	return msg + string(b) + strings.ToUpper(err.Error()) + strings.TrimSpace(err.Error())
}

// Comparisons of other strings, and Error methods that are not error's.
type notAnError struct{}

func (notAnError) Error(code int) string { return "" }

type value struct{}

func (*value) Error() string { return "" }

func lookAlikes(s string, n notAnError, v value) bool {
	if s == "not found" || strings.Contains(s, "found") {
		return true
	}
	if n.Error(1) == "x" {
		return true
	}
	if v.Error() == "x" { // value does not implement error; *value does
		return true
	}
	return errors.Is(errNotFound, errNotFound)
}
