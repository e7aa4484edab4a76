package errcode_test

import (
	"bytes"
	"context"
	"encoding/json"
	stderrors "errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/errcode/errcode"
)

// TestPythonHTTP exchanges errors between this process and a python3
// process (python/peer/http_peer.py, on the generated module
// python/sandbox_exceptions.py) over HTTP on 127.0.0.1, both ways:
// Python's urllib against a Go server writing WriteHTTPError, and
// ErrorFromResponse against a Python http.server sending to_wire bodies.
// Both sides report their answers for every case — every catalog code,
// every alias, codes the other side lacks (one with several known bases),
// a cause chain, joins and every field type — and the test names each
// answer that differs. The only difference allowed is the one the README
// states: Python's datetime and timedelta hold microseconds.
func TestPythonHTTP(t *testing.T) {
	t.Parallel()
	py := needPython3(t)
	script, err := filepath.Abs(filepath.Join("python", "peer", "http_peer.py"))
	require.NoError(t, err)

	t.Run("go server, python urllib", func(t *testing.T) {
		t.Parallel()
		goServerPythonClient(t, py, script)
	})
	t.Run("python http.server, go ErrorFromResponse", func(t *testing.T) {
		t.Parallel()
		pythonServerGoClient(t, py, script)
	})
}

func needPython3(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not on PATH: the Go/Python HTTP exchange (python/peer) does not run")
	}
	return p
}

// httpCase is an error the Go side sends.
type httpCase struct {
	name string
	err  error
}

// goHTTPCases returns the errors the Go server sends. An alias and a code
// with several parents are made by decoding what a peer sends (a Go code
// carries its canonical name, and has one parent); a code Python lacks is
// registered in a registry of its own.
func goHTTPCases(t *testing.T) []httpCase {
	decoded := func(doc string) error {
		err, derr := errcode.DecodeJSON([]byte(doc))
		require.NoError(t, derr, doc)
		return err
	}
	var out []httpCase
	for _, c := range errcode.Codes() {
		msg := c.Name() + " from go"
		err := c.New(msg)
		switch c {
		case errcode.SocketAuthError:
			err = errcode.NewSocketAuthError(msg, 1000, 0, "socket", "/run/agent.sock")
		case errcode.GuestAgentError:
			err = errcode.NewGuestAgentError(msg, map[string]any{"exit_code": 3, "stdout": "partial"})
		case errcode.VmOverlayError:
			err = errcode.NewVmOverlayError(msg, "no space left", "GenericError", "vm", 7)
		}
		out = append(out, httpCase{"code/" + c.Name(), err})
		for _, a := range errcode.Default.Aliases(c) {
			out = append(out, httpCase{"alias/" + a, decoded(fmt.Sprintf(
				`{"version":1,"chain":[{"code":%q,"message":"%s from go"}]}`, a, a))})
		}
	}
	own := errcode.NewRegistry()
	transient := own.MustRegister("TransientError", own.MustRegister("SandboxError", errcode.Code{}), errcode.Transient)
	restore := own.MustRegister("VmSnapshotRestoreError", own.MustRegister("VmTransientError", transient))
	out = append(out,
		httpCase{"unknown", restore.New("restore snap-42: memory image truncated")},
		httpCase{"unknown-bases", decoded(`{"version":1,"chain":[{"code":"SocketTransientError","message":"socket reset",` +
			`"ancestors":["TransientError","CommunicationError","SandboxError"],"parents":["TransientError","CommunicationError"]}]}`)},
		httpCase{"unknown-bases-retry", decoded(`{"version":1,"chain":[{"code":"FlakyConfigError","message":"config flapped",` +
			`"ancestors":["VmConfigError","VmPermanentError","PermanentError","VmTransientError","TransientError","SandboxError"],` +
			`"parents":["VmConfigError","VmTransientError"]}]}`)},
		httpCase{"cause-chain", errcode.SandboxError.Wrap(fmt.Errorf("starting vm 7: %w",
			errcode.VmOverlayError.Wrap(stderrors.New("qemu-img failed"), "overlay", "attempt", int32(3))), "runner")},
		httpCase{"retry-override", errcode.WithRetry(errcode.VmCapacityError.New("pool full"), errcode.Permanent)},
		httpCase{"retry-after-override", errcode.WithRetryAfter(errcode.VmBootTimeoutError.New("slow boot"), 2500*time.Millisecond)},
		httpCase{"join", stderrors.Join(errcode.VmConfigError.New("bad vcpu"), errcode.VmBootTimeoutError.New("slow"),
			stderrors.New("plain"))},
		httpCase{"join-wrapped", errcode.AssetError.Wrap(stderrors.Join(errcode.AssetChecksumError.New("sha256 mismatch"),
			errcode.VmCapacityError.New("pool full")), "fetching assets")},
		httpCase{"fields/scalars", errcode.WithFields(errcode.SnapshotError.New("scalars"), scalarFields()...)},
		httpCase{"fields/special", errcode.WithFields(errcode.SnapshotError.New("special"), specialFields()...)},
		httpCase{"fields/collections", errcode.WithFields(errcode.SnapshotError.New("collections"), collectionFields()...)},
		httpCase{"fields/json-values", errcode.WithFields(errcode.SnapshotError.New("json values"), jsonValueFields()...)},
	)
	return out
}

