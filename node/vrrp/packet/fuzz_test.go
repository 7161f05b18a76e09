package packet_test

import (
	"bytes"
	"errors"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/failoverkit/ipfailover/node/vrrp/packet"
)

// fuzzSeeds are the captures, the public vector and the hand-written
// messages of the unit tests.
func fuzzSeeds(f *testing.F) [][]byte {
	f.Helper()
	var seeds [][]byte
	files, err := filepath.Glob(filepath.Join("testdata", "*.pcap"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no capture seeds: %v", err)
	}
	for _, file := range files {
		data, err := readFile(file)
		if err != nil {
			f.Fatal(err)
		}
		frames, err := parsePcap(data)
		if err != nil {
			f.Fatal(err)
		}
		for _, fr := range frames {
			if len(fr) > 34 {
				seeds = append(seeds, fr[34:]) // Ethernet + 20-octet IPv4 header
			}
		}
	}
	a, o := publicVector()
	if b, err := packet.Marshal(a, o); err == nil {
		seeds = append(seeds, b)
	}
	return append(seeds, v2Message(), v3Message6(), nil, []byte{0x31})
}

// fuzzEndpoints returns a source and destination of the family.
func fuzzEndpoints(six bool) (packet.Family, netip.Addr, netip.Addr) {
	if six {
		return packet.IPv6, peer6, mcast6
	}
	return packet.IPv4, peer4, mcast4
}

// parseReasons are the only reasons Parse may return.
var parseReasons = map[packet.Reason]bool{
	packet.ReasonAddress: true, packet.ReasonLength: true, packet.ReasonVersion: true, packet.ReasonType: true,
}

// FuzzRoundTrip checks parse -> encode -> parse: whatever Parse accepts and
// the sender rules allow encodes to the same message (checksum recomputed,
// reserved bits cleared) and parses back to the same Advert.
func FuzzRoundTrip(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s, false, false)
		f.Add(s, true, true)
	}
	f.Fuzz(func(t *testing.T, data []byte, six, messageOnly bool) {
		fam, src, dst := fuzzEndpoints(six)
		a, err := packet.Parse(data, fam)
		if err != nil {
			var de *packet.DiscardError
			if !errors.As(err, &de) || !parseReasons[de.Reason] {
				t.Fatalf("Parse error %v is not a typed parse discard", err)
			}
			return
		}
		enc, err := packet.Marshal(a, packet.EncodeOptions{Src: src, Dst: dst, V3IPv4MessageOnly: messageOnly})
		if err != nil {
			if !errors.Is(err, packet.ErrInvalid) {
				t.Fatalf("Marshal error %v does not wrap ErrInvalid", err)
			}
			// Only the sender's rules may refuse what Parse accepted.
			unsendable := len(a.Addrs) == 0 || a.Interval == 0 ||
				(a.Version == packet.Version3 && fam == packet.IPv6 && !a.Addrs[0].IsLinkLocalUnicast())
			if !unsendable {
				t.Fatalf("Marshal refused a sendable advert %+v: %v", a, err)
			}
			return
		}
		// Same bytes, except the checksum and the VRRPv3 reserved nibble.
		want := bytes.Clone(data)
		want[6], want[7] = enc[6], enc[7]
		if a.Version == packet.Version3 {
			want[4] &= 0x0f
		}
		if !bytes.Equal(enc, want) {
			t.Fatalf("re-encoded\n% x\nfrom\n% x", enc, data)
		}
		back, err := packet.Parse(enc, fam)
		if err != nil {
			t.Fatalf("Parse of our own encoding: %v", err)
		}
		if diff := cmp.Diff(a, back, cmpopts.EquateComparable(netip.Addr{})); diff != "" {
			t.Fatalf("round trip changed the advert (-first +second):\n%s", diff)
		}
		form, err := packet.VerifyChecksum(enc, src, dst)
		if err != nil {
			t.Fatalf("our checksum does not verify: %v", err)
		}
		wantForm := packet.ChecksumMessage
		if a.Version == packet.Version3 && (six || !messageOnly) {
			wantForm = packet.ChecksumPseudoHeader
		}
		if form != wantForm {
			t.Fatalf("checksum form %v, want %v", form, wantForm)
		}
	})
}

// FuzzValidate feeds arbitrary datagrams to Validate: it must never panic,
// every discard must carry a named reason, and everything it accepts must be
// reproducible byte for byte by Marshal.
func FuzzValidate(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s, uint8(255), false)
		f.Add(s, uint8(64), true)
	}
	groups := packet.GroupMap{}
	for vrid := range 256 {
		v := packet.Version2
		if vrid%2 == 1 {
			v = packet.Version3
		}
		groups[uint8(vrid)] = packet.Group{VRID: uint8(vrid), Version: v, Interval: time.Second, Addrs: []netip.Addr{vip4}, Primary: self4}
	}
	f.Fuzz(func(t *testing.T, data []byte, ttl uint8, six bool) {
		_, src, dst := fuzzEndpoints(six)
		res, err := packet.Validate(packet.Received{Payload: data, Src: src, Dst: dst, TTL: ttl}, groups)
		if err != nil {
			r := packet.ReasonOf(err)
			if r == packet.ReasonNone || strings.HasPrefix(r.String(), "Reason(") {
				t.Fatalf("discard without a named reason: %v", err)
			}
			return
		}
		enc, err := packet.Marshal(res.Advert, packet.EncodeOptions{Src: src, Dst: dst, V3IPv4MessageOnly: res.Checksum == packet.ChecksumMessage})
		if err != nil {
			// Validate accepts what keepalived may send; only the sender's
			// rules (no addresses, IPv6 first address) may refuse it.
			if len(res.Advert.Addrs) != 0 && !(six && !res.Advert.Addrs[0].IsLinkLocalUnicast()) {
				t.Fatalf("accepted advert %+v does not encode: %v", res.Advert, err)
			}
			return
		}
		want := bytes.Clone(data)
		if res.Advert.Version == packet.Version3 {
			want[4] &= 0x0f
		}
		// Clearing reserved bits changes the checksum; compare the rest.
		want[6], want[7] = enc[6], enc[7]
		if !bytes.Equal(enc, want) {
			t.Fatalf("accepted\n% x\nre-encodes as\n% x", data, enc)
		}
	})
}
