//go:build linux

package e2e

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/internal/nstest"
)

// dropMulticastVRRP makes every node's INPUT chain drop VRRP sent to
// 224.0.0.18, as a cloud network that filters multicast would.
func dropMulticastVRRP(c *cluster) {
	for _, n := range c.nodes {
		n.MustRun("iptables-nft", "-w", "-I", "INPUT", "-p", "112", "-d", "224.0.0.18", "-j", "DROP")
	}
}

// TestUnicastElectsAndFailsOver lists every node, self included, in
// OPENSHIFT_HA_UNICAST_PEERS and drops VRRP multicast on every node, so only
// unicast adverts can keep backups quiet. One master per group is elected
// and holds; the rotation slot comes from the peer list; when the master is
// killed another takes over and announces it.
func TestUnicastElectsAndFailsOver(t *testing.T) {
	t.Parallel()
	cfg := fastSet(t, "192.0.2.100-101")
	for _, h := range []string{"a", "b", "c"} {
		cfg.UnicastPeers = append(cfg.UnicastPeers, netip.MustParsePrefix(hostAddrs[h][0]).Addr())
	}
	c := newCluster(t, cfg, "a", "b", "c")
	dropMulticastVRRP(c)
	c.startAll()
	for _, n := range c.nodes {
		if out := n.proc.Output(); !strings.Contains(out, `priority_basis="unicast peers"`) || !strings.Contains(out, "unicast=true") {
			t.Fatalf("agent on %s does not run in unicast mode with the peer-list slot:\n%s", n.HostName, out)
		}
	}
	v := c.converge(0)
	// Slots are positions in the peer list: a=0 prefers group 1, b=1 group 2.
	for i, want := range []string{"a", "b"} {
		if m := v.masters(c.groups[i].VRID)[0]; m.HostName != want {
			t.Errorf("group %d master is %s, want %s: %v", i+1, m.HostName, want, v)
		}
	}
	c.hold(time.Second)
	for _, n := range c.nodes {
		if got := n.mustMetrics().sum("ipfailover_vrrp_adverts_received_total", nil); got == 0 {
			t.Errorf("%s received no adverts", n.HostName)
		}
	}

	vip := netip.MustParseAddr("192.0.2.100")
	a := c.node("a")
	c.seedNeighbour(vip, a)
	a.kill()
	v = c.converge(0, c.node("b"), c.node("c"))
	c.waitNeighbour(vip, v.masters(c.group(vip).VRID)[0])
}

// TestMulticastDropSplitsTheGroup is the control of
// TestUnicastElectsAndFailsOver: in multicast mode the same firewall rule
// hides the nodes from each other, so every node becomes master. It proves
// the rule really drops VRRP before the agent's socket sees it.
func TestMulticastDropSplitsTheGroup(t *testing.T) {
	t.Parallel()
	c := newCluster(t, fastSet(t, "192.0.2.100"), "a", "b")
	dropMulticastVRRP(c)
	c.startAll()
	vrid := c.groups[0].VRID
	nstest.WaitFor(t, c.bound(), "both nodes master (split brain)", func() error {
		v, err := c.observe()
		if err != nil {
			return err
		}
		if m := v.masters(vrid); len(m) != 2 {
			return fmt.Errorf("%d masters: %v", len(m), v)
		}
		return nil
	})
}
