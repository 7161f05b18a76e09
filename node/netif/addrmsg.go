package netif

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
)

// This file is a pure codec for the payload of rtnetlink address messages
// (RTM_NEWADDR, RTM_DELADDR, RTM_GETADDR): struct ifaddrmsg followed by
// route attributes, as laid out in include/uapi/linux/if_addr.h and
// rtnetlink(7). Netlink uses host byte order, hence binary.NativeEndian.
// It exists because vishvananda/netlink v1.3.1 drops IFA_PROTO.

// Sizes and attribute types from include/uapi/linux/if_addr.h and
// include/uapi/linux/rtnetlink.h. Defined here so the codec builds and is
// tested on any OS.
const (
	ifaddrmsgLen = 8  // family, prefixlen, flags, scope: 1 byte each; index: 4
	rtaHdrLen    = 4  // rta_len, rta_type: 2 bytes each
	cacheInfoLen = 16 // ifa_prefered, ifa_valid, cstamp, tstamp: 4 bytes each

	attrAddress   = 1  // IFA_ADDRESS
	attrLocal     = 2  // IFA_LOCAL
	attrLabel     = 3  // IFA_LABEL
	attrCacheInfo = 6  // IFA_CACHEINFO
	attrFlags     = 8  // IFA_FLAGS (u32, supersedes ifa_flags)
	attrProto     = 11 // IFA_PROTO (u8, Linux ≥ 5.18)

	attrTypeMask = 0x3fff // strips NLA_F_NESTED and NLA_F_NET_BYTEORDER

	familyV4 = 2  // AF_INET
	familyV6 = 10 // AF_INET6

	// lifetimeForever is INFINITY_LIFE_TIME.
	lifetimeForever = 0xffffffff

	// maxLabelLen is IFNAMSIZ - 1.
	maxLabelLen = 15
)

// Address flags (IFA_F_*) used by this package.
const (
	flagSecondary  = 0x01
	flagNoDAD      = 0x02
	flagOptimistic = 0x04
	flagDADFailed  = 0x08
	flagDeprecated = 0x20
	flagTentative  = 0x40
	flagPermanent  = 0x80
)

// Errors of parseAddrMsg.
var (
	errShortMsg  = errors.New("netif: address message shorter than struct ifaddrmsg")
	errBadAttr   = errors.New("netif: malformed route attribute")
	errBadFamily = errors.New("netif: address length does not match the family")
)

// addrMsg is one address as rtnetlink describes it.
type addrMsg struct {
	Family    uint8
	PrefixLen uint8
	// Flags are the IFA_F_* flags: IFA_FLAGS if present, else the 8-bit
	// ifa_flags field.
	Flags uint32
	Scope uint8
	Index uint32
	// Local is IFA_LOCAL (IPv4, and IPv6 point-to-point); Address is
	// IFA_ADDRESS. Use IP for "the address".
	Local, Address netip.Addr
	Label          string
	// Proto is IFA_PROTO; HasProto says whether the attribute was present.
	Proto    uint8
	HasProto bool
	// Preferred and Valid are the lifetimes in seconds (IFA_CACHEINFO);
	// HasCacheInfo says whether the attribute was present.
	Preferred, Valid uint32
	HasCacheInfo     bool
}

// IP returns the interface's own address: IFA_LOCAL when present,
// otherwise IFA_ADDRESS (the kernel sends only IFA_ADDRESS for most IPv6
// addresses).
func (m addrMsg) IP() netip.Addr {
	if m.Local.IsValid() {
		return m.Local
	}
	return m.Address
}

// Prefix returns IP with the prefix length.
func (m addrMsg) Prefix() netip.Prefix {
	return netip.PrefixFrom(m.IP(), int(m.PrefixLen))
}

