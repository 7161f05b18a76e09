package packet_test

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/node/vrrp/packet"
)

func TestAppendRejects(t *testing.T) {
	o4 := packet.EncodeOptions{Src: peer4, Dst: mcast4}
	o6 := packet.EncodeOptions{Src: peer6, Dst: mcast6}
	ll := netip.MustParseAddr("fe80::51")
	v3six := func(edit func(*packet.Advert)) packet.Advert {
		a := v3Advert()
		a.Addrs = []netip.Addr{ll}
		edit(&a)
		return a
	}
	edit := func(a packet.Advert, f func(*packet.Advert)) packet.Advert { f(&a); return a }
	tests := []struct {
		name string
		a    packet.Advert
		o    packet.EncodeOptions
	}{
		{"version 4", edit(v3Advert(), func(a *packet.Advert) { a.Version = 4 }), o4},
		{"version 0", packet.Advert{Addrs: []netip.Addr{vip4}, Interval: 1}, o4},
		{"no source", v2Advert(), packet.EncodeOptions{Dst: mcast4}},
		{"no destination", v2Advert(), packet.EncodeOptions{Src: peer4}},
		{"source and destination of different families", v2Advert(), packet.EncodeOptions{Src: peer6, Dst: mcast4}},
		{"v2 over IPv6", edit(v2Advert(), func(a *packet.Advert) { a.Addrs = []netip.Addr{ll} }), o6},
		{"v2 interval 0", edit(v2Advert(), func(a *packet.Advert) { a.Interval = 0 }), o4},
		{"v2 interval 256", edit(v2Advert(), func(a *packet.Advert) { a.Interval = 256 }), o4},
		{"v3 interval 0", edit(v3Advert(), func(a *packet.Advert) { a.Interval = 0 }), o4},
		{"v3 interval 4096", edit(v3Advert(), func(a *packet.Advert) { a.Interval = 4096 }), o4},
		{"v3 with auth type", edit(v3Advert(), func(a *packet.Advert) { a.AuthType = packet.AuthSimple }), o4},
		{"v3 with auth data", edit(v3Advert(), func(a *packet.Advert) { a.AuthData[7] = 1 }), o4},
		{"no addresses", edit(v2Advert(), func(a *packet.Advert) { a.Addrs = nil }), o4},
		{"256 addresses", edit(v2Advert(), func(a *packet.Advert) { a.Addrs = make([]netip.Addr, 256); fill(a.Addrs) }), o4},
		{"IPv6 address in IPv4 advert", edit(v3Advert(), func(a *packet.Advert) { a.Addrs = append(a.Addrs, ll) }), o4},
		{"IPv4-mapped address in IPv4 advert", edit(v3Advert(), func(a *packet.Advert) {
			a.Addrs = []netip.Addr{netip.AddrFrom16(vip4.As16())}
		}), o4},
		{"zero address", edit(v3Advert(), func(a *packet.Advert) { a.Addrs = []netip.Addr{{}} }), o4},
		{"IPv4 address in IPv6 advert", v3six(func(a *packet.Advert) { a.Addrs = append(a.Addrs, vip4) }), o6},
		{"IPv6 first address not link-local", v3six(func(a *packet.Advert) {
			a.Addrs = []netip.Addr{netip.MustParseAddr("2001:db8::1"), ll}
		}), o6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefix := []byte{0xaa, 0xbb}
			got, err := packet.Append(prefix, tt.a, tt.o)
			if !errors.Is(err, packet.ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			if !bytes.Equal(got, prefix) {
				t.Errorf("buffer changed on error: % x", got)
			}
		})
	}
}

func fill(addrs []netip.Addr) {
	for i := range addrs {
		addrs[i] = netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)})
	}
}

func TestAppendAppends(t *testing.T) {
	a, o := publicVector()
	alone, err := packet.Marshal(a, o)
	if err != nil {
		t.Fatal(err)
	}
	prefix := []byte{1, 2, 3}
	got, err := packet.Append(prefix, a, o)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got[:3], []byte{1, 2, 3}) || !bytes.Equal(got[3:], alone) {
		t.Errorf("Append = % x, want 01 02 03 then % x", got, alone)
	}
}

func TestAppendMaxAddresses(t *testing.T) {
	a := v2Advert()
	a.Addrs = make([]netip.Addr, 255)
	fill(a.Addrs)
	b, err := packet.Marshal(a, packet.EncodeOptions{Src: peer4, Dst: mcast4})
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 8+255*4+8 || b[3] != 255 {
		t.Fatalf("length %d count %d", len(b), b[3])
	}
	back, err := packet.Parse(b, packet.IPv4)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Addrs) != 255 || back.Addrs[254] != a.Addrs[254] {
		t.Errorf("round trip lost addresses: %d", len(back.Addrs))
	}
}

