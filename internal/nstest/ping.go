//go:build linux

package nstest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"time"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
)

// IANA protocol numbers used to parse ICMP messages.
const (
	protoICMP   = 1
	protoICMPv6 = 58
)

// Ping sends ICMP echo requests from inside the namespace to dst, one every
// 200ms, until a matching reply arrives or timeout has passed. It needs no
// ping binary.
func (n *NS) Ping(dst netip.Addr, timeout time.Duration) error {
	return n.Do(func() error { return ping(dst, timeout) })
}

// ping runs in the namespace's thread (see NS.Do).
func ping(dst netip.Addr, timeout time.Duration) error {
	network, laddr, proto := "ip4:icmp", "0.0.0.0", protoICMP
	var reqType, replyType icmp.Type = ipv4.ICMPTypeEcho, ipv4.ICMPTypeEchoReply
	if dst.Is6() {
		network, laddr, proto = "ip6:ipv6-icmp", "::", protoICMPv6
		reqType, replyType = ipv6.ICMPTypeEchoRequest, ipv6.ICMPTypeEchoReply
	}
	c, err := icmp.ListenPacket(network, laddr)
	if err != nil {
		return fmt.Errorf("ping %s: %w", dst, err)
	}
	defer c.Close()

	id := rand.IntN(0xffff)
	deadline := time.Now().Add(timeout)
	to := &net.IPAddr{IP: dst.AsSlice(), Zone: dst.Zone()}
	buf := make([]byte, 1500)
	for seq := 1; time.Now().Before(deadline); seq++ {
		msg := icmp.Message{Type: reqType, Body: &icmp.Echo{ID: id, Seq: seq, Data: []byte("nstest")}}
		b, err := msg.Marshal(nil) // the kernel fills the ICMPv6 checksum
		if err != nil {
			return err
		}
		if _, err := c.WriteTo(b, to); err != nil {
			return fmt.Errorf("ping %s: %w", dst, err)
		}
		wait := time.Now().Add(200 * time.Millisecond)
		if wait.After(deadline) {
			wait = deadline
		}
		if err := c.SetReadDeadline(wait); err != nil {
			return err
		}
		for {
			n, from, err := c.ReadFrom(buf)
			if err != nil {
				var ne net.Error
				if errors.As(err, &ne) && ne.Timeout() {
					break // next request
				}
				return fmt.Errorf("ping %s: %w", dst, err)
			}
			rm, err := icmp.ParseMessage(proto, buf[:n])
			if err != nil || rm.Type != replyType {
				continue
			}
			echo, ok := rm.Body.(*icmp.Echo)
			src, _ := netip.ParseAddr(from.String())
			if ok && echo.ID == id && src.WithZone("") == dst.WithZone("") {
				return nil
			}
		}
	}
	return fmt.Errorf("ping %s: no reply within %s", dst, timeout)
}
