package procexec

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
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

func TestRun(t *testing.T) {
	out, err := Run(context.Background(), 5*time.Second, script(t, `echo "$1 $2"`), "a", "b")
	if err != nil || strings.TrimSpace(out) != "a b" {
		t.Fatalf("ok script: %q, %v", out, err)
	}
	if _, err := Run(context.Background(), 5*time.Second, script(t, "exit 3")); err == nil || !strings.Contains(err.Error(), "exit status 3") {
		t.Fatalf("failing script: %v", err)
	}
	if _, err := Run(context.Background(), 5*time.Second, "/nonexistent/check.sh"); err == nil || !strings.Contains(err.Error(), "starting") {
		t.Fatalf("missing script: %v", err)
	}
}

func TestRunKillsTheProcessGroupOnTimeout(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "survived")
	// The child sleeps in the background and would write the marker later.
	p := script(t, "(sleep 1; touch "+marker+") & sleep 30")
	start := time.Now()
	_, err := Run(context.Background(), 200*time.Millisecond, p)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("Run returned after %v", el)
	}
	time.Sleep(1500 * time.Millisecond)
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("a child of the timed-out script kept running")
	}
}

func TestOutputIsBounded(t *testing.T) {
	out, err := Run(context.Background(), 5*time.Second, script(t, "head -c 100000 /dev/zero | tr '\\0' x"))
	if err != nil || len(out) != outputLimit {
		t.Fatalf("len %d, %v", len(out), err)
	}
}
