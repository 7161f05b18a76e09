package announce

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
)

// ARPLen is the length of an ARP packet for IPv4 over Ethernet.
const ARPLen = 28

// Values of the fixed ARP header fields for IPv4 over Ethernet (RFC 826,
// "Packet format"; numbers from the IANA ARP parameters registry).
const (
	arpHTypeEthernet = 1      // ar$hrd
	arpPTypeIPv4     = 0x0800 // ar$pro, an EtherType
	arpHLenEthernet  = 6      // ar$hln
	arpPLenIPv4      = 4      // ar$pln
)

// Operation is the ARP opcode (ar$op, RFC 826).
type Operation uint16

// ARP opcodes.
const (
	OpRequest Operation = 1
	OpReply   Operation = 2
)

// String returns the opcode's name.
func (o Operation) String() string {
	switch o {
	case OpRequest:
		return "request"
	case OpReply:
		return "reply"
	default:
		return fmt.Sprintf("Operation(%d)", uint16(o))
	}
}

// Errors of the ARP codec.
var (
	// ErrShortARP means fewer than ARPLen bytes.
	ErrShortARP = errors.New("announce: ARP packet shorter than 28 bytes")
	// ErrNotEthernetIPv4 means the header does not announce IPv4 over
	// Ethernet (hardware type 1, protocol 0x0800, lengths 6 and 4).
	ErrNotEthernetIPv4 = errors.New("announce: ARP packet is not IPv4 over Ethernet")
	// ErrBadField means a field cannot be encoded: a hardware address that
	// is not 6 bytes, or an address that is not IPv4.
	ErrBadField = errors.New("announce: ARP field cannot be encoded")
)

// ARP is an ARP packet for IPv4 over Ethernet (RFC 826).
type ARP struct {
	Op Operation
	// SenderHW and SenderIP are ar$sha and ar$spa.
	SenderHW net.HardwareAddr
	SenderIP netip.Addr
	// TargetHW and TargetIP are ar$tha and ar$tpa. A nil TargetHW is
	// encoded as six zero bytes.
	TargetHW net.HardwareAddr
	TargetIP netip.Addr
}

// GratuitousRequest returns the request form of a gratuitous ARP for vip
// owned by mac: sender and target IP are both the VIP (RFC 5944 §4.6), the
// target hardware address is zero, as RFC 5227 asks of an ARP Announcement
// (§2.3, which takes the field from the ARP Probe of §2.1.1). Receivers update an existing cache entry for the sender IP
// (RFC 826, "Packet Reception": the merge step runs before the opcode is
// looked at).
//
// keepalived puts ff:ff:ff:ff:ff:ff in the target hardware field instead;
// receivers ignore the field in a request, so both forms work.
func GratuitousRequest(mac net.HardwareAddr, vip netip.Addr) ARP {
	return ARP{Op: OpRequest, SenderHW: mac, SenderIP: vip, TargetIP: vip}
}

// GratuitousReply returns the reply form: like the request, but the target
// hardware address is also the node MAC (RFC 5944 §4.6). Some stacks only
// learn from replies, others only from requests; we send both.
func GratuitousReply(mac net.HardwareAddr, vip netip.Addr) ARP {
	return ARP{Op: OpReply, SenderHW: mac, SenderIP: vip, TargetHW: mac, TargetIP: vip}
}

// MarshalBinary encodes the packet into ARPLen bytes.
func (p ARP) MarshalBinary() ([]byte, error) {
	return p.AppendBinary(make([]byte, 0, ARPLen))
}

// AppendBinary appends the ARPLen-byte encoding of the packet to b.
//
// Layout (RFC 826), all integers big-endian:
//
//	0  ar$hrd  2  hardware type (1, Ethernet)
//	2  ar$pro  2  protocol type (0x0800, IPv4)
//	4  ar$hln  1  hardware address length (6)
//	5  ar$pln  1  protocol address length (4)
//	6  ar$op   2  opcode
//	8  ar$sha  6  sender hardware address
//	14 ar$spa  4  sender protocol address
//	18 ar$tha  6  target hardware address
//	24 ar$tpa  4  target protocol address
func (p ARP) AppendBinary(b []byte) ([]byte, error) {
	if len(p.SenderHW) != arpHLenEthernet {
		return b, fmt.Errorf("%w: sender hardware address %q is not 6 bytes", ErrBadField, p.SenderHW)
	}
	if p.TargetHW != nil && len(p.TargetHW) != arpHLenEthernet {
		return b, fmt.Errorf("%w: target hardware address %q is not 6 bytes", ErrBadField, p.TargetHW)
	}
	spa, tpa := p.SenderIP.Unmap(), p.TargetIP.Unmap()
	if !spa.Is4() || !tpa.Is4() {
		return b, fmt.Errorf("%w: sender %v / target %v must be IPv4", ErrBadField, p.SenderIP, p.TargetIP)
	}
	b = binary.BigEndian.AppendUint16(b, arpHTypeEthernet)
	b = binary.BigEndian.AppendUint16(b, arpPTypeIPv4)
	b = append(b, arpHLenEthernet, arpPLenIPv4)
	b = binary.BigEndian.AppendUint16(b, uint16(p.Op))
	b = append(b, p.SenderHW...)
	b = append(b, spa.AsSlice()...)
	if p.TargetHW == nil {
		b = append(b, make([]byte, arpHLenEthernet)...)
	} else {
		b = append(b, p.TargetHW...)
	}
	b = append(b, tpa.AsSlice()...)
	return b, nil
}

// UnmarshalBinary decodes the first ARPLen bytes of b (Ethernet frames may
// carry padding after them). Only IPv4 over Ethernet is accepted.
func (p *ARP) UnmarshalBinary(b []byte) error {
	if len(b) < ARPLen {
		return fmt.Errorf("%w: %d bytes", ErrShortARP, len(b))
	}
	be := binary.BigEndian
	if be.Uint16(b[0:2]) != arpHTypeEthernet || be.Uint16(b[2:4]) != arpPTypeIPv4 ||
		b[4] != arpHLenEthernet || b[5] != arpPLenIPv4 {
		return fmt.Errorf("%w: header % x", ErrNotEthernetIPv4, b[0:6])
	}
	*p = ARP{
		Op:       Operation(be.Uint16(b[6:8])),
		SenderHW: append(net.HardwareAddr(nil), b[8:14]...),
		SenderIP: netip.AddrFrom4([4]byte(b[14:18])),
		TargetHW: append(net.HardwareAddr(nil), b[18:24]...),
		TargetIP: netip.AddrFrom4([4]byte(b[24:28])),
	}
	return nil
}
