package transport

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"time"

	"golang.org/x/net/ipv4"
)

// tosCS6 is the DSCP class selector 6 (network control) that VRRP adverts
// carry, as keepalived's do.
const tosCS6 = 0xc0

type v4Conn struct {
	pc     *ipv4.PacketConn
	raw    net.PacketConn
	ifi    *net.Interface
	source netip.Addr
	local  []netip.Addr
}

// ListenIPv4 opens the IPv4 VRRP socket on ifi. source is the interface's
// primary IPv4 address; local lists every address of the node whose packets
// must be ignored (source included). When join is true the socket joins
// 224.0.0.18 on ifi (multicast mode); in unicast mode it need not.
func ListenIPv4(ifi *net.Interface, source netip.Addr, local []netip.Addr, join bool) (Conn, error) {
	if !source.Is4() {
		return nil, fmt.Errorf("IPv4 VRRP on %s: source %v is not an IPv4 address", ifi.Name, source)
	}
	lc := net.ListenConfig{Control: control(ifi.Name, true)}
	raw, err := lc.ListenPacket(context.Background(), "ip4:112", "0.0.0.0")
	if err != nil {
		return nil, fmt.Errorf("opening IPv4 VRRP socket on %s: %w", ifi.Name, err)
	}
	pc := ipv4.NewPacketConn(raw)
	c := &v4Conn{pc: pc, raw: raw, ifi: ifi, source: source, local: slices.Clone(local)}
	if err := c.setup(join); err != nil {
		raw.Close()
		return nil, fmt.Errorf("configuring IPv4 VRRP socket on %s: %w", ifi.Name, err)
	}
	return c, nil
}

func (c *v4Conn) setup(join bool) error {
	steps := []struct {
		what string
		do   func() error
	}{
		{"multicast interface", func() error { return c.pc.SetMulticastInterface(c.ifi) }},
		{"multicast TTL 255", func() error { return c.pc.SetMulticastTTL(255) }},
		{"TTL 255", func() error { return c.pc.SetTTL(255) }},
		{"multicast loopback off", func() error { return c.pc.SetMulticastLoopback(false) }},
		{"TOS", func() error { return c.pc.SetTOS(tosCS6) }},
		{"control messages", func() error {
			return c.pc.SetControlMessage(ipv4.FlagTTL|ipv4.FlagDst|ipv4.FlagInterface|ipv4.FlagSrc, true)
		}},
	}
	if join {
		steps = append(steps, struct {
			what string
			do   func() error
		}{"joining 224.0.0.18", func() error { return c.pc.JoinGroup(c.ifi, &net.IPAddr{IP: GroupV4.AsSlice()}) }})
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			return fmt.Errorf("%s: %w", s.what, err)
		}
	}
	return nil
}

func (c *v4Conn) Source() netip.Addr { return c.source }

func (c *v4Conn) Send(payload []byte, dst netip.Addr) error {
	cm := &ipv4.ControlMessage{Src: c.source.AsSlice(), IfIndex: c.ifi.Index}
	if _, err := c.pc.WriteTo(payload, cm, &net.IPAddr{IP: dst.AsSlice()}); err != nil {
		return fmt.Errorf("sending VRRP to %s on %s: %w", dst, c.ifi.Name, err)
	}
	return nil
}

func (c *v4Conn) Receive(ctx context.Context) (Packet, error) {
	buf := make([]byte, 1500)
	if err := c.pc.SetReadDeadline(time.Time{}); err != nil {
		return Packet{}, fmt.Errorf("receiving VRRP on %s: %w", c.ifi.Name, err)
	}
	stop := context.AfterFunc(ctx, func() { c.pc.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	for {
		n, cm, src, err := c.pc.ReadFrom(buf)
		if err != nil {
			if ctx.Err() != nil {
				return Packet{}, ctx.Err()
			}
			return Packet{}, fmt.Errorf("receiving VRRP on %s: %w", c.ifi.Name, err)
		}
		if cm == nil {
			continue
		}
		from, ok := netip.AddrFromSlice(src.(*net.IPAddr).IP)
		if !ok {
			continue
		}
		from = from.Unmap()
		if cm.IfIndex != c.ifi.Index || slices.Contains(c.local, from) {
			continue
		}
		to, _ := netip.AddrFromSlice(cm.Dst)
		return Packet{Payload: slices.Clone(buf[:n]), Src: from, Dst: to.Unmap(), TTL: cm.TTL, IfIndex: cm.IfIndex}, nil
	}
}

func (c *v4Conn) Close() error {
	err := c.raw.Close()
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}
