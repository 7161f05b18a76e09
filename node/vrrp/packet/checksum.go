package packet

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strconv"
)

// checksumOffset is where the 16-bit checksum sits in every VRRP message
// (RFC 3768 §5.1, RFC 9568 §5.1). The Linux IPV6_CHECKSUM socket option takes
// this offset when the kernel is asked to fill and verify it for IPv6.
const checksumOffset = 6

// ChecksumForm says what a VRRP checksum covers.
//
// VRRPv2 always uses ChecksumMessage (RFC 3768 §5.3.8) and VRRPv3 over IPv6
// always ChecksumPseudoHeader (RFC 9568 §5.2.8, with the RFC 8200 §8.1
// pseudo-header). VRRPv3 over IPv4 is ambiguous: RFC 5798 §5.2.8 includes a
// pseudo-header, and keepalived sends one by default (its v3_checksum_as_v2
// option turns it off), while RFC 9568 §5.2.8 says the message only. This
// package sends the pseudo-header form by default and accepts both.
type ChecksumForm uint8

// The checksum forms.
const (
	// ChecksumUnknown is the zero value; no accepted message has it.
	ChecksumUnknown ChecksumForm = iota
	// ChecksumMessage covers the VRRP message only.
	ChecksumMessage
	// ChecksumPseudoHeader covers the IPv4 or IPv6 pseudo-header (source,
	// destination, protocol 112, VRRP length) and then the message.
	ChecksumPseudoHeader
)

// String returns "message", "pseudo-header" or "unknown".
func (c ChecksumForm) String() string {
	switch c {
	case ChecksumMessage:
		return "message"
	case ChecksumPseudoHeader:
		return "pseudo-header"
	case ChecksumUnknown:
		return "unknown"
	}
	return "ChecksumForm(" + strconv.Itoa(int(c)) + ")"
}

// sum16 adds b to the running one's-complement sum s as big-endian 16-bit
// words, padding an odd final octet with zero (RFC 1071). A uint64
// accumulator cannot overflow for any message that fits in memory.
func sum16(s uint64, b []byte) uint64 {
	for len(b) >= 2 {
		s += uint64(binary.BigEndian.Uint16(b))
		b = b[2:]
	}
	if len(b) == 1 {
		s += uint64(b[0]) << 8
	}
	return s
}

// fold reduces a running sum to 16 bits with end-around carry.
func fold(s uint64) uint16 {
	for s > 0xffff {
		s = (s >> 16) + (s & 0xffff)
	}
	return uint16(s)
}

// pseudoSum returns the one's-complement sum of the pseudo-header for a VRRP
// message of length n from src to dst: RFC 768-style for IPv4 (source,
// destination, zero, protocol, 16-bit length) and RFC 8200 §8.1 for IPv6
// (source, destination, 32-bit length, three zero octets, next header).
// src and dst must be of the same family.
func pseudoSum(src, dst netip.Addr, n int) uint64 {
	var s uint64
	if src.Is4() {
		s4, d4 := src.As4(), dst.As4()
		s = sum16(s, s4[:])
		s = sum16(s, d4[:])
		s += Protocol
		s += uint64(uint16(n))
		return s
	}
	s16, d16 := src.As16(), dst.As16()
	s = sum16(s, s16[:])
	s = sum16(s, d16[:])
	s += uint64(uint32(n) >> 16)
	s += uint64(uint32(n) & 0xffff)
	s += Protocol
	return s
}

// computeChecksum returns the checksum for msg, whose checksum field must be
// zero, in the given form.
func computeChecksum(msg []byte, form ChecksumForm, src, dst netip.Addr) uint16 {
	var s uint64
	if form == ChecksumPseudoHeader {
		s = pseudoSum(src, dst, len(msg))
	}
	return ^fold(sum16(s, msg))
}

// verifies reports whether msg, checksum field included, sums to all ones in
// the given form, i.e. whether its checksum is correct.
func verifies(msg []byte, form ChecksumForm, src, dst netip.Addr) bool {
	var s uint64
	if form == ChecksumPseudoHeader {
		s = pseudoSum(src, dst, len(msg))
	}
	return fold(sum16(s, msg)) == 0xffff
}

// endpoints checks that src and dst are usable addresses of one family and
// returns that family. Zones are irrelevant to the checksum and ignored.
func endpoints(src, dst netip.Addr) (Family, error) {
	fs, ok1 := FamilyOf(src)
	fd, ok2 := FamilyOf(dst)
	if !ok1 || !ok2 {
		return 0, discard(ReasonAddress, fmt.Sprintf("source %v or destination %v missing", src, dst))
	}
	if fs != fd {
		return 0, discard(ReasonAddress, fmt.Sprintf("source %v and destination %v are of different families", src, dst))
	}
	return fs, nil
}

// VerifyChecksum checks the checksum of the VRRP message b sent from src to
// dst (the addresses from the IP header, which the pseudo-header covers) and
// returns the form that matched.
//
// VRRPv2 is checked over the message (RFC 3768 §5.3.8), VRRPv3 over IPv6
// with the pseudo-header (RFC 9568 §5.2.8), and VRRPv3 over IPv4 with the
// pseudo-header first (RFC 5798 §5.2.8, keepalived's default) and then over
// the message only (RFC 9568 §5.2.8). Every error is a *DiscardError.
func VerifyChecksum(b []byte, src, dst netip.Addr) (ChecksumForm, error) {
	f, err := endpoints(src, dst)
	if err != nil {
		return ChecksumUnknown, err
	}
	if len(b) < headerLen {
		return ChecksumUnknown, discard(ReasonLength, fmt.Sprintf("%d octets, shorter than the %d-octet header", len(b), headerLen))
	}
	var forms []ChecksumForm
	switch v := Version(b[0] >> 4); {
	case v == Version2:
		forms = []ChecksumForm{ChecksumMessage}
	case v == Version3 && f == IPv6:
		forms = []ChecksumForm{ChecksumPseudoHeader}
	case v == Version3:
		forms = []ChecksumForm{ChecksumPseudoHeader, ChecksumMessage}
	default:
		return ChecksumUnknown, discard(ReasonVersion, fmt.Sprintf("version %d", v))
	}
	for _, form := range forms {
		if verifies(b, form, src, dst) {
			return form, nil
		}
	}
	got := binary.BigEndian.Uint16(b[checksumOffset:])
	return ChecksumUnknown, discard(ReasonChecksum, fmt.Sprintf("checksum %#04x from %v to %v matches no accepted form", got, src, dst))
}
