//go:build linux

package nstest

import (
	"bytes"
	"fmt"
	"strings"
	"sync"

	"github.com/failoverkit/ipfailover/internal/nslab"
)

// Process is a background command running inside a namespace. The harness
// kills its process group in t.Cleanup.
type Process struct {
	p   *nslab.Process
	out *syncBuffer
}

// Start runs args (command and arguments) in the background inside the
// namespace via `ip netns exec`. iproute2 execs the command in place, so the
// PID is the command's own. The command gets its own process group, and
// that group is killed with SIGKILL when the test ends.
func (n *NS) Start(args ...string) *Process {
	n.t.Helper()
	out := &syncBuffer{}
	cl := cleanups(n.t) // runs before the namespace's own cleanups
	p, err := n.ns.Start(cl, strings.Join(args, " "), out, nil, nil, args...)
	if err != nil {
		n.t.Fatalf("nstest: %v", err)
	}
	return &Process{p: p, out: out}
}

// PID returns the process ID (also its process group ID).
func (p *Process) PID() int { return p.p.PID() }

// Output returns what the process has written to stdout and stderr so far.
func (p *Process) Output() string { return p.out.String() }

// Done is closed when the process has exited and been reaped.
func (p *Process) Done() <-chan struct{} { return p.p.Done() }

// Stop kills the process group with SIGKILL and waits, bounded, until the
// process has been reaped. Stopping an exited process is a no-op.
func (p *Process) Stop() error {
	if err := p.p.KillGroup(); err != nil {
		return err
	}
	if !p.p.Wait(nslab.KillWait) {
		return fmt.Errorf("process %d still running %s after SIGKILL", p.PID(), nslab.KillWait)
	}
	return nil
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
