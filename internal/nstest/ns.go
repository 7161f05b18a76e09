//go:build linux

package nstest

import (
	"testing"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"

	"github.com/failoverkit/ipfailover/internal/nslab"
)

// NS is a network namespace created by a test. It is deleted, together with
// everything the harness opened in it, when the test ends. It adapts an
// nslab.NS to a test: failures fail the test.
type NS struct {
	// Name is the namespace name, as shown by `ip netns list`.
	Name string

	t  testing.TB
	ns *nslab.NS
	cl *nslab.Cleanups // run in t.Cleanup
}

// cleanups returns a list whose failed steps fail t, run in t.Cleanup.
// Registered before anything the caller adds later, it runs after their
// cleanups (processes, handles) that may still hold the namespace.
func cleanups(t testing.TB) *nslab.Cleanups {
	cl := nslab.NewCleanupsFunc(func(step string, err error) { t.Errorf("nstest: %s: %v", step, err) })
	t.Cleanup(cl.Run)
	return cl
}

// NewNS creates an empty network namespace whose name ends in role (keep
// role short, e.g. "a" or "sw") with the loopback interface up. It is
// deleted in t.Cleanup.
func NewNS(t testing.TB, role string) *NS {
	t.Helper()
	cl := cleanups(t)
	ns, err := nslab.NewNS(cl, uniqueName(role))
	if err != nil {
		t.Fatalf("nstest: %v", err)
	}
	return &NS{Name: ns.Name, t: t, ns: ns, cl: cl}
}

// Attach opens an existing namespace that something else created and owns
// (a node of the cluster lab), for Do, Ping and Handle. Its handles are
// closed when the test ends; the namespace itself is left alone.
func Attach(t testing.TB, name string) *NS {
	t.Helper()
	cl := cleanups(t)
	ns, err := nslab.Attach(cl, name)
	if err != nil {
		t.Fatalf("nstest: %v", err)
	}
	return &NS{Name: name, t: t, ns: ns, cl: cl}
}

// Lab returns the namespace of the error-returning lab package, for code
// that takes one.
func (n *NS) Lab() *nslab.NS { return n.ns }

// NsHandle returns the namespace's handle. It stays owned by the harness:
// do not close it.
func (n *NS) NsHandle() netns.NsHandle { return n.ns.NsHandle() }

// Handle returns a netlink handle whose sockets live in the namespace. It is
// shared by callers of this NS and closed by the harness.
func (n *NS) Handle() *netlink.Handle { return n.ns.NL }

// Run runs a command inside the namespace (`ip netns exec NAME args...`)
// and returns its combined output. The command is killed after a bounded
// time.
func (n *NS) Run(args ...string) (string, error) { return n.ns.Run(args...) }

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
	if err := n.ns.Sysctl(key, value); err != nil {
		n.t.Fatalf("nstest: %v", err)
	}
}

// Do runs fn on a fresh OS thread that has entered the namespace and waits
// for it (see nslab.NS.Do). Sockets, netlink handles and child processes
// created by fn stay in the namespace after Do returns; goroutines started
// by fn do not run in it. fn must not call t.FailNow (or t.Fatal): return
// an error instead.
func (n *NS) Do(fn func() error) error { return n.ns.Do(fn) }
