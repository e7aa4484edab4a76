package errcodeotel_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcodeotel"
)

// printSpan prints what a backend would receive of the one span sr holds.
func printSpan(sr *tracetest.SpanRecorder, secret string) {
	s := sr.Ended()[0]
	for _, kv := range s.Attributes() {
		fmt.Printf("%s=%s\n", kv.Key, kv.Value.String())
	}
	ev := s.Events()[0]
	fmt.Println("event:", ev.Name)
	fmt.Println("status:", s.Status().Code)
	fmt.Println("secret on the span:", strings.Contains(fmt.Sprint(s.Attributes(), ev.Attributes, s.Status()), secret))
}

func ExampleRecordError() {
	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
	_, span := tp.Tracer("example").Start(context.Background(), "StartSandbox")

	stderr := "tenant acme-secret: disk quota exceeded"
	err := fmt.Errorf("start vm-7: %w",
		errcode.VmOverlayError.Wrap(io.ErrUnexpectedEOF, "create overlay", "stderr", stderr))
	errcodeotel.RecordError(span, err)
	span.End()

	printSpan(sr, "acme-secret")
	// Output:
	// error.type=VmOverlayError
	// errcode.code=VmOverlayError
	// errcode.ancestors=["VmTransientError","TransientError","SandboxError"]
	// errcode.retry=transient
	// event: exception
	// status: Error
	// secret on the span: false
}

// A code from a newer peer that this process knows by no name — neither
// its own nor an ancestor's — is "_OTHER" in error.type, so that a peer
// cannot add metric labels; errcode.code keeps the sender's name.
func ExampleRecordError_unknownCode() {
	peer := errcode.NewRegistry()
	quota := peer.MustRegister("QuotaError", errcode.Code{}, errcode.Permanent)
	wire, _ := errcode.Encode(errcode.WithRetryAfter(quota.New("over quota", "tenant", "acme-secret"), 30*time.Second))
	err, _ := errcode.Decode(wire)

	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
	_, span := tp.Tracer("example").Start(context.Background(), "Call")
	errcodeotel.RecordError(span, err)
	span.End()

	printSpan(sr, "acme-secret")
	// Output:
	// error.type=_OTHER
	// errcode.code=QuotaError
	// errcode.retry=permanent
	// errcode.retry_after=30
	// event: exception
	// status: Error
	// secret on the span: false
}
