//go:build linux

package e2e

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/internal/nstest"
)

// TestKeepalivedIPv6AsTheImageConfiguresIt puts our agent and a real
// keepalived in one IPv6 group, keepalived configured as OpenShift's
// keepalived-ipfailover image configures it: virtual_ipaddress lists only
// the global VIP (keepalived forces VRRPv3 for IPv6 and drops the PASS
// authentication), so it discards our RFC 9568 §5.2.9 adverts, which list
// the virtual link-local address first. Our agent is master first; when
// keepalived, deaf to it, becomes master too, our agent hears the
// shorter list, switches to it (ipfailover_vrrp_addr_list_compat 1) and
// keepalived steps down: one master, and two owners of the VIP for no
// longer than one advert interval. keepalived, restarted as the
// higher-priority router, then takes the VIP over cleanly.
func TestKeepalivedIPv6AsTheImageConfiguresIt(t *testing.T) {
	t.Parallel()
	nstest.RequirePrivileged(t)
	nstest.RequireCommands(t, "keepalived")
	cfg := contract.ImageDefaults()
	cfg.Name = "ipfailover-e2e"
	ranges, _, err := contract.ParseVIPEntries([]string{"2001:db8::100"})
	if err != nil {
		t.Fatal(err)
	}
	cfg.VIPs = ranges
	cfg.Interface = nstest.HostIfname
	cfg.MonitorPort = 0
	cfg.VRRPVersion = 3 // keepalived's for IPv6; 1 s adverts, its default
	cfg.Preemption = contract.Preemption{Delay: 0}
	c := newCluster(t, cfg, "a", "b")
	a := c.node("a")
	k := &keepalived{t: t, host: c.lab.Host("b"), cfg: c.cfg}
	vip := netip.MustParseAddr("2001:db8::100")
	vrid := c.groups[0].VRID

	a.start("OPENSHIFT_HA_PRIORITY=200")
	nstest.WaitFor(t, c.bound(), "our agent master", func() error {
		st, err := a.states()
		if err != nil {
			return err
		}
		if st[vrid] != stateMaster {
			return fmt.Errorf("a is %s", stateName(st[vrid]))
		}
		return nil
	})
	mon := c.monitorOwners(vip, a, &node{Host: k.host, c: c})
	k.start(100)
	nstest.WaitFor(t, c.bound()+2*time.Second, "our agent to match keepalived's address list", func() error {
		if got := a.mustMetrics().sum("ipfailover_vrrp_addr_list_compat", nil); got != 1 {
			return fmt.Errorf("ipfailover_vrrp_addr_list_compat = %v", got)
		}
		return nil
	})
	// From now on keepalived hears us: it stays (or goes back to) BACKUP.
	time.Sleep(time.Second)
	c.assertOwners(mon, "keepalived IPv6 peer joins")
	mon.Reset()
	complaints := strings.Count(k.proc.Output(), "unexpected ip number count")
	masters := k.entered("MASTER")
	time.Sleep(c.masterDown() + time.Second)
	if got := strings.Count(k.proc.Output(), "unexpected ip number count"); got != complaints {
		t.Errorf("keepalived still discards our adverts (%d more complaints):\n%s", got-complaints, k.proc.Output())
	}
	if got := k.entered("MASTER"); got != masters {
		t.Errorf("keepalived became master again under our agent:\n%s", k.proc.Output())
	}
	if h, err := holds(a.Host, []netip.Addr{vip}); err != nil || !h[vip] {
		t.Errorf("our agent lost the VIP: %v %v", h, err)
	}
	c.assertOwners(mon, "keepalived IPv6 peer, after the switch")

	// keepalived, restarted above our priority, takes over; our agent,
	// hearing a better master, releases the VIP.
	k.term()
	k.start(250)
	nstest.WaitFor(t, c.bound()+3*time.Second, "keepalived master, our agent BACKUP without the VIP", func() error {
		st, err := a.states()
		if err != nil {
			return err
		}
		h, err := holds(a.Host, []netip.Addr{vip})
		if err != nil {
			return err
		}
		if st[vrid] != stateBackup || h[vip] {
			return fmt.Errorf("a is %s, holds %v", stateName(st[vrid]), h[vip])
		}
		if kh, err := holds(k.host, []netip.Addr{vip}); err != nil || !kh[vip] {
			return fmt.Errorf("keepalived does not hold the VIP (%v)", err)
		}
		return nil
	})
}
