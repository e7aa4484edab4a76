package errcode_test

import (
	"bytes"
	"encoding/json"
	stderrors "errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
)

// httpRoundTrip serves err with WriteHTTPError from a test server and
// returns the response, its body already read into a buffer so that the
// server can be closed.
func httpRoundTrip(t *testing.T, h http.HandlerFunc) *http.Response {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp
}

func TestHTTPRoundTrip(t *testing.T) {
	t.Parallel()
	when := time.Date(2025, 3, 1, 12, 30, 0, 123456789, time.UTC)
	giveErr := crdberrors.Wrap(errcode.WithRetry(
		errcode.NewVmOverlayError("create overlay for vm-7", "qemu-img: No space left on device", "GenericError",
			"vm_id", int32(7), "deadline", when, "digest", []byte{0xde, 0xad}, "meta", map[string]any{"host": "node-3", "ratio": 0.5}),
		errcode.Permanent), "provision")

	resp := httpRoundTrip(t, func(w http.ResponseWriter, _ *http.Request) { errcode.WriteHTTPError(w, giveErr) })
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
	assert.Empty(t, resp.Header.Get("Retry-After"), "VmOverlayError has no retry-after hint")

	got := errcode.ErrorFromResponse(resp)
	require.Error(t, got)
	assert.Equal(t, giveErr.Error(), got.Error())
	assert.Equal(t, "VmOverlayError", errcode.NameOf(got))
	assert.True(t, errcode.Is(got, errcode.VmTransientError), "Is(err, VmTransientError)")
	assert.True(t, stderrors.Is(got, errcode.TransientError), "errors.Is(err, TransientError)")
	assert.Equal(t, errcode.Permanent, errcode.RetryOf(got), "the WithRetry override travels")
	assert.Equal(t, errcode.Fields(giveErr), errcode.Fields(got))
	vm, ok := errcode.Field[int32](got, "vm_id")
	assert.True(t, ok && vm == 7, "Field[int32](vm_id) = %v, %v; want 7, true", vm, ok)
	at, ok := errcode.Field[time.Time](got, "deadline")
	assert.True(t, ok && at.Equal(when), "Field[time.Time](deadline) = %v, %v", at, ok)
	digest, _ := errcode.Field[[]byte](got, "digest")
	assert.Equal(t, []byte{0xde, 0xad}, digest)
	assert.Contains(t, fmt.Sprintf("%+v", got), "http_test.go", "%+v keeps the server's stack")

	want, err := errcode.EncodeJSON(giveErr)
	require.NoError(t, err)
	again, err := errcode.EncodeJSON(got)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(again), "the decoded error encodes to the bytes the server sent")
}

func TestHTTPStatusMapping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc           string
		giveErr        error
		wantStatus     int
		wantRetryAfter string
	}{
		{"VmCapacityError", errcode.VmCapacityError.New("pool full"), http.StatusServiceUnavailable, "1"},
		{"VmConfigError", errcode.VmConfigError.New("vcpus must be 1-64"), http.StatusBadRequest, ""},
		{"AssetNotFoundError", errcode.AssetNotFoundError.New("no rootfs v3"), http.StatusNotFound, ""},
		{"PackageNotAllowedError", errcode.PackageNotAllowedError.New("numpy"), http.StatusForbidden, ""},
		{"VmBootTimeoutError", errcode.VmBootTimeoutError.New("guest agent silent"), http.StatusGatewayTimeout, ""},
		{"uncoded", stderrors.New("plain failure"), http.StatusInternalServerError, ""},
		{"wrapped", fmt.Errorf("acquire: %w", errcode.VmCapacityError.New("pool full")), http.StatusServiceUnavailable, "1"},
		{"retry-after rounds up", errcode.WithRetryAfter(errcode.VmConfigError.New("x"), 1500*time.Millisecond), http.StatusBadRequest, "2"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			errcode.WriteHTTPError(rec, tt.giveErr)
			resp := rec.Result()
			assert.Equal(t, tt.wantStatus, resp.StatusCode, "WriteHTTPError(%v) status = %d; want %d", tt.giveErr, resp.StatusCode, tt.wantStatus)
			assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
			assert.Equal(t, tt.wantRetryAfter, resp.Header.Get("Retry-After"))
			got := errcode.ErrorFromResponse(resp)
			require.Error(t, got)
			assert.Equal(t, tt.giveErr.Error(), got.Error())
			assert.Equal(t, errcode.NameOf(tt.giveErr), errcode.NameOf(got))
			assert.Equal(t, tt.wantStatus, errcode.HTTPStatusOf(got), "HTTPStatusOf(decoded)")
		})
	}
}

