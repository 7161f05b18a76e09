//go:build linux

package netif_test

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/internal/nstest"
	"github.com/failoverkit/ipfailover/node/netif"
)

var (
	vip4 = netip.MustParseAddr("192.0.2.200")
	vip6 = netip.MustParseAddr("2001:db8::200")
)

// lab returns hosts a and b on one bridge, and a Manager bound to a.
func lab(t *testing.T, extra ...nstest.HostConfig) (*nstest.Lab, *netif.Manager, netif.Link) {
	t.Helper()
	nstest.RequirePrivileged(t)
	hosts := append([]nstest.HostConfig{
		{Name: "a", Addrs: []string{"192.0.2.11/24", "2001:db8::11/64"}},
		{Name: "b", Addrs: []string{"192.0.2.12/24", "2001:db8::12/64"}},
	}, extra...)
	l := nstest.NewLab(t, hosts...)
	m, err := netif.Open(l.Host("a").NsHandle())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() })
	link, err := m.LinkByName(nstest.HostIfname)
	if err != nil {
		t.Fatal(err)
	}
	return l, m, link
}

func TestLinkByName(t *testing.T) {
	l, m, link := lab(t)
	a := l.Host("a")
	if link.Name != "eth0" || link.Index <= 1 || link.MAC.String() != a.MAC.String() || !link.IsEthernet() || !link.Up || link.MTU != 1500 {
		t.Errorf("LinkByName(eth0) = %+v, want eth0 with MAC %s, Ethernet, up, MTU 1500", link, a.MAC)
	}
	lo, err := m.LinkByName("lo")
	if err != nil || lo.IsEthernet() || lo.EncapType != "loopback" {
		t.Errorf("LinkByName(lo) = %+v, %v: want a non-Ethernet loopback link", lo, err)
	}
	got, err := m.LinkByName("eth9")
	if !errors.Is(err, netif.ErrLinkNotFound) || !strings.Contains(err.Error(), `"eth9"`) || got.Index != 0 {
		t.Errorf("LinkByName(eth9) = %+v, %v: want ErrLinkNotFound naming eth9 and no link", got, err)
	}
}

func TestAddRemoveVIPIdempotent(t *testing.T) {
	l, m, link := lab(t)
	a := l.Host("a")
	for range 3 {
		for _, v := range []netip.Addr{vip4, vip6} {
			if err := m.AddVIP(link, v); err != nil {
				t.Fatalf("AddVIP(%s): %v", v, err)
			}
		}
	}
	out4 := a.MustRun("ip", "-4", "-o", "addr", "show", "dev", "eth0")
	out6 := a.MustRun("ip", "-6", "-o", "addr", "show", "dev", "eth0")
	if n := strings.Count(out4, "192.0.2.200/32"); n != 1 {
		t.Errorf("192.0.2.200/32 appears %d times, want once:\n%s", n, out4)
	}
	if !regexpLine(out4, "192.0.2.200/32", "scope global", "deprecated", "eth0:ipf") {
		t.Errorf("IPv4 VIP not global+deprecated+labelled:\n%s", out4)
	}
	if n := strings.Count(out6, "2001:db8::200/128"); n != 1 || !regexpLine(out6, "2001:db8::200/128", "scope global", "nodad", "deprecated") {
		t.Errorf("IPv6 VIP: want exactly one global nodad deprecated /128:\n%s", out6)
	}
	vips, err := m.ListVIPs(link)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(addrsOf(vips)); got != "[192.0.2.200 2001:db8::200]" {
		t.Errorf("ListVIPs = %s, want [192.0.2.200 2001:db8::200]", got)
	}

	// A repeated AddVIP of a good VIP writes nothing: no address event.
	events, cancel, err := m.Subscribe(link)
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()
	if err := m.AddVIP(link, vip4); err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-events:
		t.Errorf("AddVIP of a present VIP changed the interface: %+v", ev)
	case <-time.After(200 * time.Millisecond):
	}

	for range 2 {
		for _, v := range []netip.Addr{vip4, vip6} {
			if err := m.RemoveVIP(link, v); err != nil {
				t.Fatalf("RemoveVIP(%s): %v", v, err)
			}
		}
	}
	out := a.MustRun("ip", "-o", "addr", "show", "dev", "eth0")
	if strings.Contains(out, "192.0.2.200") || strings.Contains(out, "2001:db8::200") {
		t.Errorf("VIPs still present after RemoveVIP:\n%s", out)
	}
	if !strings.Contains(out, "192.0.2.11/24") || !strings.Contains(out, "2001:db8::11/64") {
		t.Errorf("node addresses lost:\n%s", out)
	}
	if vips, err := m.ListVIPs(link); err != nil || len(vips) != 0 {
		t.Errorf("ListVIPs after removal = %v, %v; want none", vips, err)
	}
}

