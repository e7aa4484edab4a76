package errcoderetry_test

import (
	"context"
	"fmt"
	"time"

	"github.com/cenkalti/backoff/v5"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/errcoderetry"
)

// instantClock fires every wait at once, so that the example does not
// sleep.
type instantClock struct{ now time.Time }

func (c *instantClock) Now() time.Time { return c.now }

func (c *instantClock) After(d time.Duration) <-chan time.Time {
	c.now = c.now.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

func ExampleDo() {
	calls := 0
	acquire := func(context.Context) error {
		calls++
		if calls < 3 {
			return errcode.VmCapacityError.New("pool full")
		}
		return nil
	}

	attempts, err := errcoderetry.Do(context.Background(), acquire,
		errcoderetry.WithMaxAttempts(5),
		errcoderetry.WithClock(&instantClock{}),
		// 100ms is less than VmCapacityError's 1s hint: the hint wins,
		// with up to 20% jitter on top.
		errcoderetry.WithBackOff(backoff.NewConstantBackOff(100*time.Millisecond)),
		errcoderetry.WithNotify(func(err error, wait time.Duration, attempt int) {
			fmt.Printf("attempt %d: %v (%s); waiting %v+\n", attempt, err, errcode.CodeOf(err), wait.Truncate(time.Second))
		}))
	fmt.Println("attempts:", attempts, "err:", err)
	// Output:
	// attempt 1: pool full (VmCapacityError); waiting 1s+
	// attempt 2: pool full (VmCapacityError); waiting 1s+
	// attempts: 3 err: <nil>
}

func ExampleDoValue() {
	boot := func(context.Context) (string, error) {
		return "", errcode.VmConfigError.New("vcpus must be positive")
	}

	id, attempts, err := errcoderetry.DoValue(context.Background(), boot,
		errcoderetry.WithClock(&instantClock{}))
	fmt.Printf("id=%q attempts=%d err=%v permanent=%t\n",
		id, attempts, err, errcode.Is(err, errcode.PermanentError))
	// Output:
	// id="" attempts=1 err=vcpus must be positive permanent=true
}

// A raw gRPC status, from a server that knows nothing of errcode, is
// classified by AIP-194's rules: Unavailable is retried, InvalidArgument
// is returned at once.
func ExampleDefaultClassifier() {
	for _, c := range []codes.Code{codes.Unavailable, codes.InvalidArgument} {
		calls := 0
		call := func(context.Context) error {
			calls++
			if calls < 3 {
				return status.Error(c, "from a server without errcode")
			}
			return nil
		}

		attempts, err := errcoderetry.Do(context.Background(), call,
			errcoderetry.WithClock(&instantClock{}),
			errcoderetry.WithBackOff(backoff.NewConstantBackOff(100*time.Millisecond)))
		fmt.Printf("%v: attempts=%d err=%v\n", c, attempts, err)
	}
	// Output:
	// Unavailable: attempts=3 err=<nil>
	// InvalidArgument: attempts=1 err=rpc error: code = InvalidArgument desc = from a server without errcode
}