// teeWriter keeps a copy of what WriteHTTPError writes.
type teeWriter struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (w *teeWriter) Write(p []byte) (int, error) {
	w.body.Write(p)
	return w.ResponseWriter.Write(p)
}

// sentResponse is what the Go server sent for a case.
type sentResponse struct {
	status int
	header http.Header
	body   []byte
}

func goServerPythonClient(t *testing.T, py, script string) {
	cases := goHTTPCases(t)
	byName := map[string]error{}
	names := make([]string, 0, len(cases))
	for _, c := range cases {
		byName[c.name] = c.err
		names = append(names, c.name)
	}
	var mu sync.Mutex
	sent := map[string]sentResponse{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/case/")
		err, ok := byName[name]
		if !ok {
			http.Error(w, "no such case "+name, http.StatusNotFound)
			return
		}
		tw := &teeWriter{ResponseWriter: w}
		errcode.WriteHTTPError(tw, err)
		mu.Lock()
		sent[name] = sentResponse{errcode.HTTPStatusOf(err), w.Header().Clone(), tw.body.Bytes()}
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)

	stdin, err := json.Marshal(names)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, py, script, "client", srv.URL)
	cmd.Env = append(cmd.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "python3 http_peer.py client: %s", stderr.String())
	var got map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(out, &got), "%s", out)

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			raw, ok := got[c.name]
			require.True(t, ok, "Python reported no answers for %s", c.name)
			var pa pyAnswers
			require.NoError(t, json.Unmarshal(raw, &pa))
			mu.Lock()
			resp, ok := sent[c.name]
			mu.Unlock()
			require.True(t, ok, "the Go server sent nothing for %s", c.name)
			require.Empty(t, pa.Refused, "Python refused what WriteHTTPError wrote")

			// The Go side's answers are those of a Go receiver of the same bytes:
			// for a code Python lacks, a receiver that lacks it too.
			decoded := errcode.ErrorFromResponse(&http.Response{StatusCode: resp.status, Status: http.StatusText(resp.status),
				Header: resp.header, Body: io.NopCloser(bytes.NewReader(resp.body))})
			goAns := goAnswers(t, decoded)
			if strings.HasPrefix(c.name, "fields") {
				require.NotEmpty(t, goAns.Fields, "no fields to compare")
			}
			var diffs []string
			// The sender's own answers that no registry changes.
			if want, got := c.err.Error(), decoded.Error(); want != got {
				diffs = append(diffs, fmt.Sprintf("Go receiver's error %q; the sender's %q", got, want))
			}
			if want, got := errcode.RetryOf(c.err), errcode.RetryOf(decoded); want != got {
				diffs = append(diffs, fmt.Sprintf("Go receiver's retry %v; the sender's %v", got, want))
			}
			diffs = append(diffs, diffAnswers(goAns, pa)...)
			diffs = append(diffs, diffHTTP("Python saw", pa.HTTP, httpWant(decoded, resp.status))...)
			if len(diffs) > 0 {
				t.Errorf("%s, Go -> Python: %d answers differ:\n  %s\nbody: %s", c.name, len(diffs),
					strings.Join(diffs, "\n  "), resp.body)
			}
		})
	}
}

