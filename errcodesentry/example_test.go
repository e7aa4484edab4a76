package errcodesentry_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcodesentry"
)

// An error decoded from another process gets the sender's frames, its
// code as the title and a fingerprint by code.
func ExampleBuildReport() {
	sent := errcode.SandboxError.Wrap(errcode.VmOverlayError.New("qemu-img failed"), "starting sandbox")
	data, _ := errcode.Encode(sent)
	received, _ := errcode.Decode(data)

	event, _ := errcodesentry.BuildReport(received)
	title := event.Exception[len(event.Exception)-1] // Sentry's title is the last exception
	frames := title.Stacktrace.Frames
	fmt.Println("title:", title.Type)
	fmt.Println("newest frame:", frames[len(frames)-1].Function)
	fmt.Println("fingerprint:", event.Fingerprint)
	fmt.Println("tags:", event.Tags)
	// Output:
	// title: SandboxError
	// newest frame: ExampleBuildReport
	// fingerprint: [errcode SandboxError]
	// tags: map[errcode.code:SandboxError errcode.retry:transient]
}

// A code this process's registry lacks groups under its nearest known
// ancestor; the name it was sent under is a tag.
func ExampleBuildReport_unknownCode() {
	peer := errcode.NewRegistry()
	sandbox := peer.MustRegister("SandboxError", errcode.Code{})
	transient := peer.MustRegister("TransientError", sandbox, errcode.Transient)
	restore := peer.MustRegister("VmSnapshotRestoreError", peer.MustRegister("VmTransientError", transient))
	data, _ := errcode.Encode(restore.New("restore failed"))
	received, _ := errcode.Decode(data) // with errcode.Default, which lacks VmSnapshotRestoreError

	event, _ := errcodesentry.BuildReport(received)
	fmt.Println("title:", event.Exception[len(event.Exception)-1].Type)
	fmt.Println("fingerprint:", event.Fingerprint)
	fmt.Println("tags:", event.Tags)
	// Output:
	// title: VmTransientError
	// fingerprint: [errcode VmTransientError]
	// tags: map[errcode.code:VmTransientError errcode.retry:transient errcode.sent_code:VmSnapshotRestoreError]
}

// printer is a sentry.Transport that prints what it would send.
type printer struct{}

func (printer) Flush(time.Duration) bool              { return true }
func (printer) FlushWithContext(context.Context) bool { return true }
func (printer) Configure(sentry.ClientOptions)        {}
func (printer) Close()                                {}
func (printer) SendEvent(e *sentry.Event) {
	title := e.Exception[len(e.Exception)-1]
	fmt.Println("level:", e.Level)
	fmt.Println("title:", title.Type)
	fmt.Println("fingerprint:", e.Fingerprint)
	fmt.Println("shows vm-7:", strings.Contains(title.Value+e.Message, "vm-7"))
}

// CaptureException sends the event through a hub; the message is
// redacted, the code is not.
func ExampleCaptureException() {
	client, _ := sentry.NewClient(sentry.ClientOptions{Transport: printer{}})
	hub := sentry.NewHub(client, sentry.NewScope())

	err := errcode.VmBootTimeoutError.Newf("vm %s did not boot", "vm-7")
	errcodesentry.CaptureException(hub, err)
	// Output:
	// level: error
	// title: VmBootTimeoutError
	// fingerprint: [errcode VmBootTimeoutError]
	// shows vm-7: false
}
