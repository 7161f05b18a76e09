package netif

import "net/netip"

// primaryIPv4 picks the primary address from a dump, in kernel order.
func primaryIPv4(addrs []addrMsg, proto uint8) (netip.Prefix, bool) {
	for _, a := range addrs {
		if a.Family != familyV4 || a.Scope != 0 || a.Flags&flagSecondary != 0 || isOwned(a, proto) {
			continue
		}
		return a.Prefix(), true
	}
	return netip.Prefix{}, false
}

// llState is the usability of a link-local address.
type llState int

const (
	llNone llState = iota
	llDADFailed
	llTentative
	llUsable
)

// linkLocal picks the best link-local address from a dump: a usable one if
// any (optimistic addresses are usable, RFC 4429 §3.1), else a tentative
// one, else a dadfailed one. Among addresses of the same state, prefer
// wins (the advert source in use, kept while it is usable); otherwise the
// first in kernel order.
func linkLocal(addrs []addrMsg, prefer netip.Addr) (netip.Addr, llState) {
	var best netip.Addr
	bestState := llNone
	for _, a := range addrs {
		ip := a.IP()
		if a.Family != familyV6 || !ip.IsLinkLocalUnicast() {
			continue
		}
		s := llUsable
		switch {
		case a.Flags&flagDADFailed != 0:
			s = llDADFailed
		case a.Flags&flagTentative != 0 && a.Flags&flagOptimistic == 0:
			s = llTentative
		}
		if s > bestState || (s == bestState && ip == prefer.WithZone("")) {
			best, bestState = ip, s
		}
	}
	return best, bestState
}
