//go:build linux

package e2e

import (
	"testing"
	"time"
)

// TestTwoSetsShareNodes runs two failover sets (different names, VIPs,
// VRID offsets and health ports) on the same two nodes, as several
// IPFailover sets on one cluster do. Neither set's agents may touch the
// other set's VIPs: not at start-up, and not in the periodic reconcile
// (every 5 s), so over a window longer than that no agent ever has to
// put a VIP back, and both sets keep one master each. Removing one set
// (stop its agents, run its cleanup on every node) leaves the other set's
// VIPs alone too.
func TestTwoSetsShareNodes(t *testing.T) {
	t.Parallel()
	cfg1 := fastSet(t, "192.0.2.100")
	cfg1.Nodes = []string{"a", "b"}
	one := newCluster(t, cfg1, "a", "b")
	cfg2 := fastSet(t, "192.0.2.200")
	cfg2.Name = "other"
	cfg2.Nodes = []string{"a", "b"}
	cfg2.VRIDOffset = 20
	cfg2.HealthPort = cfg1.HealthPort + 1
	two := one.sibling(cfg2)

	one.startAll()
	one.converge(0)
	two.startAll()
	two.converge(0)
	for end := time.Now().Add(6 * time.Second); time.Now().Before(end); {
		one.hold(500 * time.Millisecond)
		two.hold(500 * time.Millisecond)
	}
	noneReasserted := func(sets ...*cluster) {
		t.Helper()
		for _, c := range sets {
			for _, n := range c.nodes {
				if got := n.mustMetrics().sum("ipfailover_vips_reasserted_total", nil); got != 0 {
					t.Errorf("set %s on %s had to put %v VIPs back: another set removed them", c.cfg.Name, n.HostName, got)
				}
			}
		}
	}
	noneReasserted(one, two)

	for _, n := range one.nodes {
		n.term()
		if out, err := n.cleanup(); err != nil {
			t.Fatalf("cleanup of set %s on %s: %v\n%s", one.cfg.Name, n.HostName, err, out)
		}
	}
	two.hold(time.Second)
	noneReasserted(two)
}
