package packet

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// EncodeOptions says how an advertisement is sent: the IP source and
// destination (which the VRRPv3 checksum covers) and the VRRPv3-over-IPv4
// checksum form.
type EncodeOptions struct {
	// Src is the IP source address the message will be sent from: the
	// interface's primary IPv4 address, or its link-local IPv6 address.
	Src netip.Addr
	// Dst is the IP destination: the multicast group (MulticastGroup) or,
	// for unicast peers, the peer's address. The pseudo-header must use the
	// real destination (keepalived issue #642).
	Dst netip.Addr
	// V3IPv4MessageOnly selects the RFC 9568 §5.2.8 checksum over the
	// message only for VRRPv3 over IPv4. The zero value sends the
	// pseudo-header form of RFC 5798 §5.2.8, which keepalived sends and
	// expects by default. It has no effect on VRRPv2 or IPv6.
	V3IPv4MessageOnly bool
	// NoLinkLocalFirst permits a VRRPv3 IPv6 advert whose first address
	// is not link-local, against RFC 9568 §5.2.9: keepalived configured
	// with only global VIPs (as OpenShift's keepalived-ipfailover image
	// configures it) sends such adverts and discards any other list.
	NoLinkLocalFirst bool
}

// Marshal returns the wire form of a. See Append.
func Marshal(a Advert, o EncodeOptions) ([]byte, error) {
	return Append(nil, a, o)
}

// Append appends the wire form of a, checksum included, to buf and returns
// the extended slice. The family comes from o.Src and o.Dst.
//
// Beyond what Parse requires, Append enforces the sender's rules: at least
// one address (RFC 9568 §5.2.5), a non-zero interval that fits the field
// (RFC 3768 §5.3.7, RFC 9568 §5.2.7), no authentication in VRRPv3, and a
// link-local first address for VRRPv3 over IPv6 (RFC 9568 §5.2.9). The
// reserved VRRPv3 nibble is sent as zero (RFC 9568 §5.2.6). Errors wrap
// ErrInvalid, and buf is returned unchanged with them.
func Append(buf []byte, a Advert, o EncodeOptions) ([]byte, error) {
	f, err := endpoints(o.Src, o.Dst)
	if err != nil {
		return buf, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if err := checkSendable(a, f, o); err != nil {
		return buf, err
	}

	start := len(buf)
	buf = append(buf,
		byte(a.Version)<<4|1, // RFC 9568 §5.2.1, §5.2.2: version, type ADVERTISEMENT
		a.VRID,
		a.Priority,
		byte(len(a.Addrs)),
	)
	switch a.Version {
	case Version2:
		// RFC 3768 §5.3.6, §5.3.7.
		buf = append(buf, byte(a.AuthType), byte(a.Interval))
	case Version3:
		// RFC 9568 §5.2.6, §5.2.7: reserved nibble zero, 12-bit interval.
		buf = binary.BigEndian.AppendUint16(buf, a.Interval&0x0fff)
	}
	buf = append(buf, 0, 0) // checksum, filled below
	for _, addr := range a.Addrs {
		if f == IPv4 {
			b := addr.As4()
			buf = append(buf, b[:]...)
		} else {
			b := addr.As16()
			buf = append(buf, b[:]...)
		}
	}
	if a.Version == Version2 {
		buf = append(buf, a.AuthData[:]...) // RFC 3768 §5.3.10
	}

	msg := buf[start:]
	form := ChecksumMessage
	if a.Version == Version3 && (f == IPv6 || !o.V3IPv4MessageOnly) {
		form = ChecksumPseudoHeader
	}
	binary.BigEndian.PutUint16(msg[checksumOffset:], computeChecksum(msg, form, o.Src, o.Dst))
	return buf, nil
}

// checkSendable reports why a cannot be sent over family f, or nil.
func checkSendable(a Advert, f Family, o EncodeOptions) error {
	invalid := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
	}
	switch a.Version {
	case Version2:
		if f != IPv4 {
			return invalid("VRRPv2 over %s; RFC 3768 is IPv4 only", f)
		}
		if a.Interval < 1 || a.Interval > 0xff {
			return invalid("VRRPv2 interval %d s outside 1..255", a.Interval)
		}
	case Version3:
		if a.Interval < 1 || a.Interval > 0x0fff {
			return invalid("VRRPv3 interval %d cs outside 1..4095", a.Interval)
		}
		if a.AuthType != AuthNone || a.AuthData != [AuthDataLen]byte{} {
			return invalid("VRRPv3 has no authentication fields")
		}
	default:
		return invalid("version %d", a.Version)
	}
	if len(a.Addrs) < 1 || len(a.Addrs) > 0xff {
		return invalid("%d addresses, want 1..255", len(a.Addrs))
	}
	for i, addr := range a.Addrs {
		if af, ok := FamilyOf(addr); !ok || af != f {
			return invalid("address %d (%v) is not %s", i, addr, f)
		}
	}
	if a.Version == Version3 && f == IPv6 && !a.Addrs[0].IsLinkLocalUnicast() && !o.NoLinkLocalFirst {
		return invalid("first IPv6 address %v is not link-local (RFC 9568 §5.2.9)", a.Addrs[0])
	}
	return nil
}