// response returns a response with the given status, Content-Type and
// body.
func response(status int, contentType string, body io.Reader) *http.Response {
	h := http.Header{}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	rc, ok := body.(io.ReadCloser)
	if !ok && body != nil {
		rc = io.NopCloser(body)
	}
	return &http.Response{StatusCode: status, Header: h, Body: rc}
}

func TestHTTPErrorFromResponseNotErrcode(t *testing.T) {
	t.Parallel()
	const proxyPage = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
	tests := []struct {
		desc      string
		giveResp  *http.Response
		wantParts []string
	}{
		{"proxy HTML page", response(http.StatusBadGateway, "text/html", strings.NewReader(proxyPage)),
			[]string{"HTTP 502 Bad Gateway", "not an errcode error", `"text/html"`, "<html>", "invalid character '<'"}},
		{"empty body", response(http.StatusServiceUnavailable, "", strings.NewReader("")),
			[]string{"HTTP 503 Service Unavailable", "empty body"}},
		{"no body", response(http.StatusNotFound, "", nil),
			[]string{"HTTP 404 Not Found", "no body"}},
		{"oversize body", response(http.StatusInternalServerError, "application/json",
			io.MultiReader(strings.NewReader(`{"version":1,"message":"`), strings.NewReader(strings.Repeat("x", errcode.MaxEncodedSize)))),
			[]string{"HTTP 500 Internal Server Error", "MaxEncodedSize", fmt.Sprint(errcode.MaxEncodedSize)}},
		{"garbage", response(http.StatusBadRequest, "application/octet-stream", strings.NewReader("\x00\x01garbage")),
			[]string{"HTTP 400 Bad Request", "not an errcode error", "invalid character"}},
		{"JSON of another shape", response(http.StatusUnauthorized, "application/json", strings.NewReader(`{"error":"token expired"}`)),
			[]string{"HTTP 401 Unauthorized", "not an errcode error", `JSON without errcode's "version" and "chain"`}},
		{"truncated errcode JSON", response(http.StatusConflict, "application/json", strings.NewReader(`{"version":1,"message":"x","chain":[{"kind":"co`)),
			[]string{"HTTP 409 Conflict", "unexpected end of JSON input"}},
		{"read error", response(http.StatusBadGateway, "application/json", iotest.ErrReader(io.ErrUnexpectedEOF)),
			[]string{"HTTP 502 Bad Gateway", "reading the body", "unexpected EOF"}},
		{"unknown status", response(599, "text/plain", strings.NewReader("oops")),
			[]string{"HTTP 599:", "not an errcode error"}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got := errcode.ErrorFromResponse(tt.giveResp)
			require.Error(t, got)
			for _, p := range tt.wantParts {
				assert.Contains(t, got.Error(), p)
			}
			assert.Empty(t, errcode.NameOf(got))
		})
	}
	t.Run("nil response", func(t *testing.T) {
		t.Parallel()
		assert.ErrorContains(t, errcode.ErrorFromResponse(nil), "nil response")
	})
}

func TestHTTPErrorFromResponseReadsAtMostTheLimit(t *testing.T) {
	t.Parallel()
	body := &countingReader{r: strings.NewReader(strings.Repeat("x", 3*errcode.MaxEncodedSize))}
	require.Error(t, errcode.ErrorFromResponse(response(http.StatusBadGateway, "text/plain", body)))
	assert.LessOrEqual(t, body.n, errcode.MaxEncodedSize+1+512, "read %d bytes of an oversize body", body.n)
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestHTTPErrorFromResponseSuccess(t *testing.T) {
	t.Parallel()
	for _, code := range []int{http.StatusOK, http.StatusCreated, http.StatusNoContent, 299} {
		body := &countingReader{r: strings.NewReader("not read")}
		assert.NoError(t, errcode.ErrorFromResponse(response(code, "text/plain", body)), "status %d", code)
		assert.Zero(t, body.n, "status %d: the body of a success is left to the caller", code)
	}
}

// TestHTTPWriteUnencodable checks that an error past the limits still
// gives its status and, in the body, its code and retry decision.
func TestHTTPWriteUnencodable(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", errcode.MaxFieldSize+1)
	tests := []struct {
		desc       string
		giveErr    error
		wantStatus int
		wantName   string
		wantRetry  errcode.Retry
		wantAfter  time.Duration
	}{
		{"field too big", errcode.VmCapacityError.New("pool full", "blob", big), http.StatusServiceUnavailable, "VmCapacityError", errcode.Transient, time.Second},
		{"message too big", errcode.VmConfigError.New(strings.Repeat("é", errcode.MaxEncodedSize)), http.StatusBadRequest, "VmConfigError", errcode.Permanent, 0},
		{"retry override kept", errcode.WithRetryAfter(errcode.WithRetry(errcode.VmConfigError.New("bad", "blob", big), errcode.Transient), 3*time.Second),
			http.StatusBadRequest, "VmConfigError", errcode.Transient, 3 * time.Second},
		{"uncoded", errcode.WithFields(stderrors.New("plain"), "blob", big), http.StatusInternalServerError, "", errcode.Unspecified, 0},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			_, err := errcode.EncodeJSON(tt.giveErr)
			require.Error(t, err, "the test needs an error that does not encode")

			rec := httptest.NewRecorder()
			errcode.WriteHTTPError(rec, tt.giveErr)
			assert.Equal(t, tt.wantStatus, rec.Code)
			assert.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
			assert.Less(t, rec.Body.Len(), 8<<10, "the fallback body is small")

			got := errcode.ErrorFromResponse(rec.Result())
			require.Error(t, got)
			assert.Contains(t, got.Error(), "could not be encoded")
			assert.Contains(t, got.Error(), err.Error()[:40])
			assert.Equal(t, tt.wantName, errcode.NameOf(got))
			assert.Equal(t, tt.wantRetry, errcode.RetryOf(got))
			assert.Equal(t, tt.wantAfter, errcode.RetryAfterOf(got))
		})
	}
	t.Run("nil error", func(t *testing.T) {
		t.Parallel()
		rec := httptest.NewRecorder()
		errcode.WriteHTTPError(rec, nil)
		assert.Equal(t, http.StatusInternalServerError, rec.Code)
		got := errcode.ErrorFromResponse(rec.Result())
		assert.ErrorContains(t, got, "WriteHTTPError called with a nil error")
	})
}

