//go:build linux

package nstest

import (
	"testing"
	"time"
)

// pollInterval is the spacing of WaitFor's checks.
const pollInterval = 20 * time.Millisecond

// WaitFor calls cond every 20ms until it returns nil, and fails the test
// with cond's last error if that has not happened within timeout. what
// names the awaited condition in the failure message.
func WaitFor(t testing.TB, timeout time.Duration, what string, cond func() error) {
	t.Helper()
	if err := Poll(timeout, cond); err != nil {
		t.Fatalf("nstest: waiting %s for %s: %v", timeout, what, err)
	}
}

// Poll calls cond every 20ms until it returns nil or timeout has passed,
// and returns cond's last error in the latter case. It always calls cond
// at least once.
func Poll(timeout time.Duration, cond func() error) error {
	deadline := time.Now().Add(timeout)
	for {
		err := cond()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(pollInterval)
	}
}
