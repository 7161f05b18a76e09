//go:build linux

package nslab

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
)

// CommandTimeout bounds every command the lab runs.
const CommandTimeout = 15 * time.Second

// NS is a network namespace, with a netlink handle whose socket lives in it.
type NS struct {
	// Name is the namespace name, as `ip netns list` shows it.
	Name string
	// NL is a netlink handle inside the namespace; owned by the lab.
	NL *netlink.Handle

	nh       netns.NsHandle
	attached bool // opened by Attach: closed, never deleted
}

// NewNS creates the namespace name with lo up and registers its removal in
// cl. Register it before anything that may hold the namespace (processes,
// sockets), so that it is removed after them.
func NewNS(cl *Cleanups, name string) (*NS, error) {
	if out, err := Command("ip", "netns", "add", name); err != nil {
		return nil, fmt.Errorf("creating namespace %s: %w: %s", name, err, out)
	}
	n := &NS{Name: name, nh: netns.None()}
	cl.Add("delete namespace "+name, n.destroy)
	if err := n.open(); err != nil {
		return nil, err
	}
	if out, err := n.Run("ip", "link", "set", "lo", "up"); err != nil {
		return nil, fmt.Errorf("%w: %s", err, out)
	}
	return n, nil
}

// Attach opens an existing namespace that something else created and owns.
// Its handles are closed by cl; the namespace itself is left alone.
func Attach(cl *Cleanups, name string) (*NS, error) {
	n := &NS{Name: name, nh: netns.None(), attached: true}
	cl.Add("close the handles of namespace "+name, n.destroy)
	if err := n.open(); err != nil {
		return nil, err
	}
	return n, nil
}

// open opens the namespace handle and the netlink handle in it.
func (n *NS) open() error {
	h, err := netns.GetFromName(n.Name)
	if err != nil {
		return fmt.Errorf("opening namespace %s: %w", n.Name, err)
	}
	n.nh = h
	if n.NL, err = netlink.NewHandleAt(h); err != nil {
		return fmt.Errorf("netlink handle in %s: %w", n.Name, err)
	}
	return nil
}

// destroy closes the handles and deletes the namespace by name (unless
// attached).
func (n *NS) destroy() error {
	if n.NL != nil {
		n.NL.Close()
		n.NL = nil
	}
	if n.nh.IsOpen() {
		_ = n.nh.Close()
		n.nh = netns.None()
	}
	if n.attached {
		return nil
	}
	if out, err := Command("ip", "netns", "del", n.Name); err != nil {
		return fmt.Errorf("deleting namespace %s: %w: %s", n.Name, err, out)
	}
	return nil
}

// NsHandle returns the namespace's handle; it stays owned by the lab.
func (n *NS) NsHandle() netns.NsHandle { return n.nh }

// Run runs a command inside the namespace (`ip netns exec NAME args...`),
// bounded in time, and returns its combined output.
func (n *NS) Run(args ...string) (string, error) {
	out, err := Command(append([]string{"ip", "netns", "exec", n.Name}, args...)...)
	if err != nil {
		return out, fmt.Errorf("in %s: %s: %w", n.Name, strings.Join(args, " "), err)
	}
	return out, nil
}

// Sysctl sets key to value inside the namespace, e.g.
// Sysctl("net.ipv6.conf.all.accept_dad", "0").
func (n *NS) Sysctl(key, value string) error {
	if out, err := n.Run("sysctl", "-q", "-w", key+"="+value); err != nil {
		return fmt.Errorf("%w: %s", err, out)
	}
	return nil
}

// Do runs fn on a fresh OS thread that has entered the namespace and waits
// for it. The thread is locked for fn's whole run and never unlocked, so
// the Go runtime destroys it when fn returns instead of reusing a thread
// that sits in the wrong namespace.
//
// Sockets, netlink handles and child processes created by fn stay in the
// namespace after Do returns. Goroutines started by fn do not run in the
// namespace. fn must not call t.FailNow (or t.Fatal): return an error.
func (n *NS) Do(fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		err := fmt.Errorf("function run in %s exited its goroutine (t.FailNow inside Do?)", n.Name)
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic in function run in %s: %v", n.Name, r)
			}
			errc <- err
		}()
		// Deliberately no UnlockOSThread: see the doc comment.
		runtime.LockOSThread()
		if serr := netns.Set(n.nh); serr != nil {
			err = fmt.Errorf("entering namespace %s: %w", n.Name, serr)
			return
		}
		err = fn()
	}()
	return <-errc
}

// Command runs a command in the caller's namespace with CommandTimeout and
// returns its combined output. Only commands that name the namespace they
// act on (`ip netns ...`, `ip -n NAME ...`) are run this way.
func Command(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), CommandTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, args[0], args[1:]...).CombinedOutput()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("%s: timed out after %s: %w", args[0], CommandTimeout, err)
	}
	return string(out), err
}
