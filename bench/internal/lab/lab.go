//go:build linux

package lab

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"strconv"

	"github.com/failoverkit/ipfailover/internal/nslab"
)

// Addressing of the lab: hosts on TEST-NET-1, VIPs on TEST-NET-2 (reached
// on-link from the client), and for the scale run, which needs more VIPs
// than an IPv4 TEST-NET holds, IPv6 VIPs of the documentation prefix
// (RFC 3849); nothing else.
var (
	// HostNet is the hosts' subnet.
	HostNet = netip.MustParsePrefix("192.0.2.0/24")
	// VIPNet holds every VIP the benchmark uses: 198.51.100.1 to .254.
	VIPNet = netip.MustParsePrefix("198.51.100.0/24")
	// ScaleNet holds the IPv6 VIPs of the scale run: 2001:db8:1::1, ...
	ScaleNet = netip.MustParsePrefix("2001:db8:1::/64")
	// ClientAddr is the client's address.
	ClientAddr = netip.MustParseAddr("192.0.2.100")
)

// Ifname is the single interface of every host.
const Ifname = "eth0"

// Prefix starts every namespace name of the benchmark, so leftovers are
// easy to find: ip netns list | grep ^vb
const Prefix = "vb"

// Host is a namespace with one interface, eth0, on the bridge.
type Host struct {
	*NS
	// Role names the host: n1, n2, n3 or client.
	Role string
	// Addr is eth0's address.
	Addr netip.Addr
	// MAC is eth0's hardware address.
	MAC net.HardwareAddr
	// Port is the switch-side veth; PortIndex its ifindex in the switch.
	Port      string
	PortIndex int

	lab *Lab
}

// Lab is the bench topology: a switch namespace with a bridge (multicast
// snooping off, no uplink), nodes n1..nN at 192.0.2.11.. and a client at
// 192.0.2.100 that reaches the VIP subnet on-link.
type Lab struct {
	// ID is unique per run and starts every namespace name.
	ID     string
	Switch *NS
	Nodes  []*Host
	Client *Host

	cleanups *Cleanups
}

// New builds the lab with the given number of nodes (1 to 9). Everything
// it creates is registered in cl.
func New(cl *Cleanups, nodes int) (*Lab, error) {
	if nodes < 1 || nodes > 9 {
		return nil, fmt.Errorf("lab: %d nodes: want 1 to 9", nodes)
	}
	id := Prefix + strconv.FormatInt(int64(os.Getpid()), 36) + string(rune('a'+rand.IntN(26))) + string(rune('a'+rand.IntN(26)))
	l := &Lab{ID: id, cleanups: cl}
	var err error
	if l.Switch, err = nslab.NewNS(cl, id+"-sw"); err != nil {
		return nil, err
	}
	if err := nslab.AddBridge(l.Switch); err != nil {
		return nil, err
	}
	for i := range nodes {
		addr := HostNet.Addr().As4()
		addr[3] = byte(11 + i)
		h, err := l.addHost(fmt.Sprintf("n%d", i+1), netip.AddrFrom4(addr), i)
		if err != nil {
			return nil, err
		}
		l.Nodes = append(l.Nodes, h)
	}
	if l.Client, err = l.addHost("client", ClientAddr, nodes); err != nil {
		return nil, err
	}
	// The VIPs are on-link for the client: it ARPs for them directly.
	if out, err := l.Client.Run("ip", "route", "add", VIPNet.String(), "dev", Ifname, "scope", "link"); err != nil {
		return nil, fmt.Errorf("client route to the VIPs: %w: %s", err, out)
	}
	return l, nil
}

// quietIPv6 disables IPv6 in a namespace: the benchmark is IPv4 only, and
// router solicitations and MLD reports would only add noise.
func quietIPv6(n *NS) error {
	for _, k := range []string{"net.ipv6.conf.all.disable_ipv6", "net.ipv6.conf.default.disable_ipv6"} {
		if err := n.Sysctl(k, "1"); err != nil {
			return err
		}
	}
	return nil
}

// addHost creates a host namespace and wires its eth0 to the bridge.
func (l *Lab) addHost(role string, addr netip.Addr, i int) (*Host, error) {
	n, err := nslab.NewNS(l.cleanups, l.ID+"-"+role)
	if err != nil {
		return nil, err
	}
	if err := quietIPv6(n); err != nil {
		return nil, err
	}
	h := &Host{NS: n, Role: role, Addr: addr, Port: fmt.Sprintf("p%d", i)}
	if err := nslab.Plug(l.Switch, n, h.Port, Ifname, []netip.Prefix{netip.PrefixFrom(addr, HostNet.Bits())}); err != nil {
		return nil, fmt.Errorf("%s: %w", role, err)
	}
	link, err := n.NL.LinkByName(Ifname)
	if err != nil {
		return nil, fmt.Errorf("%s/%s: %w", role, Ifname, err)
	}
	h.MAC = link.Attrs().HardwareAddr
	port, err := l.Switch.NL.LinkByName(h.Port)
	if err != nil {
		return nil, fmt.Errorf("switch port %s: %w", h.Port, err)
	}
	h.PortIndex = port.Attrs().Index
	h.lab = l
	return h, nil
}
