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
	n := New(p, 300*time.Millisecond, slog.New(slog.NewTextHandler(io.Discard, nil)))
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
	var n *Notifier = New("", time.Second, nil)
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
	n := New(p, time.Second, slog.New(slog.NewTextHandler(&logs, nil)))
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