// appendBinary appends the ifaddrmsg and the attributes that are set.
// Address attributes are encoded with the family's length; the low byte of
// Flags also goes into ifa_flags, as iproute2 does.
func (m addrMsg) appendBinary(b []byte) []byte {
	ne := binary.NativeEndian
	b = append(b, m.Family, m.PrefixLen, uint8(m.Flags), m.Scope)
	b = ne.AppendUint32(b, m.Index)
	if m.Address.IsValid() {
		b = appendAttr(b, attrAddress, ipBytes(m.Address, m.Family))
	}
	if m.Local.IsValid() {
		b = appendAttr(b, attrLocal, ipBytes(m.Local, m.Family))
	}
	if m.Label != "" {
		b = appendAttr(b, attrLabel, append([]byte(m.Label), 0))
	}
	if m.HasCacheInfo {
		ci := ne.AppendUint32(nil, m.Preferred)
		ci = ne.AppendUint32(ci, m.Valid)
		ci = append(ci, make([]byte, 8)...) // cstamp, tstamp: output only
		b = appendAttr(b, attrCacheInfo, ci)
	}
	if m.Flags != 0 {
		b = appendAttr(b, attrFlags, ne.AppendUint32(nil, m.Flags))
	}
	if m.HasProto {
		b = appendAttr(b, attrProto, []byte{m.Proto})
	}
	return b
}

// ipBytes returns addr as 4 bytes for IPv4 and 16 bytes otherwise.
func ipBytes(addr netip.Addr, family uint8) []byte {
	if family == familyV4 {
		a := addr.Unmap().As4()
		return a[:]
	}
	a := addr.As16()
	return a[:]
}

// appendAttr appends one route attribute, padded to 4 bytes.
func appendAttr(b []byte, typ uint16, payload []byte) []byte {
	ne := binary.NativeEndian
	b = ne.AppendUint16(b, uint16(rtaHdrLen+len(payload)))
	b = ne.AppendUint16(b, typ)
	b = append(b, payload...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// parseAddrMsg decodes the payload of an RTM_NEWADDR or RTM_DELADDR
// message. Unknown attributes are skipped; malformed ones are an error.
func parseAddrMsg(b []byte) (addrMsg, error) {
	ne := binary.NativeEndian
	if len(b) < ifaddrmsgLen {
		return addrMsg{}, errShortMsg
	}
	m := addrMsg{
		Family:    b[0],
		PrefixLen: b[1],
		Flags:     uint32(b[2]),
		Scope:     b[3],
		Index:     ne.Uint32(b[4:8]),
	}
	ipLen := 16
	if m.Family == familyV4 {
		ipLen = 4
	}
	rest := b[ifaddrmsgLen:]
	for len(rest) >= rtaHdrLen {
		l := int(ne.Uint16(rest[0:2]))
		typ := ne.Uint16(rest[2:4]) & attrTypeMask
		if l < rtaHdrLen || l > len(rest) {
			return addrMsg{}, fmt.Errorf("%w: length %d with %d bytes left", errBadAttr, l, len(rest))
		}
		val := rest[rtaHdrLen:l]
		switch typ {
		case attrAddress, attrLocal:
			if len(val) != ipLen {
				return addrMsg{}, fmt.Errorf("%w: family %d, %d-byte address", errBadFamily, m.Family, len(val))
			}
			ip, _ := netip.AddrFromSlice(val)
			if typ == attrAddress {
				m.Address = ip
			} else {
				m.Local = ip
			}
		case attrLabel:
			m.Label = cString(val)
		case attrCacheInfo:
			if len(val) < 8 {
				return addrMsg{}, fmt.Errorf("%w: IFA_CACHEINFO of %d bytes", errBadAttr, len(val))
			}
			m.Preferred, m.Valid, m.HasCacheInfo = ne.Uint32(val[0:4]), ne.Uint32(val[4:8]), true
		case attrFlags:
			if len(val) < 4 {
				return addrMsg{}, fmt.Errorf("%w: IFA_FLAGS of %d bytes", errBadAttr, len(val))
			}
			m.Flags = ne.Uint32(val[0:4])
		case attrProto:
			if len(val) < 1 {
				return addrMsg{}, fmt.Errorf("%w: empty IFA_PROTO", errBadAttr)
			}
			m.Proto, m.HasProto = val[0], true
		}
		// Attributes are padded to 4 bytes; the last one may not be.
		adv := (l + 3) &^ 3
		if adv > len(rest) {
			adv = len(rest)
		}
		rest = rest[adv:]
	}
	return m, nil
}

// cString returns b up to its first NUL byte.
func cString(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}
