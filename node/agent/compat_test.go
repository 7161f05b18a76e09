package agent

import (
	"net/netip"
	"testing"
)

func TestOmitsLinkLocal(t *testing.T) {
	v1, v2 := netip.MustParseAddr("2001:db8::100"), netip.MustParseAddr("2001:db8::101")
	ll := virtualLinkLocal(11)
	vips := []netip.Addr{v1, v2}
	for _, tc := range []struct {
		theirs []netip.Addr
		want   bool
	}{
		{[]netip.Addr{v1, v2}, true},
		{[]netip.Addr{v2, v1}, true},
		{[]netip.Addr{ll, v1, v2}, false}, // the RFC list
		{[]netip.Addr{v1}, false},         // a different set
		{[]netip.Addr{v1, netip.MustParseAddr("fe80::1")}, false},
		{nil, false},
	} {
		if got := omitsLinkLocal(tc.theirs, vips); got != tc.want {
			t.Errorf("omitsLinkLocal(%v) = %v, want %v", tc.theirs, got, tc.want)
		}
	}
}
