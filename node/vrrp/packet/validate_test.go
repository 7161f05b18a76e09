package packet_test

import (
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/node/vrrp/packet"
)

var (
	peer4  = netip.MustParseAddr("192.0.2.12")
	self4  = netip.MustParseAddr("192.0.2.11")
	mcast4 = netip.MustParseAddr("224.0.0.18")
	vip4   = netip.MustParseAddr("192.0.2.200")
	peer6  = netip.MustParseAddr("fe80::12")
	mcast6 = netip.MustParseAddr("ff02::12")
)

// v2Group is an ipfailover-style group: VRRPv2, 1 s, PASS "ipfailov".
func v2Group() packet.Group {
	return packet.Group{
		VRID: 51, Version: packet.Version2,
		AuthType: packet.AuthSimple, AuthData: packet.SimplePassword("ipfailover"),
		Interval: time.Second, Addrs: []netip.Addr{vip4}, Primary: self4,
	}
}

func v3Group() packet.Group {
	return packet.Group{
		VRID: 51, Version: packet.Version3,
		Interval: time.Second, Addrs: []netip.Addr{vip4}, Primary: self4,
	}
}

func v2Advert() packet.Advert {
	return packet.Advert{
		Version: packet.Version2, VRID: 51, Priority: 100, Interval: 1,
		AuthType: packet.AuthSimple, AuthData: packet.SimplePassword("ipfailover"),
		Addrs: []netip.Addr{vip4},
	}
}

func v3Advert() packet.Advert {
	return packet.Advert{Version: packet.Version3, VRID: 51, Priority: 100, Interval: 100, Addrs: []netip.Addr{vip4}}
}

// received encodes a as sent from src to dst with TTL 255.
func received(t *testing.T, a packet.Advert, src, dst netip.Addr, messageOnly bool) packet.Received {
	t.Helper()
	b, err := packet.Marshal(a, packet.EncodeOptions{Src: src, Dst: dst, V3IPv4MessageOnly: messageOnly})
	if err != nil {
		t.Fatalf("Marshal(%+v): %v", a, err)
	}
	return packet.Received{Payload: b, Src: src, Dst: dst, TTL: 255}
}

// reChecksum rewrites the message-only checksum of a VRRPv2 message, for
// tests that edit bytes Marshal refuses to produce.
func reChecksum(b []byte) []byte {
	b[6], b[7] = 0, 0
	c := onesComplement(b)
	b[6], b[7] = byte(c>>8), byte(c)
	return b
}

