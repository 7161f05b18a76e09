//go:build linux

package lab

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Process is a command running inside a lab namespace, in its own process
// group. Its removal (SIGKILL to the group, by ID) is registered in the
// lab's cleanups when it starts.
type Process struct {
	// Name describes the process in logs, e.g. "keepalived@n1".
	Name string

	cmd  *exec.Cmd
	log  *os.File
	done chan struct{} // closed once reaped
	err  error         // Wait's result; read after done
}

// Start runs args in the namespace with `ip netns exec` (which execs the
// command in place, so the PID is the command's own), with env added to
// the bench's environment and stdout and stderr going to logPath.
func (n *NS) Start(cl *Cleanups, name, logPath string, env []string, args ...string) (*Process, error) {
	f, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("log of %s: %w", name, err)
	}
	cmd := exec.Command("ip", append([]string{"netns", "exec", n.Name}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("starting %s (%s): %w", name, strings.Join(args, " "), err)
	}
	p := &Process{Name: name, cmd: cmd, log: f, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		f.Close()
		close(p.done)
	}()
	cl.Add(fmt.Sprintf("kill %s (pid %d)", name, p.PID()), func() error {
		if !p.Kill(5 * time.Second) {
			return fmt.Errorf("%s (pid %d) still running after SIGKILL", name, p.PID())
		}
		return nil
	})
	return p, nil
}

// PID is the process ID, also its process group ID.
func (p *Process) PID() int { return p.cmd.Process.Pid }

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
	if err := syscall.Kill(-p.PID(), syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("killing the process group of %s: %w", p.Name, err)
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
		p.Kill(5 * time.Second)
	}
	if !p.Exited() {
		return "still running"
	}
	if p.err == nil {
		return "exit status 0"
	}
	return p.err.Error()
}
