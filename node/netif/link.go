package netif

import "net"

// Link is what the agent needs to know about one interface.
type Link struct {
	// Name is the interface name, e.g. "eth0" or "br-ex".
	Name string
	// Index is the kernel's interface index. It changes when an interface is
	// deleted and created again: resolve the Link again after such events.
	Index int
	// MAC is the hardware address (6 bytes on Ethernet).
	MAC net.HardwareAddr
	// MTU is the interface MTU.
	MTU int
	// EncapType is the link type as the kernel names it: "ether",
	// "loopback", "infiniband", "none" (e.g. tun, wireguard), ...
	EncapType string
	// Up says whether the interface is administratively up (IFF_UP).
	Up bool
	// Running says whether the interface is operationally up (IFF_RUNNING):
	// it has carrier, or its lower device does.
	Running bool
}

// Usable reports whether the interface can carry VRRP: administratively up
// and running (with carrier). keepalived puts a vrrp_instance into FAULT
// while its interface is not (IF_ISUP: IFF_UP and IFF_RUNNING).
func (l Link) Usable() bool { return l.Up && l.Running }

// IsEthernet reports whether the link is Ethernet-like (ARPHRD_ETHER with a
// 6-byte address): the only kind on which gratuitous ARP and our VRRP
// transport are supported.
func (l Link) IsEthernet() bool {
	return l.EncapType == "ether" && len(l.MAC) == 6
}
