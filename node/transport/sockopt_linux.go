package transport

import (
	"fmt"
	"syscall"

	"golang.org/x/sys/unix"
)

// control returns a net.ListenConfig Control function that binds the raw
// socket to the interface before use and, for IPv4, turns IP_MULTICAST_ALL
// off, so the socket only sees groups joined on this socket and interface,
// and asks for kernel receive timestamps (rxtime_linux.go).
func control(ifname string, ipv4 bool) func(network, address string, c syscall.RawConn) error {
	return func(network, address string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) {
			if serr = unix.SetsockoptString(int(fd), unix.SOL_SOCKET, unix.SO_BINDTODEVICE, ifname); serr != nil {
				serr = fmt.Errorf("binding to device %s: %w", ifname, serr)
				return
			}
			if serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1); serr != nil {
				serr = fmt.Errorf("asking for receive timestamps (SO_TIMESTAMPNS): %w", serr)
				return
			}
			if ipv4 {
				if serr = unix.SetsockoptInt(int(fd), unix.IPPROTO_IP, unix.IP_MULTICAST_ALL, 0); serr != nil {
					serr = fmt.Errorf("turning IP_MULTICAST_ALL off: %w", serr)
				}
			} else {
				if serr = unix.SetsockoptInt(int(fd), unix.IPPROTO_IPV6, unix.IPV6_MULTICAST_ALL, 0); serr != nil {
					serr = fmt.Errorf("turning IPV6_MULTICAST_ALL off: %w", serr)
				}
			}
		})
		if err != nil {
			return err
		}
		return serr
	}
}
