// Package procexec runs operator scripts (check and notify scripts) with a
// deadline that is enforced on the whole process group, so a script that
// forks a child which hangs cannot outlive its timeout.
package procexec

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"syscall"
	"time"
)

// ErrTimeout reports a script that ran past its deadline and was killed.
var ErrTimeout = errors.New("timed out")

// outputLimit bounds how much of a script's output is kept for the log.
const outputLimit = 4096

// Run executes path with args, killing its process group when timeout
// passes or ctx ends. It returns the combined output (truncated) and an
// error for a non-zero exit, a failure to start, or a timeout.
func Run(ctx context.Context, timeout time.Duration, path string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.Command(path, args...)
	var out limitedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("starting %s: %w", path, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return out.String(), fmt.Errorf("%s: %w", path, err)
		}
		return out.String(), nil
	case <-ctx.Done():
		// Kill the whole group: the script and anything it started.
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
		return out.String(), fmt.Errorf("%s: %w after %s", path, ErrTimeout, timeout)
	}
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
