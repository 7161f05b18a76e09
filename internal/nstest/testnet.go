//go:build linux

package nstest

import "net/netip"

// testNets are the documentation ranges tests may use (RFC 5737, RFC 3849).
var testNets = []netip.Prefix{
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("2001:db8::/32"),
}

// IsTestNet reports whether addr lies in 192.0.2.0/24, 198.51.100.0/24 or
// 2001:db8::/32, the only ranges tests may use for hosts and VIPs.
func IsTestNet(addr netip.Addr) bool {
	for _, p := range testNets {
		if p.Contains(addr.Unmap()) {
			return true
		}
	}
	return false
}
