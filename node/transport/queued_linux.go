package transport

import (
	"fmt"
	"net"
	"syscall"

	"golang.org/x/sys/unix"
)

// Queued reports whether a datagram waits in the socket's receive queue,
// not yet read by Receive (SIOCINQ, which leaves it there).
func (c *v4Conn) Queued() (bool, error) { return queued(c.rc) }

// Queued reports whether a datagram waits in the socket's receive queue,
// not yet read by Receive (SIOCINQ, which leaves it there).
func (c *v6Conn) Queued() (bool, error) { return queued(c.rc) }

// rawConn is the descriptor of a socket opened by net.ListenConfig, for
// the recvmsg and ioctl calls x/net does not make (Receive, queued).
func rawConn(pc net.PacketConn) (syscall.RawConn, error) {
	sc, ok := pc.(syscall.Conn)
	if !ok {
		return nil, fmt.Errorf("%T has no raw descriptor", pc)
	}
	return sc.SyscallConn()
}

func queued(rc syscall.RawConn) (bool, error) {
	var n int
	var ierr error
	if err := rc.Control(func(fd uintptr) { n, ierr = unix.IoctlGetInt(int(fd), unix.SIOCINQ) }); err != nil {
		return false, err
	}
	return n > 0, ierr
}
