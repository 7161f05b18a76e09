//go:build linux

package nstest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"
)

// probe remembers whether this process can create network namespaces, so
// that the check runs once per test binary.
var probe struct {
	once sync.Once
	err  error
}

// inCI reports whether the CI=true convention is in force: privileged tests
// must then fail rather than skip.
func inCI() bool { return os.Getenv("CI") == "true" }

// skipOrFail skips the test, or fails it under CI=true.
func skipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if inCI() {
		t.Fatalf("%s (CI=true: privileged tests must run, not skip)", msg)
		return
	}
	t.Skip(msg)
}

// RequirePrivileged skips the test unless it runs as root and can create a
// network namespace. Under CI=true it fails instead of skipping.
func RequirePrivileged(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		skipOrFail(t, "nstest: test needs root (euid %d)", os.Geteuid())
		return
	}
	probe.once.Do(func() { probe.err = probeNetns() })
	if probe.err != nil {
		skipOrFail(t, "nstest: cannot create network namespaces: %v", probe.err)
	}
}

// RequireCommands skips the test (or fails it under CI=true) unless every
// named command is found in PATH.
func RequireCommands(t testing.TB, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			skipOrFail(t, "nstest: command %q not available: %v", n, err)
		}
	}
}

// probeNetns creates and deletes one namespace.
func probeNetns() error {
	if _, err := exec.LookPath("ip"); err != nil {
		return fmt.Errorf("iproute2 'ip' not found: %w", err)
	}
	name := uniqueName("probe")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "ip", "netns", "add", name).CombinedOutput(); err != nil {
		return fmt.Errorf("ip netns add %s: %w: %s", name, err, out)
	}
	if out, err := exec.CommandContext(ctx, "ip", "netns", "del", name).CombinedOutput(); err != nil {
		return fmt.Errorf("ip netns del %s: %w: %s", name, err, out)
	}
	return nil
}
