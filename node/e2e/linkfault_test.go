//go:build linux

package e2e

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/internal/nstest"
)

// waitLinkFault waits until the node that lost its link has every group
// in FAULT without VIPs, and the others hold the invariant among
// themselves. The faulted node's metrics are fetched over loopback, which
// works without carrier.
func (c *cluster) waitLinkFault(lost *node, others ...*node) {
	c.t.Helper()
	nstest.WaitFor(c.t, c.bound(), lost.HostName+" in FAULT without VIPs, one master elsewhere", func() error {
		v, err := c.observe(append([]*node{lost}, others...)...)
		if err != nil {
			return err
		}
		for _, g := range c.groups {
			if v.states[lost][g.VRID] != stateFault {
				return fmt.Errorf("%s is not in FAULT for VRID %d: %v", lost.HostName, g.VRID, v)
			}
		}
		if up := lost.mustMetrics().sum("ipfailover_link_up", nil); up != 0 {
			return fmt.Errorf("ipfailover_link_up = %v", up)
		}
		return c.check(v)
	})
}

// TestLinkLossFaultsAndRespectsNopreempt pulls the master's cable in a set
// with nopreempt. As keepalived does with the interface of a vrrp_instance,
// the agent treats a link without carrier as a fault: every group goes to
// FAULT and releases its VIPs, while the backup takes over. When the cable
// is back the node returns as BACKUP and, nopreempt, leaves the VIP with
// the live master instead of snatching it back with every link flap.
func TestLinkLossFaultsAndRespectsNopreempt(t *testing.T) {
	t.Parallel()
	c := newCluster(t, twoNodeSet(t, contract.Preemption{Never: true}), "a", "b")
	a, b := c.node("a"), c.node("b")
	vip := netip.MustParseAddr("192.0.2.100")
	vrid := c.group(vip).VRID
	c.startAll()
	if m := c.converge(0).masters(vrid)[0]; m != a {
		t.Fatalf("master is %s, want a (first in the node list)", m.HostName)
	}

	a.SetCarrier(false)
	c.waitLinkFault(a, b)

	a.SetCarrier(true)
	nstest.WaitFor(t, c.bound(), "a back as BACKUP", func() error {
		v, err := c.observe()
		if err != nil {
			return err
		}
		if v.states[a][vrid] != stateBackup {
			return fmt.Errorf("a is not BACKUP: %v", v)
		}
		return nil
	})
	// The policy is proved by its mechanism: a never takes the group by
	// preemption. Whether b stays master is up to b: when b's adverts
	// stop reaching a for a Master_Down_Interval (a starved CPU can do
	// that at 100 ms adverts), a rightly takes over by master-down.
	v := c.hold(2 * time.Second)
	m := a.mustMetrics()
	toMaster := func(reason string) float64 {
		return m.sum("ipfailover_vrrp_transitions_total", map[string]string{"to": "MASTER", "reason": reason})
	}
	if got := toMaster("preempt"); got != 0 {
		t.Fatalf("a took the group back by preemption %v times (nopreempt): %v", got, v)
	}
	if v.masters(vrid)[0] == a && toMaster("master-down") < 2 {
		t.Fatalf("a is master again without a preemption or a master-down: %v", v)
	}
	if v.masters(vrid)[0] == a {
		t.Logf("b's adverts stopped reaching a for a master-down interval, and a took over: %v", v)
	}
}
