//go:build linux

package announce

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"

	"github.com/failoverkit/ipfailover/node/netif"
	"github.com/mdlayher/ndp"
	"github.com/mdlayher/packet"
	"github.com/vishvananda/netns"
	"golang.org/x/net/bpf"
	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv6"
	"golang.org/x/sys/unix"
)

// ErrNotEthernet means the link is not Ethernet (ARPHRD_ETHER with a 6-byte
// address), e.g. InfiniBand, a tun device or WireGuard. Gratuitous ARP as
// encoded here would be garbage there, so nothing is sent.
var ErrNotEthernet = errors.New("announce: link is not Ethernet")

// broadcast is the Ethernet broadcast address, the destination of every
// gratuitous ARP.
var broadcast = net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

// dropAll is a socket filter that accepts no packet: our sockets only send,
// and must not queue every ARP or ICMPv6 packet of the link unread.
// It is the one classic BPF instruction "ret #0" (BPF_RET|BPF_K, k=0).
var dropAll = []bpf.RawInstruction{{Op: 0x06, K: 0}}

// arpConn is the part of *packet.Conn we use.
type arpConn interface {
	WriteTo(b []byte, addr net.Addr) (int, error)
	Close() error
}

// naConn sends NDP messages on the link.
type naConn interface {
	WriteTo(m ndp.Message, dst netip.Addr) error
	Close() error
}

// LinkSender sends announcements on one link. It is safe for concurrent use.
type LinkSender struct {
	ifi *net.Interface
	ns  netns.NsHandle
	arp arpConn
	// addrs finds the link-local address the NA socket is bound to.
	addrs *netif.Manager
	// openNA opens the NA socket; replaced in tests.
	openNA func() (naConn, error)

	mu sync.Mutex // guards na
	na naConn     // nil until the first successful open; reset after an error
}

// SenderOption configures NewLinkSender.
type SenderOption func(*LinkSender)

// InNamespace makes the sender open its sockets in ns instead of the
// calling thread's namespace. The caller keeps ownership of ns and must
// keep it open until Close.
func InNamespace(ns netns.NsHandle) SenderOption {
	return func(s *LinkSender) { s.ns = ns }
}