func TestHTTPRegistryErrorFromResponse(t *testing.T) {
	t.Parallel()
	reg := errcode.NewRegistry()
	transient := reg.MustRegister("TransientError", errcode.Code{}, errcode.Transient)
	rec := httptest.NewRecorder()
	errcode.WriteHTTPError(rec, errcode.VmCapacityError.New("pool full"))
	got := reg.ErrorFromResponse(rec.Result())
	assert.Equal(t, "VmCapacityError", errcode.NameOf(got))
	assert.Equal(t, transient, errcode.CodeOf(got), "CodeOf is the nearest ancestor reg knows")
	assert.False(t, errcode.Is(got, errcode.TransientError), "Default's codes are not reg's")
}

// problemDoc is RFC 9457's problem document, as a client that knows
// nothing of errcode reads it.
type problemDoc struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Instance string `json:"instance"`
}

var quotaExceeded = errcode.NewRegistry().MustRegister("quota/exceeded", errcode.Code{},
	errcode.Reason("QUOTA_EXCEEDED"), errcode.HTTPStatus(http.StatusTooManyRequests))

func TestHTTPProblemDocument(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc       string
		giveErr    error
		giveOpts   []errcode.HTTPOption
		wantStatus int
		wantType   string
		wantTitle  string
	}{
		{"coded", errcode.VmCapacityError.New("pool full"), nil,
			http.StatusServiceUnavailable, "urn:errcode:VmCapacityError", "VmCapacityError"},
		{"wrapped: the outermost code", errcode.SandboxError.Wrap(errcode.VmConfigError.New("vcpus"), "start"), nil,
			http.StatusBadRequest, "urn:errcode:SandboxError", "SandboxError"},
		{"uncoded", stderrors.New("plain failure"), nil,
			http.StatusInternalServerError, "about:blank", "Internal Server Error"},
		{"status override", errcode.WithHTTPStatus(errcode.VmConfigError.New("quota"), http.StatusTooManyRequests), nil,
			http.StatusTooManyRequests, "urn:errcode:VmConfigError", "VmConfigError"},
		{"status override, uncoded", errcode.WithHTTPStatus(stderrors.New("slow down"), http.StatusTooManyRequests), nil,
			http.StatusTooManyRequests, "about:blank", "Too Many Requests"},
		{"ProblemTypeBase", errcode.AssetNotFoundError.New("no rootfs v3"),
			[]errcode.HTTPOption{errcode.ProblemTypeBase("https://errors.example.com/sandbox/")},
			http.StatusNotFound, "https://errors.example.com/sandbox/AssetNotFoundError", "AssetNotFoundError"},
		{"ProblemTypeBase leaves an uncoded error about:blank", stderrors.New("x"),
			[]errcode.HTTPOption{errcode.ProblemTypeBase("https://errors.example.com/")},
			http.StatusInternalServerError, "about:blank", "Internal Server Error"},
		{"a name with a slash, path-escaped", quotaExceeded.New("over quota"), nil,
			http.StatusTooManyRequests, "urn:errcode:quota%2Fexceeded", "quota/exceeded"},
		{"nil option", errcode.VmCapacityError.New("pool full"), []errcode.HTTPOption{nil},
			http.StatusServiceUnavailable, "urn:errcode:VmCapacityError", "VmCapacityError"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			errcode.WriteHTTPErrorWith(rec, tt.giveErr, tt.giveOpts...)
			assert.Equal(t, tt.wantStatus, rec.Code)
			assert.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
			assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
			body := rec.Body.Bytes()

			var p problemDoc
			require.NoError(t, json.Unmarshal(body, &p))
			assert.Equal(t, problemDoc{Type: tt.wantType, Title: tt.wantTitle, Status: tt.wantStatus, Detail: tt.giveErr.Error()}, p)

			// The same body is errcode's JSON form, members and all.
			var members map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(body, &members))
			for _, m := range []string{"version", "message", "chain"} {
				assert.Contains(t, members, m)
			}
			want, err := errcode.EncodeJSON(tt.giveErr)
			require.NoError(t, err)
			var wantMembers map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(want, &wantMembers))
			for k, v := range wantMembers {
				assert.JSONEq(t, string(v), string(members[k]), "member %q", k)
			}
			assert.Len(t, members, len(wantMembers)+4, "errcode's members and type, title, status, detail")

			decoded, err := errcode.DecodeJSON(body)
			require.NoError(t, err, "DecodeJSON of the problem document")
			again, err := errcode.EncodeJSON(decoded)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(again))
		})
	}
}

