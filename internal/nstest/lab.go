//go:build linux

package nstest

import (
	"fmt"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"

	"github.com/failoverkit/ipfailover/internal/nslab"
)

// HostIfname is the name of the single interface of every lab host.
const HostIfname = "eth0"

// maxHostNameLen keeps namespace names short and readable.
const maxHostNameLen = 8

// linkLocalWait bounds how long NewLab waits for IPv6 link-locals.
const linkLocalWait = 5 * time.Second

// HostConfig describes one host of a Lab.
type HostConfig struct {
	// Name identifies the host in the lab and ends its namespace name
	// (1 to 8 characters, e.g. "a", "b", "client").
	Name string
	// Addrs are the host's addresses with prefix length, e.g.
	// "192.0.2.11/24" or "2001:db8::11/64". Only TEST-NET ranges are
	// accepted (see IsTestNet).
	Addrs []string
}

// Lab is a switch namespace holding a bridge plus hosts, each in its own
// namespace and each connected to the bridge by a veth pair.
type Lab struct {
	// Switch is the namespace holding the bridge. IPv6 is disabled on its
	// interfaces so it stays silent; it forwards every frame.
	Switch *NS

	t     testing.TB
	hosts map[string]*Host
	order []*Host
}

// Host is a lab host: a namespace with one interface, eth0, on the bridge.
type Host struct {
	*NS
	// HostName is the name given in HostConfig.
	HostName string
	// Ifname is the host's interface (always HostIfname).
	Ifname string
	// MAC is eth0's hardware address.
	MAC net.HardwareAddr
	// Addrs are the configured addresses.
	Addrs []netip.Prefix

	lab  *Lab
	port string // switch-side veth in the switch namespace
}

// NewLab builds the switch and the hosts, brings every link up, and waits
// (bounded) until every host has a usable IPv6 link-local address. DAD is
// off in host namespaces (net.ipv6.conf.{all,default}.accept_dad=0) so that
// addresses are usable at once; a test that needs DAD turns it on for
// eth0 (the kernel uses the larger of "all" and the interface value).
// Everything is removed in t.Cleanup.
func NewLab(t testing.TB, hosts ...HostConfig) *Lab {
	t.Helper()
	if len(hosts) == 0 {
		t.Fatal("nstest: NewLab needs at least one host")
	}
	l := &Lab{t: t, hosts: map[string]*Host{}}
	l.Switch = NewNS(t, "sw")
	// No snooping: link-local multicast (224.0.0.18, ff02::12) must reach
	// every port as on a dumb switch. No STP delay. IPv6 off on the switch.
	must(t, nslab.AddBridge(l.Switch.ns))

	for i, hc := range hosts {
		l.addHost(i, hc)
	}
	for _, h := range l.order {
		h.WaitLinkLocal(linkLocalWait)
	}
	return l
}

// addHost creates one host namespace and wires it to the bridge.
func (l *Lab) addHost(i int, hc HostConfig) {
	t := l.t
	t.Helper()
	if hc.Name == "" || len(hc.Name) > maxHostNameLen {
		t.Fatalf("nstest: host name %q must have 1 to %d characters", hc.Name, maxHostNameLen)
	}
	if _, dup := l.hosts[hc.Name]; dup {
		t.Fatalf("nstest: duplicate host name %q", hc.Name)
	}
	var addrs []netip.Prefix
	for _, s := range hc.Addrs {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			t.Fatalf("nstest: host %s: address %q: %v", hc.Name, s, err)
		}
		if !IsTestNet(p.Addr()) {
			t.Fatalf("nstest: host %s: %s is outside the TEST-NET ranges", hc.Name, p)
		}
		addrs = append(addrs, p)
	}

	ns := NewNS(t, hc.Name)
	ns.Sysctl("net.ipv6.conf.all.accept_dad", "0")
	ns.Sysctl("net.ipv6.conf.default.accept_dad", "0")

	h := &Host{NS: ns, HostName: hc.Name, Ifname: HostIfname, Addrs: addrs, lab: l, port: fmt.Sprintf("sp%d", i)}
	// Both ends are created from the switch side: the host end is born in
	// the host namespace, so nothing ever appears in the caller's one.
	must(t, nslab.Plug(l.Switch.ns, ns.ns, h.port, HostIfname, addrs))

	link, err := ns.Handle().LinkByName(HostIfname)
	if err != nil {
		t.Fatalf("nstest: host %s: %s: %v", hc.Name, HostIfname, err)
	}
	h.MAC = link.Attrs().HardwareAddr
	l.hosts[hc.Name] = h
	l.order = append(l.order, h)
}

// Host returns the named host; it fails the test if there is none.
func (l *Lab) Host(name string) *Host {
	l.t.Helper()
	h, ok := l.hosts[name]
	if !ok {
		l.t.Fatalf("nstest: lab has no host %q", name)
	}
	return h
}

// Hosts returns the hosts in creation order.
func (l *Lab) Hosts() []*Host { return append([]*Host(nil), l.order...) }

// Namespaces returns the names of every namespace of the lab.
func (l *Lab) Namespaces() []string {
	names := []string{l.Switch.Name}
	for _, h := range l.order {
		names = append(names, h.Name)
	}
	return names
}

// Addr returns the host's first configured address of the given family
// (4 or 6); it fails the test if there is none.
func (h *Host) Addr(family int) netip.Addr {
	h.t.Helper()
	for _, p := range h.Addrs {
		if (family == 4) == p.Addr().Is4() {
			return p.Addr()
		}
	}
	h.t.Fatalf("nstest: host %s has no IPv%d address", h.HostName, family)
	return netip.Addr{}
}

// Cut partitions the host: its switch port leaves the bridge, so its frames
// go nowhere, while eth0 keeps its carrier (as when a switch filters
// traffic, not as when a cable is pulled).
func (h *Host) Cut() {
	h.t.Helper()
	must(h.t, nslab.Cut(h.lab.Switch.ns, h.port))
}

// Restore undoes Cut.
func (h *Host) Restore() {
	h.t.Helper()
	must(h.t, nslab.Restore(h.lab.Switch.ns, h.port))
}

// SetCarrier takes the switch port down (false) or up (true); eth0 then
// loses or regains its carrier, as when a cable is pulled.
func (h *Host) SetCarrier(up bool) {
	h.t.Helper()
	must(h.t, nslab.SetCarrier(h.lab.Switch.ns, h.port, up))
}

// WaitLinkLocal waits, at most timeout, until eth0 has an IPv6 link-local
// address that is no longer tentative, and returns it.
func (h *Host) WaitLinkLocal(timeout time.Duration) netip.Addr {
	h.t.Helper()
	var ll netip.Addr
	WaitFor(h.t, timeout, "usable IPv6 link-local on "+h.HostName+"/"+HostIfname, func() error {
		link, err := h.Handle().LinkByName(HostIfname)
		if err != nil {
			return err
		}
		addrs, err := h.Handle().AddrList(link, netlink.FAMILY_V6)
		if err != nil {
			return err
		}
		for _, a := range addrs {
			ip, ok := netip.AddrFromSlice(a.IP)
			if !ok || !ip.IsLinkLocalUnicast() {
				continue
			}
			if a.Flags&(unix.IFA_F_TENTATIVE|unix.IFA_F_DADFAILED) != 0 {
				return fmt.Errorf("%s is tentative or dadfailed (flags %#x)", ip, a.Flags)
			}
			ll = ip
			return nil
		}
		return fmt.Errorf("no link-local address yet")
	})
	return ll
}

// must fails the test on a lab error.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("nstest: %v", err)
	}
}
