package errcode_test

import (
	"bytes"
	stderrors "errors"
	"fmt"
	"io"
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
