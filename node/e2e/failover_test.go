//go:build linux

package e2e

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/contract"
)

// twoNodeSet is one VIP on nodes a and b, a preferred (node list a,b).
func twoNodeSet(t *testing.T, p contract.Preemption) contract.Config {
	cfg := fastSet(t, "192.0.2.100")
	cfg.Nodes = []string{"a", "b"}
	cfg.Preemption = p
	return cfg
}

// TestFailoverOnLinkLossMovesVIPAndAnnounces pulls the master's cable (its
// switch port goes down, eth0 loses carrier): the node faults its groups
// and releases the VIP, the backup takes it within the VRRP bound and
// announces it, so the client's neighbour entry moves to the backup's MAC.
// When the cable is back the node returns as BACKUP and, being preferred
// (preempt_delay 0), takes the VIP back with a fresh announcement, so the
// client follows it again.
func TestFailoverOnLinkLossMovesVIPAndAnnounces(t *testing.T) {
	t.Parallel()
	c := newCluster(t, twoNodeSet(t, contract.Preemption{}), "a", "b")
	a, b := c.node("a"), c.node("b")
	vip := netip.MustParseAddr("192.0.2.100")
	vrid := c.group(vip).VRID
	c.startAll()
	c.convergeTo(vrid, a) // first in the node list
	c.seedNeighbour(vip, a)

	a.SetCarrier(false)
	c.waitLinkFault(a, b)
	c.waitNeighbour(vip, b)

	// Back as BACKUP, a preempts b after a Master_Down_Interval: until
	// then b is rightly master, and the invariant holds on the way.
	preempted := func() float64 {
		return a.mustMetrics().sum("ipfailover_vrrp_transitions_total", map[string]string{"to": "MASTER", "reason": "preempt"})
	}
	before := preempted() // the start-up election may have ended in a preemption too
	a.SetCarrier(true)
	c.convergeTo(vrid, a)
	if got := preempted() - before; got != 1 {
		t.Errorf("a took the VIP back %v times by preemption, want 1", got)
	}
	c.waitNeighbour(vip, a)
	c.hold(time.Second)
}

// TestFailoverOnSIGKILLAndLeftoverVIPRemoval kills the master with SIGKILL:
// the backup takes the VIP within the VRRP bound and announces it. The
// dead agent could not release its VIP, so it is left on the node; a
// restarted agent removes it at start (nopreempt: the restarted node stays
// backup), and `ipfailover-node cleanup` removes such a leftover too,
// saying so, and idempotently.
func TestFailoverOnSIGKILLAndLeftoverVIPRemoval(t *testing.T) {
	t.Parallel()
	c := newCluster(t, twoNodeSet(t, contract.Preemption{Never: true}), "a", "b")
	a, b := c.node("a"), c.node("b")
	vip := netip.MustParseAddr("192.0.2.100")
	vrid := c.group(vip).VRID
	c.startAll()
	if m := c.converge(0).masters(vrid); m[0] != a {
		t.Fatalf("master is %s, want a (first in the node list)", m[0].HostName)
	}
	c.seedNeighbour(vip, a)

	a.kill()
	c.converge(0, b)
	c.waitNeighbour(vip, b)
	if h, err := holds(a.Host, []netip.Addr{vip}); err != nil || !h[vip] {
		t.Fatalf("after SIGKILL a should still hold the VIP it could not release: holds=%v err=%v", h, err)
	}

	// A restarted agent releases the leftover before it is ready.
	a.start()
	v, err := c.observe(a)
	if err != nil {
		t.Fatal(err)
	}
	if v.holds[a][vip] || v.states[a][vrid] != stateBackup {
		t.Fatalf("restarted agent: want BACKUP without the VIP, got %v", v)
	}
	c.hold(time.Second)

	b.kill()
	c.converge(0, a)
	c.waitNeighbour(vip, a)
	if h, err := holds(b.Host, []netip.Addr{vip}); err != nil || !h[vip] {
		t.Fatalf("after SIGKILL b should still hold the VIP it could not release: holds=%v err=%v", h, err)
	}

	// The cleanup mode removes the leftover and says so.
	out, err := b.cleanup()
	if err != nil {
		t.Fatalf("cleanup: %v\n%s", err, out)
	}
	if !strings.Contains(out, "released VIP 192.0.2.100 on eth0") {
		t.Errorf("cleanup output does not report the released VIP:\n%s", out)
	}
	if h, err := holds(b.Host, []netip.Addr{vip}); err != nil || h[vip] {
		t.Fatalf("after cleanup b still holds the VIP: holds=%v err=%v", h, err)
	}
	// Idempotent: a second run removes nothing and still succeeds.
	out, err = b.cleanup()
	if err != nil {
		t.Fatalf("second cleanup: %v\n%s", err, out)
	}
	if strings.Contains(out, "released VIP") || !strings.Contains(out, "no VIPs of this set on eth0") {
		t.Errorf("second cleanup should remove nothing:\n%s", out)
	}
	// The survivor is untouched by the cleanup of another node.
	c.hold(500*time.Millisecond, a)
}
