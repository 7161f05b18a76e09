package check

import (
	"context"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestFor(t *testing.T) {
	ip := netip.MustParseAddr("192.0.2.11")
	if c := For("/x/check.sh", 80, ip); c.String() != "script /x/check.sh" {
		t.Errorf("script wins over port: %v", c)
	}
	if c := For("", 0, ip); c != nil {
		t.Errorf("port 0: %v", c)
	}
	if c := For("", 30060, ip); c.String() != "tcp 192.0.2.11:30060" {
		t.Errorf("port check: %v", c)
	}
	if c := For("", 80, netip.Addr{}); c.String() != "tcp 127.0.0.1:80" {
		t.Errorf("no node IPv4: %v", c)
	}
}

func TestTCP(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ap := netip.MustParseAddrPort(ln.Addr().String())
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := (TCP{ap}).Check(ctx); err != nil {
		t.Fatalf("listening port: %v", err)
	}
	ln.Close()
	if err := (TCP{ap}).Check(ctx); err == nil || !strings.Contains(err.Error(), ap.String()) {
		t.Fatalf("closed port: %v", err)
	}
}

func TestRunReportsFailureAndRecoveryAndTimeouts(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	p := filepath.Join(dir, "check.sh")
	// The script's behaviour is driven by a file the test rewrites.
	body := "#!/bin/sh\ncase $(cat " + state + ") in ok) exit 0;; hang) sleep 30;; *) exit 1;; esac\n"
	if err := os.WriteFile(p, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	set := func(s string) {
		if err := os.WriteFile(state, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	set("ok")
	results := make(chan Result, 16)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	// The interval is also the script's timeout: 1 s leaves a loaded
	// machine room to start /bin/sh and cat (150 ms did not, at load 18:
	// an "ok" or "fail" run was reported as timed out).
	go func() { Run(ctx, Script{Path: p}, time.Second, func(r Result) { results <- r }); close(done) }()
	defer func() { cancel(); <-done }()
	next := func() Result {
		select {
		case r := <-results:
			return r
		case <-time.After(5 * time.Second):
			t.Fatal("no check result within 5s")
			return Result{}
		}
	}
	if r := next(); !r.OK {
		t.Fatalf("first run: %+v", r)
	}
	set("fail")
	for i := 0; ; i++ {
		if r := next(); !r.OK {
			if !strings.Contains(r.Err.Error(), "exit status 1") {
				t.Fatalf("failure reason: %v", r.Err)
			}
			break
		}
		if i > 10 {
			t.Fatal("failure never reported")
		}
	}
	set("hang")
	for i := 0; ; i++ {
		if r := next(); !r.OK && strings.Contains(r.Err.Error(), "timed out") {
			break
		}
		if i > 10 {
			t.Fatal("hanging script never reported as a timeout")
		}
	}
	set("ok")
	for i := 0; ; i++ {
		if r := next(); r.OK {
			break
		}
		if i > 10 {
			t.Fatal("recovery never reported")
		}
	}
}

// TestScriptIsJudgedByItsExitStatus: children left holding the script's
// output (in its process group, or in a session of their own) neither
// delay nor fail the check, as with keepalived.
func TestScriptIsJudgedByItsExitStatus(t *testing.T) {
	for _, tc := range []struct {
		body string
		ok   bool
	}{
		{"sleep 3600 & exit 0", true},
		{"setsid sleep 3600 & exit 0", true},
		{"setsid sleep 3600 & exit 1", false},
	} {
		t.Run(tc.body, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "check.sh")
			if err := os.WriteFile(p, []byte("#!/bin/sh\n"+tc.body+"\n"), 0o755); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			start := time.Now()
			err := Script{Path: p}.Check(ctx)
			if (err == nil) != tc.ok {
				t.Errorf("err = %v, want ok = %v", err, tc.ok)
			}
			if el := time.Since(start); el > time.Second {
				t.Errorf("check took %v", el)
			}
		})
	}
}
