package procexec

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func script(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "s.sh")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// pidsIn reads the PIDs a script wrote, one a line, into file.
func pidsIn(t *testing.T, file string) []int {
	t.Helper()
	var pids []int
	for i := 0; i < 100; i++ { // the script may still be writing
		b, err := os.ReadFile(file)
		if err == nil {
			for _, f := range strings.Fields(string(b)) {
				n, err := strconv.Atoi(f)
				if err != nil {
					t.Fatalf("pid file %q", b)
				}
				pids = append(pids, n)
			}
			if len(pids) > 0 {
				return pids
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no PIDs in %s", file)
	return nil
}

// gone waits, bounded, until none of pids is alive (a zombie counts as gone).
func gone(t *testing.T, pids []int) {
	t.Helper()
	for i := 0; ; i++ {
		var alive []int
		for _, pid := range pids {
			b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
			if err == nil && !strings.Contains(string(b), ") Z ") {
				alive = append(alive, pid)
			}
		}
		if len(alive) == 0 {
			return
		}
		if i > 200 {
			t.Fatalf("descendants still alive: %v", alive)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestRun(t *testing.T) {
	out, err := Run(context.Background(), 5*time.Second, script(t, `echo "$1 $2"`), "a", "b")
	if err != nil || strings.TrimSpace(out) != "a b" {
		t.Fatalf("ok script: %q, %v", out, err)
	}
	_, err = Run(context.Background(), 5*time.Second, script(t, "exit 3"))
	if err == nil || !strings.Contains(err.Error(), "exit status 3") || ReasonOf(err) != ReasonExitStatus {
		t.Fatalf("failing script: %v", err)
	}
}

// TestExitStatusDecides runs scripts that leave children behind: each is
// judged by its own exit status at once (keepalived's rule), and the
// children, also those that left the process group and the session, are
// killed.
func TestExitStatusDecides(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		ok         bool
	}{
		{"background child", "sleep 3600 & echo $! > $PIDS; exit 0", true},
		{"setsid child", "setsid sleep 3600 & echo $! > $PIDS; exit 0", true},
		{"setsid child of a failing script", "setsid sleep 3600 & echo $! > $PIDS; exit 1", false},
		{"setsid grandchild, own stdout", "setsid sh -c 'sleep 3600 & echo $! >> $PIDS; wait' </dev/null & echo $! >> $PIDS; exit 0", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pidFile := filepath.Join(t.TempDir(), "pids")
			t.Setenv("PIDS", pidFile)
			start := time.Now()
			_, err := Run(context.Background(), 10*time.Second, script(t, tc.body))
			if el := time.Since(start); el > 2*time.Second {
				t.Errorf("Run took %v, want the script's own run time", el)
			}
			if (err == nil) != tc.ok {
				t.Errorf("err = %v, want ok = %v", err, tc.ok)
			}
			gone(t, pidsIn(t, pidFile))
		})
	}
}

func TestRunKillsEveryDescendantOnTimeout(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pids")
	t.Setenv("PIDS", pidFile)
	p := script(t, "sleep 3600 & echo $! >> $PIDS; setsid sleep 3600 & echo $! >> $PIDS; echo $$ >> $PIDS; sleep 3600")
	start := time.Now()
	_, err := Run(context.Background(), 300*time.Millisecond, p)
	if !errors.Is(err, ErrTimeout) || ReasonOf(err) != ReasonTimeout {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if el := time.Since(start); el > 3*time.Second {
		t.Fatalf("Run returned after %v", el)
	}
	gone(t, pidsIn(t, pidFile))
}

func TestRunStopsWithTheContext(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pids")
	t.Setenv("PIDS", pidFile)
	p := script(t, "setsid sleep 3600 & echo $! >> $PIDS; sleep 3600")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	_, err := Run(ctx, time.Hour, p)
	if !errors.Is(err, ErrStopped) {
		t.Fatalf("err = %v, want ErrStopped", err)
	}
	gone(t, pidsIn(t, pidFile))
	if _, err := Run(ctx, time.Hour, p); !errors.Is(err, ErrStopped) {
		t.Fatalf("run after the end of ctx: %v", err)
	}
}

func TestStartErrorsSayWhy(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name   string
		path   string
		reason Reason
		words  string
	}{
		{"missing", filepath.Join(dir, "nope.sh"), ReasonNotFound, "does not exist"},
		{"not executable", write("plain.sh", "#!/bin/sh\nexit 0\n", 0o644), ReasonNotExecutable, "not executable"},
		{"missing interpreter", write("bash.sh", "#!/nonexistent/bash\nexit 0\n", 0o755), ReasonInterpreterMissing, "/nonexistent/bash named on its #! line"},
		{"CRLF", write("dos.sh", "#!/bin/sh\r\nexit 0\r\n", 0o755), ReasonCRLF, `"/bin/sh\r"`},
		{"no shebang", write("bin", "\x7fELF garbage", 0o755), ReasonExecFormat, "neither a program"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Run(context.Background(), 5*time.Second, tc.path)
			var se *StartError
			if !errors.As(err, &se) || ReasonOf(err) != tc.reason || !strings.Contains(err.Error(), tc.words) {
				t.Fatalf("err = %v (reason %q), want reason %q saying %q", err, ReasonOf(err), tc.reason, tc.words)
			}
			if tc.reason == ReasonExecFormat {
				return // Diagnose does not read binaries
			}
			if derr := Diagnose(tc.path); ReasonOf(derr) != tc.reason {
				t.Errorf("Diagnose = %v, want reason %q", derr, tc.reason)
			}
		})
	}
	if err := Diagnose(script(t, "exit 0")); err != nil {
		t.Errorf("Diagnose of a good script: %v", err)
	}
	if !errors.Is(&StartError{Err: syscall.ENOENT}, syscall.ENOENT) {
		t.Error("StartError does not unwrap")
	}
}

func TestOutputIsBounded(t *testing.T) {
	out, err := Run(context.Background(), 5*time.Second, script(t, "head -c 100000 /dev/zero | tr '\\0' x"))
	if err != nil || len(out) != outputLimit {
		t.Fatalf("len %d, %v", len(out), err)
	}
}
