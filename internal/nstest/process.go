//go:build linux

package nstest

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// killWait bounds how long cleanup waits for a killed process to be reaped.
const killWait = 5 * time.Second

// Process is a background command running inside a namespace. The harness
// kills its process group in t.Cleanup.
type Process struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{} // closed once the process has been reaped
	err  error         // Wait's result; read only after done is closed
}

// Start runs args (command and arguments) in the background inside the
// namespace via `ip netns exec`. iproute2 execs the command in place, so the
// PID is the command's own. The command gets its own process group, and
// that group is killed with SIGKILL when the test ends.
func (n *NS) Start(args ...string) *Process {
	n.t.Helper()
	cmd := exec.Command("ip", append([]string{"netns", "exec", n.Name}, args...)...)
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		n.t.Fatalf("nstest: starting %q in %s: %v", strings.Join(args, " "), n.Name, err)
	}
	p := &Process{cmd: cmd, out: out, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	n.t.Cleanup(func() {
		if err := p.Stop(); err != nil {
			n.t.Errorf("nstest: %v", err)
		}
	})
	return p
}

// PID returns the process ID (also its process group ID).
func (p *Process) PID() int { return p.cmd.Process.Pid }

// Output returns what the process has written to stdout and stderr so far.
func (p *Process) Output() string { return p.out.String() }

// Done is closed when the process has exited and been reaped.
func (p *Process) Done() <-chan struct{} { return p.done }

// Stop kills the process group with SIGKILL and waits, bounded, until the
// process has been reaped. Stopping an exited process is a no-op.
func (p *Process) Stop() error {
	select {
	case <-p.done:
		return nil
	default:
	}
	pid := p.PID()
	// Negative PID: the whole group created with Setpgid, by its own ID.
	if err := syscall.Kill(-pid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("killing process group %d: %w", pid, err)
	}
	select {
	case <-p.done:
		return nil
	case <-time.After(killWait):
		return fmt.Errorf("process %d still running %s after SIGKILL", pid, killWait)
	}
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a
// command's stdout and stderr and reads by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
