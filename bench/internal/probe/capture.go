//go:build linux

package probe

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

// htons converts a protocol number to network byte order, as AF_PACKET
// wants it.
func htons(v uint16) uint16 { return v<<8 | v>>8 }

// readTimeout bounds every blocking read, so readers notice Close.
const readTimeout = 100 * time.Millisecond

// errTimeout is returned by next when no frame arrived within readTimeout.
var errTimeout = errors.New("no frame within the read timeout")

// capture is an AF_PACKET socket receiving IPv4 frames with the kernel's
// receive timestamps (SO_TIMESTAMPNS, CLOCK_REALTIME, the clock time.Now
// reads), so a frame's time does not depend on when the reader goroutine
// got scheduled.
type capture struct {
	fd  int
	oob []byte
}

// frame is one captured frame; data aliases the caller's buffer.
type frame struct {
	at      time.Time
	ifindex int
	pkttype uint8
	data    []byte
}

// openCapture opens the socket in the calling thread's namespace, bound to
// ifindex (0: every interface of the namespace). It receives every
// protocol (ETH_P_ALL): only such taps see the frames a bridge port
// receives, because the bridge consumes them before protocol handlers
// run.
func openCapture(ifindex int) (*capture, error) {
	proto := htons(unix.ETH_P_ALL)
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, int(proto))
	if err != nil {
		return nil, fmt.Errorf("opening an AF_PACKET socket: %w", err)
	}
	c := &capture{fd: fd, oob: make([]byte, unix.CmsgSpace(16))}
	steps := []struct {
		what string
		do   func() error
	}{
		{"binding", func() error {
			return unix.Bind(fd, &unix.SockaddrLinklayer{Protocol: proto, Ifindex: ifindex})
		}},
		{"SO_TIMESTAMPNS", func() error { return unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1) }},
		{"SO_RCVTIMEO", func() error {
			tv := unix.NsecToTimeval(readTimeout.Nanoseconds())
			return unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv)
		}},
		{"SO_RCVBUF", func() error { return unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, 4<<20) }},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			unix.Close(fd)
			return nil, fmt.Errorf("AF_PACKET socket: %s: %w", s.what, err)
		}
	}
	return c, nil
}

// next reads one frame into buf. It returns errTimeout when nothing
// arrived within readTimeout.
func (c *capture) next(buf []byte) (frame, error) {
	n, oobn, _, from, err := unix.Recvmsg(c.fd, buf, c.oob, 0)
	if err != nil {
		if errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EINTR) {
			return frame{}, errTimeout
		}
		return frame{}, fmt.Errorf("reading from the AF_PACKET socket: %w", err)
	}
	f := frame{data: buf[:n], at: time.Now()}
	if ll, ok := from.(*unix.SockaddrLinklayer); ok {
		f.ifindex, f.pkttype = ll.Ifindex, ll.Pkttype
	}
	if msgs, err := unix.ParseSocketControlMessage(c.oob[:oobn]); err == nil {
		for _, m := range msgs {
			if m.Header.Level == unix.SOL_SOCKET && m.Header.Type == unix.SO_TIMESTAMPNS && len(m.Data) >= 16 {
				// struct timespec: two native 64-bit words on 64-bit Linux.
				sec := int64(binary.NativeEndian.Uint64(m.Data[0:8]))
				nsec := int64(binary.NativeEndian.Uint64(m.Data[8:16]))
				f.at = time.Unix(sec, nsec)
			}
		}
	}
	return f, nil
}

func (c *capture) close() error { return unix.Close(c.fd) }