func pythonServerGoClient(t *testing.T, py, script string) {
	statuses := map[string]int{}
	for _, c := range errcode.Codes() {
		statuses[c.Name()] = errcode.HTTPStatusOf(c)
	}
	stdin, err := json.Marshal(statuses)
	require.NoError(t, err)
	base := startPythonServer(t, py, script, stdin)

	resp, err := http.Get(base + "/answers")
	require.NoError(t, err)
	var answers map[string]json.RawMessage
	err = json.NewDecoder(resp.Body).Decode(&answers)
	resp.Body.Close()
	require.NoError(t, err)
	names := make([]string, 0, len(answers))
	for n := range answers {
		names = append(names, n)
	}
	sort.Strings(names)
	// Every case Go sends, Python sends too (but Go's own overrides, which
	// Python has no API for); and the other way round.
	for _, c := range goHTTPCases(t) {
		if !strings.HasPrefix(c.name, "fields/") && !strings.HasSuffix(c.name, "-override") {
			require.Contains(t, names, c.name, "the Python server has no case %s", c.name)
		}
	}

	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			var pa pyAnswers
			require.NoError(t, json.Unmarshal(answers[name], &pa))
			resp, err := http.Get(base + "/case/" + url.PathEscape(name))
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.NoError(t, err)
			resp.Body = io.NopCloser(bytes.NewReader(body))
			decoded := errcode.ErrorFromResponse(resp)
			require.Error(t, decoded)
			require.NotContains(t, decoded.Error(), "body", "ErrorFromResponse did not decode the JSON form: %v", decoded)
			var diffs []string
			goAns := goAnswers(t, decoded)
			if strings.HasPrefix(name, "fields") {
				require.NotEmpty(t, goAns.Fields, "no fields to compare")
			}
			diffs = append(diffs, diffAnswers(goAns, pa)...)
			got := pyHTTP{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type")}
			if ra := resp.Header.Get("Retry-After"); ra != "" {
				got.RetryAfter = &ra
			}
			diffs = append(diffs, diffHTTP("Python sent", got, httpWant(decoded, resp.StatusCode))...)
			if len(diffs) > 0 {
				t.Errorf("%s, Python -> Go: %d answers differ:\n  %s\nbody: %s", name, len(diffs),
					strings.Join(diffs, "\n  "), body)
			}
		})
	}
}

