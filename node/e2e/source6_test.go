//go:build linux

package e2e

import (
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/internal/nstest"
)

// TestIPv6AdvertSourceLostOrChanged deletes the master's IPv6 link-local
// address, the source of VRRP over IPv6 (RFC 9568 §5.1.2.1), while the
// backup listens, and watches the VIP's owners every 20 ms. The master's
// IPv6 group goes to FAULT at once, releasing the VIP, and the backup takes
// it over. A different link-local address is then added: the master comes
// back on its own, its adverts leave from the new address (the backup
// hears them and stays backup) and, preferred, it takes the VIP back; the
// client's neighbour entry follows each move (unsolicited NAs, the
// master's from the new link-local).
//   - IPv6 only: every group lacks its source, so /readyz is 503 during
//     the fault, as for a lost IPv4 source;
//   - beside an IPv4 group: only the IPv6 group faults; the IPv4 group
//     keeps its master and its VIP throughout, and /readyz stays 200;
//   - IPv6 sends fail beside an IPv4 group (an ip6tables OUTPUT rule drops
//     them): within an interval the IPv6 group goes to FAULT, the IPv4
//     group is left alone, and once sending works the IPv6 group is back.
//
// Before, the source was fixed at start: the IPv6 sends failed, every
// group (IPv4 ones too) went to FAULT for failing sends, /readyz stayed
// 200, and the node never recovered from the new address; IPv6 sends that
// failed faulted the IPv4 groups too.
func TestIPv6AdvertSourceLostOrChanged(t *testing.T) {
	t.Parallel()
	vip6 := netip.MustParseAddr("2001:db8::100")
	vip4 := netip.MustParseAddr("192.0.2.100")
	newLL := netip.MustParseAddr("fe80::a:21")
	replace := func(a *node, oldLL netip.Addr) {
		a.MustRun("ip", "addr", "del", oldLL.String()+"/64", "dev", nstest.HostIfname)
	}
	addNew := func(a *node, _ netip.Addr) {
		a.MustRun("ip", "addr", "add", newLL.String()+"/64", "dev", nstest.HostIfname)
	}
	dropVRRP6 := func(a *node, _ netip.Addr) {
		a.MustRun("ip6tables", "-w", "5", "-A", "OUTPUT", "-p", "112", "-j", "DROP")
	}
	undropVRRP6 := func(a *node, _ netip.Addr) {
		a.MustRun("ip6tables", "-w", "5", "-D", "OUTPUT", "-p", "112", "-j", "DROP")
	}
	for _, tc := range []struct {
		name         string
		vips         []string
		break_, heal func(a *node, oldLL netip.Addr)
		ready        int    // a's /readyz during the fault
		log          string // a warning of a's log names this, with family=IPv6
	}{
		{"IPv6 only", []string{"2001:db8::100"}, replace, addNew, http.StatusServiceUnavailable, "source="},
		{"beside IPv4", []string{"2001:db8::100", "192.0.2.100"}, replace, addNew, http.StatusOK, "source="},
		{"IPv6 sends fail beside IPv4", []string{"2001:db8::100", "192.0.2.100"}, dropVRRP6, undropVRRP6, http.StatusOK, "could not be sent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := fastSet(t, tc.vips...)
			cfg.Nodes = []string{"a", "b"}
			c := newCluster(t, cfg, "a", "b")
			a, b := c.node("a"), c.node("b")
			vrid := c.group(vip6).VRID
			oldLL := a.WaitLinkLocal(5 * time.Second)
			a.start("OPENSHIFT_HA_PRIORITY=200")
			b.start("OPENSHIFT_HA_PRIORITY=100")
			c.waitMaster("a master", a, vrid)
			mon := c.monitorOwners(vip6)
			var mon4 *ownerMonitor
			if len(tc.vips) > 1 {
				c.waitMaster("a master of the IPv4 group", a, c.group(vip4).VRID)
				mon4 = c.monitorOwners(vip4)
			}
			c.hold(500 * time.Millisecond)
			c.seedNeighbour(vip6, a)

			mon.Reset()
			if mon4 != nil {
				mon4.Reset()
			}
			tc.break_(a, oldLL)
			c.waitFaultOn("a's IPv6 group in FAULT", a, vrid, tc.ready)
			c.waitTakenOver(b, a, vrid, vip6)
			c.waitNeighbour(vip6, b)
			time.Sleep(time.Second) // the fault lasts
			c.assertOwners(mon, tc.name+": fault")
			if mon4 != nil {
				c.assertOwners(mon4, tc.name+": the IPv4 group during the fault")
			}
			if code, body, err := a.get("/readyz"); err != nil || code != tc.ready {
				t.Errorf("a /readyz during the fault: %d %s %v, want %d", code, body, err, tc.ready)
			}

			mon.Reset()
			tc.heal(a, oldLL)
			c.waitMaster("a master again", a, vrid)
			c.waitNeighbour(vip6, a) // its unsolicited NA too, from a new link-local
			c.hold(500 * time.Millisecond)
			c.assertOwners(mon, tc.name+": recovery")
			if code, body, err := a.get("/readyz"); err != nil || code != http.StatusOK {
				t.Errorf("a /readyz after recovery: %d %s %v", code, body, err)
			}
			out := a.proc.Output()
			want := tc.log
			if want == "source=" {
				want += oldLL.String()
				if !strings.Contains(out, "new="+newLL.String()) {
					t.Errorf("a's log does not say its adverts now leave from %s:\n%s", newLL, out)
				}
			}
			if !hasLogLine(out, "level=WARN", "family=IPv6", want) {
				t.Errorf("a's log has no warning with family=IPv6 and %q:\n%s", want, out)
			}
			if mon4 != nil {
				c.assertOwners(mon4, tc.name+": the IPv4 group throughout")
				if _, zero, _ := mon4.Longest(); zero > 0 {
					t.Errorf("the IPv4 VIP had no owner for %v: its group must not fault with the IPv6 adverts", zero)
				}
				if st, _ := a.states(); st[c.group(vip4).VRID] != stateMaster {
					t.Errorf("a is %s of the IPv4 group, want MASTER", stateName(st[c.group(vip4).VRID]))
				}
			}
		})
	}
}

// hasLogLine reports whether one line of an agent's log contains every one
// of parts.
func hasLogLine(log string, parts ...string) bool {
	for _, line := range strings.Split(log, "\n") {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(line, p)
		}
		if all {
			return true
		}
	}
	return false
}
