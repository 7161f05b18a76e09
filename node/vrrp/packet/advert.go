package packet

import (
	"fmt"
	"net/netip"
	"strconv"
	"time"
)

// Protocol is the IP protocol number (IPv4) and Next Header value (IPv6)
// assigned to VRRP (RFC 3768 §5.2.4, RFC 9568 §5.1.1.4 and §5.1.2.4).
const Protocol = 112

// TTL is the only IPv4 TTL and IPv6 hop limit a VRRP message may be sent or
// accepted with (RFC 3768 §5.2.3, RFC 9568 §5.1.1.3 and §5.1.2.3).
const TTL = 255

// AuthDataLen is the length of the VRRPv2 Authentication Data field
// (RFC 3768 §5.3.10).
const AuthDataLen = 8

// headerLen is the length of the fixed part of a VRRP message: version/type,
// VRID, priority, count, two octets of version-specific fields and the
// checksum (RFC 3768 §5.1, RFC 9568 §5.1).
const headerLen = 8

// Version is the VRRP protocol version, the high nibble of the first octet
// (RFC 3768 §5.3.1, RFC 9568 §5.2.1).
type Version uint8

// The VRRP versions this package speaks.
const (
	// Version2 is VRRPv2 (RFC 3768), IPv4 only, intervals in seconds.
	Version2 Version = 2
	// Version3 is VRRPv3 (RFC 5798, obsoleted by RFC 9568), IPv4 and IPv6,
	// intervals in centiseconds.
	Version3 Version = 3
)

// String returns "VRRPv2", "VRRPv3" or "VRRPv<n>" for other values.
func (v Version) String() string {
	return "VRRPv" + strconv.Itoa(int(v))
}

// Family is the IP address family a VRRP message travels over. It decides
// the size of the addresses in the message and the pseudo-header used for
// the VRRPv3 checksum.
type Family uint8

// The address families VRRP runs over.
const (
	// IPv4 carries 4-octet addresses.
	IPv4 Family = 4
	// IPv6 carries 16-octet addresses; only VRRPv3 runs over it.
	IPv6 Family = 6
)

// String returns "IPv4", "IPv6" or "Family(<n>)".
func (f Family) String() string {
	switch f {
	case IPv4:
		return "IPv4"
	case IPv6:
		return "IPv6"
	}
	return "Family(" + strconv.Itoa(int(f)) + ")"
}

// addrLen is the size of one address of the family on the wire, 0 for an
// unknown family.
func (f Family) addrLen() int {
	switch f {
	case IPv4:
		return 4
	case IPv6:
		return 16
	}
	return 0
}

// FamilyOf returns the family of addr: IPv4 for a 4-octet address, IPv6 for a
// 16-octet one (an IPv4-mapped IPv6 address counts as IPv6), and false for
// the zero Addr.
func FamilyOf(addr netip.Addr) (Family, bool) {
	switch {
	case addr.Is4():
		return IPv4, true
	case addr.Is6():
		return IPv6, true
	}
	return 0, false
}

// MulticastGroup returns the link-local multicast group VRRP adverts are sent
// to: 224.0.0.18 for IPv4 (RFC 9568 §5.1.1.2) and ff02::12 for IPv6
// (RFC 9568 §5.1.2.2). It returns the zero Addr for an unknown family.
func MulticastGroup(f Family) netip.Addr {
	switch f {
	case IPv4:
		return netip.AddrFrom4([4]byte{224, 0, 0, 18})
	case IPv6:
		return netip.AddrFrom16([16]byte{0: 0xff, 1: 0x02, 15: 0x12})
	}
	return netip.Addr{}
}

// AuthType is the VRRPv2 Authentication Type field (RFC 3768 §5.3.6).
// RFC 3768 reserves types 1 and 2; they come from RFC 2338 §5.3.6, and
// keepalived still implements type 1 as "auth_type PASS", which is what the
// OpenShift ipfailover image configures.
type AuthType uint8

