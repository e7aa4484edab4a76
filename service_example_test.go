package errcode_test

// The snippets of the README's "Using errcode in a service", compiled and
// run.

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/errcode/errcode"
)

// reply is the README's handler dispatch.
func reply(err error) string {
	switch c, _ := errcode.Match(err, errcode.VmCapacityError, errcode.TransientError, errcode.PermanentError); c {
	case errcode.VmCapacityError:
		return "busy, come back later"
	case errcode.TransientError:
		return "retrying"
	case errcode.PermanentError:
		return "failed"
	}
	return "unknown"
}

// Handler dispatch with Match: the candidate nearest to the error's code
// wins.
func Example_serviceDispatch() {
	fmt.Println(reply(errcode.VmCapacityError.New("pool full")))
	fmt.Println(reply(fmt.Errorf("boot: %w", errcode.VmBootTimeoutError.New("agent not ready"))))
	fmt.Println(reply(errcode.VmConfigError.New("two boot disks")))
	fmt.Println(reply(errcode.SnapshotError.New("snapshot corrupt")))
	// Output:
	// busy, come back later
	// retrying
	// failed
	// unknown
}

// HTTP: the handler writes the JSON form with the mapped status; the
// client turns the response back into the error.
func Example_serviceHTTP() {
	startVM := func(context.Context) error {
		return errcode.VmCapacityError.New("pool full", "pool", "default")
	}
	handle := func(w http.ResponseWriter, r *http.Request) {
		if err := startVM(r.Context()); err != nil {
			errcode.WriteHTTPError(w, err) // 503 for a VmCapacityError, JSON body
			return
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(handle))
	defer srv.Close()

	resp, err := http.Get(srv.URL)
	if err == nil {
		defer resp.Body.Close()
		err = errcode.ErrorFromResponse(resp) // nil for 2xx; the coded error otherwise
	}
	pool, _ := errcode.Field[string](err, "pool")
	fmt.Println(resp.StatusCode, errcode.CodeOf(err), errcode.IsRetryable(err), pool)
	// Output:
	// 503 VmCapacityError true default
}

// Logging: errcode's errors are slog.LogValuers.
func Example_serviceLogging() {
	logger := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // for a stable output
			}
			return a
		},
	}))
	err := errcode.VmCapacityError.New("pool full", "pool", "default")
	logger.Error("start failed", "err", err)
	// Output:
	// {"level":"ERROR","msg":"start failed","err":{"message":"pool full","code":"VmCapacityError","retry":"transient","retry_after":1000000000,"fields":{"pool":"default"}}}
}
