package netif

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// le32 and le16 write host-order integers (netlink is host-endian).
func ne32(v uint32) []byte { return binary.NativeEndian.AppendUint32(nil, v) }
func ne16(v uint16) []byte { return binary.NativeEndian.AppendUint16(nil, v) }

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func TestNewVIPMsgEncoding(t *testing.T) {
	// RTM_NEWADDR payload for 192.0.2.200/32 on ifindex 7 ("eth0"), built
	// by hand from include/uapi/linux/if_addr.h.
	ip4 := []byte{192, 0, 2, 200}
	want4 := cat(
		[]byte{2, 32, 0, 0}, ne32(7), // AF_INET, /32, flags 0, scope universe, index
		ne16(8), ne16(1), ip4, // IFA_ADDRESS
		ne16(8), ne16(2), ip4, // IFA_LOCAL
		ne16(4+9), ne16(3), []byte("eth0:ipf\x00"), []byte{0, 0, 0}, // IFA_LABEL + pad
		ne16(20), ne16(6), ne32(0), ne32(0xffffffff), ne32(0), ne32(0), // IFA_CACHEINFO
		ne16(5), ne16(11), []byte{0xfa, 0, 0, 0}, // IFA_PROTO + pad
	)
	got4 := newVIPMsg(netip.MustParseAddr("192.0.2.200"), 7, "eth0", DefaultAddrProto).appendBinary(nil)
	if !bytes.Equal(got4, want4) {
		t.Errorf("IPv4 VIP message\n got %x\nwant %x", got4, want4)
	}

	ip6 := netip.MustParseAddr("2001:db8::200").As16()
	want6 := cat(
		[]byte{10, 128, 0x02, 0}, ne32(7), // AF_INET6, /128, IFA_F_NODAD, scope universe
		ne16(20), ne16(1), ip6[:],
		ne16(20), ne16(2), ip6[:],
		ne16(20), ne16(6), ne32(0), ne32(0xffffffff), ne32(0), ne32(0),
		ne16(8), ne16(8), ne32(0x02), // IFA_FLAGS
		ne16(5), ne16(11), []byte{0xfa, 0, 0, 0},
	)
	got6 := newVIPMsg(netip.MustParseAddr("2001:db8::200"), 7, "eth0", DefaultAddrProto).appendBinary(nil)
	if !bytes.Equal(got6, want6) {
		t.Errorf("IPv6 VIP message\n got %x\nwant %x", got6, want6)
	}
}

func TestParseAddrMsg(t *testing.T) {
	ll := netip.MustParseAddr("fe80::1").As16()
	for _, tc := range []struct {
		name    string
		in      []byte
		want    addrMsg
		wantErr error
	}{
		{
			name: "ipv6 link-local as the kernel sends it, tentative via IFA_FLAGS",
			in: cat([]byte{10, 64, 0x80, 253}, ne32(3),
				ne16(20), ne16(1), ll[:],
				ne16(20), ne16(6), ne32(0xffffffff), ne32(0xffffffff), ne32(5), ne32(6),
				ne16(8), ne16(8), ne32(0x40|0x80)),
			want: addrMsg{Family: 10, PrefixLen: 64, Flags: 0xc0, Scope: 253, Index: 3,
				Address: netip.MustParseAddr("fe80::1"), Preferred: 0xffffffff, Valid: 0xffffffff, HasCacheInfo: true},
		},
		{
			name: "ipv4 with label, proto, unknown attribute, nested bit",
			in: cat([]byte{2, 24, 0x01, 0}, ne32(9),
				ne16(8), ne16(2), []byte{192, 0, 2, 11},
				ne16(8), ne16(0x8000|1), []byte{192, 0, 2, 11},
				ne16(8), ne16(99), []byte{1, 2, 3, 4},
				ne16(9), ne16(3), []byte("lbl\x00x"), []byte{0, 0, 0},
				ne16(5), ne16(11), []byte{18}), // last attribute unpadded
			want: addrMsg{Family: 2, PrefixLen: 24, Flags: 1, Index: 9,
				Local: netip.MustParseAddr("192.0.2.11"), Address: netip.MustParseAddr("192.0.2.11"),
				Label: "lbl", Proto: 18, HasProto: true},
		},
		{name: "short header", in: []byte{2, 24, 0}, wantErr: errShortMsg},
		{name: "attribute longer than message", in: cat([]byte{2, 24, 0, 0}, ne32(1), ne16(12), ne16(1), []byte{1, 2, 3, 4}), wantErr: errBadAttr},
		{name: "attribute length below header", in: cat([]byte{2, 24, 0, 0}, ne32(1), ne16(2), ne16(1)), wantErr: errBadAttr},
		{name: "ipv4 family with 16-byte address", in: cat([]byte{2, 24, 0, 0}, ne32(1), ne16(20), ne16(1), ll[:]), wantErr: errBadFamily},
		{name: "short cacheinfo", in: cat([]byte{10, 64, 0, 0}, ne32(1), ne16(8), ne16(6), ne32(1)), wantErr: errBadAttr},
		{name: "empty proto", in: cat([]byte{10, 64, 0, 0}, ne32(1), ne16(4), ne16(11)), wantErr: errBadAttr},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseAddrMsg(tc.in)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("error = %v, want %v", err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
				t.Errorf("parseAddrMsg (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAddrMsgRoundTrip(t *testing.T) {
	for _, vip := range []string{"192.0.2.200", "2001:db8::200"} {
		in := newVIPMsg(netip.MustParseAddr(vip), 42, "a-very-long-if", 0x7b)
		out, err := parseAddrMsg(in.appendBinary(nil))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(in, out, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
			t.Errorf("%s: round trip (-in +out):\n%s", vip, diff)
		}
	}
}

// FuzzParseAddrMsg checks that the parser never panics and that whatever
// it accepts survives an encode/parse round trip unchanged.
func FuzzParseAddrMsg(f *testing.F) {
	f.Add(newVIPMsg(netip.MustParseAddr("192.0.2.200"), 1, "eth0", DefaultAddrProto).appendBinary(nil))
	f.Add(newVIPMsg(netip.MustParseAddr("2001:db8::200"), 1, "eth0", DefaultAddrProto).appendBinary(nil))
	f.Add([]byte{2, 24, 0, 0, 1, 0, 0, 0, 5, 0, 11})
	f.Fuzz(func(t *testing.T, b []byte) {
		m1, err := parseAddrMsg(b)
		if err != nil {
			return
		}
		m2, err := parseAddrMsg(m1.appendBinary(nil))
		if err != nil {
			t.Fatalf("re-parsing our own encoding of %+v: %v", m1, err)
		}
		if m1 != m2 {
			t.Fatalf("round trip changed the message:\n%+v\n%+v", m1, m2)
		}
	})
}
