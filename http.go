package errcode

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// DefaultProblemTypeBase is the start of the "type" URI of the problem
// documents [WriteHTTPError] writes: the type of an error whose outermost
// code is VmCapacityError is "urn:errcode:VmCapacityError". It names the
// code and nothing else: it is not a URL, and resolves to no page. A
// service that documents its codes at URLs of its own sets its base with
// [ProblemTypeBase].
const DefaultProblemTypeBase = "urn:errcode:"

// maxRetryAfter caps a retry-after hint at the HTTP boundary, written
// (the Retry-After header) or read ([ErrorFromResponse]): one day.
const maxRetryAfter = 24 * time.Hour

// An HTTPOption configures [WriteHTTPErrorWith]: [ProblemTypeBase], or a
// [Disclosure].
type HTTPOption interface {
	applyHTTP(*httpConfig)
}

type httpConfig struct {
	typeBase   string
	disclosure Disclosure
}

// applyHTTP sets the policy; a value other than DiscloseFull and
// DisclosePublic is read as DisclosePublic, which shows less.
func (d Disclosure) applyHTTP(c *httpConfig) {
	if d != DiscloseFull {
		d = DisclosePublic
	}
	c.disclosure = d
}

type httpOptionFunc func(*httpConfig)

func (f httpOptionFunc) applyHTTP(c *httpConfig) { f(c) }

// ProblemTypeBase returns an HTTPOption that starts the "type" URI of a
// coded error's problem document with base instead of
// [DefaultProblemTypeBase]: with base "https://errors.example.com/", the
// type of a VmCapacityError is "https://errors.example.com/VmCapacityError".
// The code's name is appended path-escaped, and base as given.
func ProblemTypeBase(base string) HTTPOption {
	return httpOptionFunc(func(c *httpConfig) { c.typeBase = base })
}