// NewLinkSender resolves the interface ifname and opens the ARP socket at
// once, so configuration errors (missing interface, non-Ethernet link,
// missing CAP_NET_RAW) surface here. The NA socket is opened on first use
// and reopened after failures, because the link-local address it is bound
// to may not be usable yet (DAD) or may change.
//
// All sockets are created in one namespace: the one given with InNamespace,
// on a dedicated thread that has entered it, so later reopening from any
// goroutine is safe. Without InNamespace no namespace is entered (setns
// needs CAP_SYS_ADMIN, which the agent's pod does not have): sockets are
// opened, and reopened, in the namespace of the calling thread, which for
// the agent is always the host's.
func NewLinkSender(ifname string, opts ...SenderOption) (*LinkSender, error) {
	s := &LinkSender{ns: netns.None()}
	for _, o := range opts {
		o(s)
	}
	err := inNetNS(s.ns, func() error {
		ifi, err := net.InterfaceByName(ifname)
		if err != nil {
			return fmt.Errorf("announce: interface %q: %w", ifname, err)
		}
		s.ifi = ifi
		c, err := packet.Listen(ifi, packet.Datagram, unix.ETH_P_ARP, &packet.Config{Filter: dropAll})
		if err != nil {
			return fmt.Errorf("announce: ARP socket on %q: %w", ifname, err)
		}
		if err := checkEthernet(c, ifi); err != nil {
			_ = c.Close()
			return err
		}
		s.arp = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	if s.addrs, err = netif.Open(s.ns); err != nil {
		_ = s.arp.Close()
		return nil, fmt.Errorf("announce: %w", err)
	}
	s.openNA = s.listenNA
	return s, nil
}

// checkEthernet refuses links whose hardware type (sll_hatype of the bound
// packet socket) is not ARPHRD_ETHER or whose address is not 6 bytes.
func checkEthernet(c *packet.Conn, ifi *net.Interface) error {
	rc, err := c.SyscallConn()
	if err != nil {
		return fmt.Errorf("announce: ARP socket on %q: %w", ifi.Name, err)
	}
	var sa unix.Sockaddr
	var serr error
	if err := rc.Control(func(fd uintptr) { sa, serr = unix.Getsockname(int(fd)) }); err != nil {
		return fmt.Errorf("announce: ARP socket on %q: %w", ifi.Name, err)
	}
	if serr != nil {
		return fmt.Errorf("announce: ARP socket on %q: getsockname: %w", ifi.Name, serr)
	}
	ll, ok := sa.(*unix.SockaddrLinklayer)
	if !ok || ll.Hatype != unix.ARPHRD_ETHER || len(ifi.HardwareAddr) != 6 {
		hatype := -1
		if ok {
			hatype = int(ll.Hatype)
		}
		return fmt.Errorf("%w: %q has hardware type %d and address %q", ErrNotEthernet, ifi.Name, hatype, ifi.HardwareAddr)
	}
	return nil
}

// listenNA opens the NA socket in the sender's namespace.
func (s *LinkSender) listenNA() (naConn, error) {
	ll, err := s.addrs.LinkLocalIPv6(netif.Link{Name: s.ifi.Name, Index: s.ifi.Index})
	switch {
	case errors.Is(err, netif.ErrTentative), errors.Is(err, netif.ErrDADFailed):
		// Not usable as a source yet: transient, like having none.
		return nil, fmt.Errorf("%w: %w", ErrNoLinkLocal, err)
	case err != nil:
		return nil, fmt.Errorf("announce: %w", err)
	}
	var c naConn
	err = inNetNS(s.ns, func() error {
		var err error
		c, err = listenNDP(s.ifi, ll)
		return err
	})
	return c, err
}

// ndpSocket is an ICMPv6 socket bound to the link's link-local address,
// set up like mdlayher/ndp's Listen (hop limit 255 as RFC 4861 §7.1.2
// requires, source = link-local), but writing with an interface index
// instead of a zone name: ndp.Conn names the interface in every WriteTo,
// and Go resolves that name in the network namespace of whatever thread
// does the write, which picks the wrong interface (or fails with EINVAL)
// when the socket lives in another namespace.
type ndpSocket struct {
	c  net.PacketConn
	pc *ipv6.PacketConn
	cm *ipv6.ControlMessage
}

// listenNDP runs in the link's namespace; ll is the link's usable
// link-local address, zoned with the link's name.
func listenNDP(ifi *net.Interface, ll netip.Addr) (*ndpSocket, error) {
	c, err := icmp.ListenPacket("ip6:ipv6-icmp", ll.String())
	if errors.Is(err, unix.EADDRNOTAVAIL) {
		// The kernel refuses to bind a tentative address: DAD still runs.
		return nil, fmt.Errorf("%w on %q: %s: %w", ErrNoLinkLocal, ifi.Name, ll, err)
	}
	if err != nil {
		return nil, fmt.Errorf("announce: ICMPv6 socket on %q: %w", ifi.Name, err)
	}
	pc := c.IPv6PacketConn()
	var f ipv6.ICMPFilter
	f.SetAll(true) // accept no incoming ICMPv6 at all: send only
	// The kernel computes ICMPv6 checksums on raw ICMPv6 sockets by itself.
	for _, step := range []func() error{
		func() error { return pc.SetHopLimit(ndp.HopLimit) },
		func() error { return pc.SetMulticastHopLimit(ndp.HopLimit) },
		func() error { return pc.SetICMPFilter(&f) },
	} {
		if err := step(); err != nil {
			_ = c.Close()
			return nil, fmt.Errorf("announce: ICMPv6 socket on %q: %w", ifi.Name, err)
		}
	}
	return &ndpSocket{
		c:  c,
		pc: pc,
		cm: &ipv6.ControlMessage{HopLimit: ndp.HopLimit, Src: ll.WithZone("").AsSlice(), IfIndex: ifi.Index},
	}, nil
}

// WriteTo implements naConn.
func (n *ndpSocket) WriteTo(m ndp.Message, dst netip.Addr) error {
	b, err := ndp.MarshalMessage(m)
	if err != nil {
		return err
	}
	// No zone: the control message's interface index selects the link.
	_, err = n.pc.WriteTo(b, n.cm, &net.IPAddr{IP: dst.AsSlice()})
	return err
}

// Close implements naConn.
func (n *ndpSocket) Close() error { return n.c.Close() }

// HardwareAddr implements Sender.
func (s *LinkSender) HardwareAddr() net.HardwareAddr { return s.ifi.HardwareAddr }

// SendARP implements Sender: it broadcasts p in an Ethernet frame whose
// header the kernel builds (EtherType 0x0806, source = the link's MAC).
func (s *LinkSender) SendARP(p ARP) error {
	b, err := p.MarshalBinary()
	if err != nil {
		return err
	}
	if _, err := s.arp.WriteTo(b, &packet.Addr{HardwareAddr: broadcast}); err != nil {
		return fmt.Errorf("announce: sending ARP %s for %s on %q: %w", p.Op, p.SenderIP, s.ifi.Name, err)
	}
	return nil
}

// SendNA implements Sender: it sends na to ff02::1 from the link-local
// address with hop limit 255 (RFC 4861 §7.1.2). If the socket cannot be
// opened yet, the error wraps ErrNoLinkLocal; after a send error the socket
// is reopened on the next call.
func (s *LinkSender) SendNA(na *ndp.NeighborAdvertisement) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.na == nil {
		c, err := s.openNA()
		if err != nil {
			return err
		}
		s.na = c
	}
	if err := s.na.WriteTo(na, netip.IPv6LinkLocalAllNodes()); err != nil {
		_ = s.na.Close()
		s.na = nil
		return fmt.Errorf("announce: sending NA for %s on %q: %w", na.TargetAddress, s.ifi.Name, err)
	}
	return nil
}

// Close closes the sockets.
func (s *LinkSender) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	if s.na != nil {
		errs = append(errs, s.na.Close())
		s.na = nil
	}
	if s.arp != nil {
		errs = append(errs, s.arp.Close())
		s.arp = nil
	}
	if s.addrs != nil {
		errs = append(errs, s.addrs.Close())
		s.addrs = nil
	}
	return errors.Join(errs...)
}

var _ Sender = (*LinkSender)(nil)
