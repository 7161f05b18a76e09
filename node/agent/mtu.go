package agent

import (
	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/node/vrrp/packet"
)

// ipHeaderLen is the IP header of an advert: IPv4 without options
// (RFC 791 §3.1), or IPv6 (RFC 8200 §3).
func ipHeaderLen(ipv6 bool) int {
	if ipv6 {
		return 40
	}
	return 20
}

// warnMTU warns about groups whose adverts do not fit the interface MTU:
// the kernel drops them on the way in, so this node would never hear the
// master and would become a second one.
func (a *Agent) warnMTU() {
	mtu := a.deps.Link.MTU
	if mtu <= 0 {
		return
	}
	for _, g := range a.groups {
		if len(g.dsts) == 0 {
			continue
		}
		b, err := packet.Append(nil, g.advert, packet.EncodeOptions{Src: g.conn.Source(), Dst: g.dsts[0], NoLinkLocalFirst: true})
		if err != nil {
			continue
		}
		if n := len(b) + ipHeaderLen(g.spec.IPv6()); n > mtu {
			a.log.Warn("the adverts of a VIP group do not fit the interface MTU: this node will not hear its peers' adverts for it and will become a second master; split the VIPs over more groups or raise the MTU",
				"instance", g.instance, "vrid", g.spec.VRID, "vips", len(g.spec.VIPs), "advert_bytes", n,
				"interface", a.deps.Link.Name, "mtu", mtu, "variable", contract.EnvVIPGroups)
		}
	}
}