// startPythonServer starts http_peer.py server, killed when the test ends,
// and returns its base URL once it says which port it listens on.
func startPythonServer(t *testing.T, py, script string, stdin []byte) string {
	t.Helper()
	cmd := exec.Command(py, script, "server")
	cmd.Env = append(cmd.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	line := make(chan string, 1)
	go func() {
		var b [64]byte
		n, _ := io.ReadAtLeast(stdout, b[:], 1)
		for n < len(b) && !bytes.Contains(b[:n], []byte("\n")) {
			m, err := stdout.Read(b[n:])
			if err != nil {
				break
			}
			n += m
		}
		line <- string(b[:n])
	}()
	select {
	case l := <-line:
		var port int
		if _, err := fmt.Sscanf(l, "listening %d\n", &port); err != nil {
			t.Fatalf("python3 http_peer.py server said %q, not its port: %v\nstderr: %s", l, err, stderr.String())
		}
		return fmt.Sprintf("http://127.0.0.1:%d", port)
	case <-time.After(time.Minute):
		t.Fatalf("python3 http_peer.py server did not say its port within a minute\nstderr: %s", stderr.String())
		return ""
	}
}

// pyAnswers is what http_peer.py reports of an error (its answers()).
type pyAnswers struct {
	Refused     string                  `json:"refused"`
	Error       string                  `json:"error"`
	ErrorBase64 string                  `json:"error_base64"`
	Code        string                  `json:"code"`
	Name        string                  `json:"name"`
	Ancestors   []string                `json:"ancestors"`
	Retry       string                  `json:"retry"`
	Retryable   bool                    `json:"retryable"`
	RetryAfter  string                  `json:"retry_after"`
	Is          map[string]bool         `json:"is"`
	Fields      map[string]pyFieldValue `json:"fields"`
	HTTP        pyHTTP                  `json:"http"`
}

// pyFieldValue is a field: its type (Go's %T, or Python's type name) and
// its value in the conformance manifest's canonical JSON.
type pyFieldValue struct {
	Type  string          `json:"type"`
	Value json.RawMessage `json:"value"`
}

// pyHTTP is what an HTTP response said beside its body.
type pyHTTP struct {
	Status      int     `json:"status"`
	ContentType string  `json:"content_type"`
	RetryAfter  *string `json:"retry_after"`
}

// goAnswers returns Go's answers for err in pyAnswers' shape.
func goAnswers(t *testing.T, err error) pyAnswers {
	t.Helper()
	e := confAnswers(t, err)
	a := pyAnswers{Error: e.Error, ErrorBase64: e.ErrorBase64, Code: e.Code, Name: e.Name, Ancestors: e.Ancestors,
		Retry: e.Retry, Retryable: errcode.IsRetryable(err), RetryAfter: e.RetryAfter, Is: e.Is}
	if e.Fields != nil {
		a.Fields = map[string]pyFieldValue{}
		for k, v := range e.Fields {
			a.Fields[k] = pyFieldValue(v)
		}
	}
	return a
}

// httpWant returns what WIRE.md's HTTP section has a response carry for
// err: its status, the problem document's Content-Type, and Retry-After
// in whole seconds, rounded up, at most a day.
func httpWant(err error, status int) pyHTTP {
	w := pyHTTP{Status: status, ContentType: "application/problem+json"}
	if d := errcode.RetryAfterOf(err); d > 0 {
		s := fmt.Sprint(min(int64(86400), int64(math.Ceil(d.Seconds()))))
		w.RetryAfter = &s
	}
	return w
}

func diffHTTP(who string, got, want pyHTTP) []string {
	var d []string
	str := func(p *string) string {
		if p == nil {
			return "(none)"
		}
		return *p
	}
	if got.Status != want.Status {
		d = append(d, fmt.Sprintf("%s status %d; HTTPStatusOf of the decoded error is %d", who, got.Status, want.Status))
	}
	if got.ContentType != want.ContentType {
		d = append(d, fmt.Sprintf("%s Content-Type %q; want %q", who, got.ContentType, want.ContentType))
	}
	if str(got.RetryAfter) != str(want.RetryAfter) {
		d = append(d, fmt.Sprintf("%s Retry-After %s; want %s", who, str(got.RetryAfter), str(want.RetryAfter)))
	}
	return d
}

// diffAnswers names every answer of Python's that is not Go's.
func diffAnswers(goA, pyA pyAnswers) []string {
	var d []string
	add := func(what string, g, p any) {
		d = append(d, fmt.Sprintf("%s: Go %#v, Python %#v", what, g, p))
	}
	if goA.Error != pyA.Error || goA.ErrorBase64 != pyA.ErrorBase64 {
		add("error", goA.Error+" "+goA.ErrorBase64, pyA.Error+" "+pyA.ErrorBase64)
	}
	if goA.Code != pyA.Code {
		add("code", goA.Code, pyA.Code)
	}
	if goA.Name != pyA.Name {
		add("name", goA.Name, pyA.Name)
	}
	if strings.Join(goA.Ancestors, " ") != strings.Join(pyA.Ancestors, " ") {
		add("ancestors", goA.Ancestors, pyA.Ancestors)
	}
	if goA.Retry != pyA.Retry {
		add("retry", goA.Retry, pyA.Retry)
	}
	if goA.Retryable != pyA.Retryable {
		add("retryable", goA.Retryable, pyA.Retryable)
	}
	if want := microDuration(goA.RetryAfter); want != pyA.RetryAfter {
		add("retry-after (at microseconds)", want, pyA.RetryAfter)
	}
	if len(goA.Is) != len(pyA.Is) {
		add("is: catalog size", len(goA.Is), len(pyA.Is))
	}
	for n, g := range goA.Is {
		if p, ok := pyA.Is[n]; !ok {
			d = append(d, fmt.Sprintf("is %s: Go %v, Python (missing)", n, g))
		} else if p != g {
			add("is "+n, g, p)
		}
	}
	for k := range pyA.Fields {
		if _, ok := goA.Fields[k]; !ok {
			add("field "+k, nil, pyA.Fields[k].Type)
		}
	}
	for k, g := range goA.Fields {
		p, ok := pyA.Fields[k]
		if !ok {
			add("field "+k, g.Type, nil)
			continue
		}
		gv, pv := decodeCanon(g.Value), decodeCanon(p.Value)
		if !pyTypeHolds(g.Type, gv, p.Type) {
			add("field "+k+" type", g.Type, p.Type)
		}
		if !sameCanon(gv, pv) {
			add("field "+k+" value", string(g.Value), string(p.Value))
		}
	}
	return d
}

// microDuration returns the Go duration string s truncated toward zero to
// microseconds, as a Python timedelta holds it.
func microDuration(s string) string {
	d, err := time.ParseDuration(s)
	if err != nil {
		return "invalid " + s
	}
	return d.Truncate(time.Microsecond).String()
}

// pyTypeHolds reports whether a Python value of type py holds a Go value of
// type goType as the README's "Python" section says.
func pyTypeHolds(goType string, goValue any, py string) bool {
	if goValue == nil && (goType == "<nil>" || strings.HasPrefix(goType, "[]") || strings.HasPrefix(goType, "map[")) {
		return py == "NoneType" // a nil slice or map, or null
	}
	switch {
	case goType == "[]uint8":
		return py == "bytes"
	case strings.HasPrefix(goType, "[]"):
		return py == "list"
	case strings.HasPrefix(goType, "map["):
		return py == "dict"
	}
	want := map[string][]string{
		"int": {"int"}, "int8": {"int"}, "int16": {"int"}, "int32": {"int"}, "int64": {"int"},
		"uint": {"int"}, "uint8": {"int"}, "uint16": {"int"}, "uint32": {"int"}, "uint64": {"int"},
		"float32": {"float"}, "float64": {"float"}, "string": {"str"}, "bool": {"bool"},
		"time.Time": {"datetime", "GoTime"}, "time.Duration": {"timedelta"},
	}[goType]
	for _, w := range want {
		if w == py {
			return true
		}
	}
	return false
}

func decodeCanon(raw json.RawMessage) any {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return fmt.Sprintf("invalid JSON %q: %v", raw, err)
	}
	return v
}

