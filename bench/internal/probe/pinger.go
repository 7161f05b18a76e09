//go:build linux

package probe

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// Reply is one echo reply the client received.
type Reply struct {
	// At is the kernel's receive time.
	At time.Time
	// MAC is the Ethernet source of the reply: the node that answered.
	MAC net.HardwareAddr
	// Seq is the echo sequence number.
	Seq uint16
}

// Pinger sends an ICMP echo request to a VIP every Interval through the
// client's own IP stack (so its neighbour table, updated by gratuitous
// ARP, decides where the request goes) and records every echo reply with
// the MAC address it came from, read off the wire by an AF_PACKET socket.
//
// Sniffing the reply's Ethernet source is what tells who answered. The
// neighbour table only tells where the client sends its requests, and only
// as often as it is polled.
type Pinger struct {
	vip      netip.Addr
	interval time.Duration
	id       uint16
	send     int // raw ICMP socket, receives nothing (drop-all filter)
	cap      *capture
	log      eventLog[Reply]
	stop     chan struct{}
	wg       sync.WaitGroup

	closeOnce sync.Once
	closeErr  error
}

// NewPinger opens the sockets in the calling thread's namespace (call it
// inside lab.NS.Do of the client) on the interface ifindex. Start begins
// pinging.
func NewPinger(ifindex int, vip netip.Addr, interval time.Duration) (*Pinger, error) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.IPPROTO_ICMP)
	if err != nil {
		return nil, fmt.Errorf("opening the raw ICMP socket: %w", err)
	}
	// "ret #0": the replies are read from the AF_PACKET socket; this one
	// must not queue them unread.
	drop := unix.SockFprog{Len: 1, Filter: &[]unix.SockFilter{{Code: 0x06, K: 0}}[0]}
	if err := unix.SetsockoptSockFprog(fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER, &drop); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("attaching the drop-all filter to the ICMP socket: %w", err)
	}
	c, err := openCapture(ifindex)
	if err != nil {
		unix.Close(fd)
		return nil, err
	}
	return &Pinger{vip: vip, interval: interval, id: uint16(rand.IntN(0x10000)), send: fd, cap: c}, nil
}

// Start begins sending and recording; Close ends both.
func (p *Pinger) Start() {
	p.stop = make(chan struct{})
	p.wg.Add(2)
	go p.sendLoop()
	go p.readLoop()
}

// Close stops the goroutines and closes the sockets. It is idempotent: a
// second call does nothing (and closes no reused descriptor).
func (p *Pinger) Close() error {
	p.closeOnce.Do(func() {
		if p.stop != nil {
			close(p.stop)
			p.wg.Wait()
		}
		p.closeErr = errors.Join(unix.Close(p.send), p.cap.close())
	})
	return p.closeErr
}

// Reset forgets every reply recorded so far.
func (p *Pinger) Reset() { p.log.reset() }

// Replies returns the replies recorded since the last Reset.
func (p *Pinger) Replies() []Reply { return p.log.snapshot() }

// WaitReply waits, until deadline, for the first reply received after
// `after` whose source MAC satisfies match.
func (p *Pinger) WaitReply(after, deadline time.Time, match func(net.HardwareAddr) bool) (Reply, bool) {
	return waitFor(&p.log, deadline, func(r Reply) bool { return r.At.After(after) && match(r.MAC) })
}

func (p *Pinger) sendLoop() {
	defer p.wg.Done()
	tick := time.NewTicker(p.interval)
	defer tick.Stop()
	to := &unix.SockaddrInet4{Addr: p.vip.As4()}
	msg := make([]byte, 16)
	for seq := uint16(1); ; seq++ {
		select {
		case <-p.stop:
			return
		case <-tick.C:
		}
		echoRequest(msg, p.id, seq)
		// A failed send (no ARP answer yet: EHOSTUNREACH) is a lost ping,
		// which is what the measurement is about.
		_ = unix.Sendto(p.send, msg, 0, to)
	}
}

func (p *Pinger) readLoop() {
	defer p.wg.Done()
	buf := make([]byte, 2048)
	for {
		select {
		case <-p.stop:
			return
		default:
		}
		f, err := p.cap.next(buf)
		if err != nil {
			continue // timeout (re-check stop) or a transient error
		}
		if f.pkttype == unix.PACKET_OUTGOING {
			continue
		}
		if r, ok := p.parseReply(f); ok {
			p.log.add(r)
		}
	}
}

// parseReply recognises our echo replies from the VIP: Ethernet, IPv4,
// ICMP type 0 with our identifier. On an AF_PACKET SOCK_RAW socket the
// frame starts with the Ethernet header.
func (p *Pinger) parseReply(f frame) (Reply, bool) {
	b := f.data
	if len(b) < 14+20+8 || binary.BigEndian.Uint16(b[12:14]) != unix.ETH_P_IP {
		return Reply{}, false
	}
	ip := b[14:]
	ihl := int(ip[0]&0x0f) * 4
	if ip[0]>>4 != 4 || ihl < 20 || len(ip) < ihl+8 || ip[9] != unix.IPPROTO_ICMP {
		return Reply{}, false
	}
	if src := netip.AddrFrom4([4]byte(ip[12:16])); src != p.vip {
		return Reply{}, false
	}
	icmp := ip[ihl:]
	if icmp[0] != 0 || binary.BigEndian.Uint16(icmp[4:6]) != p.id {
		return Reply{}, false
	}
	return Reply{At: f.at, MAC: net.HardwareAddr(append([]byte(nil), b[6:12]...)), Seq: binary.BigEndian.Uint16(icmp[6:8])}, true
}

// echoRequest writes an ICMP echo request (8 bytes of header, 8 of data)
// into msg.
func echoRequest(msg []byte, id, seq uint16) {
	clear(msg)
	msg[0] = 8 // echo request
	binary.BigEndian.PutUint16(msg[4:6], id)
	binary.BigEndian.PutUint16(msg[6:8], seq)
	copy(msg[8:], "vrrpbnch")
	binary.BigEndian.PutUint16(msg[2:4], checksum(msg))
}

// checksum is the Internet checksum (RFC 1071) of b.
func checksum(b []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(b[i:]))
	}
	if len(b)%2 == 1 {
		sum += uint32(b[len(b)-1]) << 8
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}