func TestIntervalUnits(t *testing.T) {
	tests := []struct {
		v       packet.Version
		d       time.Duration
		want    uint16
		wantErr bool
	}{
		{packet.Version2, time.Second, 1, false},
		{packet.Version2, 255 * time.Second, 255, false},
		{packet.Version2, 256 * time.Second, 0, true},
		{packet.Version2, 0, 0, true},
		{packet.Version2, 1500 * time.Millisecond, 0, true},
		{packet.Version2, -time.Second, 0, true},
		{packet.Version3, 10 * time.Millisecond, 1, false},
		{packet.Version3, time.Second, 100, false},
		{packet.Version3, 40950 * time.Millisecond, 4095, false},
		{packet.Version3, 40960 * time.Millisecond, 0, true},
		{packet.Version3, 15 * time.Millisecond, 0, true},
		{packet.Version3, 0, 0, true},
		{packet.Version(4), time.Second, 0, true},
	}
	for _, tt := range tests {
		got, err := packet.IntervalUnits(tt.v, tt.d)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("IntervalUnits(%v, %v) = %d, %v; want %d, error %v", tt.v, tt.d, got, err, tt.want, tt.wantErr)
		}
		if err != nil && !errors.Is(err, packet.ErrInvalid) {
			t.Errorf("IntervalUnits(%v, %v) error %v does not wrap ErrInvalid", tt.v, tt.d, err)
		}
		if err == nil {
			back := packet.Advert{Version: tt.v, Interval: got}.IntervalDuration()
			if back != tt.d {
				t.Errorf("IntervalDuration of %d units = %v, want %v", got, back, tt.d)
			}
		}
	}
}

func TestSimplePassword(t *testing.T) {
	tests := []struct {
		in   string
		want [8]byte
	}{
		{"", [8]byte{}},
		{"bench", [8]byte{'b', 'e', 'n', 'c', 'h'}},
		{"ipfailover", [8]byte{'i', 'p', 'f', 'a', 'i', 'l', 'o', 'v'}},
		{"OpenShift-IPFailover", [8]byte{'O', 'p', 'e', 'n', 'S', 'h', 'i', 'f'}},
	}
	for _, tt := range tests {
		if got := packet.SimplePassword(tt.in); got != tt.want {
			t.Errorf("SimplePassword(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMulticastGroup(t *testing.T) {
	if got := packet.MulticastGroup(packet.IPv4); got != netip.MustParseAddr("224.0.0.18") {
		t.Errorf("IPv4 group %v", got)
	}
	if got := packet.MulticastGroup(packet.IPv6); got != netip.MustParseAddr("ff02::12") {
		t.Errorf("IPv6 group %v", got)
	}
	if got := packet.MulticastGroup(0); got.IsValid() {
		t.Errorf("unknown family group %v", got)
	}
}

func TestEnumStrings(t *testing.T) {
	tests := []struct{ got, want string }{
		{packet.Version2.String(), "VRRPv2"},
		{packet.Version3.String(), "VRRPv3"},
		{packet.IPv4.String(), "IPv4"},
		{packet.IPv6.String(), "IPv6"},
		{packet.Family(9).String(), "Family(9)"},
		{packet.AuthNone.String(), "none"},
		{packet.AuthSimple.String(), "simple"},
		{packet.AuthAH.String(), "ah"},
		{packet.AuthType(7).String(), "AuthType(7)"},
		{packet.ChecksumMessage.String(), "message"},
		{packet.ChecksumPseudoHeader.String(), "pseudo-header"},
		{packet.ChecksumUnknown.String(), "unknown"},
		{packet.ReasonTTL.String(), "ttl"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("String() = %q, want %q", tt.got, tt.want)
		}
	}
}

// TestNoLinkLocalFirstRoundTrips: with NoLinkLocalFirst an IPv6 advert
// listing only global addresses (keepalived's form when configured
// without a link-local VIP) encodes and parses back.
func TestNoLinkLocalFirstRoundTrips(t *testing.T) {
	src, dst := netip.MustParseAddr("fe80::11"), netip.MustParseAddr("ff02::12")
	a := packet.Advert{Version: packet.Version3, VRID: 11, Priority: 200, Interval: 100, Addrs: []netip.Addr{netip.MustParseAddr("2001:db8::100")}}
	if _, err := packet.Marshal(a, packet.EncodeOptions{Src: src, Dst: dst}); !errors.Is(err, packet.ErrInvalid) {
		t.Fatalf("RFC mode accepted a global first address: %v", err)
	}
	b, err := packet.Marshal(a, packet.EncodeOptions{Src: src, Dst: dst, NoLinkLocalFirst: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := packet.Parse(b, packet.IPv6)
	if err != nil || got.Priority != 200 || len(got.Addrs) != 1 || got.Addrs[0] != a.Addrs[0] {
		t.Fatalf("Parse = %+v, %v", got, err)
	}
}
