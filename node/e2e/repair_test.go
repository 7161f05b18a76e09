//go:build linux

package e2e

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/failoverkit/ipfailover/internal/nstest"
)

// TestOutsideAddressChangesAreRepaired changes eth0 behind the agents'
// backs: a VIP deleted from the live master with `ip addr del` comes back
// (and is counted as reasserted), and a VIP of the set added by hand on
// the backup goes away at once (counted as a stray), so "VIP iff master"
// holds again and only the master answers ARP for it.
func TestOutsideAddressChangesAreRepaired(t *testing.T) {
	t.Parallel()
	cfg := fastSet(t, "192.0.2.100")
	cfg.Nodes = []string{"a", "b"}
	c := newCluster(t, cfg, "a", "b")
	a, b := c.node("a"), c.node("b")
	vip := netip.MustParseAddr("192.0.2.100")
	c.startAll()
	if m := c.converge(0).masters(c.group(vip).VRID)[0]; m != a {
		t.Fatalf("master is %s, want a", m.HostName)
	}

	a.MustRun("ip", "addr", "del", vip.String()+"/32", "dev", "eth0")
	nstest.WaitFor(t, c.bound(), "the master to add its VIP back", func() error {
		if got := a.mustMetrics().sum("ipfailover_vips_reasserted_total", nil); got < 1 {
			return fmt.Errorf("%v VIPs reasserted", got)
		}
		held, err := holds(a.Host, []netip.Addr{vip})
		if err != nil || !held[vip] {
			return fmt.Errorf("a holds the VIP: %v (%v)", held[vip], err)
		}
		return nil
	})
	c.converge(0)

	b.MustRun("ip", "addr", "add", vip.String()+"/32", "dev", "eth0")
	v := c.converge(0)
	if m := v.masters(c.group(vip).VRID)[0]; m != a {
		t.Fatalf("master is %s, want a", m.HostName)
	}
	if got := b.mustMetrics().sum("ipfailover_vips_stray_removed_total", nil); got != 1 {
		t.Errorf("b removed %v stray VIPs, want 1", got)
	}
}