// TestHTTPProblemMemberOrder pins the body's members and their order:
// RFC 9457's first, then errcode's JSON form.
func TestHTTPProblemMemberOrder(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	errcode.WriteHTTPError(rec, errcode.VmConfigError.New("vcpus must be 1-64"))
	var keys []string
	dec := json.NewDecoder(rec.Body)
	_, err := dec.Token() // {
	require.NoError(t, err)
	for dec.More() {
		k, err := dec.Token()
		require.NoError(t, err)
		keys = append(keys, k.(string))
		var skip json.RawMessage
		require.NoError(t, dec.Decode(&skip))
	}
	assert.Equal(t, []string{"type", "title", "status", "detail", "version", "code", "retry", "message", "chain"}, keys)
}

// TestHTTPProblemPlainClient reads the problem document as a client that
// knows only net/http, encoding/json and RFC 9457.
func TestHTTPProblemPlainClient(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		errcode.WriteHTTPError(w, errcode.VmConfigError.New("vcpus must be 1-64"))
	}))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
	var p problemDoc
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&p))
	assert.Equal(t, problemDoc{
		Type:   "urn:errcode:VmConfigError",
		Title:  "VmConfigError",
		Status: http.StatusBadRequest,
		Detail: "vcpus must be 1-64",
	}, p)
	assert.Equal(t, resp.StatusCode, p.Status)
}

// TestHTTPProblemDetailCut checks that a message too long to appear twice
// within MaxEncodedSize is cut in detail, and kept whole in message.
func TestHTTPProblemDetailCut(t *testing.T) {
	t.Parallel()
	giveErr := errcode.VmConfigError.New(strings.Repeat("é", errcode.MaxEncodedSize/5))
	_, err := errcode.EncodeJSON(giveErr)
	require.NoError(t, err, "the test needs an error that encodes alone")

	rec := httptest.NewRecorder()
	errcode.WriteHTTPError(rec, giveErr)
	assert.LessOrEqual(t, rec.Body.Len(), errcode.MaxEncodedSize)
	var p problemDoc
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
	assert.True(t, strings.HasSuffix(p.Detail, "…"), "detail is cut")
	assert.True(t, strings.HasPrefix(giveErr.Error(), strings.TrimSuffix(p.Detail, "…")), "detail is the start of the message")
	assert.Greater(t, len(p.Detail), errcode.MaxEncodedSize/8, "detail keeps what fits")
	got := errcode.ErrorFromResponse(rec.Result())
	assert.Equal(t, giveErr.Error(), got.Error(), "the message is whole")
	assert.Equal(t, "VmConfigError", errcode.NameOf(got))
}

func TestHTTPRetryAfterHeader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		giveAfter time.Duration
		want      string
	}{
		{0, ""},
		{time.Nanosecond, "1"},
		{time.Second, "1"},
		{1500 * time.Millisecond, "2"},
		{time.Hour, "3600"},
		{24 * time.Hour, "86400"},
		{24*time.Hour + time.Nanosecond, "86400"},
		{365 * 24 * time.Hour, "86400"},
		{math.MaxInt64, "86400"},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		errcode.WriteHTTPError(rec, errcode.WithRetryAfter(errcode.VmConfigError.New("x"), tt.giveAfter))
		assert.Equal(t, tt.want, rec.Header().Get("Retry-After"), "WithRetryAfter(%v): Retry-After = %q; want %q",
			tt.giveAfter, rec.Header().Get("Retry-After"), tt.want)
	}
}

