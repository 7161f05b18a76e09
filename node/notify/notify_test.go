package notify

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/node/procexec"
)

func TestNotifyOrderArgsAndTimeout(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "calls")
	p := filepath.Join(dir, "notify.sh")
	// "hang" in the state makes the script outlive its timeout.
	body := "#!/bin/sh\necho \"$1 $2 $3 $4\" >> " + log + "\n[ \"$3\" = FAULT ] && sleep 30\nexit 0\n"
	if err := os.WriteFile(p, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	n := New(p, 300*time.Millisecond, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	start := time.Now()
	n.Notify(Event{"ipfailover_VIP_1", "BACKUP", 130})
	n.Notify(Event{"ipfailover_VIP_1", "FAULT", 130})
	n.Notify(Event{"ipfailover_VIP_1", "MASTER", 250})
	if el := time.Since(start); el > 100*time.Millisecond {
		t.Fatalf("Notify blocked for %v", el)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	n.Close(ctx)
	b, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	want := "INSTANCE ipfailover_VIP_1 BACKUP 130\nINSTANCE ipfailover_VIP_1 FAULT 130\nINSTANCE ipfailover_VIP_1 MASTER 250\n"
	if string(b) != want {
		t.Fatalf("calls:\n%s\nwant:\n%s", b, want)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("a hanging script held the queue for %v", el)
	}
}

func TestNilNotifierIgnoresEvents(t *testing.T) {
	var n *Notifier = New("", time.Second, nil, nil)
	n.Notify(Event{"x", "MASTER", 1})
	n.Close(context.Background())
	if n.Dropped() != 0 {
		t.Fatal("dropped on a nil notifier")
	}
}

func TestFullQueueDropsInsteadOfBlocking(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "slow.sh")
	if err := os.WriteFile(p, []byte("#!/bin/sh\nsleep 0.2\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	n := New(p, time.Second, slog.New(slog.NewTextHandler(&logs, nil)), nil)
	for i := 0; i < QueueLen+50; i++ {
		n.Notify(Event{"i", "MASTER", i})
	}
	if n.Dropped() == 0 {
		t.Fatal("nothing dropped with an overfull queue")
	}
	if !strings.Contains(logs.String(), "notify queue full") {
		t.Error("drop not logged")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	n.Close(ctx) // bounded by ctx; the worker drains in the background
}

// TestChildrenLeftBehindDelayNothing runs a notify script that leaves a
// child holding its output, once in its process group and once in a
// session of its own: each call returns at the script's exit, later calls
// still run, Close returns at once, and the children are gone.
func TestChildrenLeftBehindDelayNothing(t *testing.T) {
	for _, spawn := range []string{"sleep 3600", "setsid sleep 3600"} {
		t.Run(spawn, func(t *testing.T) {
			dir := t.TempDir()
			calls := filepath.Join(dir, "calls")
			p := filepath.Join(dir, "notify.sh")
			body := "#!/bin/sh\necho \"$3\" >> " + calls + "\n" + spawn + " &\necho $! >> " + calls + ".pids\nexit 0\n"
			if err := os.WriteFile(p, []byte(body), 0o755); err != nil {
				t.Fatal(err)
			}
			var reasons []procexec.Reason
			n := New(p, 5*time.Second, slog.New(slog.NewTextHandler(io.Discard, nil)), func(r procexec.Reason) { reasons = append(reasons, r) })
			start := time.Now()
			for _, st := range []string{"BACKUP", "MASTER", "STOP"} {
				n.Notify(Event{"ipfailover_VIP_1", st, 100})
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			n.Close(ctx)
			if el := time.Since(start); el > 3*time.Second {
				t.Errorf("three calls took %v", el)
			}
			if b, _ := os.ReadFile(calls); string(b) != "BACKUP\nMASTER\nSTOP\n" {
				t.Errorf("calls: %q", b)
			}
			if len(reasons) != 0 {
				t.Errorf("failures: %v", reasons)
			}
			b, _ := os.ReadFile(calls + ".pids")
			for _, f := range strings.Fields(string(b)) {
				if st, err := os.ReadFile("/proc/" + f + "/stat"); err == nil && !strings.Contains(string(st), ") Z ") {
					t.Errorf("child %s of a notify call still runs", f)
				}
			}
		})
	}
}

func TestFailureReasonIsReported(t *testing.T) {
	p := filepath.Join(t.TempDir(), "dos.sh")
	if err := os.WriteFile(p, []byte("#!/bin/sh\r\nexit 0\r\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	got := make(chan procexec.Reason, 1)
	n := New(p, time.Second, slog.New(slog.NewTextHandler(&logs, nil)), func(r procexec.Reason) { got <- r })
	n.Notify(Event{"i", "MASTER", 1})
	n.Close(context.Background())
	if r := <-got; r != procexec.ReasonCRLF {
		t.Errorf("reason %q", r)
	}
	if !strings.Contains(logs.String(), "DOS line endings") {
		t.Errorf("log does not say why:\n%s", logs.String())
	}
}
