//go:build linux

package e2e

import (
	"net/netip"
	"strconv"
	"testing"
	"time"
)

// TestSIGTERMHandsOverAtOnce stops the master of group 1 with SIGTERM: it
// resigns with a priority-0 advert, so the new master takes over at skew
// time instead of waiting for master-down, which its metrics show as the
// transition reason master-resigned (and no master-down) since the stop. The stopped
// node holds no VIP, and the other groups are untouched.
func TestSIGTERMHandsOverAtOnce(t *testing.T) {
	t.Parallel()
	cfg := fastSet(t, "192.0.2.100-102")
	cfg.Nodes = []string{"a", "b", "c"}
	c := newCluster(t, cfg, "a", "b", "c")
	a, b, cc := c.node("a"), c.node("b"), c.node("c")
	vip := netip.MustParseAddr("192.0.2.100")
	vrid := strconv.Itoa(c.group(vip).VRID)
	c.startAll()
	if m := c.converge(0).masters(c.group(vip).VRID); m[0] != a {
		t.Fatalf("group 1 master is %s, want a", m[0].HostName)
	}
	c.seedNeighbour(vip, a)
	// Count transitions from here on: under load a node may have gone
	// MASTER by master-down during the start-up election already.
	toMaster := func(n *node, reason string) float64 {
		return n.mustMetrics().sum("ipfailover_vrrp_transitions_total", map[string]string{"vrid": vrid, "to": "MASTER", "reason": reason})
	}
	before := map[*node]map[string]float64{}
	for _, n := range []*node{b, cc} {
		before[n] = map[string]float64{"master-resigned": toMaster(n, "master-resigned"), "master-down": toMaster(n, "master-down")}
	}

	a.term()
	if h, err := holds(a.Host, c.cfg.Addrs()); err != nil || len(h) != 0 {
		t.Fatalf("stopped node still holds %v (err %v)", h, err)
	}
	v := c.converge(0, b, cc)
	c.hold(time.Second, b, cc)
	// In group 1, c (slot 2) is the next preferred after a.
	newMaster := v.masters(c.group(vip).VRID)[0]
	if newMaster != cc {
		t.Errorf("group 1 went to %s, want c (next in the rotation)", newMaster.HostName)
	}
	if got := toMaster(newMaster, "master-resigned") - before[newMaster]["master-resigned"]; got != 1 {
		t.Errorf("%s: %v transitions to MASTER by master-resigned, want 1", newMaster.HostName, got)
	}
	if got := toMaster(newMaster, "master-down") - before[newMaster]["master-down"]; got != 0 {
		t.Errorf("%s: %v transitions to MASTER by master-down, want 0 (the handover must not wait for the timeout)", newMaster.HostName, got)
	}
	c.waitNeighbour(vip, newMaster)
}
