// Package procexec runs operator scripts (check and notify scripts) the way
// keepalived judges them: the script's own exit status decides, and every
// wait has a bound.
//
//   - Output is captured without waiting for grandchildren: a script that
//     exits and leaves a background child holding its stdout (`sleep 3600 &
//     exit 0`) is judged by its exit status at once.
//   - Every descendant is killed when the script exits, when it times out
//     and when the caller's context ends (shutdown), also descendants that
//     left the process group or the session (`setsid ...`): each run marks
//     its processes with an environment variable they inherit, and the kill
//     sweeps /proc for that mark as well as the process group.
//   - A script that cannot start is described in words: a missing file, a
//     missing interpreter on its #! line, a #! line ending in \r, a file
//     that is not executable (see StartError).
package procexec

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// ErrTimeout reports a script that ran past its deadline and was killed.
var ErrTimeout = errors.New("timed out")

// ErrStopped reports a script killed because the caller's context ended
// (the agent is stopping) before the script finished.
var ErrStopped = errors.New("stopped")

// errExit is a non-zero exit that exec reported only as ErrWaitDelay.
var errExit = errors.New("script failed")

// outputLimit bounds how much of a script's output is kept for the log.
const outputLimit = 4096

// ioWait bounds the wait for a script's output pipes after the script and
// every descendant the sweep found are gone. Only a descendant that both
// left the session and cleared its environment can hold them that long.
const ioWait = 200 * time.Millisecond

// MarkVar is the environment variable that marks a run's processes. Its
// value is unique per run.
const MarkVar = "IPFAILOVER_SCRIPT_RUN"

// Run executes path with args, killing it and every descendant when
// timeout passes or ctx ends, and every descendant left behind when it
// exits. It returns the combined output (truncated) and nil when the
// script exited with status 0; otherwise an error: a *StartError when it
// could not start, one wrapping *exec.ExitError for a non-zero status,
// ErrTimeout or ErrStopped when it was killed.
func Run(ctx context.Context, timeout time.Duration, path string, args ...string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("%s: %w before it started", path, ErrStopped)
	}
	mark := newMark()
	cmd := exec.Command(path, args...)
	cmd.Env = append(os.Environ(), MarkVar+"="+mark)
	var out limitedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = ioWait
	if err := cmd.Start(); err != nil {
		return "", describeStart(path, err)
	}
	pid := cmd.Process.Pid
	// Learn of the exit without reaping: while the script is a zombie its
	// PID, which is also its process group's ID, cannot be reused, so the
	// group kill below cannot hit a stranger.
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		var info unix.Siginfo
		for {
			err := unix.Waitid(unix.P_PID, pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
			if err != unix.EINTR {
				return
			}
		}
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var killed error
	select {
	case <-exited:
	case <-timer.C:
		killed = fmt.Errorf("%s: %w after %s", path, ErrTimeout, timeout)
	case <-ctx.Done():
		killed = fmt.Errorf("%s: %w", path, ErrStopped)
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			killed = fmt.Errorf("%s: %w (the caller's deadline)", path, ErrTimeout)
		}
	}
	if killed != nil {
		killTree(pid, mark)
		<-exited
	}
	// Whatever the script left running goes with it.
	killTree(pid, mark)
	err := cmd.Wait()
	if killed != nil {
		return out.String(), killed
	}
	if st := cmd.ProcessState; st != nil && st.Success() {
		// ErrWaitDelay only means a pipe stayed open after the exit.
		return out.String(), nil
	}
	if err == nil || errors.Is(err, exec.ErrWaitDelay) {
		err = fmt.Errorf("%w: %v", errExit, cmd.ProcessState)
	}
	return out.String(), fmt.Errorf("%s: %w", path, err)
}

// newMark returns a value for MarkVar that no other run has.
func newMark() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// limitedBuffer keeps the first outputLimit bytes written to it. It does
// not embed bytes.Buffer, whose ReadFrom io.Copy would use to bypass Write.
type limitedBuffer struct{ buf bytes.Buffer }

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := outputLimit - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (b *limitedBuffer) String() string { return b.buf.String() }