// TestHTTPCatalogRoundTrip writes an error of every catalog code and
// reads it back.
func TestHTTPCatalogRoundTrip(t *testing.T) {
	t.Parallel()
	for _, c := range errcode.Default.Codes() {
		t.Run(c.Name(), func(t *testing.T) {
			t.Parallel()
			giveErr := c.New("it failed", "attempt", 3)
			rec := httptest.NewRecorder()
			errcode.WriteHTTPError(rec, giveErr)
			resp := rec.Result()
			assert.Equal(t, errcode.HTTPStatusOf(giveErr), resp.StatusCode)

			var p problemDoc
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
			assert.Equal(t, "urn:errcode:"+c.Name(), p.Type)
			assert.Equal(t, c.Name(), p.Title)
			assert.Equal(t, resp.StatusCode, p.Status)

			got := errcode.ErrorFromResponse(resp)
			require.Error(t, got)
			assert.Equal(t, giveErr.Error(), got.Error())
			assert.Equal(t, c, errcode.CodeOf(got))
			assert.True(t, errcode.Is(got, c), "Is(decoded, %s)", c)
			assert.Equal(t, errcode.RetryOf(giveErr), errcode.RetryOf(got))
			assert.Equal(t, errcode.RetryAfterOf(giveErr), errcode.RetryAfterOf(got))
			assert.Equal(t, errcode.HTTPStatusOf(giveErr), errcode.HTTPStatusOf(got))
			assert.Equal(t, errcode.Fields(giveErr), errcode.Fields(got))
		})
	}
}

