// Command testpeer is the other process of errcode's cross-process test.
// It serves the testpeer gRPC service, with errcodegrpc's server
// interceptors, HTTP with errcode.WriteHTTPError, and the testpeer gRPC
// service again without errcode's interceptors, failing with statuses
// built by hand (testpeer.ForeignStatus), on three 127.0.0.1 ports it
// picks. It prints them as its first lines, one "KIND ADDRESS" a line,
// and then "ready":
//
//	grpc 127.0.0.1:PORT
//	http 127.0.0.1:PORT
//	grpc-foreign 127.0.0.1:PORT
//	ready
//
// A reader takes the kinds it knows and ignores the others.
//
// Its errcode.Default holds two codes that the test binary lacks:
// VmSnapshotRestoreError under VmTransientError and
// VmSnapshotCorruptError under VmSnapshotRestoreError.
//
// HTTP: GET /fail/{case} answers with the case's error; POST /hop takes
// an error the peer sent, encoded again in errcode's JSON form by the
// client, and answers 200 "OK" or 409 with what is wrong with it.
// GET /answers/{case} answers with the testpeer.Answers of the case's
// error, as JSON.
//
// It exits when its standard input reaches EOF, so that it does not
// outlive the test that started it, even one killed.
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path"
	"reflect"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcodegrpc"
	"github.com/errcode/errcode/internal/testpeer"
)

// Codes this process registers and the test binary does not.
var (
	VmSnapshotRestoreError = errcode.MustRegister("VmSnapshotRestoreError", errcode.VmTransientError,
		errcode.Doc("restoring a VM from a snapshot failed"))
	VmSnapshotCorruptError = errcode.MustRegister("VmSnapshotCorruptError", VmSnapshotRestoreError,
		errcode.Doc("the snapshot's checksum does not match"))
)

// peer serves the cases and remembers what it sent, by case key.
type peer struct {
	mu   sync.Mutex
	sent map[string][]byte
}

func (p *peer) record(key string, b []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sent[key] = bytes.Clone(b)
}

func (p *peer) lookup(key string) ([]byte, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	b, ok := p.sent[key]
	return b, ok
}

func (p *peer) Fail(_ context.Context, name string) error {
	return makeError("Fail/"+name, name)
}

func (p *peer) FailStream(_ context.Context, name string, send func(string) error) error {
	for _, m := range []string{"one", "two"} {
		if err := send(m); err != nil {
			return err
		}
	}
	return makeError("FailStream/"+name, name)
}

func (p *peer) CheckHop(_ context.Context, encoded []byte) (string, error) {
	return p.check(encoded, errcode.Decode), nil
}

// check returns "OK" if b, an error the peer sent and the client encoded
// again, is byte-identical to what the peer sent and decodes to an error
// whose code the peer's registry holds as its own; else what is wrong.
func (p *peer) check(b []byte, decode func([]byte) (error, error)) string {
	got, err := decode(b)
	if err != nil {
		return "the peer cannot decode what came back: " + err.Error()
	}
	key, ok := errcode.Field[string](got, testpeer.CaseField)
	if !ok {
		return fmt.Sprintf("what came back has no string field %q: %+v", testpeer.CaseField, got)
	}
	sent, ok := p.lookup(key)
	if !ok {
		return fmt.Sprintf("the peer sent nothing for case %q", key)
	}
	var problems []string
	if !bytes.Equal(b, sent) {
		problems = append(problems, fmt.Sprintf("not byte-identical to what the peer sent for %q: %d bytes came back, %d were sent, first difference at byte %d",
			key, len(b), len(sent), firstDiff(b, sent)))
	}
	if c := errcode.CodeOf(got); c.Registry() != errcode.Default || c.Name() != errcode.NameOf(got) {
		problems = append(problems, fmt.Sprintf("decodes to code %q, which the peer's registry does not hold as its own (CodeOf = %q)",
			errcode.NameOf(got), c.Name()))
	}
	want, err := decode(sent)
	if err != nil {
		return "the peer cannot decode what it sent: " + err.Error()
	}
	for _, q := range []struct {
		what      string
		want, got any
	}{
		{"Error()", want.Error(), got.Error()},
		{"NameOf", errcode.NameOf(want), errcode.NameOf(got)},
		{"RetryOf", errcode.RetryOf(want), errcode.RetryOf(got)},
		{"Fields", errcode.Fields(want), errcode.Fields(got)},
	} {
		if !reflect.DeepEqual(q.want, q.got) {
			problems = append(problems, fmt.Sprintf("%s is %v, was %v", q.what, q.got, q.want))
		}
	}
	if fmt.Sprintf("%+v", want) != fmt.Sprintf("%+v", got) {
		problems = append(problems, "%+v differs")
	}
	if len(problems) > 0 {
		return strings.Join(problems, "; ")
	}
	return "OK"
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// recordUnary, the outermost interceptor, records the errcode detail of
// the status a unary handler's error became.
func (p *peer) recordUnary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	resp, err := handler(ctx, req)
	if sv, ok := req.(*wrapperspb.StringValue); ok && err != nil {
		p.recordStatus(path.Base(info.FullMethod)+"/"+sv.GetValue(), err)
	}
	return resp, err
}

