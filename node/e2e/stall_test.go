//go:build linux

package e2e

import (
	"syscall"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/contract"
)

// TestBackupStallDoesNotTakeOver stops the backup's process (SIGSTOP) for
// longer than the Master_Down_Interval, five times, while the master keeps
// advertising: the adverts wait in the backup's socket, and when it runs
// again it must hear them before it acts on its expired timer (RFC 9568
// §6.4.2: take over only when no advert arrived), so it never takes over
// by master-down. Before the agent confirmed expiries (agent.onTimer) a
// stall of 150 ms took over in 1 of 5 tries and one of 400 ms in 5 of 5:
// the flapping that CPU starvation caused in this suite.
func TestBackupStallDoesNotTakeOver(t *testing.T) {
	t.Parallel()
	c := newCluster(t, twoNodeSet(t, contract.Preemption{Never: true}), "a", "b")
	a, b := c.node("a"), c.node("b")
	vrid := c.group(c.cfg.Addrs()[0]).VRID
	c.startAll()
	c.convergeTo(vrid, a)
	takeovers := func() float64 {
		return b.mustMetrics().sum("ipfailover_vrrp_transitions_total", map[string]string{"to": "MASTER", "reason": "master-down"})
	}
	before := takeovers()
	stall := 2 * c.masterDown()
	for range 5 {
		if err := syscall.Kill(b.proc.PID(), syscall.SIGSTOP); err != nil {
			t.Fatal(err)
		}
		time.Sleep(stall)
		if err := syscall.Kill(b.proc.PID(), syscall.SIGCONT); err != nil {
			t.Fatal(err)
		}
		time.Sleep(c.masterDown())
	}
	if got := takeovers() - before; got != 0 {
		t.Errorf("b took over by master-down %v times after stalls of %v while a advertised", got, stall)
	}
	c.convergeTo(vrid, a)
}