// sameCanon reports whether the canonical values g (Go's) and p (Python's)
// are equal: numbers by value, and where Python holds a time or duration
// in microseconds (http_peer.py marks those), Go's nanoseconds truncated.
func sameCanon(g, p any) bool {
	switch p := p.(type) {
	case json.Number:
		gn, ok := g.(json.Number)
		return ok && sameNumber(gn, p)
	case []any:
		ga, ok := g.([]any)
		if !ok || len(ga) != len(p) {
			return false
		}
		for i := range p {
			if !sameCanon(ga[i], p[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		if us, ok := p["duration_us"].(json.Number); ok && len(p) == 1 {
			gn, ok := g.(json.Number)
			ns, err := gn.Int64()
			return ok && err == nil && us.String() == fmt.Sprint(ns/1000)
		}
		if t, ok := p["time_us"].([]any); ok && len(p) == 1 {
			gt, ok := g.([]any)
			if !ok || len(gt) != 3 || len(t) != 3 {
				return false
			}
			ns, err := gt[1].(json.Number).Int64()
			return err == nil && sameCanon(gt[0], t[0]) && sameCanon(json.Number(fmt.Sprint(ns/1000)), t[1]) &&
				sameCanon(gt[2], t[2])
		}
		gm, ok := g.(map[string]any)
		if !ok || len(gm) != len(p) {
			return false
		}
		for k, v := range p {
			if gv, ok := gm[k]; !ok || !sameCanon(gv, v) {
				return false
			}
		}
		return true
	default:
		return g == p
	}
}

func sameNumber(a, b json.Number) bool {
	if a == b {
		return true
	}
	ai, aok := new(big.Int).SetString(a.String(), 10)
	bi, bok := new(big.Int).SetString(b.String(), 10)
	if aok && bok {
		return ai.Cmp(bi) == 0
	}
	af, aerr := a.Float64()
	bf, berr := b.Float64()
	return aerr == nil && berr == nil && af == bf
}

// TestPythonHTTPDiff checks that diffAnswers names each answer that
// differs, and lets through only what Python's microseconds explain.
func TestPythonHTTPDiff(t *testing.T) {
	t.Parallel()
	field := func(typ, value string) map[string]pyFieldValue {
		return map[string]pyFieldValue{"f": {Type: typ, Value: json.RawMessage(value)}}
	}
	base := func() pyAnswers {
		return pyAnswers{Error: "e", Code: "VmCapacityError", Name: "VmCapacityError",
			Ancestors: []string{"VmTransientError"}, Retry: "transient", Retryable: true, RetryAfter: "1s",
			Is: map[string]bool{"VmCapacityError": true, "PermanentError": false}}
	}
	tests := []struct {
		desc     string
		goF, pyF func(*pyAnswers)
		want     []string // one substring per difference; none: equal
	}{
		{desc: "equal"},
		{"error", nil, func(a *pyAnswers) { a.Error = "f" }, []string{"error:"}},
		{"error bytes", nil, func(a *pyAnswers) { a.ErrorBase64 = "/w==" }, []string{"error:"}},
		{"code and name", nil, func(a *pyAnswers) { a.Code, a.Name = "VmTransientError", "VmError" }, []string{"code:", "name:"}},
		{"ancestors", nil, func(a *pyAnswers) { a.Ancestors = nil }, []string{"ancestors:"}},
		{"retry", nil, func(a *pyAnswers) { a.Retry, a.Retryable = "permanent", false }, []string{"retry:", "retryable:"}},
		{"retry-after nanoseconds", func(a *pyAnswers) { a.RetryAfter = "1.0000019s" }, func(a *pyAnswers) { a.RetryAfter = "1.000001s" }, nil},
		{"retry-after", nil, func(a *pyAnswers) { a.RetryAfter = "2s" }, []string{"retry-after"}},
		{"is", nil, func(a *pyAnswers) { a.Is = map[string]bool{"VmCapacityError": true, "PermanentError": true} }, []string{"is PermanentError"}},
		{"is missing", nil, func(a *pyAnswers) { a.Is = map[string]bool{"VmCapacityError": true} }, []string{"is PermanentError: Go false, Python (missing)", "is: catalog size"}},
		{"field only in Go", func(a *pyAnswers) { a.Fields = field("int", "1") }, nil, []string{"field f:"}},
		{"field only in Python", nil, func(a *pyAnswers) { a.Fields = field("int", "1") }, []string{"field f:"}},
		{"int8 as int", func(a *pyAnswers) { a.Fields = field("int8", "-8") }, func(a *pyAnswers) { a.Fields = field("int", "-8") }, nil},
		{"int as str", func(a *pyAnswers) { a.Fields = field("int", "1") }, func(a *pyAnswers) { a.Fields = field("str", `"1"`) }, []string{"field f type", "field f value"}},
		{"float 3 as 3.0", func(a *pyAnswers) { a.Fields = field("float64", "3") }, func(a *pyAnswers) { a.Fields = field("float", "3.0") }, nil},
		{"big uint64", func(a *pyAnswers) { a.Fields = field("uint64", "18446744073709551615") }, func(a *pyAnswers) { a.Fields = field("int", "18446744073709551614") }, []string{"field f value"}},
		{"bytes", func(a *pyAnswers) { a.Fields = field("[]uint8", `"AA=="`) }, func(a *pyAnswers) { a.Fields = field("list", `"AA=="`) }, []string{"field f type"}},
		{"nil slice as None", func(a *pyAnswers) { a.Fields = field("[]string", "null") }, func(a *pyAnswers) { a.Fields = field("NoneType", "null") }, nil},
		{"duration at microseconds", func(a *pyAnswers) { a.Fields = field("time.Duration", "1500999") },
			func(a *pyAnswers) { a.Fields = field("timedelta", `{"duration_us": 1500}`) }, nil},
		{"duration off by a microsecond", func(a *pyAnswers) { a.Fields = field("time.Duration", "1501000") },
			func(a *pyAnswers) { a.Fields = field("timedelta", `{"duration_us": 1500}`) }, []string{"field f value"}},
		{"plain int is not a duration", func(a *pyAnswers) { a.Fields = field("int", "1500999") },
			func(a *pyAnswers) { a.Fields = field("int", "1500000") }, []string{"field f value"}},
		{"time at microseconds", func(a *pyAnswers) { a.Fields = field("time.Time", "[1714972089,123456789,7200]") },
			func(a *pyAnswers) { a.Fields = field("datetime", `{"time_us": [1714972089, 123456, 7200]}`) }, nil},
		{"time offset", func(a *pyAnswers) { a.Fields = field("time.Time", "[1714972089,123456789,7200]") },
			func(a *pyAnswers) { a.Fields = field("datetime", `{"time_us": [1714972089, 123456, 3600]}`) }, []string{"field f value"}},
		{"nested", func(a *pyAnswers) { a.Fields = field("map[string]interface {}", `{"a":[1,{"b":"c"}]}`) },
			func(a *pyAnswers) { a.Fields = field("dict", `{"a": [1, {"b": "d"}]}`) }, []string{"field f value"}},
		{"nested extra key", func(a *pyAnswers) { a.Fields = field("map[string]interface {}", `{"a":1}`) },
			func(a *pyAnswers) { a.Fields = field("dict", `{"a": 1, "b": 2}`) }, []string{"field f value"}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			g, p := base(), base()
			if tt.goF != nil {
				tt.goF(&g)
			}
			if tt.pyF != nil {
				tt.pyF(&p)
			}
			got := diffAnswers(g, p)
			require.Len(t, got, len(tt.want), "diffAnswers = %q", got)
			sort.Strings(got)
			for i, w := range tt.want {
				require.Contains(t, got[i], w, "diffAnswers = %q", got)
			}
		})
	}
}
