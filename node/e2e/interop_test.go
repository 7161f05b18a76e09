//go:build linux

package e2e

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/internal/nstest"
)

// keepalivedComplaints match keepalived's messages about adverts it
// rejects or distrusts: "received an invalid passwd!", a bad checksum,
// an interval, VRID or address-count mismatch, a wrong TTL, a bogus or
// discarded packet.
var keepalivedComplaints = regexp.MustCompile(`(?i)passwd|checksum|mismatch|invalid|bogus|wrong|discard|ttl`)

// TestKeepalivedInterop runs our agent in VRRPv2 mode (1 s adverts, PASS
// authentication from the config name, VRID offset+1) in one group with a
// real keepalived configured as the keepalived-ipfailover image configures
// it. The group elects one master and fails over in both directions:
// keepalived master → SIGTERM → our agent takes over (master-resigned) and
// announces; then keepalived, restarted with a lower priority, stays
// BACKUP under our master without complaining about our adverts, and takes
// over when our agent gets SIGTERM.
func TestKeepalivedInterop(t *testing.T) {
	t.Parallel()
	nstest.RequirePrivileged(t)
	nstest.RequireCommands(t, "keepalived")
	cfg := contract.ImageDefaults()
	cfg.Name = "ipfailover-e2e" // longer than 8 bytes: both sides keep "ipfailov"
	ranges, _, err := contract.ParseVIPEntries([]string{"192.0.2.100"})
	if err != nil {
		t.Fatal(err)
	}
	cfg.VIPs = ranges
	cfg.Interface = "eth0"
	cfg.MonitorPort = 0
	cfg.Preemption = contract.Preemption{Delay: 300 * time.Second} // the image's default
	c := newCluster(t, cfg, "a", "b")
	if c.cfg.VRRPVersion != 2 || c.cfg.AdvertInterval != time.Second {
		t.Fatalf("the image's wire settings are VRRPv2 at 1 s, got v%d at %s", c.cfg.VRRPVersion, c.cfg.AdvertInterval)
	}
	a := c.node("a")
	k := &keepalived{t: t, host: c.lab.Host("b"), cfg: c.cfg}
	vip := netip.MustParseAddr("192.0.2.100")
	vrid := strconv.Itoa(c.groups[0].VRID)
	// onlyOn waits until exactly the named host holds the VIP.
	onlyOn := func(what string, want *nstest.Host) {
		t.Helper()
		nstest.WaitFor(t, c.bound(), what, func() error {
			for _, h := range []*nstest.Host{a.Host, k.host} {
				held, err := holds(h, []netip.Addr{vip})
				if err != nil {
					return err
				}
				if held[vip] != (h == want) {
					return fmt.Errorf("%s holds the VIP: %v", h.HostName, held[vip])
				}
			}
			return nil
		})
	}
	agentState := func() int {
		t.Helper()
		st, err := a.states()
		if err != nil {
			t.Fatal(err)
		}
		return st[c.groups[0].VRID]
	}

	// keepalived (200) is master; our agent (100) backs it up.
	k.start(200)
	onlyOn("keepalived to become master", k.host)
	a.start("OPENSHIFT_HA_PRIORITY=100")
	c.seedNeighbour(vip, &node{Host: k.host})
	nstest.WaitFor(t, c.bound(), "our agent to accept keepalived's adverts", func() error {
		if got := a.mustMetrics().sum("ipfailover_vrrp_adverts_received_total", map[string]string{"vrid": vrid}); got < 3 {
			return fmt.Errorf("%v adverts accepted", got)
		}
		return nil
	})
	time.Sleep(c.masterDown())
	if st := agentState(); st != stateBackup {
		t.Fatalf("our agent is %s under keepalived's master, want BACKUP", stateName(st))
	}
	if dropped := a.mustMetrics().sum("ipfailover_vrrp_packets_dropped_total", nil); dropped != 0 {
		t.Errorf("our agent dropped %v packets from keepalived", dropped)
	}
	onlyOn("keepalived to keep the VIP", k.host)

	// keepalived resigns: our agent takes over at skew time and announces.
	k.term()
	onlyOn("our agent to take over from keepalived", a.Host)
	if st := agentState(); st != stateMaster {
		t.Fatalf("our agent is %s after keepalived stopped, want MASTER", stateName(st))
	}
	if got := a.mustMetrics().sum("ipfailover_vrrp_transitions_total", map[string]string{"vrid": vrid, "to": "MASTER", "reason": "master-resigned"}); got != 1 {
		t.Errorf("our agent became master %v times by master-resigned, want 1 (keepalived sends priority 0 on SIGTERM)", got)
	}
	c.waitNeighbour(vip, a)

	// keepalived restarted with a lower priority stays BACKUP under our
	// master for longer than its master-down interval.
	k.start(50)
	time.Sleep(c.masterDown() + 2*time.Second)
	if k.entered("BACKUP") == 0 || k.entered("MASTER") != 0 {
		t.Errorf("keepalived should be BACKUP and never MASTER under our agent:\n%s", k.proc.Output())
	}
	if l := keepalivedComplaints.FindString(k.proc.Output()); l != "" {
		t.Errorf("keepalived complains about our adverts (%q):\n%s", l, k.proc.Output())
	}
	onlyOn("our agent to keep the VIP", a.Host)

	// Our agent resigns: keepalived takes over and announces.
	a.term()
	onlyOn("keepalived to take over from our agent", k.host)
	if k.entered("MASTER") != 1 {
		t.Errorf("keepalived did not enter MASTER state:\n%s", k.proc.Output())
	}
	c.waitNeighbour(vip, &node{Host: k.host})
}
