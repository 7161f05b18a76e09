package transport

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/net/ipv6"

	"github.com/failoverkit/ipfailover/node/vrrp/packet"
)

// checksumOffset is where the checksum sits in a VRRP message; with
// IPV6_CHECKSUM the kernel fills it on send and drops bad ones on receive
// (RFC 3542 §3.1), pseudo-header included (RFC 9568 §5.2.8).
const checksumOffset = 6

type v6Conn struct {
	pc     *ipv6.PacketConn
	raw    net.PacketConn
	rc     syscall.RawConn
	ifi    *net.Interface
	source atomic.Pointer[netip.Addr]
	local  []netip.Addr

	rmu sync.Mutex // one Receive at a time
	rd  *msgReader // one VRRP message (no IP header on a raw IPv6 socket), its control messages and sender
}

// cmFlags6 are the control messages the IPv6 socket asks for.
const cmFlags6 = ipv6.FlagHopLimit | ipv6.FlagDst | ipv6.FlagInterface | ipv6.FlagSrc

// ListenIPv6 opens the IPv6 VRRP socket on ifi. source must be the
// interface's link-local address, which the kernel also picks for the
// link-scope group; local lists addresses whose packets are ignored.
func ListenIPv6(ifi *net.Interface, source netip.Addr, local []netip.Addr, join bool) (Conn, error) {
	if err := checkSource6(ifi, source); err != nil {
		return nil, err
	}
	lc := net.ListenConfig{Control: control(ifi.Name, false)}
	raw, err := lc.ListenPacket(context.Background(), rawNetwork("ip6"), "::")
	if err != nil {
		return nil, fmt.Errorf("opening IPv6 VRRP socket on %s: %w", ifi.Name, err)
	}
	pc := ipv6.NewPacketConn(raw)
	c := &v6Conn{pc: pc, raw: raw, ifi: ifi, local: slices.Clone(local)}
	src := source.WithZone("")
	c.source.Store(&src)
	if c.rc, err = rawConn(raw); err != nil {
		raw.Close()
		return nil, fmt.Errorf("IPv6 VRRP socket on %s: %w", ifi.Name, err)
	}
	c.rd = newMsgReader(c.rc, maxDatagram, append(ipv6.NewControlMessage(cmFlags6), make([]byte, rxTimeSpace)...), true)
	if err := c.setup(join); err != nil {
		raw.Close()
		return nil, fmt.Errorf("configuring IPv6 VRRP socket on %s: %w", ifi.Name, err)
	}
	return c, nil
}

func (c *v6Conn) setup(join bool) error {
	steps := []step{
		{"multicast interface", func() error { return c.pc.SetMulticastInterface(c.ifi) }},
		{"multicast hop limit 255", func() error { return c.pc.SetMulticastHopLimit(packet.TTL) }},
		{"hop limit 255", func() error { return c.pc.SetHopLimit(packet.TTL) }},
		{"multicast loopback off", func() error { return c.pc.SetMulticastLoopback(false) }},
		{"traffic class", func() error { return c.pc.SetTrafficClass(tosCS6) }},
		{"checksum offload", func() error { return c.pc.SetChecksum(true, checksumOffset) }},
		{"control messages", func() error {
			return c.pc.SetControlMessage(cmFlags6, true)
		}},
	}
	if join {
		steps = append(steps, step{"joining " + GroupV6.String(), func() error { return c.pc.JoinGroup(c.ifi, &net.IPAddr{IP: GroupV6.AsSlice()}) }})
	}
	return runSteps(steps)
}

// checkSource6 refuses an IPv6 advert source that is not a link-local
// address: RFC 9568 §5.1.2.1 makes the interface's link-local address the
// source of every IPv6 advert.
func checkSource6(ifi *net.Interface, source netip.Addr) error {
	if !source.Is6() || !source.IsLinkLocalUnicast() {
		return fmt.Errorf("IPv6 VRRP on %s: source %v is not a link-local address (RFC 9568 §5.1.2.1)", ifi.Name, source)
	}
	return nil
}

func (c *v6Conn) Source() netip.Addr { return *c.source.Load() }

// SetSource makes adverts leave from src, the interface's new link-local
// address (RFC 9568 §5.1.2.1), after the old one was deleted.
func (c *v6Conn) SetSource(src netip.Addr) error {
	if err := checkSource6(c.ifi, src); err != nil {
		return err
	}
	src = src.WithZone("")
	c.source.Store(&src)
	return nil
}

func (c *v6Conn) Send(payload []byte, dst netip.Addr) error {
	cm := &ipv6.ControlMessage{Src: c.Source().AsSlice(), IfIndex: c.ifi.Index, HopLimit: packet.TTL}
	to := &net.IPAddr{IP: dst.AsSlice()}
	if dst.IsLinkLocalMulticast() || dst.IsLinkLocalUnicast() {
		to.Zone = c.ifi.Name
	}
	if _, err := c.pc.WriteTo(payload, cm, to); err != nil {
		return fmt.Errorf("sending VRRP to %s on %s: %w", dst, c.ifi.Name, err)
	}
	return nil
}

// Receive reads with recvmsg(2) itself, as the IPv4 Conn does, rather
// than ipv6.PacketConn.ReadFrom, which makes a getsockopt(SO_PROTOCOL)
// system call per datagram to convert the source address and allocates a
// buffer and control message per call. A raw IPv6 socket hands over no IP
// header: the source comes from the socket address, destination, hop
// limit and interface from the control messages.
func (c *v6Conn) Receive(ctx context.Context) (Packet, error) {
	if err := c.pc.SetReadDeadline(time.Time{}); err != nil {
		return Packet{}, fmt.Errorf("receiving VRRP on %s: %w", c.ifi.Name, err)
	}
	stop := context.AfterFunc(ctx, func() { c.pc.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	c.rmu.Lock()
	defer c.rmu.Unlock()
	for {
		b, oob, err := c.rd.next()
		if err != nil {
			if ctx.Err() != nil {
				return Packet{}, ctx.Err()
			}
			return Packet{}, fmt.Errorf("receiving VRRP on %s: %w", c.ifi.Name, err)
		}
		if p, ok := c.parse(b, oob, &c.rd.from); ok {
			return p, nil
		}
	}
}

// parse takes a received datagram apart; ok is false for one to ignore:
// without control messages, from another interface, or our own.
func (c *v6Conn) parse(b, oob []byte, from *syscall.RawSockaddrInet6) (Packet, bool) {
	if from.Family != syscall.AF_INET6 {
		return Packet{}, false
	}
	var cm ipv6.ControlMessage
	if err := cm.Parse(oob); err != nil || cm.IfIndex != c.ifi.Index {
		return Packet{}, false
	}
	src := netip.AddrFrom16(from.Addr)
	if slices.Contains(c.local, src) {
		return Packet{}, false
	}
	to, _ := netip.AddrFromSlice(cm.Dst)
	return Packet{Payload: slices.Clone(b), Src: src, Dst: to, TTL: cm.HopLimit, IfIndex: cm.IfIndex, Received: rxTime(oob)}, true
}

func (c *v6Conn) Close() error {
	err := c.raw.Close()
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}
