package packet

import (
	"errors"
	"strconv"
)

// ErrInvalid is wrapped by the errors Append, Marshal and IntervalUnits
// return when asked to encode something that is not a valid advertisement.
var ErrInvalid = errors.New("vrrp: invalid advertisement")

// Reason says why a received VRRP message was discarded. Every error Parse,
// VerifyChecksum and Validate return is a *DiscardError carrying one, so the
// caller can count discards by reason.
//
// A Reason is itself an error, so callers can branch with
// errors.Is(err, packet.ReasonTTL); ReasonOf extracts it.
type Reason uint8

// The discard reasons, in the order Validate checks them (RFC 3768 §7.1,
// RFC 9568 §7.1).
const (
	// ReasonNone is the zero Reason; no error carries it.
	ReasonNone Reason = iota
	// ReasonAddress: the source or destination address is missing, of
	// different families, or the family is unknown.
	ReasonAddress
	// ReasonTTL: the IPv4 TTL or IPv6 hop limit is not 255
	// (RFC 3768 §5.2.3, RFC 9568 §5.1.1.3, §5.1.2.3, §7.1).
	ReasonTTL
	// ReasonLength: the message is shorter than its fixed header or its
	// length disagrees with Count IPvX Addrs (RFC 9568 §7.1).
	ReasonLength
	// ReasonVersion: the version is neither 2 nor 3, or a VRRPv2 message
	// arrived over IPv6 (RFC 3768 is IPv4 only).
	ReasonVersion
	// ReasonType: the type is not 1, ADVERTISEMENT (RFC 9568 §5.2.2).
	ReasonType
	// ReasonChecksum: the checksum is wrong in every accepted form
	// (RFC 3768 §5.3.8, RFC 9568 §5.2.8).
	ReasonChecksum
	// ReasonUnknownVRID: no group with this VRID is configured for the
	// receiving interface and family (RFC 9568 §7.1).
	ReasonUnknownVRID
	// ReasonVersionMismatch: a well-formed message of the other VRRP version
	// for a configured VRID. It means the group is configured inconsistently
	// across routers; see the package documentation.
	ReasonVersionMismatch
	// ReasonOwnAdvert: the source is this router's own primary address, i.e.
	// our own advert looped back.
	ReasonOwnAdvert
	// ReasonAuthType: the VRRPv2 Auth Type differs from the group's, or is
	// one this package does not implement (RFC 3768 §7.1).
	ReasonAuthType
	// ReasonAuthData: the VRRPv2 simple password differs from the group's.
	ReasonAuthData
	// ReasonInterval: the VRRPv2 Adver Int differs from the group's
	// configured interval (RFC 3768 §7.1).
	ReasonInterval
	// ReasonZeroInterval: a VRRPv3 Max Adver Int of zero, which would give a
	// zero Master_Down_Interval.
	ReasonZeroInterval

	reasonCount
)

var reasonNames = [reasonCount]string{
	ReasonNone:            "none",
	ReasonAddress:         "address",
	ReasonTTL:             "ttl",
	ReasonLength:          "length",
	ReasonVersion:         "version",
	ReasonType:            "type",
	ReasonChecksum:        "checksum",
	ReasonUnknownVRID:     "unknown-vrid",
	ReasonVersionMismatch: "version-mismatch",
	ReasonOwnAdvert:       "own-advert",
	ReasonAuthType:        "auth-type",
	ReasonAuthData:        "auth-data",
	ReasonInterval:        "interval",
	ReasonZeroInterval:    "zero-interval",
}

// String returns a short, stable, lower-case name suitable as a metric label.
func (r Reason) String() string {
	if r < reasonCount {
		return reasonNames[r]
	}
	return "Reason(" + strconv.Itoa(int(r)) + ")"
}

// Error makes a Reason usable as a sentinel error.
func (r Reason) Error() string {
	return "vrrp: discarded: " + r.String()
}

// DiscardError is the error returned for a discarded message. Detail says
// what exactly was wrong, for logs.
type DiscardError struct {
	Reason Reason
	Detail string
}

// Error returns "vrrp: discarded: <reason>: <detail>".
func (e *DiscardError) Error() string {
	if e.Detail == "" {
		return e.Reason.Error()
	}
	return e.Reason.Error() + ": " + e.Detail
}

// Unwrap returns the Reason, so errors.Is(err, ReasonX) works.
func (e *DiscardError) Unwrap() error {
	return e.Reason
}

// ReasonOf returns the Reason carried by err, or ReasonNone if err is nil or
// not a discard.
func ReasonOf(err error) Reason {
	var d *DiscardError
	if errors.As(err, &d) {
		return d.Reason
	}
	var r Reason
	if errors.As(err, &r) {
		return r
	}
	return ReasonNone
}

func discard(r Reason, detail string) error {
	return &DiscardError{Reason: r, Detail: detail}
}