// The VRRPv2 authentication types.
const (
	// AuthNone means no authentication; Authentication Data is zero.
	AuthNone AuthType = 0
	// AuthSimple is the RFC 2338 simple text password: the Authentication
	// Data field carries up to 8 octets of password, zero padded.
	AuthSimple AuthType = 1
	// AuthAH is the RFC 2338 IP Authentication Header type. It is recognised
	// so that it can be named in errors; this package does not implement it.
	AuthAH AuthType = 2
)

// String returns "none", "simple", "ah" or "AuthType(<n>)".
func (t AuthType) String() string {
	switch t {
	case AuthNone:
		return "none"
	case AuthSimple:
		return "simple"
	case AuthAH:
		return "ah"
	}
	return "AuthType(" + strconv.Itoa(int(t)) + ")"
}

// SimplePassword returns the Authentication Data for an AuthSimple password:
// the first 8 octets of pass, zero padded. keepalived truncates auth_pass the
// same way, so ipfailover's OPENSHIFT_HA_CONFIG_NAME "ipfailover" is sent as
// "ipfailov".
func SimplePassword(pass string) [AuthDataLen]byte {
	var d [AuthDataLen]byte
	copy(d[:], pass)
	return d
}

// Advert is one VRRP ADVERTISEMENT, the only VRRP message type
// (RFC 3768 §5.1, RFC 9568 §5.1). The checksum is not a field: Append
// computes it and VerifyChecksum checks it.
type Advert struct {
	// Version is 2 or 3.
	Version Version
	// VRID is the Virtual Router Identifier (RFC 9568 §5.2.3).
	VRID uint8
	// Priority is the sender's priority; 0 means the master is resigning and
	// 255 means the sender owns the addresses (RFC 9568 §5.2.4).
	Priority uint8
	// Interval is the advertisement interval in the version's wire unit:
	// whole seconds in 8 bits for VRRPv2 (RFC 3768 §5.3.7), centiseconds in
	// 12 bits for VRRPv3 (RFC 9568 §5.2.7). IntervalDuration converts it.
	Interval uint16
	// AuthType is the VRRPv2 Authentication Type; it must be AuthNone for
	// VRRPv3, which has no such field.
	AuthType AuthType
	// AuthData is the VRRPv2 Authentication Data; it must be zero for VRRPv3.
	AuthData [AuthDataLen]byte
	// Addrs are the virtual addresses, all of the message's family
	// (RFC 9568 §5.2.9). For VRRPv3 over IPv6 the first one must be the
	// virtual router's link-local address.
	Addrs []netip.Addr
}

// IntervalDuration returns Interval as a time.Duration: seconds for VRRPv2,
// centiseconds for VRRPv3, 0 for an unknown version.
func (a Advert) IntervalDuration() time.Duration {
	switch a.Version {
	case Version2:
		return time.Duration(a.Interval) * time.Second
	case Version3:
		return time.Duration(a.Interval) * 10 * time.Millisecond
	}
	return 0
}

// IntervalUnits converts an advertisement interval to the wire unit of
// version v. The duration must be a whole number of seconds from 1 to 255
// for VRRPv2 (RFC 3768 §5.3.7) and a whole number of centiseconds from 1 to
// 4095 for VRRPv3 (RFC 9568 §5.2.7); anything else returns an error wrapping
// ErrInvalid.
func IntervalUnits(v Version, d time.Duration) (uint16, error) {
	var unit time.Duration
	var maxUnits int64
	switch v {
	case Version2:
		unit, maxUnits = time.Second, 255
	case Version3:
		unit, maxUnits = 10*time.Millisecond, 0x0fff
	default:
		return 0, fmt.Errorf("%w: unknown version %d", ErrInvalid, v)
	}
	if d%unit != 0 {
		return 0, fmt.Errorf("%w: %s interval %v is not a whole number of %v", ErrInvalid, v, d, unit)
	}
	n := int64(d / unit)
	if n < 1 || n > maxUnits {
		return 0, fmt.Errorf("%w: %s interval %v outside %v..%v", ErrInvalid, v, d, unit, time.Duration(maxUnits)*unit)
	}
	return uint16(n), nil
}
