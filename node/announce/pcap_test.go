package announce_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"testing"
)

// This file reads classic libpcap files (the format of tcpdump -w), only
// as far as the tests need: Ethernet link type, records in order.

const (
	pcapMagicMicro    = 0xa1b2c3d4
	pcapMagicNano     = 0xa1b23c4d
	pcapGlobalHdrLen  = 24
	pcapRecordHdrLen  = 16
	pcapLinkEthernet  = 1
	pcapMaxRecordSize = 1 << 18
)

var errPcap = errors.New("malformed pcap")

// readPcap returns the frames of a classic pcap capture of Ethernet.
func readPcap(b []byte) ([][]byte, error) {
	if len(b) < pcapGlobalHdrLen {
		return nil, fmt.Errorf("%w: %d-byte file", errPcap, len(b))
	}
	var bo binary.ByteOrder
	switch m := binary.LittleEndian.Uint32(b[0:4]); m {
	case pcapMagicMicro, pcapMagicNano:
		bo = binary.LittleEndian
	default:
		switch binary.BigEndian.Uint32(b[0:4]) {
		case pcapMagicMicro, pcapMagicNano:
			bo = binary.BigEndian
		default:
			return nil, fmt.Errorf("%w: magic %#08x", errPcap, m)
		}
	}
	if lt := bo.Uint32(b[20:24]) & 0x0fffffff; lt != pcapLinkEthernet {
		return nil, fmt.Errorf("%w: link type %d, want Ethernet", errPcap, lt)
	}
	var frames [][]byte
	rest := b[pcapGlobalHdrLen:]
	for len(rest) > 0 {
		if len(rest) < pcapRecordHdrLen {
			return nil, fmt.Errorf("%w: truncated record header", errPcap)
		}
		n := bo.Uint32(rest[8:12]) // incl_len
		if n > pcapMaxRecordSize || int(n) > len(rest)-pcapRecordHdrLen {
			return nil, fmt.Errorf("%w: record of %d bytes with %d left", errPcap, n, len(rest)-pcapRecordHdrLen)
		}
		frames = append(frames, rest[pcapRecordHdrLen:pcapRecordHdrLen+int(n)])
		rest = rest[pcapRecordHdrLen+int(n):]
	}
	return frames, nil
}

func mustReadPcap(t *testing.T, path string) [][]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	frames, err := readPcap(b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return frames
}

func FuzzReadPcap(f *testing.F) {
	if b, err := os.ReadFile("testdata/garp-on-master.pcap"); err == nil {
		f.Add(b)
	}
	f.Add([]byte{0xd4, 0xc3, 0xb2, 0xa1})
	f.Fuzz(func(t *testing.T, b []byte) {
		frames, err := readPcap(b)
		if err != nil {
			return
		}
		total := pcapGlobalHdrLen
		for _, fr := range frames {
			total += pcapRecordHdrLen + len(fr)
		}
		if total != len(b) {
			t.Fatalf("frames account for %d of %d bytes", total, len(b))
		}
	})
}
