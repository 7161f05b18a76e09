//go:build linux

package lab

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

// cmdTimeout bounds every command the lab runs.
const cmdTimeout = 15 * time.Second

// NS is a network namespace created by the lab, with a netlink handle
// whose socket lives in it.
type NS struct {
	// Name is the namespace name, as `ip netns list` shows it.
	Name string
	// NL is a netlink handle inside the namespace; owned by the lab.
	NL *netlink.Handle

	h netns.NsHandle
}

// newNS creates the namespace name with lo up and registers its removal.
func newNS(cl *Cleanups, name string) (*NS, error) {
	if out, err := run("ip", "netns", "add", name); err != nil {
		return nil, fmt.Errorf("creating namespace %s: %w: %s", name, err, out)
	}
	n := &NS{Name: name, h: netns.None()}
	// Registered first, so it runs after everything registered later that
	// may still hold the namespace (processes, sockets).
	cl.Add("delete namespace "+name, n.destroy)
	h, err := netns.GetFromName(name)
	if err != nil {
		return nil, fmt.Errorf("opening namespace %s: %w", name, err)
	}
	n.h = h
	if n.NL, err = netlink.NewHandleAt(h); err != nil {
		return nil, fmt.Errorf("netlink handle in %s: %w", name, err)
	}
	if out, err := n.Run("ip", "link", "set", "lo", "up"); err != nil {
		return nil, fmt.Errorf("%w: %s", err, out)
	}
	return n, nil
}

// destroy closes the handles and deletes the namespace by name.
func (n *NS) destroy() error {
	if n.NL != nil {
		n.NL.Close()
		n.NL = nil
	}
	if n.h.IsOpen() {
		_ = n.h.Close()
		n.h = netns.None()
	}
	if out, err := run("ip", "netns", "del", n.Name); err != nil {
		return fmt.Errorf("deleting namespace %s: %w: %s", n.Name, err, out)
	}
	return nil
}

// Run runs a command inside the namespace (`ip netns exec NAME args...`),
// bounded in time, and returns its combined output.
func (n *NS) Run(args ...string) (string, error) {
	out, err := run(append([]string{"ip", "netns", "exec", n.Name}, args...)...)
	if err != nil {
		return out, fmt.Errorf("in %s: %s: %w", n.Name, strings.Join(args, " "), err)
	}
	return out, nil
}

// Sysctl sets key to value inside the namespace.
func (n *NS) Sysctl(key, value string) error {
	if out, err := n.Run("sysctl", "-q", "-w", key+"="+value); err != nil {
		return fmt.Errorf("%w: %s", err, out)
	}
	return nil
}

// Do runs fn on a new OS thread that has entered the namespace, and waits
// for it. Sockets fn opens stay in the namespace after Do returns. The
// thread stays locked and is discarded when fn returns, so no other
// goroutine ever runs in the namespace.
func (n *NS) Do(fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		err := fmt.Errorf("function run in %s did not return", n.Name)
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic in function run in %s: %v", n.Name, r)
			}
			errc <- err
		}()
		runtime.LockOSThread() // never unlocked: the runtime then drops the thread
		if serr := netns.Set(n.h); serr != nil {
			err = fmt.Errorf("entering namespace %s: %w", n.Name, serr)
			return
		}
		err = fn()
	}()
	return <-errc
}

// run runs a command in the caller's namespace with cmdTimeout. Only
// commands that name the namespace they act on (`ip netns ...`, `ip -n`)
// are run this way.
func run(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), cmdTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, args[0], args[1:]...).CombinedOutput()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("%s timed out after %s: %w", args[0], cmdTimeout, err)
	}
	return string(out), err
}
