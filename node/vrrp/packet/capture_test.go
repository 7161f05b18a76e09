package packet_test

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/failoverkit/ipfailover/node/vrrp/packet"
)

// TestKeepalivedCaptures decodes every advert keepalived 2.2.7 sent in the
// captures under testdata (copies of the team's shared captures, taken in
// network namespaces) and re-encodes it byte for byte. The expected values
// are transcribed from tcpdump's decoding of the first frame of each file,
// not from this package.
func TestKeepalivedCaptures(t *testing.T) {
	n1 := netip.MustParseAddr("192.0.2.11")
	group := netip.MustParseAddr("224.0.0.18")
	vip := func(last byte) netip.Addr { return netip.AddrFrom4([4]byte{192, 0, 2, last}) }

	tests := []struct {
		file     string
		frames   int
		want     packet.Advert
		checksum uint16
		form     packet.ChecksumForm
		interval time.Duration
	}{
		{
			file:   "vrrpv2-authpass-3vip.pcap",
			frames: 3,
			want: packet.Advert{
				Version: packet.Version2, VRID: 52, Priority: 150, Interval: 1,
				AuthType: packet.AuthSimple, AuthData: [8]byte{'b', 'e', 'n', 'c', 'h'},
				Addrs: []netip.Addr{vip(201), vip(202), vip(203)},
			},
			checksum: 0xc69d,
			form:     packet.ChecksumMessage,
			interval: time.Second,
		},
		{
			file:   "vrrpv2-prio0.pcap",
			frames: 1,
			want: packet.Advert{
				Version: packet.Version2, VRID: 51, Priority: 0, Interval: 1,
				AuthType: packet.AuthNone,
				Addrs:    []netip.Addr{vip(200)},
			},
			checksum: 0x1c02,
			form:     packet.ChecksumMessage,
			interval: time.Second,
		},
		{
			file:   "vrrpv3-adv100ms-1vip.pcap",
			frames: 5,
			want: packet.Advert{
				Version: packet.Version3, VRID: 51, Priority: 150, Interval: 10,
				Addrs: []netip.Addr{vip(200)},
			},
			checksum: 0xd35d,
			form:     packet.ChecksumPseudoHeader,
			interval: 100 * time.Millisecond,
		},
		{
			file:   "vrrpv3-prio0.pcap",
			frames: 1,
			want: packet.Advert{
				Version: packet.Version3, VRID: 51, Priority: 0, Interval: 10,
				Addrs: []netip.Addr{vip(200)},
			},
			checksum: 0x695e,
			form:     packet.ChecksumPseudoHeader,
			interval: 100 * time.Millisecond,
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			frames := readPcap(t, filepath.Join("testdata", tt.file))
			if len(frames) != tt.frames {
				t.Fatalf("%d frames, want %d", len(frames), tt.frames)
			}
			g := packet.Group{
				VRID:     tt.want.VRID,
				Version:  tt.want.Version,
				AuthType: tt.want.AuthType,
				AuthData: tt.want.AuthData,
				Interval: tt.interval,
				Addrs:    tt.want.Addrs,
			}
			for i, frame := range frames {
				r, ok := ipv4VRRP(t, frame)
				if !ok {
					t.Fatalf("frame %d is not IPv4 VRRP", i)
				}
				if r.Src != n1 || r.Dst != group || r.TTL != 255 {
					t.Errorf("frame %d: src %v dst %v ttl %d, want %v %v 255", i, r.Src, r.Dst, r.TTL, n1, group)
				}
				res, err := packet.Validate(r, packet.GroupMap{g.VRID: g})
				if err != nil {
					t.Fatalf("frame %d: Validate: %v", i, err)
				}
				if diff := cmp.Diff(tt.want, res.Advert, cmpopts.EquateComparable(netip.Addr{})); diff != "" {
					t.Errorf("frame %d: decoded advert (-want +got):\n%s", i, diff)
				}
				if res.Checksum != tt.form {
					t.Errorf("frame %d: checksum form %v, want %v", i, res.Checksum, tt.form)
				}
				if res.AddrListMismatch || res.IntervalMismatch {
					t.Errorf("frame %d: unexpected notes %+v", i, res)
				}
				if got := res.Advert.IntervalDuration(); got != tt.interval {
					t.Errorf("frame %d: interval %v, want %v", i, got, tt.interval)
				}
				if i == 0 {
					if got := binary.BigEndian.Uint16(r.Payload[6:8]); got != tt.checksum {
						t.Errorf("frame 0: checksum on the wire %#04x, want %#04x", got, tt.checksum)
					}
				}

				// Re-encoding must reproduce keepalived's bytes exactly,
				// checksum form included.
				enc, err := packet.Marshal(res.Advert, packet.EncodeOptions{Src: r.Src, Dst: r.Dst})
				if err != nil {
					t.Fatalf("frame %d: Marshal: %v", i, err)
				}
				if !bytes.Equal(enc, r.Payload) {
					t.Errorf("frame %d: re-encoded\n% x\nwant\n% x", i, enc, r.Payload)
				}
			}
		})
	}
}

// TestCaptureChecksumIsNotMessageOnly pins down that keepalived's VRRPv3 over
// IPv4 checksum really is the pseudo-header form: the message-only encoding
// of the same advert differs on the wire.
func TestCaptureChecksumIsNotMessageOnly(t *testing.T) {
	frames := readPcap(t, filepath.Join("testdata", "vrrpv3-adv100ms-1vip.pcap"))
	r, ok := ipv4VRRP(t, frames[0])
	if !ok {
		t.Fatal("frame 0 is not IPv4 VRRP")
	}
	a, err := packet.Parse(r.Payload, packet.IPv4)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := packet.Marshal(a, packet.EncodeOptions{Src: r.Src, Dst: r.Dst, V3IPv4MessageOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(enc, r.Payload) {
		t.Fatal("message-only encoding equals keepalived's bytes; the capture would not tell the forms apart")
	}
	if form, err := packet.VerifyChecksum(enc, r.Src, r.Dst); err != nil || form != packet.ChecksumMessage {
		t.Errorf("VerifyChecksum(message-only) = %v, %v; want %v", form, err, packet.ChecksumMessage)
	}
}
