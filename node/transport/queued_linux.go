package transport

import (
	"fmt"
	"net"
	"syscall"

	"golang.org/x/sys/unix"
)

// Queued reports whether a datagram waits in the socket's receive queue,
// not yet read by Receive (SIOCINQ, which leaves it there).
func (c *v4Conn) Queued() (bool, error) { return queued(c.raw) }

// Queued reports whether a datagram waits in the socket's receive queue,
// not yet read by Receive (SIOCINQ, which leaves it there).
func (c *v6Conn) Queued() (bool, error) { return queued(c.raw) }

func queued(pc net.PacketConn) (bool, error) {
	sc, ok := pc.(syscall.Conn)
	if !ok {
		return false, fmt.Errorf("%T has no file descriptor", pc)
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false, err
	}
	var n int
	var ierr error
	if err := rc.Control(func(fd uintptr) { n, ierr = unix.IoctlGetInt(int(fd), unix.SIOCINQ) }); err != nil {
		return false, err
	}
	return n > 0, ierr
}
