package netif

import (
	"net/netip"
	"testing"
)

func TestVIPLabel(t *testing.T) {
	for _, tc := range []struct{ ifname, want string }{
		{"eth0", "eth0:ipf"},
		{"br-ex", "br-ex:ipf"},
		{"enp0s31f6", "enp0s31f6:ipf"},
		{"abcdefghijk", "abcdefghijk:ipf"},     // 11 + 4 = 15: fits
		{"abcdefghijkl", "abcdefghijk:ipf"},    // 12: cut
		{"abcdefghijklmno", "abcdefghijk:ipf"}, // 15, the longest name
	} {
		got := vipLabel(tc.ifname)
		if got != tc.want || len(got) > maxLabelLen {
			t.Errorf("vipLabel(%q) = %q, want %q (max %d bytes)", tc.ifname, got, tc.want, maxLabelLen)
		}
	}
}

// addr4 and addr6 build dump entries for the table tests.
func addr4(s string, flags uint32, label string) addrMsg {
	p := netip.MustParsePrefix(s)
	return addrMsg{Family: familyV4, PrefixLen: uint8(p.Bits()), Flags: flags, Local: p.Addr(), Address: p.Addr(), Label: label}
}

func addr6(s string, flags uint32, scope uint8) addrMsg {
	p := netip.MustParsePrefix(s)
	return addrMsg{Family: familyV6, PrefixLen: uint8(p.Bits()), Flags: flags, Scope: scope, Address: p.Addr()}
}

func withProto(m addrMsg, p uint8) addrMsg { m.Proto, m.HasProto = p, true; return m }

