package transport

import (
	"context"
	"fmt"
	"net/netip"
	"strconv"
	"time"

	"github.com/failoverkit/ipfailover/node/vrrp/packet"
)

// Multicast destinations of VRRP adverts (RFC 9568 §5.1.1.2, §5.1.2.2),
// as the codec defines them.
var (
	GroupV4 = packet.MulticastGroup(packet.IPv4)
	GroupV6 = packet.MulticastGroup(packet.IPv6)
)

// rawNetwork names the raw IP socket that carries VRRP (IP protocol
// packet.Protocol) for ip, "ip4" or "ip6", as net.ListenPacket takes it.
func rawNetwork(ip string) string { return ip + ":" + strconv.Itoa(packet.Protocol) }

// Packet is one received VRRP message with the IP header facts that
// validation needs.
type Packet struct {
	// Payload is the VRRP message, without the IP header.
	Payload []byte
	// Src and Dst are the IP source and destination.
	Src, Dst netip.Addr
	// TTL is the IPv4 TTL or the IPv6 hop limit the packet arrived with.
	TTL int
	// IfIndex is the interface the packet arrived on.
	IfIndex int
	// Received is when the kernel received the packet (SO_TIMESTAMPNS,
	// wall clock); zero when the socket gave no timestamp.
	Received time.Time
}

// Conn sends and receives VRRP payloads for one address family on one interface.
type Conn interface {
	// Receive blocks until a packet arrives, the context ends or the Conn is
	// closed. Packets from the node's own addresses are never returned.
	Receive(ctx context.Context) (Packet, error)
	// Send transmits payload to dst (the multicast group or a unicast peer)
	// from Source.
	Send(payload []byte, dst netip.Addr) error
	// Source is the address adverts leave from: the interface's primary
	// IPv4 address, or its IPv6 link-local address.
	Source() netip.Addr
	// Close releases the socket; a blocked Receive returns.
	Close() error
}

// SourceSetter is a Conn whose source address can follow the interface as
// its addresses change: the primary IPv4 address (IPv4 Conn) or the
// link-local address (IPv6 Conn, RFC 9568 §5.1.2.1).
type SourceSetter interface {
	SetSource(src netip.Addr) error
}

// step is one named socket option of a Conn's setup.
type step struct {
	what string
	do   func() error
}

// runSteps applies the steps in order and names the first that fails.
func runSteps(steps []step) error {
	for _, s := range steps {
		if err := s.do(); err != nil {
			return fmt.Errorf("%s: %w", s.what, err)
		}
	}
	return nil
}