func TestValidateDiscards(t *testing.T) {
	v2 := func(edit func(*packet.Advert)) packet.Advert { a := v2Advert(); edit(&a); return a }
	v3 := func(edit func(*packet.Advert)) packet.Advert { a := v3Advert(); edit(&a); return a }
	groups := func(gs ...packet.Group) packet.GroupMap {
		m := packet.GroupMap{}
		for _, g := range gs {
			m[g.VRID] = g
		}
		return m
	}
	tests := []struct {
		name   string
		r      func(t *testing.T) packet.Received
		groups packet.GroupMap
		want   packet.Reason
	}{
		{
			name: "missing source",
			r: func(t *testing.T) packet.Received {
				r := received(t, v2Advert(), peer4, mcast4, false)
				r.Src = netip.Addr{}
				return r
			},
			groups: groups(v2Group()), want: packet.ReasonAddress,
		},
		{
			name: "mixed families",
			r: func(t *testing.T) packet.Received {
				r := received(t, v2Advert(), peer4, mcast4, false)
				r.Dst = mcast6
				return r
			},
			groups: groups(v2Group()), want: packet.ReasonAddress,
		},
		{
			name: "TTL 254",
			r: func(t *testing.T) packet.Received {
				r := received(t, v2Advert(), peer4, mcast4, false)
				r.TTL = 254
				return r
			},
			groups: groups(v2Group()), want: packet.ReasonTTL,
		},
		{
			name: "TTL 1 (routed)",
			r: func(t *testing.T) packet.Received {
				r := received(t, v2Advert(), peer4, mcast4, false)
				r.TTL = 1
				return r
			},
			groups: groups(v2Group()), want: packet.ReasonTTL,
		},
		{
			name: "TTL not reported",
			r: func(t *testing.T) packet.Received {
				r := received(t, v2Advert(), peer4, mcast4, false)
				r.TTL = 0
				return r
			},
			groups: groups(v2Group()), want: packet.ReasonTTL,
		},
		{
			name: "hop limit 64 over IPv6",
			r: func(t *testing.T) packet.Received {
				a := v3(func(a *packet.Advert) { a.Addrs = []netip.Addr{netip.MustParseAddr("fe80::51")} })
				r := received(t, a, peer6, mcast6, false)
				r.TTL = 64
				return r
			},
			groups: groups(v3Group()), want: packet.ReasonTTL,
		},
		{
			name: "truncated",
			r: func(t *testing.T) packet.Received {
				r := received(t, v2Advert(), peer4, mcast4, false)
				r.Payload = r.Payload[:15]
				return r
			},
			groups: groups(v2Group()), want: packet.ReasonLength,
		},
		{
			name: "bad type",
			r: func(t *testing.T) packet.Received {
				r := received(t, v2Advert(), peer4, mcast4, false)
				r.Payload[0] = 0x22
				r.Payload = reChecksum(r.Payload)
				return r
			},
			groups: groups(v2Group()), want: packet.ReasonType,
		},
		{
			name: "bad checksum",
			r: func(t *testing.T) packet.Received {
				r := received(t, v2Advert(), peer4, mcast4, false)
				r.Payload[7] ^= 1
				return r
			},
			groups: groups(v2Group()), want: packet.ReasonChecksum,
		},
		{
			name: "v3 checksum for another source",
			r: func(t *testing.T) packet.Received {
				r := received(t, v3Advert(), peer4, mcast4, false)
				r.Src = netip.MustParseAddr("192.0.2.13")
				return r
			},
			groups: groups(v3Group()), want: packet.ReasonChecksum,
		},
		{
			name: "unknown VRID",
			r: func(t *testing.T) packet.Received {
				return received(t, v2(func(a *packet.Advert) { a.VRID = 52 }), peer4, mcast4, false)
			},
			groups: groups(v2Group()), want: packet.ReasonUnknownVRID,
		},
		{
			name:   "VRRPv3 advert for a VRRPv2 group",
			r:      func(t *testing.T) packet.Received { return received(t, v3Advert(), peer4, mcast4, false) },
			groups: groups(v2Group()), want: packet.ReasonVersionMismatch,
		},
		{
			name:   "VRRPv2 advert for a VRRPv3 group",
			r:      func(t *testing.T) packet.Received { return received(t, v2Advert(), peer4, mcast4, false) },
			groups: groups(v3Group()), want: packet.ReasonVersionMismatch,
		},
		{
			name:   "own advert looped back",
			r:      func(t *testing.T) packet.Received { return received(t, v2Advert(), self4, mcast4, false) },
			groups: groups(v2Group()), want: packet.ReasonOwnAdvert,
		},
		{
			name: "auth none for a PASS group",
			r: func(t *testing.T) packet.Received {
				return received(t, v2(func(a *packet.Advert) { a.AuthType, a.AuthData = 0, [8]byte{} }), peer4, mcast4, false)
			},
			groups: groups(v2Group()), want: packet.ReasonAuthType,
		},
		{
			name: "PASS for a no-auth group",
			r:    func(t *testing.T) packet.Received { return received(t, v2Advert(), peer4, mcast4, false) },
			groups: groups(func() packet.Group {
				g := v2Group()
				g.AuthType, g.AuthData = packet.AuthNone, [8]byte{}
				return g
			}()),
			want: packet.ReasonAuthType,
		},
		{
			name: "AH auth type",
			r: func(t *testing.T) packet.Received {
				return received(t, v2(func(a *packet.Advert) { a.AuthType = packet.AuthAH }), peer4, mcast4, false)
			},
			groups: groups(func() packet.Group {
				g := v2Group()
				g.AuthType = packet.AuthAH
				return g
			}()),
			want: packet.ReasonAuthType,
		},
		{
			name: "wrong password (first 8 octets differ)",
			r: func(t *testing.T) packet.Received {
				return received(t, v2(func(a *packet.Advert) { a.AuthData = packet.SimplePassword("ipfailoX") }), peer4, mcast4, false)
			},
			groups: groups(v2Group()), want: packet.ReasonAuthData,
		},
		{
			name: "v2 interval 2 s, configured 1 s",
			r: func(t *testing.T) packet.Received {
				return received(t, v2(func(a *packet.Advert) { a.Interval = 2 }), peer4, mcast4, false)
			},
			groups: groups(v2Group()), want: packet.ReasonInterval,
		},
		{
			name: "v2 interval 0",
			r: func(t *testing.T) packet.Received {
				r := received(t, v2Advert(), peer4, mcast4, false)
				r.Payload[5] = 0
				r.Payload = reChecksum(r.Payload)
				return r
			},
			groups: groups(v2Group()), want: packet.ReasonInterval,
		},
		{
			name: "v3 interval 0",
			r: func(t *testing.T) packet.Received {
				r := received(t, v3Advert(), peer4, mcast4, true)
				r.Payload[4], r.Payload[5] = 0, 0
				r.Payload = reChecksum(r.Payload) // message-only form is accepted for v3/IPv4
				return r
			},
			groups: groups(v3Group()), want: packet.ReasonZeroInterval,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := packet.Validate(tt.r(t), tt.groups)
			if err == nil {
				t.Fatalf("accepted: %+v", res)
			}
			if got := packet.ReasonOf(err); got != tt.want {
				t.Errorf("reason %v (%v), want %v", got, err, tt.want)
			}
		})
	}
}

