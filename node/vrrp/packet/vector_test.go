package packet_test

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"

	"github.com/failoverkit/ipfailover/node/vrrp/packet"
)

// publicVector is the VRRPv3 advert discussed in keepalived issue #1490:
// VRID 2, priority 150, three addresses, 100 cs, from 10.0.0.3 to
// 224.0.0.18. Its checksum is 0x082d with the IPv4 pseudo-header and 0xf2c6
// over the message only (both worked out by hand).
func publicVector() (packet.Advert, packet.EncodeOptions) {
	a := packet.Advert{
		Version:  packet.Version3,
		VRID:     2,
		Priority: 150,
		Interval: 100,
		Addrs: []netip.Addr{
			netip.MustParseAddr("185.203.112.1"),
			netip.MustParseAddr("10.0.0.1"),
			netip.MustParseAddr("10.0.8.1"),
		},
	}
	return a, packet.EncodeOptions{Src: netip.MustParseAddr("10.0.0.3"), Dst: netip.MustParseAddr("224.0.0.18")}
}

func TestPublicVector(t *testing.T) {
	// The message with its checksum field left as XX XX, written out from
	// RFC 9568 §5.1 by hand.
	body := []byte{
		0x31, 0x02, 0x96, 0x03, 0x00, 0x64, 0xff, 0xff,
		185, 203, 112, 1,
		10, 0, 0, 1,
		10, 0, 8, 1,
	}
	withChecksum := func(c uint16) []byte {
		b := bytes.Clone(body)
		b[6], b[7] = byte(c>>8), byte(c)
		return b
	}
	tests := []struct {
		name        string
		messageOnly bool
		want        []byte
		form        packet.ChecksumForm
	}{
		{name: "pseudo-header default", messageOnly: false, want: withChecksum(0x082d), form: packet.ChecksumPseudoHeader},
		{name: "message only", messageOnly: true, want: withChecksum(0xf2c6), form: packet.ChecksumMessage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, o := publicVector()
			o.V3IPv4MessageOnly = tt.messageOnly
			got, err := packet.Marshal(a, o)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.want) {
				t.Fatalf("Marshal =\n% x\nwant\n% x", got, tt.want)
			}
			form, err := packet.VerifyChecksum(got, o.Src, o.Dst)
			if err != nil || form != tt.form {
				t.Errorf("VerifyChecksum = %v, %v; want %v", form, err, tt.form)
			}
		})
	}
}

// TestPseudoHeaderCoversAddresses checks that the pseudo-header form really
// depends on the IP addresses: the same bytes from another source, or to a
// unicast destination, fail (keepalived issue #642 is about the latter).
func TestPseudoHeaderCoversAddresses(t *testing.T) {
	a, o := publicVector()
	b, err := packet.Marshal(a, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ src, dst string }{
		{"10.0.0.4", "224.0.0.18"},
		{"10.0.0.3", "10.0.0.9"},
	} {
		_, err := packet.VerifyChecksum(b, netip.MustParseAddr(tt.src), netip.MustParseAddr(tt.dst))
		if !errors.Is(err, packet.ReasonChecksum) {
			t.Errorf("%s -> %s: err = %v, want %v", tt.src, tt.dst, err, packet.ReasonChecksum)
		}
	}
	// A unicast advert encoded for its real destination verifies there.
	o.Dst = netip.MustParseAddr("10.0.0.9")
	u, err := packet.Marshal(a, o)
	if err != nil {
		t.Fatal(err)
	}
	if form, err := packet.VerifyChecksum(u, o.Src, o.Dst); err != nil || form != packet.ChecksumPseudoHeader {
		t.Errorf("unicast: VerifyChecksum = %v, %v", form, err)
	}
}

// TestIPv6Checksum checks the VRRPv3/IPv6 checksum against an independent
// computation written out in the test: the RFC 8200 §8.1 pseudo-header
// (source, destination, 32-bit length, zeros, next header 112) followed by
// the message, summed in 16-bit one's complement.
func TestIPv6Checksum(t *testing.T) {
	src := netip.MustParseAddr("fe80::1")
	dst := netip.MustParseAddr("ff02::12")
	a := packet.Advert{
		Version: packet.Version3, VRID: 7, Priority: 100, Interval: 100,
		Addrs: []netip.Addr{netip.MustParseAddr("fe80::7"), netip.MustParseAddr("2001:db8::7")},
	}
	b, err := packet.Marshal(a, packet.EncodeOptions{Src: src, Dst: dst, V3IPv4MessageOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 8+2*16 {
		t.Fatalf("length %d, want 40", len(b))
	}
	s16, d16 := src.As16(), dst.As16()
	var pseudo []byte
	pseudo = append(pseudo, s16[:]...)
	pseudo = append(pseudo, d16[:]...)
	pseudo = append(pseudo, 0, 0, 0, byte(len(b)), 0, 0, 0, 112)
	msg := bytes.Clone(b)
	msg[6], msg[7] = 0, 0
	want := onesComplement(append(pseudo, msg...))
	if got := uint16(b[6])<<8 | uint16(b[7]); got != want {
		t.Errorf("checksum %#04x, want %#04x (V3IPv4MessageOnly must not affect IPv6)", got, want)
	}
	if form, err := packet.VerifyChecksum(b, src, dst); err != nil || form != packet.ChecksumPseudoHeader {
		t.Errorf("VerifyChecksum = %v, %v", form, err)
	}
	// IPv6 has no message-only form: a message-only checksum must fail.
	mo := bytes.Clone(msg)
	c := onesComplement(mo)
	mo[6], mo[7] = byte(c>>8), byte(c)
	if _, err := packet.VerifyChecksum(mo, src, dst); !errors.Is(err, packet.ReasonChecksum) {
		t.Errorf("message-only checksum over IPv6: err = %v, want %v", err, packet.ReasonChecksum)
	}
}

// onesComplement is an independent RFC 1071 checksum for tests.
func onesComplement(b []byte) uint16 {
	var s uint32
	for i := 0; i+1 < len(b); i += 2 {
		s += uint32(b[i])<<8 | uint32(b[i+1])
		s = (s & 0xffff) + (s >> 16)
	}
	if len(b)%2 == 1 {
		s += uint32(b[len(b)-1]) << 8
		s = (s & 0xffff) + (s >> 16)
	}
	return ^uint16(s)
}
