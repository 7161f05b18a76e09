package cluster

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Proc is a daemon the lab started: a process that outlives `make lab`.
// Start is its start time in clock ticks since boot (/proc/PID/stat field
// 22), so that a recycled PID is never signalled.
type Proc struct {
	Name  string `json:"name"`
	PID   int    `json:"pid"`
	Start uint64 `json:"start"`
	Log   string `json:"log"`
}

// daemon describes a process to start.
type daemon struct {
	name   string
	netns  string // network namespace name; empty: the caller's
	cgroup string // cgroup (relative) it runs in, in every hierarchy
	log    string
	env    []string
	files  []*os.File // inherited as fd 3, 4, ...
	args   []string
}

// start runs d in its own session with its output in d.log, entering only
// the network namespace (nsenter --net): `ip netns exec` would also remount
// /sys and hide the cgroup hierarchies from kubelet.
func start(d daemon) (Proc, error) {
	args := d.args
	if d.netns != "" {
		args = append([]string{"nsenter", "--net=" + filepath.Join("/run/netns", d.netns), "--"}, args...)
	}
	logf, err := os.OpenFile(d.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return Proc{}, fmt.Errorf("starting %s: %w", d.name, err)
	}
	defer logf.Close()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.Env = append(os.Environ(), d.env...)
	cmd.ExtraFiles = d.files
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return Proc{}, fmt.Errorf("starting %s (%s): %w", d.name, args[0], err)
	}
	pid := cmd.Process.Pid
	// Reap it if it ends while this process lives; after this process
	// ends, init does.
	go func() { _ = cmd.Wait() }()
	if d.cgroup != "" {
		if err := joinCgroup(d.cgroup, pid); err != nil {
			_ = cmd.Process.Kill()
			return Proc{}, fmt.Errorf("starting %s: %w", d.name, err)
		}
	}
	st, err := startTime(pid)
	if err != nil {
		_ = cmd.Process.Kill()
		return Proc{}, fmt.Errorf("starting %s: %w", d.name, err)
	}
	return Proc{Name: d.name, PID: pid, Start: st, Log: d.log}, nil
}

// startTime reads a process's start time from /proc.
func startTime(pid int) (uint64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may hold spaces: fields after the last ')'.
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 20 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f))
	}
	return strconv.ParseUint(f[19], 10, 64) // field 22 of the whole line
}

// state reads a process's state letter ('Z' for a zombie).
func procState(pid int) byte {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 || i+2 >= len(s) {
		return 0
	}
	return s[i+2]
}

// Alive reports whether the process is still the one the lab started and
// has not exited.
func (p Proc) Alive() bool {
	st, err := startTime(p.PID)
	return err == nil && st == p.Start && procState(p.PID) != 'Z'
}

// Stop sends SIGTERM, waits up to grace, then SIGKILL and waits up to 5 s
// more. A process that is no longer the lab's is left alone.
func (p Proc) Stop(grace time.Duration) error {
	return p.stop(syscall.SIGTERM, grace)
}

// Kill sends SIGKILL and waits up to 5 s.
func (p Proc) Kill() error { return p.stop(syscall.SIGKILL, 0) }

func (p Proc) stop(sig syscall.Signal, grace time.Duration) error {
	if !p.Alive() {
		return nil
	}
	if err := syscall.Kill(p.PID, sig); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("stopping %s (pid %d): %w", p.Name, p.PID, err)
	}
	if waitGone(p, grace) {
		return nil
	}
	if err := syscall.Kill(p.PID, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("killing %s (pid %d): %w", p.Name, p.PID, err)
	}
	if waitGone(p, 5*time.Second) {
		return nil
	}
	return fmt.Errorf("%s (pid %d) did not exit after SIGKILL", p.Name, p.PID)
}

func waitGone(p Proc, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for {
		if !p.Alive() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
}
