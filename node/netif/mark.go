package netif

import (
	"net/netip"
	"strings"
)

// DefaultAddrProto is the IFA_PROTO value marking our VIPs. The kernel
// reserves 0 to 3 (unspec, kernel_lo, kernel_ra, kernel_ll); keepalived
// uses 18 (RTPROT_KEEPALIVED). 0xfa is used by neither.
const DefaultAddrProto uint8 = 0xfa

// LabelSuffix ends the IFA_LABEL of our IPv4 VIPs: "<ifname>:ipf".
const LabelSuffix = ":ipf"

// vipLabel returns the IPv4 label for a VIP on ifname, at most 15 bytes.
// A long interface name is cut so the suffix survives, which is also what
// the kernel does to labels when it renames an interface
// (inetdev_changename in net/ipv4/devinet.c).
func vipLabel(ifname string) string {
	if len(ifname)+len(LabelSuffix) > maxLabelLen {
		ifname = ifname[:maxLabelLen-len(LabelSuffix)]
	}
	return ifname + LabelSuffix
}

// isOwned reports whether an address carries one of our marks.
func isOwned(m addrMsg, proto uint8) bool {
	if m.HasProto && m.Proto == proto {
		return true
	}
	return m.Family == familyV4 && strings.HasSuffix(m.Label, LabelSuffix)
}

// hostBits returns 32 for IPv4 and 128 for IPv6.
func hostBits(a netip.Addr) uint8 {
	if a.Is4() {
		return 32
	}
	return 128
}

// familyOf returns the address family number of a.
func familyOf(a netip.Addr) uint8 {
	if a.Is4() {
		return familyV4
	}
	return familyV6
}

// wantVIPFlags are the flags a correctly added VIP shows in a dump.
func wantVIPFlags(a netip.Addr) uint32 {
	f := uint32(flagDeprecated | flagPermanent)
	if a.Is6() {
		f |= flagNoDAD
	}
	return f
}

// newVIPMsg returns the RTM_NEWADDR payload that adds vip to the
// interface: host prefix, scope global, preferred lifetime 0, valid
// forever, IFA_F_NODAD for IPv6, and our marks.
func newVIPMsg(vip netip.Addr, index int, ifname string, proto uint8) addrMsg {
	m := addrMsg{
		Family:       familyOf(vip),
		PrefixLen:    hostBits(vip),
		Scope:        0, // RT_SCOPE_UNIVERSE
		Index:        uint32(index),
		Local:        vip,
		Address:      vip,
		Proto:        proto,
		HasProto:     true,
		Preferred:    0,
		Valid:        lifetimeForever,
		HasCacheInfo: true,
	}
	if vip.Is4() {
		m.Label = vipLabel(ifname)
	} else {
		m.Flags = flagNoDAD
	}
	return m
}

// vipState classifies what the interface holds for one VIP address.
type vipState int

const (
	vipAbsent   vipState = iota + 1 // no address with this IP
	vipGood                         // host prefix, ours, flags as wanted
	vipRepair                       // host prefix, but not ours or flags wrong (e.g. dadfailed)
	vipConflict                     // same IP with another prefix length: not ours to touch
)

// classify looks at the addresses of one interface and says what it holds
// for vip.
func classify(addrs []addrMsg, vip netip.Addr, proto uint8) (vipState, addrMsg) {
	state, found := vipAbsent, addrMsg{}
	for _, m := range addrs {
		if m.IP() != vip {
			continue
		}
		if m.PrefixLen != hostBits(vip) {
			return vipConflict, m
		}
		want := wantVIPFlags(vip)
		bad := uint32(flagDADFailed | flagTentative)
		if isOwned(m, proto) && m.Flags&want == want && m.Flags&bad == 0 {
			state, found = vipGood, m
		} else {
			state, found = vipRepair, m
		}
	}
	return state, found
}

// checkVIP rejects addresses that cannot be VIPs and returns the canonical
// form (IPv4-mapped IPv6 unmapped, zone removed).
func checkVIP(vip netip.Addr) (netip.Addr, bool) {
	vip = vip.Unmap().WithZone("")
	ok := vip.IsValid() && !vip.IsUnspecified() && !vip.IsLoopback() &&
		!vip.IsMulticast() && !vip.IsLinkLocalUnicast()
	return vip, ok
}
