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

// waitMaster waits until want is master of vrid, holding the VIP, and the
// invariant holds across the cluster's nodes.
func (c *cluster) waitMaster(what string, want *node, vrid int) {
	c.t.Helper()
	nstest.WaitFor(c.t, c.bound(), what, func() error {
		v, err := c.observe()
		if err != nil {
			return err
		}
		if err := c.check(v); err != nil {
			return err
		}
		if m := v.masters(vrid)[0]; m != want {
			return fmt.Errorf("master is %s: %v", m.HostName, v)
		}
		return nil
	})
}

// waitFaultOn waits until n has vrid in FAULT and answers /readyz with
// wantReady.
func (c *cluster) waitFaultOn(what string, n *node, vrid int, wantReady int) {
	c.t.Helper()
	nstest.WaitFor(c.t, c.bound(), what, func() error {
		st, err := n.states()
		if err != nil {
			return err
		}
		if st[vrid] != stateFault {
			return fmt.Errorf("%s is %s", n.HostName, stateName(st[vrid]))
		}
		if code, body, err := n.get("/readyz"); err != nil || code != wantReady {
			return fmt.Errorf("/readyz: %d %s %v, want %d", code, body, err, wantReady)
		}
		return nil
	})
}

// waitTakenOver waits until to is master of vrid holding vip and from no
// longer holds it.
func (c *cluster) waitTakenOver(to, from *node, vrid int, vip netip.Addr) {
	c.t.Helper()
	what := fmt.Sprintf("%s master with %s, %s without", to.HostName, vip, from.HostName)
	nstest.WaitFor(c.t, c.bound(), what, func() error {
		v, err := c.observe()
		if err != nil {
			return err
		}
		if v.states[to][vrid] != stateMaster || !v.holds[to][vip] || v.holds[from][vip] {
			return fmt.Errorf("%v", v)
		}
		return nil
	})
}

// TestAdvertSourceLostOrChangedOrUnsendable takes away what the master's
// adverts need while the backup listens, and watches the VIP's owners
// every 20 ms:
//   - its primary IPv4 address is deleted: the master goes to FAULT at
//     once, releasing the VIP (its adverts cannot reach the backup, which
//     takes over), /readyz says so; a new address on the interface brings
//     it back, and adverts leave from the new address;
//   - its adverts are dropped on the way out (a firewall OUTPUT rule: every
//     sendmsg fails): within an advert interval it goes to FAULT; it
//     retries as BACKUP every second, faulting again before it adds the VIP
//     when it would become master, and once sending works it comes back.
//
// Before, both kept the VIP on two nodes for as long as the fault lasted.
func TestAdvertSourceLostOrChangedOrUnsendable(t *testing.T) {
	t.Parallel()
	vip := netip.MustParseAddr("192.0.2.100")
	for _, tc := range []struct {
		name         string
		break_, heal func(a *node)
		ready        int // a's /readyz during the fault
	}{
		{
			name: "address replaced",
			break_: func(a *node) {
				a.MustRun("ip", "addr", "del", "192.0.2.11/24", "dev", nstest.HostIfname)
			},
			heal: func(a *node) {
				a.MustRun("ip", "addr", "add", "192.0.2.21/24", "dev", nstest.HostIfname)
			},
			ready: http.StatusServiceUnavailable,
		},
		{
			name: "sends fail",
			break_: func(a *node) {
				a.MustRun("iptables", "-w", "5", "-A", "OUTPUT", "-p", "112", "-j", "DROP")
			},
			heal: func(a *node) {
				a.MustRun("iptables", "-w", "5", "-D", "OUTPUT", "-p", "112", "-j", "DROP")
			},
			ready: http.StatusOK,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newCluster(t, twoNodeSet(t, contract.Preemption{Delay: 0}), "a", "b")
			a, b := c.node("a"), c.node("b")
			vrid := c.group(vip).VRID
			a.start("OPENSHIFT_HA_PRIORITY=200")
			b.start("OPENSHIFT_HA_PRIORITY=100")
			c.waitMaster("a master", a, vrid)
			mon := c.monitorOwners(vip)
			c.hold(500 * time.Millisecond)

			mon.Reset()
			tc.break_(a)
			c.waitFaultOn("a in FAULT", a, vrid, tc.ready)
			c.waitTakenOver(b, a, vrid, vip)
			time.Sleep(time.Second) // the fault lasts
			c.assertOwners(mon, tc.name+": fault")
			// A node whose sends fail retries as BACKUP now and then, and
			// faults again when it would become master.
			if st, _ := a.states(); st[vrid] == stateMaster {
				t.Errorf("a is MASTER while the fault lasts")
			}

			mon.Reset()
			tc.heal(a)
			c.waitMaster("a master again", a, vrid)
			c.hold(500 * time.Millisecond)
			c.assertOwners(mon, tc.name+": recovery")
			if code, _, err := a.get("/readyz"); err != nil || code != http.StatusOK {
				t.Errorf("a /readyz after recovery: %d %v", code, err)
			}
		})
	}
}
