//go:build linux

package probe

import (
	"encoding/binary"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// vrrpProto is the IP protocol number of VRRP.
const vrrpProto = 112

// Advert is one VRRP advertisement as it entered the switch.
type Advert struct {
	// At is the kernel's receive time on the switch port.
	At time.Time
	// Port is the ifindex of the switch port it entered by, which names
	// the sending node.
	Port int
	// Src is the IP source.
	Src netip.Addr
	// Version, VRID and Priority are from the VRRP header.
	Version, VRID, Priority uint8
}

// Sniffer records every VRRP advertisement entering the bridge through
// one of the given switch ports.
type Sniffer struct {
	ports map[int]bool
	cap   *capture
	log   eventLog[Advert]
	stop  chan struct{}
	wg    sync.WaitGroup

	closeOnce sync.Once
	closeErr  error
}

// NewSniffer opens the socket in the calling thread's namespace (call it
// inside lab.NS.Do of the switch). It listens on every interface of the
// switch namespace and keeps the frames received on the listed ports, so
// each advert is seen once, as it enters the bridge.
func NewSniffer(ports []int) (*Sniffer, error) {
	c, err := openCapture(0)
	if err != nil {
		return nil, err
	}
	s := &Sniffer{ports: map[int]bool{}, cap: c}
	for _, p := range ports {
		s.ports[p] = true
	}
	return s, nil
}

// Start begins recording; Close ends it.
func (s *Sniffer) Start() {
	s.stop = make(chan struct{})
	s.wg.Add(1)
	go s.readLoop()
}

// Close stops recording and closes the socket. It is idempotent.
func (s *Sniffer) Close() error {
	s.closeOnce.Do(func() {
		if s.stop != nil {
			close(s.stop)
			s.wg.Wait()
		}
		s.closeErr = s.cap.close()
	})
	return s.closeErr
}

// Reset forgets every advert recorded so far.
func (s *Sniffer) Reset() { s.log.reset() }

// Adverts returns the adverts recorded since the last Reset.
func (s *Sniffer) Adverts() []Advert { return s.log.snapshot() }

// WaitAdvert waits, until deadline, for the first advert received after
// `after` that satisfies match.
func (s *Sniffer) WaitAdvert(after, deadline time.Time, match func(Advert) bool) (Advert, bool) {
	return waitFor(&s.log, deadline, func(a Advert) bool { return a.At.After(after) && match(a) })
}

func (s *Sniffer) readLoop() {
	defer s.wg.Done()
	buf := make([]byte, 2048)
	for {
		select {
		case <-s.stop:
			return
		default:
		}
		f, err := s.cap.next(buf)
		if err != nil || f.pkttype == unix.PACKET_OUTGOING || !s.ports[f.ifindex] {
			continue
		}
		if a, ok := parseAdvert(f); ok {
			s.log.add(a)
		}
	}
}

// parseAdvert recognises a VRRP packet in an Ethernet frame.
func parseAdvert(f frame) (Advert, bool) {
	b := f.data
	if len(b) < 14+20+8 || binary.BigEndian.Uint16(b[12:14]) != unix.ETH_P_IP {
		return Advert{}, false
	}
	ip := b[14:]
	ihl := int(ip[0]&0x0f) * 4
	if ip[0]>>4 != 4 || ihl < 20 || len(ip) < ihl+8 || ip[9] != vrrpProto {
		return Advert{}, false
	}
	v := ip[ihl:]
	return Advert{
		At: f.at, Port: f.ifindex,
		Src:     netip.AddrFrom4([4]byte(ip[12:16])),
		Version: v[0] >> 4, VRID: v[1], Priority: v[2],
	}, true
}
