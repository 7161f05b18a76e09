package announce_test

import (
	"bytes"
	"net"
	"net/netip"
	"testing"

	"github.com/failoverkit/ipfailover/node/announce"
	"github.com/mdlayher/ndp"
)

func TestUnsolicitedNABytes(t *testing.T) {
	mac := net.HardwareAddr{0x02, 0, 0, 0, 0, 0x0a}
	target := netip.MustParseAddr("2001:db8::200")
	t16 := target.As16()
	for _, tc := range []struct {
		router bool
		flags  byte
	}{
		{false, 0x20}, // O only
		{true, 0xa0},  // R and O
	} {
		na, err := announce.UnsolicitedNA(target.WithZone("eth0"), mac, tc.router)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ndp.MarshalMessage(na)
		if err != nil {
			t.Fatal(err)
		}
		// RFC 4861 §4.4: type 136, code 0, checksum (left 0 for the kernel),
		// R|S|O flags + reserved, target, then option type 2 (Target
		// Link-Layer Address), length 1 (8 bytes), MAC (§4.6.1).
		want := append([]byte{136, 0, 0, 0, tc.flags, 0, 0, 0}, t16[:]...)
		want = append(want, 2, 1, 0x02, 0, 0, 0, 0, 0x0a)
		if !bytes.Equal(got, want) {
			t.Errorf("router=%v:\n got % x\nwant % x", tc.router, got, want)
		}
	}
}

func TestUnsolicitedNAErrors(t *testing.T) {
	mac := net.HardwareAddr{2, 0, 0, 0, 0, 1}
	for _, tc := range []struct {
		name string
		vip  netip.Addr
		mac  net.HardwareAddr
	}{
		{"IPv4", netip.MustParseAddr("192.0.2.200"), mac},
		{"IPv4-mapped", netip.MustParseAddr("::ffff:192.0.2.200"), mac},
		{"zero", netip.Addr{}, mac},
		{"20-byte MAC", netip.MustParseAddr("2001:db8::200"), make(net.HardwareAddr, 20)},
	} {
		if na, err := announce.UnsolicitedNA(tc.vip, tc.mac, false); err == nil {
			t.Errorf("%s: got %+v, want an error", tc.name, na)
		}
	}
}