// rfc1123 formats t as an HTTP date.
func rfc1123(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

// TestHTTPErrorFromResponseShapes reads responses of every shape a client
// meets and asks the error each question.
func TestHTTPErrorFromResponseShapes(t *testing.T) {
	t.Parallel()
	date := time.Date(2025, 3, 1, 12, 30, 0, 0, time.UTC)
	rec := httptest.NewRecorder()
	errcode.WriteHTTPError(rec, errcode.WithRetryAfter(errcode.VmCapacityError.New("pool full"), 5*time.Second))
	errcodeBody := rec.Body.String()
	const proxyPage = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

	tests := []struct {
		desc        string
		giveStatus  int
		giveHeader  map[string]string // Content-Type, Retry-After, Date
		giveBody    string            // "" with no Content-Type: no body at all
		wantParts   []string
		wantName    string
		wantStatus  int
		wantRetry   errcode.Retry
		wantAfter   time.Duration
		wantMessage string // when set, the whole message
	}{
		{
			desc: "errcode body", giveStatus: http.StatusServiceUnavailable,
			giveHeader: map[string]string{"Content-Type": "application/problem+json", "Retry-After": "5"}, giveBody: errcodeBody,
			wantMessage: "pool full", wantName: "VmCapacityError",
			wantStatus: http.StatusServiceUnavailable, wantRetry: errcode.Transient, wantAfter: 5 * time.Second,
		},
		{
			desc: "errcode body without Content-Type", giveStatus: http.StatusServiceUnavailable,
			giveHeader: map[string]string{}, giveBody: errcodeBody,
			wantMessage: "pool full", wantName: "VmCapacityError",
			wantStatus: http.StatusServiceUnavailable, wantRetry: errcode.Transient, wantAfter: 5 * time.Second,
		},
		{
			desc: "problem document", giveStatus: http.StatusForbidden,
			giveHeader: map[string]string{"Content-Type": "application/problem+json"},
			giveBody: `{"type":"https://example.com/probs/out-of-credit","title":"You do not have enough credit.",` +
				`"detail":"Your current balance is 30, but that costs 50.","instance":"/account/12345/msgs/abc","balance":30}`,
			wantMessage: "errcode: HTTP 403 Forbidden: You do not have enough credit.: Your current balance is 30, but that costs 50." +
				" (problem type https://example.com/probs/out-of-credit)",
			wantStatus: http.StatusForbidden, wantRetry: errcode.Unspecified,
		},
		{
			desc: "problem document as application/json, title only", giveStatus: http.StatusServiceUnavailable,
			giveHeader:  map[string]string{"Content-Type": "application/json", "Retry-After": "30"},
			giveBody:    `{"type":"about:blank","title":"Service Unavailable","status":503}`,
			wantMessage: "errcode: HTTP 503 Service Unavailable: Service Unavailable",
			wantStatus:  http.StatusServiceUnavailable, wantRetry: errcode.Transient, wantAfter: 30 * time.Second,
		},
		{
			desc: "problem document without title or detail", giveStatus: http.StatusConflict,
			giveHeader:  map[string]string{"Content-Type": "application/problem+json; charset=utf-8"},
			giveBody:    `{"status":409}`,
			wantMessage: "errcode: HTTP 409 Conflict: a problem document without title or detail",
			wantStatus:  http.StatusConflict,
		},
		{
			desc: "problem document with control characters", giveStatus: http.StatusBadRequest,
			giveHeader:  map[string]string{"Content-Type": "application/problem+json"},
			giveBody:    "{\"title\":\"bad\\r\\nX-Injected: 1\",\"detail\":\"nul\\u0000 esc\\u001b[31m bidi\\u2028end \xff\"}",
			wantMessage: "errcode: HTTP 400 Bad Request: bad  X-Injected: 1: nul  esc [31m bidi end \uFFFD",
			wantStatus:  http.StatusBadRequest,
		},
		{
			desc: "problem document with a long detail", giveStatus: http.StatusBadRequest,
			giveHeader: map[string]string{"Content-Type": "application/problem+json"},
			giveBody:   `{"detail":"` + strings.Repeat("d", 10000) + `"}`,
			wantParts:  []string{"HTTP 400 Bad Request: ddd", "d…"},
			wantStatus: http.StatusBadRequest,
		},
		{
			desc: "HTML 502 with Retry-After seconds", giveStatus: http.StatusBadGateway,
			giveHeader: map[string]string{"Content-Type": "text/html", "Retry-After": "120"}, giveBody: proxyPage,
			wantParts:  []string{"HTTP 502 Bad Gateway", "not an errcode error", `"text/html"`, "150 bytes", `"<html>\r\n<head><title>502 Bad Gateway`, "invalid character '<'"},
			wantStatus: http.StatusBadGateway, wantRetry: errcode.Transient, wantAfter: 2 * time.Minute,
		},
		{
			desc: "429 with HTTP-date Retry-After", giveStatus: http.StatusTooManyRequests,
			giveHeader: map[string]string{"Content-Type": "text/plain", "Date": rfc1123(date), "Retry-After": rfc1123(date.Add(90 * time.Second))},
			giveBody:   "slow down",
			wantParts:  []string{"HTTP 429 Too Many Requests", `beginning "slow down"`},
			wantStatus: http.StatusTooManyRequests, wantRetry: errcode.Transient, wantAfter: 90 * time.Second,
		},
		{
			desc: "Retry-After date in the past", giveStatus: http.StatusTooManyRequests,
			giveHeader: map[string]string{"Date": rfc1123(date), "Retry-After": rfc1123(date.Add(-time.Hour))},
			wantParts:  []string{"HTTP 429 Too Many Requests", "no body"},
			wantStatus: http.StatusTooManyRequests, wantRetry: errcode.Transient,
		},
		{
			desc: "Retry-After that parses as nothing", giveStatus: http.StatusServiceUnavailable,
			giveHeader: map[string]string{"Retry-After": "-5"},
			wantStatus: http.StatusServiceUnavailable, wantRetry: errcode.Transient,
		},
		{
			desc: "Retry-After in fractional seconds", giveStatus: http.StatusServiceUnavailable,
			giveHeader: map[string]string{"Retry-After": "1.5"},
			wantStatus: http.StatusServiceUnavailable, wantRetry: errcode.Transient,
		},
		{
			desc: "huge Retry-After", giveStatus: http.StatusServiceUnavailable,
			giveHeader: map[string]string{"Retry-After": "99999999999999999999999"},
			wantStatus: http.StatusServiceUnavailable, wantRetry: errcode.Transient, wantAfter: 24 * time.Hour,
		},
		{
			desc: "Retry-After just over a day", giveStatus: http.StatusServiceUnavailable,
			giveHeader: map[string]string{"Retry-After": "86401"},
			wantStatus: http.StatusServiceUnavailable, wantRetry: errcode.Transient, wantAfter: 24 * time.Hour,
		},
		{
			desc: "Retry-After date years away", giveStatus: http.StatusServiceUnavailable,
			giveHeader: map[string]string{"Date": rfc1123(date), "Retry-After": rfc1123(date.AddDate(300, 0, 0))},
			wantStatus: http.StatusServiceUnavailable, wantRetry: errcode.Transient, wantAfter: 24 * time.Hour,
		},
		{
			desc: "503 without body", giveStatus: http.StatusServiceUnavailable,
			wantParts:  []string{"HTTP 503 Service Unavailable with no body"},
			wantStatus: http.StatusServiceUnavailable, wantRetry: errcode.Transient,
		},
		{
			desc: "404 JSON of another API with its own code", giveStatus: http.StatusNotFound,
			giveHeader: map[string]string{"Content-Type": "application/json"},
			giveBody:   `{"code":"VmConfigError","message":"no such repository","version":"v3"}`,
			wantParts:  []string{"HTTP 404 Not Found", "not an errcode error", `JSON without errcode's "version" and "chain"`, "no such repository"},
			wantStatus: http.StatusNotFound,
		},
		{
			desc: "truncated errcode body", giveStatus: http.StatusServiceUnavailable,
			giveHeader: map[string]string{"Content-Type": "application/problem+json"}, giveBody: errcodeBody[:len(errcodeBody)/2],
			wantParts:  []string{"HTTP 503 Service Unavailable", "not an errcode error", "unexpected end of JSON input"},
			wantStatus: http.StatusServiceUnavailable, wantRetry: errcode.Transient,
		},
		{
			desc: "errcode body of another version", giveStatus: http.StatusInternalServerError,
			giveHeader: map[string]string{"Content-Type": "application/problem+json"},
			giveBody:   `{"version":2,"message":"x","chain":[{"message":"x"}]}`,
			wantParts:  []string{"HTTP 500 Internal Server Error", "not an errcode error", "version 2"},
			wantStatus: http.StatusInternalServerError,
		},
		{
			desc: "JSON that is not an object", giveStatus: http.StatusBadRequest,
			giveBody:   `["version","chain"]`,
			wantParts:  []string{"HTTP 400 Bad Request", "not an errcode error", "cannot unmarshal array"},
			wantStatus: http.StatusBadRequest,
		},
		{
			desc: "JSON null", giveStatus: http.StatusBadRequest,
			giveBody:   `null`,
			wantParts:  []string{"HTTP 400 Bad Request", "not an errcode error", "not a JSON object"},
			wantStatus: http.StatusBadRequest,
		},
		{
			desc: "a status outside 400-599", giveStatus: http.StatusNotModified,
			wantParts:  []string{"HTTP 304 Not Modified with no body"},
			wantStatus: http.StatusInternalServerError,
		},
		{
			desc: "garbage", giveStatus: http.StatusGatewayTimeout,
			giveHeader: map[string]string{"Content-Type": "application/octet-stream"}, giveBody: "\x00\x01\xffgarbage",
			wantParts:  []string{"HTTP 504 Gateway Timeout", `beginning "\x00\x01\xffgarbage"`, "invalid character"},
			wantStatus: http.StatusGatewayTimeout, wantRetry: errcode.Transient,
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			var body io.Reader
			if tt.giveBody != "" {
				body = strings.NewReader(tt.giveBody)
			}
			resp := response(tt.giveStatus, "", body)
			for k, v := range tt.giveHeader {
				resp.Header.Set(k, v)
			}
			got := errcode.ErrorFromResponse(resp)
			require.Error(t, got)
			if tt.wantMessage != "" {
				assert.Equal(t, tt.wantMessage, got.Error())
			}
			for _, p := range tt.wantParts {
				assert.Contains(t, got.Error(), p)
			}
			assert.Equal(t, tt.wantName, errcode.NameOf(got), "NameOf")
			assert.Equal(t, tt.wantStatus, errcode.HTTPStatusOf(got), "HTTPStatusOf")
			assert.Equal(t, tt.wantRetry, errcode.RetryOf(got), "RetryOf")
			assert.Equal(t, tt.wantAfter, errcode.RetryAfterOf(got), "RetryAfterOf")
		})
	}
}