func TestIsOwned(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    addrMsg
		want bool
	}{
		{"v4 label", addr4("192.0.2.200/32", 0, "eth0:ipf"), true},
		{"v4 label of a renamed long interface", addr4("192.0.2.200/32", 0, "abcdefghijk:ipf"), true},
		{"v4 keepalived-style label", addr4("192.0.2.200/32", 0, "eth0:vip"), false},
		{"v4 no mark", addr4("192.0.2.200/32", 0, "eth0"), false},
		{"v6 our proto", withProto(addr6("2001:db8::200/128", 0, 0), DefaultAddrProto), true},
		{"v6 keepalived proto", withProto(addr6("2001:db8::200/128", 0, 0), 18), false},
		{"v6 label is meaningless", addr6("2001:db8::200/128", 0, 0), false},
		{"v4 proto only", withProto(addr4("192.0.2.200/32", 0, "eth0"), DefaultAddrProto), true},
	} {
		if got := isOwned(tc.m, DefaultAddrProto); got != tc.want {
			t.Errorf("%s: isOwned = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestClassify(t *testing.T) {
	const ours = DefaultAddrProto
	vip4 := netip.MustParseAddr("192.0.2.200")
	vip6 := netip.MustParseAddr("2001:db8::200")
	good4 := withProto(addr4("192.0.2.200/32", flagDeprecated|flagPermanent, "eth0:ipf"), ours)
	good6 := withProto(addr6("2001:db8::200/128", flagNoDAD|flagDeprecated|flagPermanent, 0), ours)
	node := addr4("192.0.2.11/24", flagPermanent, "eth0")
	for _, tc := range []struct {
		name  string
		addrs []addrMsg
		vip   netip.Addr
		want  vipState
	}{
		{"absent", []addrMsg{node}, vip4, vipAbsent},
		{"good v4", []addrMsg{node, good4}, vip4, vipGood},
		{"good v6", []addrMsg{good6}, vip6, vipGood},
		{"v4 unmarked", []addrMsg{addr4("192.0.2.200/32", flagDeprecated|flagPermanent, "eth0")}, vip4, vipRepair},
		{"v4 not deprecated", []addrMsg{withProto(addr4("192.0.2.200/32", flagPermanent, "eth0:ipf"), ours)}, vip4, vipRepair},
		{"v6 dadfailed", []addrMsg{withProto(addr6("2001:db8::200/128", flagNoDAD|flagDeprecated|flagPermanent|flagDADFailed|flagTentative, 0), ours)}, vip6, vipRepair},
		{"v6 without nodad", []addrMsg{withProto(addr6("2001:db8::200/128", flagDeprecated|flagPermanent, 0), ours)}, vip6, vipRepair},
		{"same ip as the node /24", []addrMsg{node}, netip.MustParseAddr("192.0.2.11"), vipConflict},
		{"conflict wins over a host route copy", []addrMsg{good4, addr4("192.0.2.200/24", 0, "eth0")}, vip4, vipConflict},
	} {
		if got, _ := classify(tc.addrs, tc.vip, ours); got != tc.want {
			t.Errorf("%s: classify = %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestPrimaryIPv4(t *testing.T) {
	const ours = DefaultAddrProto
	vip := withProto(addr4("192.0.2.200/32", flagDeprecated|flagPermanent, "eth0:ipf"), ours)
	for _, tc := range []struct {
		name  string
		addrs []addrMsg
		want  string // "" = none
	}{
		{"node address first", []addrMsg{addr4("192.0.2.11/24", 0, "eth0"), vip}, "192.0.2.11/24"},
		{"VIP listed first is skipped", []addrMsg{vip, addr4("192.0.2.11/24", 0, "eth0")}, "192.0.2.11/24"},
		{"secondary skipped", []addrMsg{addr4("192.0.2.12/24", flagSecondary, "eth0"), addr4("198.51.100.5/24", 0, "eth0")}, "198.51.100.5/24"},
		{"host scope skipped", []addrMsg{func() addrMsg { a := addr4("192.0.2.11/24", 0, "eth0"); a.Scope = 254; return a }()}, ""},
		{"only VIPs", []addrMsg{vip}, ""},
		{"ipv6 only", []addrMsg{addr6("2001:db8::11/64", 0, 0)}, ""},
	} {
		got, ok := primaryIPv4(tc.addrs, ours)
		if (tc.want == "") == ok || (ok && got.String() != tc.want) {
			t.Errorf("%s: primaryIPv4 = %v %v, want %q", tc.name, got, ok, tc.want)
		}
	}
}

func TestLinkLocal(t *testing.T) {
	const link = 253
	for _, tc := range []struct {
		name   string
		addrs  []addrMsg
		prefer string
		want   llState
		addr   string
	}{
		{"none", []addrMsg{addr6("2001:db8::11/64", 0, 0)}, "", llNone, ""},
		{"usable", []addrMsg{addr6("fe80::1/64", flagPermanent, link)}, "", llUsable, "fe80::1"},
		{"tentative", []addrMsg{addr6("fe80::1/64", flagTentative|flagPermanent, link)}, "", llTentative, "fe80::1"},
		{"optimistic is usable", []addrMsg{addr6("fe80::1/64", flagTentative|flagOptimistic, link)}, "", llUsable, "fe80::1"},
		{"dadfailed", []addrMsg{addr6("fe80::1/64", flagTentative|flagDADFailed, link)}, "", llDADFailed, "fe80::1"},
		{"usable wins over dadfailed", []addrMsg{addr6("fe80::1/64", flagTentative|flagDADFailed, link), addr6("fe80::2/64", 0, link)}, "", llUsable, "fe80::2"},
		{"first usable", []addrMsg{addr6("fe80::1/64", 0, link), addr6("fe80::2/64", 0, link)}, "", llUsable, "fe80::1"},
		{"the preferred one while usable", []addrMsg{addr6("fe80::1/64", 0, link), addr6("fe80::2/64", 0, link)}, "fe80::2", llUsable, "fe80::2"},
		{"preferred but tentative loses", []addrMsg{addr6("fe80::1/64", 0, link), addr6("fe80::2/64", flagTentative, link)}, "fe80::2", llUsable, "fe80::1"},
		{"preferred one gone", []addrMsg{addr6("fe80::1/64", 0, link)}, "fe80::2", llUsable, "fe80::1"},
	} {
		var prefer netip.Addr
		if tc.prefer != "" {
			prefer = netip.MustParseAddr(tc.prefer)
		}
		got, st := linkLocal(tc.addrs, prefer)
		if st != tc.want || (tc.addr != "" && got.String() != tc.addr) {
			t.Errorf("%s: linkLocal = %v state %d, want %q state %d", tc.name, got, st, tc.addr, tc.want)
		}
	}
}

func TestCheckVIP(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // "" = rejected
	}{
		{"192.0.2.200", "192.0.2.200"},
		{"::ffff:192.0.2.200", "192.0.2.200"},
		{"2001:db8::200", "2001:db8::200"},
		{"2001:db8::200%eth0", "2001:db8::200"},
		{"0.0.0.0", ""},
		{"::", ""},
		{"127.0.0.1", ""},
		{"224.0.0.18", ""},
		{"ff02::12", ""},
		{"fe80::1", ""},
		{"169.254.1.1", ""},
	} {
		got, ok := checkVIP(netip.MustParseAddr(tc.in))
		if ok != (tc.want != "") || (ok && got.String() != tc.want) {
			t.Errorf("checkVIP(%s) = %v %v, want %q", tc.in, got, ok, tc.want)
		}
	}
	if _, ok := checkVIP(netip.Addr{}); ok {
		t.Error("checkVIP accepted the zero Addr")
	}
}
