package errcode

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"
)

// WriteHTTPError writes err as an HTTP error response: the status
// [HTTPStatusOf](err), the header "Content-Type: application/json", and
// the body [EncodeJSON](err), which [ErrorFromResponse] decodes again.
// When err has a retry-after hint ([RetryAfterOf]), the Retry-After
// header gives it in whole seconds, rounded up. Call it before anything
// else is written to w.
//
// WriteHTTPError never panics. If err cannot be encoded (it is past the
// limits, such as [MaxEncodedSize] or [MaxFieldSize]), it still writes
// the status, with a body in the same JSON form that decodes to an error
// with err's outermost code and retry decision and a message saying why
// err could not be encoded, followed by the start of err's own message.
// A nil err writes status 500 and a body saying WriteHTTPError was called
// with a nil error.
func WriteHTTPError(w http.ResponseWriter, err error) {
	status := http.StatusInternalServerError
	var body []byte
	if err == nil {
		body = fallbackJSON(nil, "WriteHTTPError called with a nil error")
	} else {
		status = HTTPStatusOf(err)
		var encErr error
		if body, encErr = EncodeJSON(err); encErr != nil {
			body = fallbackJSON(err, encErr.Error())
		}
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	if d := RetryAfterOf(err); d > 0 {
		h.Set("Retry-After", strconv.FormatInt(int64((d+time.Second-1)/time.Second), 10))
	}
	w.WriteHeader(status)
	_, _ = w.Write(body) // a failed write means the client has gone
}

// fallbackMax is the most bytes of the reason and of err's message that
// the fallback body quotes.
const fallbackMax = 1 << 10

// fallbackJSON returns the JSON form of an error that stands in for err,
// which could not be encoded for reason: one layer, coded with err's
// outermost code if it has one, under the retry decision and retry-after
// hint of err if they differ from the code's. It is small and always
// encodes.
func fallbackJSON(err error, reason string) []byte {
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
	b, merr := json.Marshal(out)
	if merr != nil {
		// Strings, a few short slices: this does not happen.
		return []byte(`{"version":1,"message":"errcode: the error could not be encoded","chain":[{"kind":"message","message":"errcode: the error could not be encoded"}]}`)
	}
	return b
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
// [MaxEncodedSize] bytes, and returns the error [Registry.DecodeJSON]
// decodes from it, with code names bound to r.
//
// A body that is not an error in errcode's JSON form — an HTML page from
// a proxy, an empty body, one over MaxEncodedSize, malformed JSON, JSON of
// another shape, a body that fails to read — gives an error that names
// the HTTP status and what was wrong. ErrorFromResponse never returns nil
// for a status other than 2xx, nor for a nil resp. It does not close
// resp.Body; the caller still does.
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
	if resp.Body == nil || resp.Body == http.NoBody {
		return fmt.Errorf("errcode: %s with no body, not an errcode error", status)
	}
	// Read one byte past the limit to tell a body at the limit from one
	// over it, and never more: the body is outside input.
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxEncodedSize+1))
	if err != nil {
		return fmt.Errorf("errcode: %s: reading the body: %w", status, err)
	}
	if len(data) > MaxEncodedSize {
		return fmt.Errorf("errcode: %s: the body is over MaxEncodedSize (%d bytes), not an errcode error", status, MaxEncodedSize)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return fmt.Errorf("errcode: %s with an empty body, not an errcode error", status)
	}
	decoded, derr := r.DecodeJSON(data)
	if derr != nil {
		return fmt.Errorf("errcode: %s: the body is not an errcode error (Content-Type %q, %d bytes, beginning %q): %w",
			status, resp.Header.Get("Content-Type"), len(data), truncate(string(data), 64), derr)
	}
	return decoded
}
