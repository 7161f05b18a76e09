//go:build linux

package e2e

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/internal/nstest"
)

// TestCheckFailureFaultsEveryGroupAndRecovers runs a check script whose
// exit status a file controls. While it fails, every group of that node is
// in FAULT: its VIPs are gone, it sends no adverts, and the other node
// masters every group. When it passes again the node comes back (BACKUP,
// then MASTER by preemption). The notify script sees FAULT for every
// group, and STOP when the agent is stopped.
func TestCheckFailureFaultsEveryGroupAndRecovers(t *testing.T) {
	t.Parallel()
	cfg := fastSet(t, "192.0.2.100-101")
	cfg.CheckInterval = time.Second
	c := newCluster(t, cfg, "a", "b")
	a, b := c.node("a"), c.node("b")
	checkA, checkB := newSwitchCheck(t), newSwitchCheck(t)
	notifyA := newNotifyLog(t)
	a.start("OPENSHIFT_HA_PRIORITY=200", contract.EnvCheckScript+"="+checkA.Script, contract.EnvNotifyScript+"="+notifyA.Script)
	b.start("OPENSHIFT_HA_PRIORITY=100", contract.EnvCheckScript+"="+checkB.Script)
	masterOfAll := func(v view, want *node) {
		t.Helper()
		for _, g := range c.groups {
			if m := v.masters(g.VRID); m[0] != want {
				t.Fatalf("group %d master is %s, want %s: %v", g.Index, m[0].HostName, want.HostName, v)
			}
		}
	}
	masterOfAll(c.converge(0), a)

	checkA.Fail()
	nstest.WaitFor(t, c.bound()+2*cfg.CheckInterval, "every group of a in FAULT", func() error {
		v, err := c.observe()
		if err != nil {
			return err
		}
		for _, g := range c.groups {
			if v.states[a][g.VRID] != stateFault {
				return fmt.Errorf("group %d: %v", g.Index, v)
			}
		}
		return c.check(v)
	})
	masterOfAll(c.hold(500*time.Millisecond), b)
	// No adverts from a node in FAULT.
	sent := func() float64 { return a.mustMetrics().sum("ipfailover_vrrp_adverts_sent_total", nil) }
	before := sent()
	time.Sleep(10 * cfg.AdvertInterval)
	if after := sent(); after != before {
		t.Errorf("a sent %v adverts while in FAULT", after-before)
	}
	if up := a.mustMetrics().sum("ipfailover_check_up", nil); up != 0 {
		t.Errorf("ipfailover_check_up = %v while the check fails", up)
	}

	checkA.Pass()
	nstest.WaitFor(t, c.bound()+2*cfg.CheckInterval, "a to master every group again", func() error {
		v, err := c.observe()
		if err != nil {
			return err
		}
		if err := c.check(v); err != nil {
			return err
		}
		for _, g := range c.groups {
			if v.masters(g.VRID)[0] != a {
				return fmt.Errorf("group %d: %v", g.Index, v)
			}
		}
		return nil
	})

	a.term()
	lines := notifyA.Lines()
	for _, g := range c.groups {
		name := contract.InstanceName(cfg.Name, g.Index)
		fault := slices.Index(lines, "INSTANCE "+name+" FAULT 200")
		stop := slices.Index(lines, "INSTANCE "+name+" STOP 200")
		if fault < 0 || stop < fault {
			t.Errorf("notify calls for %s: want a FAULT line, then a STOP line; got:\n%v", name, lines)
		}
		for _, state := range []string{"MASTER", "BACKUP"} {
			if !slices.Contains(lines, "INSTANCE "+name+" "+state+" 200") {
				t.Errorf("notify calls for %s lack %s; got:\n%v", name, state, lines)
			}
		}
	}
}