// TestAddVIPs: one call adds several VIPs of both families, leaves a good
// one alone, repairs one in the wrong form and reports a conflicting one by
// name while adding the others.
func TestAddVIPs(t *testing.T) {
	l, m, link := lab(t)
	a := l.Host("a")
	v4b := netip.MustParseAddr("192.0.2.201")
	conflict := netip.MustParseAddr("192.0.2.202")
	if err := m.AddVIP(link, vip4); err != nil {
		t.Fatal(err)
	}
	a.MustRun("ip", "addr", "add", "192.0.2.202/24", "dev", "eth0")
	a.MustRun("ip", "-6", "addr", "add", "2001:db8::200/128", "dev", "eth0", "nodad") // unmarked: repaired
	err := m.AddVIPs(link, []netip.Addr{vip4, v4b, conflict, vip6})
	if !errors.Is(err, netif.ErrConflict) || !strings.Contains(err.Error(), "192.0.2.202") || strings.Contains(err.Error(), "192.0.2.201") {
		t.Errorf("AddVIPs = %v, want ErrConflict naming 192.0.2.202 only", err)
	}
	vips, err := m.ListVIPs(link)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(addrsOf(vips)); got != "[192.0.2.200 192.0.2.201 2001:db8::200]" {
		t.Errorf("ListVIPs = %s, want [192.0.2.200 192.0.2.201 2001:db8::200]", got)
	}
	if out := a.MustRun("ip", "-4", "-o", "addr", "show", "dev", "eth0"); !strings.Contains(out, "192.0.2.202/24") {
		t.Errorf("the conflicting address was touched:\n%s", out)
	}

	// IPv6 only (added without a dump): the good one is left alone, a new
	// one added, one present with another prefix length reported by name.
	v6b, conflict6 := netip.MustParseAddr("2001:db8::201"), netip.MustParseAddr("2001:db8::202")
	a.MustRun("ip", "-6", "addr", "add", "2001:db8::202/64", "dev", "eth0", "nodad")
	err = m.AddVIPs(link, []netip.Addr{vip6, v6b, conflict6})
	if !errors.Is(err, netif.ErrConflict) || !strings.Contains(err.Error(), "2001:db8::202") || strings.Contains(err.Error(), "2001:db8::201") {
		t.Errorf("AddVIPs(IPv6) = %v, want ErrConflict naming 2001:db8::202 only", err)
	}
	if vips, err = m.ListVIPs(link); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(addrsOf(vips)); got != "[192.0.2.200 192.0.2.201 2001:db8::201 2001:db8::200]" {
		t.Errorf("ListVIPs = %s, want [192.0.2.200 192.0.2.201 2001:db8::201 2001:db8::200]", got)
	}
	out6 := a.MustRun("ip", "-6", "-o", "addr", "show", "dev", "eth0")
	if !strings.Contains(out6, "2001:db8::202/64") || strings.Count(out6, "2001:db8::200/128") != 1 {
		t.Errorf("IPv6: the conflicting address was touched, or the good VIP doubled:\n%s", out6)
	}

	// RemoveVIPs: all of them in one call, an absent one is no error, the
	// conflicting one is reported and left alone.
	err = m.RemoveVIPs(link, []netip.Addr{vip4, v4b, conflict, vip6, v6b, netip.MustParseAddr("192.0.2.203")})
	if !errors.Is(err, netif.ErrConflict) || !strings.Contains(err.Error(), "192.0.2.202") || strings.Contains(err.Error(), "192.0.2.203") {
		t.Errorf("RemoveVIPs = %v, want ErrConflict naming 192.0.2.202 only", err)
	}
	if vips, err := m.ListVIPs(link); err != nil || len(vips) != 0 {
		t.Errorf("ListVIPs after RemoveVIPs = %v, %v; want none", vips, err)
	}
	if out := a.MustRun("ip", "-4", "-o", "addr", "show", "dev", "eth0"); !strings.Contains(out, "192.0.2.202/24") || !strings.Contains(out, "192.0.2.11/24") {
		t.Errorf("RemoveVIPs touched other addresses:\n%s", out)
	}
}

