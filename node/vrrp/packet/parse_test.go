package packet_test

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"

	"github.com/failoverkit/ipfailover/node/vrrp/packet"
)

// v2Message is a valid VRRPv2 advert (VRID 51, priority 100, one address
// 192.0.2.200, 1 s, no auth) as bytes written out from RFC 3768 §5.1; the
// checksum is left zero because Parse does not look at it.
func v2Message() []byte {
	return []byte{
		0x21, 51, 100, 1, 0, 1, 0, 0,
		192, 0, 2, 200,
		0, 0, 0, 0, 0, 0, 0, 0,
	}
}

// v3Message6 is a VRRPv3 advert over IPv6 with one address fe80::1.
func v3Message6() []byte {
	b := []byte{0x31, 51, 100, 1, 0, 100, 0, 0}
	a := netip.MustParseAddr("fe80::1").As16()
	return append(b, a[:]...)
}

func TestParseRejects(t *testing.T) {
	with := func(b []byte, edit func([]byte) []byte) []byte { return edit(bytes.Clone(b)) }
	tests := []struct {
		name string
		b    []byte
		fam  packet.Family
		want packet.Reason
	}{
		{"empty", nil, packet.IPv4, packet.ReasonLength},
		{"seven octets", v2Message()[:7], packet.IPv4, packet.ReasonLength},
		{"unknown family", v2Message(), packet.Family(5), packet.ReasonAddress},
		{"version 1", with(v2Message(), func(b []byte) []byte { b[0] = 0x11; return b }), packet.IPv4, packet.ReasonVersion},
		{"version 4", with(v2Message(), func(b []byte) []byte { b[0] = 0x41; return b }), packet.IPv4, packet.ReasonVersion},
		{"version 0", with(v2Message(), func(b []byte) []byte { b[0] = 0x01; return b }), packet.IPv4, packet.ReasonVersion},
		{"v2 over IPv6", with(v3Message6(), func(b []byte) []byte { b[0] = 0x21; return b }), packet.IPv6, packet.ReasonVersion},
		{"type 0", with(v2Message(), func(b []byte) []byte { b[0] = 0x20; return b }), packet.IPv4, packet.ReasonType},
		{"type 2", with(v2Message(), func(b []byte) []byte { b[0] = 0x22; return b }), packet.IPv4, packet.ReasonType},
		{"v2 missing auth data", v2Message()[:12], packet.IPv4, packet.ReasonLength},
		{"v2 one octet short", v2Message()[:19], packet.IPv4, packet.ReasonLength},
		{"v2 trailing octet", append(v2Message(), 0), packet.IPv4, packet.ReasonLength},
		{"v2 count says two", with(v2Message(), func(b []byte) []byte { b[3] = 2; return b }), packet.IPv4, packet.ReasonLength},
		{"v2 count says zero", with(v2Message(), func(b []byte) []byte { b[3] = 0; return b }), packet.IPv4, packet.ReasonLength},
		{"v2 count 255", with(v2Message(), func(b []byte) []byte { b[3] = 255; return b }), packet.IPv4, packet.ReasonLength},
		{"v3 IPv6 bytes read as IPv4", v3Message6(), packet.IPv4, packet.ReasonLength},
		{"v3 IPv6 short address", v3Message6()[:20], packet.IPv6, packet.ReasonLength},
		{"v3 IPv6 trailing", append(v3Message6(), 1, 2, 3, 4), packet.IPv6, packet.ReasonLength},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := packet.Parse(tt.b, tt.fam)
			if err == nil {
				t.Fatalf("Parse accepted it: %+v", a)
			}
			if got := packet.ReasonOf(err); got != tt.want {
				t.Errorf("reason %v (%v), want %v", got, err, tt.want)
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.want)
			}
			var de *packet.DiscardError
			if !errors.As(err, &de) || de.Detail == "" {
				t.Errorf("error %v is not a *DiscardError with detail", err)
			}
		})
	}
}

func TestParseFields(t *testing.T) {
	t.Run("v3 reserved nibble ignored", func(t *testing.T) {
		b := v3Message6()
		b[4] = 0xf0 | b[4] // RFC 9568 §5.2.6: reserved bits set by a sender
		a, err := packet.Parse(b, packet.IPv6)
		if err != nil {
			t.Fatal(err)
		}
		if a.Interval != 100 {
			t.Errorf("interval %d, want 100", a.Interval)
		}
	})
	t.Run("v3 12-bit interval", func(t *testing.T) {
		b := v3Message6()
		b[4], b[5] = 0x0f, 0xff
		a, err := packet.Parse(b, packet.IPv6)
		if err != nil {
			t.Fatal(err)
		}
		if a.Interval != 4095 || a.IntervalDuration().Seconds() != 40.95 {
			t.Errorf("interval %d (%v), want 4095 (40.95s)", a.Interval, a.IntervalDuration())
		}
	})
	t.Run("v2 fields", func(t *testing.T) {
		b := v2Message()
		b[4], b[5] = 1, 3
		copy(b[12:], "secret12")
		a, err := packet.Parse(b, packet.IPv4)
		if err != nil {
			t.Fatal(err)
		}
		if a.AuthType != packet.AuthSimple || a.Interval != 3 || string(a.AuthData[:]) != "secret12" ||
			a.VRID != 51 || a.Priority != 100 || len(a.Addrs) != 1 || a.Addrs[0] != netip.MustParseAddr("192.0.2.200") {
			t.Errorf("decoded %+v", a)
		}
	})
	t.Run("result does not alias input", func(t *testing.T) {
		b := v2Message()
		a, err := packet.Parse(b, packet.IPv4)
		if err != nil {
			t.Fatal(err)
		}
		for i := range b {
			b[i] = 0xee
		}
		if a.Addrs[0] != netip.MustParseAddr("192.0.2.200") || a.AuthData != [8]byte{} {
			t.Errorf("advert changed with its input: %+v", a)
		}
	})
}

func TestReasonStrings(t *testing.T) {
	seen := map[string]packet.Reason{}
	for r := packet.ReasonNone; r <= packet.ReasonZeroInterval; r++ {
		s := r.String()
		if prev, dup := seen[s]; dup {
			t.Errorf("reasons %d and %d share the name %q", prev, r, s)
		}
		seen[s] = r
	}
	if got := packet.Reason(200).String(); got != "Reason(200)" {
		t.Errorf("out-of-range reason = %q", got)
	}
	if packet.ReasonOf(nil) != packet.ReasonNone || packet.ReasonOf(errors.New("x")) != packet.ReasonNone {
		t.Error("ReasonOf of a non-discard must be ReasonNone")
	}
}
