//go:build linux

package e2e

import (
	"fmt"
	"net/http"
	"net/netip"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/internal/nstest"
)

// TestInterfaceRecreatedRebinds deletes the master's eth0 and creates it
// again under the same name (a new ifindex), as some CNIs and
// NetworkManager do. While it is gone every group of that node is in
// FAULT and its /readyz is 503, so a probe sees it; the backup takes the
// VIP. Once eth0 is back with its addresses the agent binds its sockets to
// the new interface, leaves FAULT and, preferred, takes the VIP back. The
// VIP's owners are sampled every 20 ms throughout.
func TestInterfaceRecreatedRebinds(t *testing.T) {
	t.Parallel()
	c := newCluster(t, twoNodeSet(t, contract.Preemption{Delay: 0}), "a", "b")
	a, b := c.node("a"), c.node("b")
	vip := netip.MustParseAddr("192.0.2.100")
	vrid := c.group(vip).VRID
	a.start("OPENSHIFT_HA_PRIORITY=200")
	b.start("OPENSHIFT_HA_PRIORITY=100")
	c.waitMaster("a master", a, vrid)
	// No check configured: nothing fails, and the gauge says so.
	if up := a.mustMetrics().sum("ipfailover_check_up", nil); up != 1 {
		t.Errorf("ipfailover_check_up = %v with no check configured, want 1", up)
	}
	mon := c.monitorOwners(vip)
	c.hold(300 * time.Millisecond)

	mon.Reset()
	a.MustRun("ip", "link", "del", nstest.HostIfname)
	c.waitFaultOn("a in FAULT, not ready", a, vrid, http.StatusServiceUnavailable)
	nstest.WaitFor(t, c.bound(), "b master with the VIP", func() error {
		v, err := c.observe(b)
		if err != nil {
			return err
		}
		if v.states[b][vrid] != stateMaster || !v.holds[b][vip] {
			return fmt.Errorf("%v", v)
		}
		return nil
	})
	time.Sleep(500 * time.Millisecond)
	c.assertOwners(mon, "interface deleted")

	mon.Reset()
	// A new veth pair: eth0 in a's namespace, its peer on the lab bridge.
	port := "rc" + a.HostName
	sw := c.lab.Switch.Name
	if _, err := runHost("ip", "-n", sw, "link", "add", port, "type", "veth", "peer", "name", nstest.HostIfname, "netns", a.Name); err != nil {
		t.Fatal(err)
	}
	if _, err := runHost("ip", "-n", sw, "link", "set", port, "master", "br0", "up"); err != nil {
		t.Fatal(err)
	}
	for _, p := range a.Addrs {
		a.MustRun("ip", "addr", "add", p.String(), "dev", nstest.HostIfname)
	}
	a.MustRun("ip", "link", "set", nstest.HostIfname, "up")
	c.waitMaster("a master again on the new eth0", a, vrid)
	c.hold(500 * time.Millisecond)
	c.assertOwners(mon, "interface re-created")
	if code, body, err := a.get("/readyz"); err != nil || code != http.StatusOK {
		t.Errorf("a /readyz after the rebind: %d %s %v", code, body, err)
	}
}
