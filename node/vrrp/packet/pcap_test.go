package packet_test

import (
	"encoding/binary"
	"net/netip"
	"os"
	"testing"

	"github.com/failoverkit/ipfailover/node/vrrp/packet"
)

// This file reads the classic libpcap format (not pcapng) well enough for
// the captures in testdata: a 24-octet global header whose magic number
// gives the byte order, then records of a 16-octet header (seconds,
// sub-seconds, captured length, original length) followed by the frame.

const (
	pcapMagicMicro = 0xa1b2c3d4
	pcapMagicNano  = 0xa1b23c4d
	linkTypeEther  = 1
)

// readPcap returns the frames of the classic pcap file at path.
func readPcap(t *testing.T, path string) [][]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	frames, err := parsePcap(data)
	if err != nil {
		t.Fatalf("parsing %s: %v", path, err)
	}
	return frames
}

type pcapError string

func (e pcapError) Error() string { return string(e) }

func parsePcap(data []byte) ([][]byte, error) {
	if len(data) < 24 {
		return nil, pcapError("short global header")
	}
	var order binary.ByteOrder
	switch {
	case binary.LittleEndian.Uint32(data) == pcapMagicMicro, binary.LittleEndian.Uint32(data) == pcapMagicNano:
		order = binary.LittleEndian
	case binary.BigEndian.Uint32(data) == pcapMagicMicro, binary.BigEndian.Uint32(data) == pcapMagicNano:
		order = binary.BigEndian
	default:
		return nil, pcapError("not a classic pcap file")
	}
	if lt := order.Uint32(data[20:24]); lt != linkTypeEther {
		return nil, pcapError("link type is not Ethernet")
	}
	var frames [][]byte
	rest := data[24:]
	for len(rest) > 0 {
		if len(rest) < 16 {
			return nil, pcapError("short record header")
		}
		n := int(order.Uint32(rest[8:12]))
		rest = rest[16:]
		if n > len(rest) {
			return nil, pcapError("record runs past end of file")
		}
		frames = append(frames, rest[:n])
		rest = rest[n:]
	}
	return frames, nil
}

// ipv4VRRP strips the Ethernet and IPv4 headers from frame and returns what
// the socket layer would hand to packet.Validate. ok is false for frames
// that are not IPv4 protocol 112.
func ipv4VRRP(t *testing.T, frame []byte) (r packet.Received, ok bool) {
	t.Helper()
	const ethLen = 14
	if len(frame) < ethLen+20 || binary.BigEndian.Uint16(frame[12:14]) != 0x0800 {
		return r, false
	}
	ip := frame[ethLen:]
	ihl := int(ip[0]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(ip[2:4]))
	if ip[0]>>4 != 4 || ihl < 20 || total < ihl || total > len(ip) || ip[9] != packet.Protocol {
		return r, false
	}
	return packet.Received{
		Payload: ip[ihl:total],
		Src:     netip.AddrFrom4([4]byte(ip[12:16])),
		Dst:     netip.AddrFrom4([4]byte(ip[16:20])),
		TTL:     ip[8],
	}, true
}

func readFile(path string) ([]byte, error) { return os.ReadFile(path) }