// TestHTTPRetryAfterDateRelativeToNow reads an HTTP-date Retry-After from
// a response without a Date header.
func TestHTTPRetryAfterDateRelativeToNow(t *testing.T) {
	t.Parallel()
	resp := response(http.StatusServiceUnavailable, "", nil)
	resp.Header.Set("Retry-After", rfc1123(time.Now().Add(time.Hour)))
	d := errcode.RetryAfterOf(errcode.ErrorFromResponse(resp))
	assert.True(t, d > 58*time.Minute && d <= time.Hour, "RetryAfterOf = %v; want about an hour", d)

	resp.Header.Set("Date", "not a date")
	d = errcode.RetryAfterOf(errcode.ErrorFromResponse(resp))
	assert.True(t, d > 58*time.Minute && d <= time.Hour, "with an unreadable Date: RetryAfterOf = %v; want about an hour", d)
}

// FuzzErrorFromResponse checks that no body, Content-Type or Retry-After
// makes ErrorFromResponse panic, return nil, or give a status, retry
// decision or hint out of range.
func FuzzErrorFromResponse(f *testing.F) {
	rec := httptest.NewRecorder()
	errcode.WriteHTTPError(rec, errcode.SandboxError.Wrap(errcode.VmCapacityError.New("pool full", "pool", "default"), "start"))
	f.Add(503, "application/problem+json", "", rec.Body.String())
	f.Add(403, "application/problem+json", "", `{"type":"https://example.com/probs/out-of-credit","title":"You do not have enough credit.","detail":"Your current balance is 30, but that costs 50."}`)
	f.Add(502, "text/html", "120", "<html><head><title>502 Bad Gateway</title></head></html>")
	f.Add(429, "text/plain", "Sat, 01 Mar 2025 12:31:30 GMT", "slow down")
	f.Add(404, "application/json", "", `{"code":"not_found","message":"no such repository"}`)
	f.Add(500, "application/json", "99999999999999999999", `{"version":1,"chain":[{"kind":"co`)
	f.Add(400, "", "", `{"version":1,"chain":[{"code":"VmConfigError","message":"x","fields":{"a":1},"field_types":{"a":"int8"}}]}`)
	f.Add(599, "", "", "")
	f.Fuzz(func(t *testing.T, status int, contentType, retryAfterHeader, body string) {
		if status < 100 || status > 999 || (status >= 200 && status <= 299) {
			return
		}
		resp := response(status, contentType, strings.NewReader(body))
		resp.Header.Set("Retry-After", retryAfterHeader)
		got := errcode.ErrorFromResponse(resp)
		if got == nil {
			t.Fatalf("ErrorFromResponse(%d, %q) = nil", status, body)
		}
		_ = got.Error()
		_ = fmt.Sprintf("%+v", got)
		if s := errcode.HTTPStatusOf(got); s < 400 || s > 599 {
			t.Errorf("HTTPStatusOf = %d; want 400-599", s)
		}
		if d := errcode.RetryAfterOf(got); d < 0 || d > 24*time.Hour {
			t.Errorf("RetryAfterOf = %v; want 0 to 24h", d)
		}
		if _, derr := errcode.DecodeJSON([]byte(body)); derr != nil {
			// Not errcode's form: the status decides.
			if want := errcode.HTTPStatusRetry(status); errcode.RetryOf(got) != want {
				t.Errorf("RetryOf = %v; want HTTPStatusRetry(%d) = %v", errcode.RetryOf(got), status, want)
			}
		}
	})
}

