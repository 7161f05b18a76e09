package packet

import (
	"fmt"
	"net/netip"
)

// wireLen returns the exact length of a message of version v carrying n
// addresses of family f: the fixed header, the addresses and, for VRRPv2,
// the Authentication Data (RFC 3768 §5.1, RFC 9568 §5.1).
func wireLen(v Version, f Family, n int) int {
	l := headerLen + n*f.addrLen()
	if v == Version2 {
		l += AuthDataLen
	}
	return l
}

// Parse decodes the structure of the VRRP message b, the IP payload without
// the IP header, received over family f. It checks what the message itself
// can say about its validity: version (2 or 3, and 2 only over IPv4), type
// (ADVERTISEMENT) and that the length matches Count IPvX Addrs exactly
// (RFC 3768 §7.1, RFC 9568 §7.1). It does not verify the checksum (see
// VerifyChecksum) or compare anything with local configuration (see
// Validate). The reserved nibble of a VRRPv3 message is ignored, as
// RFC 9568 §5.2.6 requires.
//
// Every error is a *DiscardError. The returned Advert does not alias b.
func Parse(b []byte, f Family) (Advert, error) {
	if f.addrLen() == 0 {
		return Advert{}, discard(ReasonAddress, fmt.Sprintf("unknown address family %d", f))
	}
	if len(b) < headerLen {
		return Advert{}, discard(ReasonLength, fmt.Sprintf("%d octets, shorter than the %d-octet header", len(b), headerLen))
	}
	// RFC 3768 §5.3.1/§5.3.2, RFC 9568 §5.2.1/§5.2.2: version and type share
	// the first octet.
	v := Version(b[0] >> 4)
	if v != Version2 && v != Version3 {
		return Advert{}, discard(ReasonVersion, fmt.Sprintf("version %d", v))
	}
	if v == Version2 && f != IPv4 {
		return Advert{}, discard(ReasonVersion, "VRRPv2 over "+f.String()+"; RFC 3768 is IPv4 only")
	}
	if t := b[0] & 0x0f; t != 1 {
		return Advert{}, discard(ReasonType, fmt.Sprintf("type %d, want 1 (ADVERTISEMENT)", t))
	}
	n := int(b[3])
	if want := wireLen(v, f, n); len(b) != want {
		return Advert{}, discard(ReasonLength, fmt.Sprintf("%d octets for %s with %d %s addresses, want %d", len(b), v, n, f, want))
	}

	a := Advert{
		Version:  v,
		VRID:     b[1],
		Priority: b[2],
	}
	switch v {
	case Version2:
		// RFC 3768 §5.3.6, §5.3.7: Auth Type, then Adver Int in seconds.
		a.AuthType = AuthType(b[4])
		a.Interval = uint16(b[5])
	case Version3:
		// RFC 9568 §5.2.6, §5.2.7: 4 reserved bits, then 12 bits of Max
		// Adver Int in centiseconds.
		a.Interval = (uint16(b[4])<<8 | uint16(b[5])) & 0x0fff
	}

	// RFC 9568 §5.2.9: the addresses follow the checksum.
	step := f.addrLen()
	rest := b[headerLen:]
	if n > 0 {
		a.Addrs = make([]netip.Addr, 0, n)
	}
	for range n {
		// The length check above guarantees len(rest) >= step here.
		switch f {
		case IPv4:
			a.Addrs = append(a.Addrs, netip.AddrFrom4([4]byte(rest[:4])))
		case IPv6:
			a.Addrs = append(a.Addrs, netip.AddrFrom16([16]byte(rest[:16])))
		}
		rest = rest[step:]
	}
	if v == Version2 {
		// RFC 3768 §5.3.10: the 8 octets of Authentication Data close the
		// message; the length check leaves exactly those in rest.
		a.AuthData = [AuthDataLen]byte(rest[:AuthDataLen])
	}
	return a, nil
}
