//go:build linux

package nslab

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// KillWait bounds how long the removal of a process waits for it to be
// reaped after SIGKILL.
const KillWait = 5 * time.Second

// Process is a command running inside a namespace, in its own process
// group. Its removal (SIGKILL to the group, by ID) is registered in the
// lab's cleanups when it starts.
type Process struct {
	// Name describes the process in logs, e.g. "keepalived@n1".
	Name string

	cmd  *exec.Cmd
	done chan struct{} // closed once reaped
	err  error         // Wait's result; read after done
}

// Start runs args in the namespace with `ip netns exec` (which execs the
// command in place, so the PID is the command's own), with env added to
// the caller's environment (none added when env is nil) and stdout and
// stderr going to out. onExit, if not nil, runs once the process is reaped.
func (n *NS) Start(cl *Cleanups, name string, out io.Writer, env []string, onExit func(), args ...string) (*Process, error) {
	cmd := exec.Command("ip", append([]string{"netns", "exec", n.Name}, args...)...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s (%q in %s): %w", name, strings.Join(args, " "), n.Name, err)
	}
	p := &Process{Name: name, cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		if onExit != nil {
			onExit()
		}
		close(p.done)
	}()
	cl.Add(fmt.Sprintf("kill %s (pid %d)", name, p.PID()), func() error {
		if err := p.KillGroup(); err != nil {
			return err
		}
		if !p.Wait(KillWait) {
			return fmt.Errorf("process %d still running %s after SIGKILL", p.PID(), KillWait)
		}
		return nil
	})
	return p, nil
}

// PID is the process ID, also its process group ID.
func (p *Process) PID() int { return p.cmd.Process.Pid }

// Done is closed when the process has exited and been reaped.
func (p *Process) Done() <-chan struct{} { return p.done }

// Exited reports whether the process has been reaped.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Signal sends sig to the process alone. A reaped process is not signalled.
func (p *Process) Signal(sig syscall.Signal) error {
	if p.Exited() {
		return nil
	}
	if err := p.cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("signalling %s: %w", p.Name, err)
	}
	return nil
}

// KillGroup sends SIGKILL to the whole process group at once (keepalived's
// parent and its VRRP child together, so the child never sees its parent
// die and never gets to hand over). It does not wait.
func (p *Process) KillGroup() error {
	if p.Exited() {
		return nil
	}
	// Negative PID: the whole group created with Setpgid, by its own ID.
	if err := syscall.Kill(-p.PID(), syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("killing process group %d (%s): %w", p.PID(), p.Name, err)
	}
	return nil
}

// Wait waits at most d for the process to be reaped and reports whether it was.
func (p *Process) Wait(d time.Duration) bool {
	select {
	case <-p.done:
		return true
	case <-time.After(d):
		return false
	}
}

// Kill sends SIGKILL to the process group and waits at most d for the
// process to be reaped.
func (p *Process) Kill(d time.Duration) bool {
	if err := p.KillGroup(); err != nil {
		return false
	}
	return p.Wait(d)
}

// Stop sends SIGTERM and waits at most grace, then kills the group. It
// reports how the process ended ("exit status 0", "signal: killed", ...).
func (p *Process) Stop(grace time.Duration) string {
	_ = p.Signal(syscall.SIGTERM)
	if !p.Wait(grace) {
		p.Kill(KillWait)
	}
	if !p.Exited() {
		return "still running"
	}
	if p.err == nil {
		return "exit status 0"
	}
	return p.err.Error()
}