func TestValidateAccepts(t *testing.T) {
	ll := netip.MustParseAddr("fe80::51")
	tests := []struct {
		name     string
		r        func(t *testing.T) packet.Received
		group    packet.Group
		form     packet.ChecksumForm
		addrDiff bool
		intDiff  bool
	}{
		{
			name:  "v2 PASS, keepalived 8-octet truncation",
			r:     func(t *testing.T) packet.Received { return received(t, v2Advert(), peer4, mcast4, false) },
			group: v2Group(), form: packet.ChecksumMessage,
		},
		{
			name: "v2 no auth ignores auth data",
			r: func(t *testing.T) packet.Received {
				a := v2Advert()
				a.AuthType, a.AuthData = packet.AuthNone, [8]byte{1, 2, 3}
				return received(t, a, peer4, mcast4, false)
			},
			group: func() packet.Group { g := v2Group(); g.AuthType, g.AuthData = 0, [8]byte{}; return g }(),
			form:  packet.ChecksumMessage,
		},
		{
			name:  "v3/IPv4 pseudo-header (keepalived)",
			r:     func(t *testing.T) packet.Received { return received(t, v3Advert(), peer4, mcast4, false) },
			group: v3Group(), form: packet.ChecksumPseudoHeader,
		},
		{
			name:  "v3/IPv4 message only (RFC 9568)",
			r:     func(t *testing.T) packet.Received { return received(t, v3Advert(), peer4, mcast4, true) },
			group: v3Group(), form: packet.ChecksumMessage,
		},
		{
			name: "v3/IPv4 unicast",
			r: func(t *testing.T) packet.Received {
				return received(t, v3Advert(), peer4, self4, false)
			},
			group: v3Group(), form: packet.ChecksumPseudoHeader,
		},
		{
			name: "v3/IPv6",
			r: func(t *testing.T) packet.Received {
				a := v3Advert()
				a.Addrs = []netip.Addr{ll}
				return received(t, a, peer6, mcast6, false)
			},
			group: func() packet.Group {
				g := v3Group()
				g.Addrs, g.Primary = []netip.Addr{ll}, netip.MustParseAddr("fe80::11")
				return g
			}(),
			form: packet.ChecksumPseudoHeader,
		},
		{
			name: "address list differs: noted, not discarded",
			r: func(t *testing.T) packet.Received {
				a := v2Advert()
				a.Addrs = []netip.Addr{netip.MustParseAddr("192.0.2.201")}
				return received(t, a, peer4, mcast4, false)
			},
			group: v2Group(), form: packet.ChecksumMessage, addrDiff: true,
		},
		{
			name: "address count differs",
			r: func(t *testing.T) packet.Received {
				a := v2Advert()
				a.Addrs = append(a.Addrs, netip.MustParseAddr("192.0.2.201"))
				return received(t, a, peer4, mcast4, false)
			},
			group: v2Group(), form: packet.ChecksumMessage, addrDiff: true,
		},
		{
			name: "address order does not matter",
			r: func(t *testing.T) packet.Received {
				a := v3Advert()
				a.Addrs = []netip.Addr{netip.MustParseAddr("192.0.2.201"), vip4}
				return received(t, a, peer4, mcast4, false)
			},
			group: func() packet.Group {
				g := v3Group()
				g.Addrs = []netip.Addr{vip4, netip.MustParseAddr("192.0.2.201")}
				return g
			}(),
			form: packet.ChecksumPseudoHeader,
		},
		{
			name: "v3 interval differs: noted, adopted by the FSM",
			r: func(t *testing.T) packet.Received {
				a := v3Advert()
				a.Interval = 50
				return received(t, a, peer4, mcast4, false)
			},
			group: v3Group(), form: packet.ChecksumPseudoHeader, intDiff: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.r(t)
			res, err := packet.Validate(r, packet.GroupMap{tt.group.VRID: tt.group})
			if err != nil {
				t.Fatalf("discarded: %v", err)
			}
			if res.Checksum != tt.form {
				t.Errorf("checksum form %v, want %v", res.Checksum, tt.form)
			}
			if res.AddrListMismatch != tt.addrDiff {
				t.Errorf("AddrListMismatch %v, want %v", res.AddrListMismatch, tt.addrDiff)
			}
			if res.IntervalMismatch != tt.intDiff {
				t.Errorf("IntervalMismatch %v, want %v", res.IntervalMismatch, tt.intDiff)
			}
			if res.Group.VRID != tt.group.VRID || res.Advert.VRID != tt.group.VRID {
				t.Errorf("result group/advert VRID %d/%d", res.Group.VRID, res.Advert.VRID)
			}
		})
	}
}

// TestValidateKeepsDecodedAdvertOnDiscard: the caller logs what it dropped.
func TestValidateKeepsDecodedAdvertOnDiscard(t *testing.T) {
	r := received(t, v3Advert(), peer4, mcast4, false)
	res, err := packet.Validate(r, packet.GroupMap{51: v2Group()})
	if !errors.Is(err, packet.ReasonVersionMismatch) {
		t.Fatalf("err = %v, want version mismatch", err)
	}
	if res.Advert.Version != packet.Version3 || res.Advert.Priority != 100 || res.Group.Version != packet.Version2 {
		t.Errorf("result %+v lacks the decoded advert or matched group", res)
	}
}