// TestHTTPDisclosePublic checks that a DisclosePublic response carries
// no stack frame, file path, unsafe message part or unsafe field, and
// answers every question as the error does.
func TestHTTPDisclosePublic(t *testing.T) {
	t.Parallel()
	inner := errcode.WithFields(errcode.VmConfigError.Newf("token %s rejected for tenant %s", "s3cr3t-t0ken", errcode.Safe("acme")),
		"password", "hunter2", "vcpus", errcode.Safe(0))
	giveErr := errcode.WithRetryAfter(errcode.WithHTTPStatus(
		crdberrors.Wrap(fmt.Errorf("loading /etc/sandbox/private.key: %w", inner), "provision"),
		http.StatusTooManyRequests), 3*time.Second)
	// Secrets, the path in a message, and what stack frames show.
	leaks := []string{"s3cr3t-t0ken", "hunter2", "/etc/sandbox", "private.key", ".go:", "http_test", "TestHTTPDisclosePublic", "testing.tRunner", "runtime.goexit"}

	full := httptest.NewRecorder()
	errcode.WriteHTTPErrorWith(full, giveErr, errcode.DiscloseFull)
	for _, s := range []string{"s3cr3t-t0ken", "hunter2", "/etc/sandbox", "http_test.go:", "TestHTTPDisclosePublic"} {
		assert.Contains(t, full.Body.String(), s, "DiscloseFull writes the whole error")
	}
	def := httptest.NewRecorder()
	errcode.WriteHTTPError(def, giveErr)
	assert.Equal(t, full.Body.String(), def.Body.String(), "DiscloseFull is the default")

	for _, d := range []errcode.Disclosure{errcode.DisclosePublic, errcode.Disclosure(7)} {
		rec := httptest.NewRecorder()
		errcode.WriteHTTPErrorWith(rec, giveErr, d)
		body := rec.Body.String()
		for _, s := range leaks {
			assert.NotContains(t, body, s, "Disclosure(%d): the body leaks %q", d, s)
		}
		assert.Equal(t, http.StatusTooManyRequests, rec.Code)
		assert.Equal(t, "3", rec.Header().Get("Retry-After"))

		var p problemDoc
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
		assert.Equal(t, "urn:errcode:VmConfigError", p.Type)
		assert.Equal(t, "provision: ×: token × rejected for tenant acme", p.Detail)

		got := errcode.ErrorFromResponse(rec.Result())
		require.Error(t, got)
		for _, s := range leaks {
			assert.NotContains(t, fmt.Sprintf("%+v", got), s, "Disclosure(%d): the decoded error leaks %q", d, s)
		}
		assert.Equal(t, p.Detail, got.Error())
		assert.Equal(t, "VmConfigError", errcode.NameOf(got))
		assert.Equal(t, errcode.RetryOf(giveErr), errcode.RetryOf(got))
		assert.Equal(t, 3*time.Second, errcode.RetryAfterOf(got))
		assert.Equal(t, http.StatusTooManyRequests, errcode.HTTPStatusOf(got))
		assert.Equal(t, map[string]any{"vcpus": 0}, errcode.Fields(got), "only the Safe fields")
	}
}
