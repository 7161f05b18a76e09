//go:build linux

package e2e

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

// TestIPv6ElectsAndFailsOverWithoutDAD runs IPv6 VIPs over VRRPv3, next to
// an IPv4 group (both sockets at once), with duplicate address detection
// switched on for eth0 on every host. One master per group is elected; when the master is SIGKILLed its VIP stays
// behind while the backup adds the same address, which must not end up
// dadfailed (the agent adds VIPs with nodad); the client's neighbour entry
// moves to the new master through its unsolicited NA; and a restarted
// agent on the killed node removes its leftover.
func TestIPv6ElectsAndFailsOverWithoutDAD(t *testing.T) {
	t.Parallel()
	// Groups: 1 = 2001:db8::100 (a), 2 = 192.0.2.100 (b), 3 = 2001:db8::101 (a).
	cfg := fastSet(t, "2001:db8::100", "192.0.2.100", "2001:db8::101")
	cfg.Nodes = []string{"a", "b"}
	c := newCluster(t, cfg, "a", "b")
	for _, h := range c.lab.Hosts() {
		h.Sysctl("net.ipv6.conf.eth0.accept_dad", "1")
	}
	noDADFailed := func() {
		t.Helper()
		for _, h := range c.lab.Hosts() {
			list, err := addrs(h)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range list {
				if strings.Contains(a.Line, "dadfailed") || (a.Prefix.Bits() == 128 && strings.Contains(a.Line, "tentative")) {
					t.Errorf("%s: %s", h.HostName, strings.Join(strings.Fields(a.Line), " "))
				}
			}
		}
	}
	a, b := c.node("a"), c.node("b")
	vip := netip.MustParseAddr("2001:db8::100")
	c.startAll()
	if m := c.converge(0).masters(c.group(vip).VRID)[0]; m != a {
		t.Fatalf("group 1 master is %s, want a", m.HostName)
	}
	c.hold(time.Second)
	c.seedNeighbour(vip, a)

	a.kill()
	c.converge(0, b)
	c.waitNeighbour(vip, b)
	if h, err := holds(a.Host, []netip.Addr{vip}); err != nil || !h[vip] {
		t.Fatalf("after SIGKILL a should still hold its VIP: holds=%v err=%v", h, err)
	}
	noDADFailed()

	a.start()
	c.converge(0)
	c.hold(time.Second)
	noDADFailed()
}