func TestVIPNeverSource(t *testing.T) {
	l, m, link := lab(t)
	a, b := l.Host("a"), l.Host("b")
	// A VIP inside the node subnet and one outside, both families.
	for _, v := range []string{"192.0.2.200", "198.51.100.200", "2001:db8::200"} {
		if err := m.AddVIP(link, netip.MustParseAddr(v)); err != nil {
			t.Fatal(err)
		}
	}
	// An off-link destination through a gateway, to exercise source
	// selection without a connected route's preferred source.
	a.MustRun("ip", "route", "add", "198.51.100.0/25", "via", "192.0.2.12")

	for _, tc := range []struct{ dst, wantSrc string }{
		{"192.0.2.12", "192.0.2.11"},
		{"198.51.100.7", "192.0.2.11"},
		{"2001:db8::12", "2001:db8::11"},
	} {
		out := a.MustRun("ip", "route", "get", tc.dst)
		if !strings.Contains(out, "src "+tc.wantSrc+" ") {
			t.Errorf("ip route get %s = %q, want src %s", tc.dst, out, tc.wantSrc)
		}
	}
	// A real connection: the kernel picks the source at connect time.
	for _, dst := range []string{"192.0.2.12", "2001:db8::12"} {
		var local string
		if err := a.Do(func() error {
			c, err := net.Dial("udp", net.JoinHostPort(dst, "9"))
			if err != nil {
				return err
			}
			defer c.Close()
			local = c.LocalAddr().(*net.UDPAddr).IP.String()
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if local == "192.0.2.200" || local == "2001:db8::200" || local == "198.51.100.200" {
			t.Errorf("connection to %s uses VIP %s as source", dst, local)
		}
	}
	p, err := m.PrimaryIPv4(link)
	if err != nil || p.String() != "192.0.2.11/24" {
		t.Errorf("PrimaryIPv4 = %v, %v; want 192.0.2.11/24", p, err)
	}
	// b still reaches a's node address and a's VIP.
	for _, dst := range []string{"192.0.2.11", "192.0.2.200"} {
		if err := b.Ping(netip.MustParseAddr(dst), 3*time.Second); err != nil {
			t.Errorf("b -> %s: %v", dst, err)
		}
	}
}

func TestPrimaryIPv4OnlyVIPs(t *testing.T) {
	l, _, _ := lab(t, nstest.HostConfig{Name: "v6only", Addrs: []string{"2001:db8::13/64"}})
	m, err := netif.Open(l.Host("v6only").NsHandle())
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	link, err := m.LinkByName("eth0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.AddVIP(link, vip4); err != nil {
		t.Fatal(err)
	}
	if p, err := m.PrimaryIPv4(link); !errors.Is(err, netif.ErrNoPrimaryIPv4) {
		t.Errorf("PrimaryIPv4 with only a VIP = %v, %v; want ErrNoPrimaryIPv4", p, err)
	}
}

// TestIPv6VIPNoDAD: with DAD on, an address that b already holds goes
// dadfailed on a, but our VIP with the same kind of clash stays usable; and
// AddVIP repairs a dadfailed copy.
func TestIPv6VIPNoDAD(t *testing.T) {
	l, m, link := lab(t)
	a, b := l.Host("a"), l.Host("b")
	b.MustRun("ip", "addr", "add", "2001:db8::200/64", "dev", "eth0")
	b.MustRun("ip", "addr", "add", "2001:db8::201/64", "dev", "eth0")
	a.Sysctl("net.ipv6.conf.eth0.accept_dad", "1")
	a.Sysctl("net.ipv6.neigh.eth0.retrans_time_ms", "100")

	// Control: plain add of a clashing address fails DAD.
	a.MustRun("ip", "addr", "add", "2001:db8::201/128", "dev", "eth0")
	nstest.WaitFor(t, 3*time.Second, "2001:db8::201 to fail DAD on a", func() error {
		if out := a.MustRun("ip", "-6", "-o", "addr", "show", "to", "2001:db8::201/128"); !strings.Contains(out, "dadfailed") {
			return errors.New(out)
		}
		return nil
	})

	if err := m.AddVIP(link, vip6); err != nil {
		t.Fatal(err)
	}
	// Repair: the dadfailed, unmarked copy becomes a proper VIP.
	fixed := netip.MustParseAddr("2001:db8::201")
	if err := m.AddVIP(link, fixed); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // five DAD retransmission times
	for _, v := range []string{"2001:db8::200", "2001:db8::201"} {
		out := a.MustRun("ip", "-6", "-o", "addr", "show", "to", v+"/128")
		if !strings.Contains(out, v) || strings.Contains(out, "dadfailed") || strings.Contains(out, "tentative") || !strings.Contains(out, "nodad") {
			t.Errorf("%s on a: %q; want present, nodad, not tentative or dadfailed", v, out)
		}
	}
	vips, err := m.ListVIPs(link)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vips {
		if v.DADFailed() {
			t.Errorf("ListVIPs reports %s dadfailed", v.Addr)
		}
	}
	if got := fmt.Sprint(addrsOf(vips)); got != "[2001:db8::200 2001:db8::201]" && got != "[2001:db8::201 2001:db8::200]" {
		t.Errorf("ListVIPs = %s", got)
	}
}

func TestConflictLeavesForeignAddress(t *testing.T) {
	l, m, link := lab(t)
	a := l.Host("a")
	own := netip.MustParseAddr("192.0.2.11")
	if err := m.AddVIP(link, own); !errors.Is(err, netif.ErrConflict) || !strings.Contains(err.Error(), "192.0.2.11/24") {
		t.Errorf("AddVIP(node address) = %v; want ErrConflict naming 192.0.2.11/24", err)
	}
	if err := m.RemoveVIP(link, own); !errors.Is(err, netif.ErrConflict) {
		t.Errorf("RemoveVIP(node address) = %v; want ErrConflict", err)
	}
	if out := a.MustRun("ip", "-4", "-o", "addr", "show", "dev", "eth0"); !strings.Contains(out, "192.0.2.11/24") {
		t.Errorf("node address removed:\n%s", out)
	}
	for _, bad := range []string{"fe80::1", "224.0.0.18", "0.0.0.0"} {
		if err := m.AddVIP(link, netip.MustParseAddr(bad)); !errors.Is(err, netif.ErrInvalidVIP) {
			t.Errorf("AddVIP(%s) = %v; want ErrInvalidVIP", bad, err)
		}
	}
	// An unmarked /32 someone else added is adopted (re-added with our
	// marks) by AddVIP.
	a.MustRun("ip", "addr", "add", "192.0.2.201/32", "dev", "eth0")
	if err := m.AddVIP(link, netip.MustParseAddr("192.0.2.201")); err != nil {
		t.Fatal(err)
	}
	if out := a.MustRun("ip", "-4", "-o", "addr", "show", "to", "192.0.2.201/32"); !strings.Contains(out, "eth0:ipf") {
		t.Errorf("adopted address not marked: %q", out)
	}
}

func TestSubscribeSeesExternalDelete(t *testing.T) {
	l, m, link := lab(t)
	a := l.Host("a")
	if err := m.AddVIP(link, vip4); err != nil {
		t.Fatal(err)
	}
	events, cancel, err := m.Subscribe(link)
	if err != nil {
		t.Fatal(err)
	}
	a.MustRun("ip", "addr", "del", "192.0.2.200/32", "dev", "eth0")
	want := netip.MustParsePrefix("192.0.2.200/32")
	deadline := time.After(3 * time.Second)
	for seen := false; !seen; {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatal("subscription closed early")
			}
			if ev.Err != nil {
				t.Fatal(ev.Err)
			}
			seen = ev.Prefix == want && !ev.Added
		case <-deadline:
			t.Fatal("no removal event for 192.0.2.200/32 within 3s")
		}
	}
	// The agent's reaction: re-assert.
	if err := m.AddVIP(link, vip4); err != nil {
		t.Fatal(err)
	}
	cancel()
	cancel() // idempotent
	timeout := time.After(time.Second)
	for {
		select {
		case _, ok := <-events:
			if !ok {
				goto closed
			}
		case <-timeout:
			t.Fatal("event channel not closed after cancel")
		}
	}
closed:
	if vips, err := m.ListVIPs(link); err != nil || len(vips) != 1 {
		t.Errorf("after re-assert ListVIPs = %v, %v", vips, err)
	}
}

