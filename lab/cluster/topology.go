package cluster

import (
	"fmt"
	"net/netip"
)

// Addressing of the lab, all on TEST-NET ranges (RFC 5737): the hosts on
// 192.0.2.0/24, VIPs for tests from VIPBase upwards on the same link,
// Services and pods on 203.0.113.0/24, which nothing routes.
var (
	// HostNet is the link every node, the control plane and the client share.
	HostNet = netip.MustParsePrefix("192.0.2.0/24")
	// ControlPlaneAddr is the API server's address on the link.
	ControlPlaneAddr = netip.MustParseAddr("192.0.2.2")
	// ClientAddr is the client namespace's address.
	ClientAddr = netip.MustParseAddr("192.0.2.100")
	// ServiceNet is the Service ClusterIP range.
	ServiceNet = netip.MustParsePrefix("203.0.113.0/25")
	// KubernetesServiceAddr is the first address of ServiceNet, the
	// "kubernetes" Service's ClusterIP (in the API server's certificate).
	KubernetesServiceAddr = netip.MustParseAddr("203.0.113.1")
	// PodNet holds the per-node pod ranges (/28 each) for pods that are not
	// on the host network.
	PodNet = netip.MustParsePrefix("203.0.113.128/25")
)

// Interface is the name of every namespace's link to the bridge.
const Interface = "eth0"

// MaxNodes bounds the worker count (addresses .11 to .19, pod /28s).
const MaxNodes = 8

// APIServerPort is the API server's port inside the control-plane namespace.
const APIServerPort uint16 = 6443

// nodeAddr is worker i's (0-based) address: 192.0.2.11, .12, ...
func nodeAddr(i int) netip.Addr {
	return netip.AddrFrom4([4]byte{192, 0, 2, byte(11 + i)})
}

// nodePodNet is worker i's pod range.
func nodePodNet(i int) netip.Prefix {
	b := PodNet.Addr().As4()
	b[3] += byte(16 * i)
	return netip.PrefixFrom(netip.AddrFrom4(b), 28)
}

// NodeName is worker i's (0-based) Kubernetes node name.
func NodeName(i int) string { return fmt.Sprintf("worker-%d", i+1) }
