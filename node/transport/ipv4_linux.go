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

	"golang.org/x/net/ipv4"

	"github.com/failoverkit/ipfailover/node/vrrp/packet"
)

// tosCS6 is the DSCP class selector 6 (network control) that VRRP adverts
// carry, as keepalived's do.
const tosCS6 = 0xc0

type v4Conn struct {
	pc     *ipv4.PacketConn
	raw    net.PacketConn
	rc     syscall.RawConn
	ifi    *net.Interface
	source atomic.Pointer[netip.Addr]
	local  []netip.Addr

	rmu sync.Mutex // one Receive at a time
	rd  *msgReader // one IPv4 datagram, header included, and its control messages
}

// cmFlags are the control messages the socket asks for.
const cmFlags = ipv4.FlagTTL | ipv4.FlagDst | ipv4.FlagInterface | ipv4.FlagSrc

// maxDatagram bounds a received datagram (IPv4 header included); a VRRP
// advert with 255 addresses fits with room to spare.
const maxDatagram = 1500

// ListenIPv4 opens the IPv4 VRRP socket on ifi. source is the interface's
// primary IPv4 address; local lists every address of the node whose packets
// must be ignored (source included). When join is true the socket joins
// 224.0.0.18 on ifi (multicast mode); in unicast mode it need not.
func ListenIPv4(ifi *net.Interface, source netip.Addr, local []netip.Addr, join bool) (Conn, error) {
	if !source.Is4() {
		return nil, fmt.Errorf("IPv4 VRRP on %s: source %v is not an IPv4 address", ifi.Name, source)
	}
	lc := net.ListenConfig{Control: control(ifi.Name, true)}
	raw, err := lc.ListenPacket(context.Background(), rawNetwork("ip4"), "0.0.0.0")
	if err != nil {
		return nil, fmt.Errorf("opening IPv4 VRRP socket on %s: %w", ifi.Name, err)
	}
	pc := ipv4.NewPacketConn(raw)
	c := &v4Conn{pc: pc, raw: raw, ifi: ifi, local: slices.Clone(local)}
	c.source.Store(&source)
	if c.rc, err = rawConn(raw); err != nil {
		raw.Close()
		return nil, fmt.Errorf("IPv4 VRRP socket on %s: %w", ifi.Name, err)
	}
	c.rd = newMsgReader(c.rc, maxDatagram, append(ipv4.NewControlMessage(cmFlags), make([]byte, rxTimeSpace)...), false)
	if err := c.setup(join); err != nil {
		raw.Close()
		return nil, fmt.Errorf("configuring IPv4 VRRP socket on %s: %w", ifi.Name, err)
	}
	return c, nil
}

func (c *v4Conn) setup(join bool) error {
	steps := []step{
		{"multicast interface", func() error { return c.pc.SetMulticastInterface(c.ifi) }},
		{"multicast TTL 255", func() error { return c.pc.SetMulticastTTL(packet.TTL) }},
		{"TTL 255", func() error { return c.pc.SetTTL(packet.TTL) }},
		{"multicast loopback off", func() error { return c.pc.SetMulticastLoopback(false) }},
		{"TOS", func() error { return c.pc.SetTOS(tosCS6) }},
		{"control messages", func() error {
			return c.pc.SetControlMessage(cmFlags, true)
		}},
	}
	if join {
		steps = append(steps, step{"joining " + GroupV4.String(), func() error { return c.pc.JoinGroup(c.ifi, &net.IPAddr{IP: GroupV4.AsSlice()}) }})
	}
	return runSteps(steps)
}

func (c *v4Conn) Source() netip.Addr { return *c.source.Load() }

// SetSource makes adverts leave from src, the interface's new primary
// IPv4 address.
func (c *v4Conn) SetSource(src netip.Addr) error {
	if !src.Is4() {
		return fmt.Errorf("IPv4 VRRP on %s: source %v is not an IPv4 address", c.ifi.Name, src)
	}
	c.source.Store(&src)
	return nil
}

func (c *v4Conn) Send(payload []byte, dst netip.Addr) error {
	cm := &ipv4.ControlMessage{Src: c.Source().AsSlice(), IfIndex: c.ifi.Index}
	if _, err := c.pc.WriteTo(payload, cm, &net.IPAddr{IP: dst.AsSlice()}); err != nil {
		return fmt.Errorf("sending VRRP to %s on %s: %w", dst, c.ifi.Name, err)
	}
	return nil
}

// Receive reads with recvmsg(2) itself rather than ipv4.PacketConn.ReadFrom,
// which converts every source address with x/sys/unix (one extra
// getsockopt(SO_PROTOCOL) system call per datagram, to tell L2TP apart) and
// allocates a buffer and control message per call: on a backup of 254
// groups at 100 ms that was a tenth of the agent's CPU. A raw IPv4 socket
// hands over the IP header, which gives source, destination and TTL; the
// interface comes from IP_PKTINFO.
func (c *v4Conn) Receive(ctx context.Context) (Packet, error) {
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
		if p, ok := c.parse(b, oob); ok {
			return p, nil
		}
	}
}

// parse takes a datagram (IPv4 header first) apart; ok is false for a
// datagram to ignore: malformed, from another interface, or our own.
func (c *v4Conn) parse(b, oob []byte) (Packet, bool) {
	if len(b) < 20 || b[0]>>4 != 4 {
		return Packet{}, false
	}
	hl := int(b[0]&0x0f) * 4
	if hl < 20 || len(b) < hl {
		return Packet{}, false
	}
	var cm ipv4.ControlMessage
	if err := cm.Parse(oob); err != nil || cm.IfIndex != c.ifi.Index {
		return Packet{}, false
	}
	from := netip.AddrFrom4([4]byte(b[12:16]))
	if slices.Contains(c.local, from) {
		return Packet{}, false
	}
	return Packet{
		Payload:  slices.Clone(b[hl:]),
		Src:      from,
		Dst:      netip.AddrFrom4([4]byte(b[16:20])),
		TTL:      int(b[8]),
		IfIndex:  cm.IfIndex,
		Received: rxTime(oob),
	}, true
}

func (c *v4Conn) Close() error {
	err := c.raw.Close()
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}