func TestLinkLocalIPv6States(t *testing.T) {
	l, m, link := lab(t)
	a := l.Host("a")
	ll, err := m.LinkLocalIPv6(link)
	if err != nil || !ll.IsLinkLocalUnicast() || ll.Zone() != "eth0" {
		t.Fatalf("LinkLocalIPv6 = %v, %v; want a usable fe80:: address with zone eth0", ll, err)
	}
	// Turn DAD on with a long timer and restart the link: the link-local
	// comes back tentative.
	a.Sysctl("net.ipv6.conf.eth0.accept_dad", "1")
	a.Sysctl("net.ipv6.neigh.eth0.retrans_time_ms", "700")
	a.MustRun("ip", "link", "set", "eth0", "down")
	a.MustRun("ip", "link", "set", "eth0", "up")
	nstest.WaitFor(t, 2*time.Second, "a tentative link-local", func() error {
		got, err := m.LinkLocalIPv6(link)
		if !errors.Is(err, netif.ErrTentative) || got.WithZone("") != ll.WithZone("") {
			return fmt.Errorf("LinkLocalIPv6 = %v, %v", got, err)
		}
		return nil
	})
	nstest.WaitFor(t, 3*time.Second, "the link-local to become usable", func() error {
		_, err := m.LinkLocalIPv6(link)
		return err
	})
	a.Sysctl("net.ipv6.conf.eth0.disable_ipv6", "1")
	if got, err := m.LinkLocalIPv6(link); !errors.Is(err, netif.ErrNoLinkLocal) {
		t.Errorf("with IPv6 disabled LinkLocalIPv6 = %v, %v; want ErrNoLinkLocal", got, err)
	}
}

func addrsOf(vips []netif.VIP) []netip.Addr {
	var out []netip.Addr
	for _, v := range vips {
		out = append(out, v.Addr)
	}
	return out
}

// regexpLine reports whether one line of out contains every part.
func regexpLine(out string, parts ...string) bool {
	for _, line := range strings.Split(out, "\n") {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(line, p)
		}
		if ok {
			return true
		}
	}
	return false
}
