// Package packet encodes, decodes and validates VRRP advertisements. It is
// pure: no sockets, no clock, no goroutines, no logging. The socket layer
// hands it payloads and the IP facts it learned from control messages, and
// gets back decoded adverts or a typed discard Reason.
//
// # What is implemented
//
//   - VRRPv2 over IPv4 (RFC 3768 §5): Auth Type 0 (none) and 1 (the RFC 2338
//     simple text password keepalived calls PASS, 8 octets, zero padded),
//     Adver Int in seconds, checksum over the message (§5.3.8).
//   - VRRPv3 over IPv4 and IPv6 (RFC 5798 §5, obsoleted by RFC 9568 §5,
//     same wire format): 12-bit Max Adver Int in centiseconds, reserved
//     nibble sent as zero and ignored on receipt (§5.2.6).
//   - Receive validation (RFC 3768 §7.1, RFC 9568 §7.1) in Validate, with
//     one Reason per discard: TTL/hop limit not 255, bad version or type,
//     length not matching Count IPvX Addrs, bad checksum, unconfigured
//     VRID, the other VRRP version for a configured VRID, our own advert
//     looped back, VRRPv2 auth type or password mismatch, VRRPv2 interval
//     mismatch, VRRPv3 zero interval. Address-list differences (and VRRPv3
//     interval differences) are reported in Result, not discarded.
//
// # Checksums and keepalived
//
// VRRPv2 checksums the message only; VRRPv3 over IPv6 adds the RFC 8200
// §8.1 pseudo-header. VRRPv3 over IPv4 is where implementations disagree:
// RFC 5798 §5.2.8 included a pseudo-header and keepalived still sends and
// requires one unless configured with v3_checksum_as_v2, whereas RFC 9568
// §5.2.8 says the message only. Append therefore sends the pseudo-header
// form by default (EncodeOptions.V3IPv4MessageOnly switches to the RFC 9568
// form for peers that need it), and VerifyChecksum accepts both, trying the
// pseudo-header first and reporting in Result.Checksum which form matched.
// The pseudo-header always uses the packet's real destination, so unicast
// adverts carry the peer's address, not 224.0.0.18 (keepalived issue #642).
// With the default, a keepalived peer accepts our adverts and we accept
// both keepalived's and FRR's (whichever way its
// checksum-with-ipv4-pseudoheader knob is set); a strict RFC 9568 peer
// accepts ours only with V3IPv4MessageOnly set.
//
// # Mixed versions
//
// A VRRPv2 router cannot read VRRPv3 adverts, and RFC 9568 §7.1 requires a
// VRRPv3 router to discard other versions, so the routers of one group must
// all run the same version. Validate discards a well-formed advert of the
// other version for a configured VRID with ReasonVersionMismatch, separate
// from ReasonVersion (garbage), so the agent can report the
// misconfiguration: while it lasts each side elects itself (see the sim
// package's tests). The optional mixed mode of RFC 5798 §8.4.2, in which a
// VRRPv3 router also sends VRRPv2 adverts, is not implemented.
//
// # Deliberately left out
//
//   - Auth Type 2 (IP Authentication Header, RFC 2338): discarded with
//     ReasonAuthType. RFC 3768 removed it and ipfailover never configures
//     it.
//   - Discarding adverts because the local router owns the addresses
//     (priority 255, RFC 9568 §7.1): like keepalived's default, owners
//     process adverts, so two routers misconfigured as owners (which the
//     ipfailover priority formula can produce) still resolve by the
//     address tie-break instead of both staying master.
//   - RFC 3768 §7.1 drops a VRRPv2 advert whose address list differs
//     unless it comes from the owner; keepalived only logs it, and so do we
//     (Result.AddrListMismatch).
//   - Accepting trailing octets: the kernel trims IP padding, so the length
//     must match Count IPvX Addrs exactly.
//   - The interface check: the caller passes the Groups of the interface
//     (and family) the datagram arrived on.
package packet
