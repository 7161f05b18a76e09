//go:build linux

package nstest

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
)

// cmdTimeout bounds every command the harness runs.
const cmdTimeout = 15 * time.Second

// NS is a network namespace created by a test. It is deleted, together with
// everything the harness opened in it, when the test ends.
type NS struct {
	// Name is the namespace name, as shown by `ip netns list`.
	Name string

	t        testing.TB
	nh       netns.NsHandle // opened once, closed in cleanup
	attached bool           // opened by Attach: closed, never deleted

	mu sync.Mutex      // guards h
	h  *netlink.Handle // lazily created by Handle
}

// NewNS creates an empty network namespace whose name ends in role (keep
// role short, e.g. "a" or "sw") with the loopback interface up. It is
// deleted in t.Cleanup.
func NewNS(t testing.TB, role string) *NS {
	t.Helper()
	name := uniqueName(role)
	if out, err := runCmd("ip", "netns", "add", name); err != nil {
		t.Fatalf("nstest: creating namespace %s: %v: %s", name, err, out)
	}
	n := &NS{Name: name, t: t, nh: netns.None()}
	// Registered first, so it runs after every cleanup registered later
	// (processes, handles) that may still hold the namespace.
	t.Cleanup(n.destroy)

	nh, err := netns.GetFromName(name)
	if err != nil {
		t.Fatalf("nstest: opening namespace %s: %v", name, err)
	}
	n.nh = nh
	n.MustRun("ip", "link", "set", "lo", "up")
	return n
}

// Attach opens an existing namespace that something else created and owns
// (a node of the cluster lab), for Do, Ping and Handle. Its handles are
// closed when the test ends; the namespace itself is left alone.
func Attach(t testing.TB, name string) *NS {
	t.Helper()
	nh, err := netns.GetFromName(name)
	if err != nil {
		t.Fatalf("nstest: opening namespace %s: %v", name, err)
	}
	n := &NS{Name: name, t: t, nh: nh, attached: true}
	t.Cleanup(n.destroy)
	return n
}

// destroy closes the handles and deletes the namespace (unless attached).
func (n *NS) destroy() {
	n.mu.Lock()
	if n.h != nil {
		n.h.Close()
		n.h = nil
	}
	n.mu.Unlock()
	if n.nh.IsOpen() {
		_ = n.nh.Close()
		n.nh = netns.None()
	}
	if n.attached {
		return
	}
	if out, err := runCmd("ip", "netns", "del", n.Name); err != nil {
		n.t.Errorf("nstest: deleting namespace %s: %v: %s", n.Name, err, out)
	}
}

// NsHandle returns the namespace's handle. It stays owned by the harness:
// do not close it.
func (n *NS) NsHandle() netns.NsHandle { return n.nh }

// Handle returns a netlink handle whose sockets live in the namespace. It is
// shared by callers of this NS and closed by the harness.
func (n *NS) Handle() *netlink.Handle {
	n.t.Helper()
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.h == nil {
		h, err := netlink.NewHandleAt(n.nh)
		if err != nil {
			n.t.Fatalf("nstest: netlink handle in %s: %v", n.Name, err)
		}
		n.h = h
	}
	return n.h
}

// Run runs a command inside the namespace (`ip netns exec NAME args...`)
// and returns its combined output. The command is killed after a bounded
// time.
func (n *NS) Run(args ...string) (string, error) {
	out, err := runCmd(append([]string{"ip", "netns", "exec", n.Name}, args...)...)
	if err != nil {
		return out, fmt.Errorf("in %s: %s: %w", n.Name, strings.Join(args, " "), err)
	}
	return out, nil
}

// MustRun is Run that fails the test on error.
func (n *NS) MustRun(args ...string) string {
	n.t.Helper()
	out, err := n.Run(args...)
	if err != nil {
		n.t.Fatalf("nstest: %v: %s", err, out)
	}
	return out
}

// Sysctl writes a sysctl inside the namespace, e.g.
// Sysctl("net.ipv6.conf.all.accept_dad", "0").
func (n *NS) Sysctl(key, value string) {
	n.t.Helper()
	n.MustRun("sysctl", "-q", "-w", key+"="+value)
}

// Do runs fn on a fresh OS thread that has entered the namespace and waits
// for it. The thread is locked for fn's whole run and never unlocked, so
// the Go runtime destroys it when fn returns instead of reusing a thread
// that sits in the wrong namespace.
//
// Sockets, netlink handles and child processes created by fn stay in the
// namespace after Do returns. Goroutines started by fn do not run in the
// namespace: they may be scheduled on any other thread. fn must not call
// t.FailNow (or t.Fatal): return an error instead.
func (n *NS) Do(fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		err := fmt.Errorf("nstest: function run in %s exited its goroutine (t.FailNow inside Do?)", n.Name)
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("nstest: panic in function run in %s: %v", n.Name, r)
			}
			errc <- err
		}()
		// Deliberately no UnlockOSThread: see the doc comment.
		runtime.LockOSThread()
		if serr := netns.Set(n.nh); serr != nil {
			err = fmt.Errorf("nstest: entering namespace %s: %w", n.Name, serr)
			return
		}
		err = fn()
	}()
	return <-errc
}

// runCmd runs a command with the harness timeout and returns its combined
// output.
func runCmd(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), cmdTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, args[0], args[1:]...).CombinedOutput()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("%s: timed out after %s: %w", args[0], cmdTimeout, err)
	}
	return string(out), err
}
