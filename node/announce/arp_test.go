package announce_test

import (
	"bytes"
	"errors"
	"net"
	"net/netip"
	"testing"

	"github.com/failoverkit/ipfailover/node/announce"
	"github.com/google/go-cmp/cmp"
)

var (
	// The sender in garp-on-master.pcap (keepalived 2.2.7, VIP
	// 192.0.2.200).
	keepalivedMAC = net.HardwareAddr{0x6e, 0xbc, 0x7b, 0xa6, 0x8d, 0xee}
	vip           = netip.MustParseAddr("192.0.2.200")
	bcast         = net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
)

const ethHdrLen = 14

// TestARPMatchesKeepalivedCapture encodes the packet keepalived sent and
// compares it byte for byte with every frame of the capture; then checks
// that our request form differs from it only in the target hardware
// address, which we set to zero (RFC 5227 §2.3) where keepalived puts the
// broadcast address.
func TestARPMatchesKeepalivedCapture(t *testing.T) {
	frames := mustReadPcap(t, "testdata/garp-on-master.pcap")
	if len(frames) != 5 {
		t.Fatalf("capture has %d frames, want 5", len(frames))
	}
	asCaptured := announce.ARP{Op: announce.OpRequest, SenderHW: keepalivedMAC, SenderIP: vip, TargetHW: bcast, TargetIP: vip}
	want, err := asCaptured.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	for i, fr := range frames {
		if len(fr) < ethHdrLen+announce.ARPLen {
			t.Fatalf("frame %d: %d bytes", i, len(fr))
		}
		// Ethernet header: broadcast destination, sender MAC, EtherType ARP.
		wantEth := append(append(append([]byte{}, bcast...), keepalivedMAC...), 0x08, 0x06)
		if !bytes.Equal(fr[:ethHdrLen], wantEth) {
			t.Errorf("frame %d Ethernet header % x, want % x", i, fr[:ethHdrLen], wantEth)
		}
		if got := fr[ethHdrLen : ethHdrLen+announce.ARPLen]; !bytes.Equal(got, want) {
			t.Errorf("frame %d ARP payload\n got % x\nwant % x", i, got, want)
		}
		var parsed announce.ARP
		if err := parsed.UnmarshalBinary(fr[ethHdrLen:]); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if diff := cmp.Diff(asCaptured, parsed, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
			t.Errorf("frame %d parsed (-want +got):\n%s", i, diff)
		}
	}

	ours, err := announce.GratuitousRequest(keepalivedMAC, vip).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	captured := frames[0][ethHdrLen : ethHdrLen+announce.ARPLen]
	if !bytes.Equal(ours[:18], captured[:18]) || !bytes.Equal(ours[24:], captured[24:]) {
		t.Errorf("request form differs from keepalived's outside the target hardware field:\n ours % x\n kad  % x", ours, captured)
	}
	if !bytes.Equal(ours[18:24], make([]byte, 6)) {
		t.Errorf("request form target hardware address % x, want zero", ours[18:24])
	}
}

func TestGratuitousForms(t *testing.T) {
	mac := net.HardwareAddr{0x02, 0, 0, 0, 0, 0x0a}
	for _, tc := range []struct {
		name string
		p    announce.ARP
		want []byte
	}{
		{"request", announce.GratuitousRequest(mac, vip), []byte{
			0, 1, 8, 0, 6, 4, 0, 1, // Ethernet, IPv4, 6, 4, request
			2, 0, 0, 0, 0, 0x0a, 192, 0, 2, 200, // sender
			0, 0, 0, 0, 0, 0, 192, 0, 2, 200, // target: zero MAC, VIP
		}},
		{"reply", announce.GratuitousReply(mac, vip), []byte{
			0, 1, 8, 0, 6, 4, 0, 2,
			2, 0, 0, 0, 0, 0x0a, 192, 0, 2, 200,
			2, 0, 0, 0, 0, 0x0a, 192, 0, 2, 200, // target: our MAC, VIP
		}},
	} {
		got, err := tc.p.MarshalBinary()
		if err != nil || !bytes.Equal(got, tc.want) {
			t.Errorf("%s: % x, %v; want % x", tc.name, got, err, tc.want)
		}
	}
}

func TestARPErrors(t *testing.T) {
	mac := net.HardwareAddr{2, 0, 0, 0, 0, 1}
	for _, tc := range []struct {
		name string
		p    announce.ARP
	}{
		{"IPoIB-sized sender address", announce.ARP{Op: announce.OpRequest, SenderHW: make(net.HardwareAddr, 20), SenderIP: vip, TargetIP: vip}},
		{"no sender address", announce.ARP{Op: announce.OpRequest, SenderIP: vip, TargetIP: vip}},
		{"short target address", announce.ARP{Op: announce.OpReply, SenderHW: mac, SenderIP: vip, TargetHW: mac[:4], TargetIP: vip}},
		{"IPv6 VIP", announce.GratuitousRequest(mac, netip.MustParseAddr("2001:db8::200"))},
		{"zero IP", announce.GratuitousRequest(mac, netip.Addr{})},
	} {
		if _, err := tc.p.MarshalBinary(); !errors.Is(err, announce.ErrBadField) {
			t.Errorf("%s: error %v, want ErrBadField", tc.name, err)
		}
	}
	var p announce.ARP
	if err := p.UnmarshalBinary(make([]byte, 27)); !errors.Is(err, announce.ErrShortARP) {
		t.Errorf("27 bytes: %v, want ErrShortARP", err)
	}
	ib := []byte{0, 32, 8, 0, 20, 4, 0, 1} // InfiniBand header
	if err := p.UnmarshalBinary(append(ib, make([]byte, 40)...)); !errors.Is(err, announce.ErrNotEthernetIPv4) {
		t.Errorf("InfiniBand ARP: %v, want ErrNotEthernetIPv4", err)
	}
	if s := announce.Operation(9).String(); s != "Operation(9)" {
		t.Errorf("Operation(9).String() = %q", s)
	}
}

// FuzzARP checks that the parser never panics and that a parsed packet
// encodes back to the bytes it came from.
func FuzzARP(f *testing.F) {
	b, _ := announce.GratuitousReply(keepalivedMAC, vip).MarshalBinary()
	f.Add(b)
	f.Add(make([]byte, 28))
	f.Fuzz(func(t *testing.T, in []byte) {
		var p announce.ARP
		if err := p.UnmarshalBinary(in); err != nil {
			return
		}
		out, err := p.MarshalBinary()
		if err != nil {
			t.Fatalf("re-encoding %+v: %v", p, err)
		}
		if !bytes.Equal(out, in[:announce.ARPLen]) {
			t.Fatalf("round trip\n in % x\nout % x", in[:announce.ARPLen], out)
		}
	})
}