// recordStream is recordUnary for streams.
func (p *peer) recordStream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	rs := &requestRecorder{ServerStream: ss}
	err := handler(srv, rs)
	if err != nil && rs.name != "" {
		p.recordStatus(path.Base(info.FullMethod)+"/"+rs.name, err)
	}
	return err
}

func (p *peer) recordStatus(key string, err error) {
	st, _ := status.FromError(err)
	for _, d := range st.Proto().GetDetails() {
		if d.GetTypeUrl() == errcodegrpc.DetailTypeURL {
			p.record(key, d.GetValue())
		}
	}
}

// requestRecorder remembers the first request of a stream.
type requestRecorder struct {
	grpc.ServerStream
	name string
}

func (r *requestRecorder) RecvMsg(m any) error {
	err := r.ServerStream.RecvMsg(m)
	if sv, ok := m.(*wrapperspb.StringValue); ok && err == nil && r.name == "" {
		r.name = sv.GetValue()
	}
	return err
}

// teeWriter keeps a copy of the body it writes.
type teeWriter struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (w *teeWriter) Write(b []byte) (int, error) {
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

func (p *peer) httpFail(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	key := "http/" + name
	tw := &teeWriter{ResponseWriter: w}
	errcode.WriteHTTPError(tw, makeError(key, name))
	p.record(key, tw.body.Bytes())
}

func (p *peer) httpHop(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(io.LimitReader(r.Body, errcode.MaxEncodedSize+1))
	var verdict string
	switch {
	case err != nil:
		verdict = "reading the body: " + err.Error()
	case len(b) > errcode.MaxEncodedSize:
		verdict = "the body is over MaxEncodedSize"
	default:
		verdict = p.check(b, errcode.DecodeJSON)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if verdict != "OK" {
		w.WriteHeader(http.StatusConflict)
	}
	_, _ = io.WriteString(w, verdict)
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("testpeer: ")

	grpcLis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	httpLis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	foreignLis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}

	p := &peer{sent: make(map[string][]byte)}
	gs := grpc.NewServer(
		grpc.ChainUnaryInterceptor(p.recordUnary, errcodegrpc.UnaryServerInterceptor()),
		grpc.ChainStreamInterceptor(p.recordStream, errcodegrpc.StreamServerInterceptor()),
	)
	testpeer.Register(gs, p)
	fs := grpc.NewServer() // no errcode interceptors
	testpeer.Register(fs, foreignPeer{})

	mux := http.NewServeMux()
	mux.HandleFunc("GET /fail/{name}", p.httpFail)
	mux.HandleFunc("POST /hop", p.httpHop)
	mux.HandleFunc("GET /answers/{name}", httpAnswers)
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}

	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	go func() { log.Fatal(gs.Serve(grpcLis)) }()
	go func() { log.Fatal(hs.Serve(httpLis)) }()
	go func() { log.Fatal(fs.Serve(foreignLis)) }()

	fmt.Printf("grpc %s\nhttp %s\ngrpc-foreign %s\nready\n", grpcLis.Addr(), httpLis.Addr(), foreignLis.Addr())
	select {}
}