// problemJSON is the body WriteHTTPError writes: an RFC 9457 problem
// document whose extension members are errcode's JSON form.
type problemJSON struct {
	Type   string `json:"type"`
	Title  string `json:"title,omitempty"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	jsonError
}

// WriteHTTPError writes err as an HTTP error response with the default
// options; see [WriteHTTPErrorWith].
func WriteHTTPError(w http.ResponseWriter, err error) { WriteHTTPErrorWith(w, err) }

// WriteHTTPErrorWith writes err as an HTTP error response: the status
// [HTTPStatusOf](err), the header "Content-Type: application/problem+json",
// and a body that is at once an RFC 9457 problem document and errcode's
// JSON form ([EncodeJSON], WIRE.md), which [ErrorFromResponse] and
// [DecodeJSON] decode again:
//
//	type     for a coded error, [DefaultProblemTypeBase] (or the base set by
//	         [ProblemTypeBase]) followed by the outermost code's name;
//	         "about:blank" for an uncoded one
//	title    the outermost code's name; for an uncoded error the status's
//	         reason phrase ("Internal Server Error")
//	status   the response's status
//	detail   the message, err.Error(), cut short only if the body would
//	         otherwise pass [MaxEncodedSize]
//	version, code, retry, message, chain   errcode's JSON form
//
// When err has a retry-after hint ([RetryAfterOf]), the Retry-After
// header gives it in whole seconds, rounded up, and at most 86400 (one
// day). Call it before anything else is written to w.
//
// With [DisclosePublic] among opts, what is written is [Public](err),
// whose status, code, retry decision and hint are err's; with
// [DiscloseFull], the default, it is err.
//
// WriteHTTPErrorWith never panics. If err cannot be encoded (it is past
// the limits, such as [MaxEncodedSize] or [MaxFieldSize]), it still
// writes the status, with a body in the same form that decodes to an
// error with err's outermost code and retry decision and a message saying
// why err could not be encoded, followed by the start of err's own
// message. A nil err writes status 500 and a body saying WriteHTTPError
// was called with a nil error.
func WriteHTTPErrorWith(w http.ResponseWriter, err error, opts ...HTTPOption) {
	c := httpConfig{typeBase: DefaultProblemTypeBase}
	for _, o := range opts {
		if o != nil {
			o.applyHTTP(&c)
		}
	}
	if c.disclosure == DisclosePublic {
		err = Public(err)
	}
	status := http.StatusInternalServerError
	if err != nil {
		status = HTTPStatusOf(err)
	}
	body := c.problem(err, status)
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("X-Content-Type-Options", "nosniff")
	if d := RetryAfterOf(err); d > 0 {
		h.Set("Retry-After", strconv.FormatInt(retryAfterSeconds(d), 10))
	}
	w.WriteHeader(status)
	_, _ = w.Write(body) // a failed write means the client has gone
}

// retryAfterSeconds returns d in whole seconds, rounded up, at most
// maxRetryAfter.
func retryAfterSeconds(d time.Duration) int64 {
	d = min(d, maxRetryAfter)
	s := int64(d / time.Second)
	if d%time.Second != 0 {
		s++
	}
	return s
}

// problem returns the problem document for err written with status, or,
// if err is nil, cannot be encoded, or its document does not fit in
// MaxEncodedSize, that of an error standing in for err.
func (c *httpConfig) problem(err error, status int) []byte {
	reason := "WriteHTTPError called with a nil error"
	if err != nil {
		je, jerr := jsonOf(err)
		if jerr == nil {
			var b []byte
			if b, jerr = c.marshalProblem(status, je); jerr == nil {
				return b
			}
		}
		reason = jerr.Error()
	}
	if b, ferr := c.marshalProblem(status, fallbackJSON(err, reason)); ferr == nil {
		return b
	}
	// Strings of a few KiB at most: this does not happen.
	return []byte(`{"type":"about:blank","status":500,"detail":"errcode: the error could not be encoded","version":1,"message":"errcode: the error could not be encoded","chain":[{"kind":"message","message":"errcode: the error could not be encoded"}]}`)
}

func (c *httpConfig) marshalProblem(status int, je jsonError) ([]byte, error) {
	p := problemJSON{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: je.Message, jsonError: je}
	if je.Code != "" {
		p.Type, p.Title = c.typeBase+url.PathEscape(je.Code), je.Code
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("errcode: encode JSON: %w", err)
	}
	if len(b) <= MaxEncodedSize {
		if err := checkJSON(b, je.Chain); err != nil {
			return nil, err
		}
		return b, nil
	}
	// detail repeats message: cut it, not the error, by what is over. Its
	// JSON text is at least as long as it, so this many bytes are enough.
	n := len(p.Detail) - (len(b) - MaxEncodedSize) - len("…")
	if n <= 0 {
		if _, err := marshalJSON(je, je.Chain); err != nil {
			return nil, err // errcode's form alone is over
		}
		return nil, errors.New("errcode: encode JSON: the problem document is over MaxEncodedSize")
	}
	p.Detail = truncate(p.Detail, n)
	return marshalJSON(p, je.Chain)
}

// fallbackMax is the most bytes of the reason and of err's message that
// the fallback body quotes.
const fallbackMax = 1 << 10

// fallbackJSON returns the JSON form of an error that stands in for err,
// which could not be encoded for reason: one layer, coded with err's
// outermost code if it has one, under the retry decision and retry-after
// hint of err if they differ from the code's. It is small and always
// encodes.
func fallbackJSON(err error, reason string) jsonError {
	msg := "errcode: " + truncate(reason, fallbackMax)
	if err != nil {
		msg = "errcode: the error could not be encoded (" + truncate(reason, fallbackMax) +
			"); its message was: " + truncate(err.Error(), fallbackMax)
	}
	var c *code
	walk(err, func(l error) bool {
		c = layerCode(l)
		return c != nil
	})
	out := jsonError{Version: JSONVersion, Message: msg}
	leaf := jsonLayer{Kind: kindMessage, Message: msg}
	if c != nil {
		out.Code = c.name
		leaf = codedJSON(kindCoded, c, nil)
		leaf.Message = msg
	}
	if r := RetryOf(err); r != Unspecified {
		out.Retry = r.String()
		if c == nil || r != c.retry {
			out.Chain = append(out.Chain, jsonLayer{Kind: kindRetry, Retry: r.String()})
		}
	}
	if d := RetryAfterOf(err); d > 0 && (c == nil || d != c.retryAfter) {
		out.Chain = append(out.Chain, jsonLayer{Kind: kindRetryAfter, RetryAfter: d.String()})
	}
	out.Chain = append(out.Chain, leaf)
	return out
}

// truncate returns s cut to at most n bytes, on a rune boundary, with
// "…" appended if anything was cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// ErrorFromResponse returns the error that the server of resp wrote with
// [WriteHTTPError], its code names bound to [Default]; see
// [Registry.ErrorFromResponse].
func ErrorFromResponse(resp *http.Response) error { return Default.ErrorFromResponse(resp) }

// ErrorFromResponse returns nil for a response with a 2xx status, without
// reading its body. For any other status it reads the body, up to
// [MaxEncodedSize] bytes, and returns:
//
//   - for errcode's JSON form, recognised by its members "version" and
//     "chain" both being present, the error [Registry.DecodeJSON] decodes
//     from it, with code names bound to r;
//   - for any other body — an RFC 9457 problem document of another server,
//     another API's JSON, an HTML page from a proxy, an empty body, one
//     over MaxEncodedSize, garbage, a body that fails to read — or for
//     errcode's form that does not decode, an uncoded error whose message
//     names the HTTP status and says what the body was: a problem
//     document's title and detail, or else the Content-Type, the size and
//     the start of the body, control characters escaped.
//
// Such an error keeps what the response says without errcode: its
// status, which [HTTPStatusOf] reports (a status from 400 to 599; see
// [WithHTTPStatus]); the retry decision [HTTPStatusRetry] makes for the
// status, which [RetryOf] reports when HTTPStatusRetry decides; and the
// Retry-After header, which [RetryAfterOf] reports. Retry-After is read
// as delay seconds or as an HTTP date, taken relative to the response's
// Date header (or to now, if it has none), and capped at one day; a date
// in the past, or a header that parses as neither, gives no hint.
//
// ErrorFromResponse never returns nil for a status other than 2xx, nor
// for a nil resp. It does not close resp.Body; the caller still does.
func (r *Registry) ErrorFromResponse(resp *http.Response) error {
	if resp == nil {
		return errors.New("errcode: ErrorFromResponse of a nil response")
	}
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		return nil
	}
	status := "HTTP " + strconv.Itoa(resp.StatusCode)
	if text := http.StatusText(resp.StatusCode); text != "" {
		status += " " + text
	}
	decoded, err := r.bodyError(resp, status)
	if decoded {
		return err
	}
	err = WithHTTPStatus(err, resp.StatusCode)
	if d := retryAfter(resp.Header, time.Now()); d > 0 {
		err = WithRetryAfter(err, d)
	}
	if rd := HTTPStatusRetry(resp.StatusCode); rd != Unspecified {
		err = WithRetry(err, rd)
	}
	return err
}

// bodyError returns true and the error the body of resp carries in
// errcode's form; or false and an error that says what the body was.
func (r *Registry) bodyError(resp *http.Response, status string) (decoded bool, err error) {
	if resp.Body == nil || resp.Body == http.NoBody {
		return false, fmt.Errorf("errcode: %s with no body, not an errcode error", status)
	}
	// Read one byte past the limit to tell a body at the limit from one
	// over it, and never more: the body is outside input.
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxEncodedSize+1))
	if err != nil {
		return false, fmt.Errorf("errcode: %s: reading the body: %w", status, err)
	}
	if len(data) > MaxEncodedSize {
		return false, fmt.Errorf("errcode: %s: the body is over MaxEncodedSize (%d bytes), not an errcode error", status, MaxEncodedSize)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return false, fmt.Errorf("errcode: %s with an empty body, not an errcode error", status)
	}
	contentType := resp.Header.Get("Content-Type")
	var members map[string]json.RawMessage
	jerr := json.Unmarshal(data, &members)
	if jerr == nil && members == nil {
		jerr = errors.New("not a JSON object")
	}
	if jerr == nil {
		_, version := members["version"]
		_, chain := members["chain"]
		if version && chain {
			e, derr := r.DecodeJSON(data)
			if derr == nil {
				return true, e
			}
			jerr = derr
		} else if msg, ok := problemMessage(members, contentType); ok {
			return false, fmt.Errorf("errcode: %s: %s", status, msg)
		} else {
			jerr = errors.New(`JSON without errcode's "version" and "chain"`)
		}
	}
	return false, fmt.Errorf("errcode: %s: the body is not an errcode error (Content-Type %q, %d bytes, beginning %q): %w",
		status, truncate(contentType, bodyQuoteMax), len(data), truncate(string(data), bodyQuoteMax), jerr)
}

