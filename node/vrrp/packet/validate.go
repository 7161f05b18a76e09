package packet

import (
	"crypto/subtle"
	"fmt"
	"net/netip"
	"time"
)

// Received is one datagram as the socket layer hands it over: the VRRP
// payload without the IP header, plus what the IP header and control
// messages said about it.
type Received struct {
	// Payload is the VRRP message (the IP payload).
	Payload []byte
	// Src is the IP source address.
	Src netip.Addr
	// Dst is the IP destination address: the VRRP multicast group, or our
	// own address for unicast peers.
	Dst netip.Addr
	// TTL is the IPv4 TTL or IPv6 hop limit from the control message. A
	// socket that did not report it must pass 0, which is discarded.
	TTL uint8
}

// Group is what one local virtual router expects of the adverts it accepts.
// The caller keeps one set of groups per receiving interface and address
// family, because a VRID is only meaningful there (RFC 9568 §7.1).
type Group struct {
	// VRID is the Virtual Router Identifier.
	VRID uint8
	// Version is the configured VRRP version.
	Version Version
	// AuthType is the VRRPv2 authentication configured for the group:
	// AuthNone or AuthSimple. It must be AuthNone for VRRPv3.
	AuthType AuthType
	// AuthData is the VRRPv2 simple password (see SimplePassword).
	AuthData [AuthDataLen]byte
	// Interval is the configured Advertisement_Interval. VRRPv2 adverts
	// must carry exactly this; for VRRPv3 a difference is only noted.
	Interval time.Duration
	// Addrs are the configured virtual addresses, compared with the
	// advert's list for Result.AddrListMismatch.
	Addrs []netip.Addr
	// Primary is this router's own source address for the group; adverts
	// from it are our own, looped back. The zero Addr disables the check.
	Primary netip.Addr
}

// Groups looks up the local group configured for a VRID.
type Groups interface {
	// Group returns the group with this VRID, or false if none.
	Group(vrid uint8) (Group, bool)
}

// GroupMap is a Groups keyed by VRID.
type GroupMap map[uint8]Group

// Group implements Groups.
func (m GroupMap) Group(vrid uint8) (Group, bool) {
	g, ok := m[vrid]
	return g, ok
}

// Result is the outcome of Validate. On success every field is set. On a
// discard after the message parsed, Advert still holds the decoded message
// and Group the matched group (if the lookup got that far), so the caller
// can log what was dropped.
type Result struct {
	// Advert is the decoded message.
	Advert Advert
	// Group is the local group the VRID matched.
	Group Group
	// Checksum is the checksum form that matched; callers should count it,
	// since the VRRPv3/IPv4 form is the most common interop break.
	Checksum ChecksumForm
	// AddrListMismatch notes that the advert's address list differs from
	// Group.Addrs. RFC 9568 §7.1 makes this a log-and-continue check, and
	// keepalived treats it so for VRRPv2 too; it is not a discard.
	AddrListMismatch bool
	// IntervalMismatch notes that a VRRPv3 advert's interval differs from
	// Group.Interval. VRRPv3 backups adopt the master's interval
	// (RFC 9568 §6.4.2), so this is only worth a log line.
	IntervalMismatch bool
}

// Validate decides whether the received datagram r is an advertisement for
// one of groups, applying the receive checks of RFC 3768 §7.1 and
// RFC 9568 §7.1 in this order: addresses, TTL/hop limit 255, version, type
// and length (Parse), checksum (VerifyChecksum), VRID configured, version
// configured for that VRID, own advert, VRRPv2 authentication and interval,
// VRRPv3 non-zero interval. Address-list and VRRPv3 interval differences
// are reported in the Result, not discarded.
//
// Every error is a *DiscardError; use ReasonOf or errors.Is to branch on it.
func Validate(r Received, groups Groups) (Result, error) {
	var res Result
	f, err := endpoints(r.Src, r.Dst)
	if err != nil {
		return res, err
	}
	// RFC 3768 §7.1, RFC 9568 §7.1: TTL/hop limit 255 first.
	if r.TTL != TTL {
		return res, discard(ReasonTTL, fmt.Sprintf("TTL/hop limit %d from %v, want %d", r.TTL, r.Src, TTL))
	}
	a, err := Parse(r.Payload, f)
	if err != nil {
		return res, err
	}
	res.Advert = a
	form, err := VerifyChecksum(r.Payload, r.Src, r.Dst)
	if err != nil {
		return res, err
	}
	res.Checksum = form

	// RFC 9568 §7.1: the VRID must be configured on the receiving interface.
	g, ok := groups.Group(a.VRID)
	if !ok {
		return res, discard(ReasonUnknownVRID, fmt.Sprintf("VRID %d from %v", a.VRID, r.Src))
	}
	res.Group = g
	// RFC 3768 §7.1, RFC 9568 §7.1: the version must be the configured one.
	if a.Version != g.Version {
		return res, discard(ReasonVersionMismatch, fmt.Sprintf("%s advert for VRID %d from %v, group runs %s", a.Version, a.VRID, r.Src, g.Version))
	}
	if g.Primary.IsValid() && r.Src.WithZone("") == g.Primary.WithZone("") {
		return res, discard(ReasonOwnAdvert, fmt.Sprintf("VRID %d from our own address %v", a.VRID, r.Src))
	}

	switch a.Version {
	case Version2:
		if err := checkAuth(a, g); err != nil {
			return res, err
		}
		// RFC 3768 §7.1: the Adver Int must equal the configured one.
		if a.IntervalDuration() != g.Interval {
			return res, discard(ReasonInterval, fmt.Sprintf("VRID %d from %v advertises %v, configured %v", a.VRID, r.Src, a.IntervalDuration(), g.Interval))
		}
	case Version3:
		// A zero Max Adver Int would make Master_Down_Interval equal the
		// skew time alone (RFC 9568 §6.1); nothing sane sends it.
		if a.Interval == 0 {
			return res, discard(ReasonZeroInterval, fmt.Sprintf("VRID %d from %v", a.VRID, r.Src))
		}
		res.IntervalMismatch = a.IntervalDuration() != g.Interval
	}
	// RFC 9568 §7.1 (MAY verify the address list; log only).
	res.AddrListMismatch = !sameAddrSet(a.Addrs, g.Addrs)
	return res, nil
}

// checkAuth applies the VRRPv2 authentication check of RFC 3768 §7.1 with
// the RFC 2338 simple password semantics keepalived implements.
func checkAuth(a Advert, g Group) error {
	if a.AuthType != g.AuthType {
		return discard(ReasonAuthType, fmt.Sprintf("VRID %d auth type %s, configured %s", a.VRID, a.AuthType, g.AuthType))
	}
	switch a.AuthType {
	case AuthNone:
		// RFC 3768 §5.3.10: Authentication Data is ignored on reception.
		return nil
	case AuthSimple:
		if subtle.ConstantTimeCompare(a.AuthData[:], g.AuthData[:]) != 1 {
			return discard(ReasonAuthData, fmt.Sprintf("VRID %d simple password differs", a.VRID))
		}
		return nil
	}
	return discard(ReasonAuthType, fmt.Sprintf("VRID %d auth type %s is not implemented", a.VRID, a.AuthType))
}

// sameAddrSet reports whether a and b hold the same addresses, in any order.
// Virtual addresses of a group are distinct, so equal lengths plus every
// element of b being in a is enough.
func sameAddrSet(a, b []netip.Addr) bool {
	if len(a) != len(b) {
		return false
	}
	for _, want := range b {
		found := false
		for _, got := range a {
			if got == want.WithZone("") {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