// bodyQuoteMax is the most bytes of a body, or of one member of a problem
// document, that an error from ErrorFromResponse quotes.
const bodyQuoteMax = 128

// problemMessage returns what the members of an RFC 9457 problem document
// say — its title, detail and type — and true; or false if members are
// not a problem document: the Content-Type is not
// application/problem+json and none of type, title and detail is a
// string.
func problemMessage(members map[string]json.RawMessage, contentType string) (string, bool) {
	str := func(name string) (string, bool) {
		var s string
		err := json.Unmarshal(members[name], &s)
		return sanitize(s, bodyQuoteMax*4), err == nil
	}
	typ, isType := str("type")
	title, isTitle := str("title")
	detail, isDetail := str("detail")
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt != "application/problem+json" && !isType && !isTitle && !isDetail {
		return "", false
	}
	var msg string
	switch {
	case title != "" && detail != "":
		msg = title + ": " + detail
	case title != "" || detail != "":
		msg = title + detail
	default:
		msg = "a problem document without title or detail"
	}
	if typ != "" && typ != "about:blank" {
		msg += " (problem type " + typ + ")"
	}
	return msg, true
}

// sanitize returns s with invalid UTF-8 and control characters replaced,
// cut to at most n bytes as truncate cuts.
func sanitize(s string, n int) string {
	s = strings.Map(func(c rune) rune {
		if unicode.IsControl(c) || c == '\u2028' || c == '\u2029' {
			return ' '
		}
		return c
	}, strings.ToValidUTF8(s, "\uFFFD"))
	return truncate(s, n)
}

// retryAfter returns the wait the Retry-After header of h asks for: delay
// seconds, or an HTTP date relative to h's Date or else to now; at most
// maxRetryAfter; 0 for a date in the past or a header that parses as
// neither.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if strings.Trim(v, "0123456789") == "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter // all digits: too big for an int64
		}
		return time.Duration(n) * time.Second
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	if date, err := http.ParseTime(h.Get("Date")); err == nil {
		now = date
	}
	return min(max(at.Sub(now), 0), maxRetryAfter)
}
