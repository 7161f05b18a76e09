//go:build linux

package lab

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"

	"github.com/vishvananda/netns"
)

// Handle returns the namespace's handle; it stays owned by the lab.
func (n *NS) Handle() netns.NsHandle { return n.h }

// ServeTCP listens on addr:port inside the namespace and accepts and
// closes every connection: the service the image's health check ("bash -c
// '</dev/tcp/<node>/<port>'", or our agent's TCP connect) finds up. The
// listener is closed by the cleanups.
func (n *NS) ServeTCP(cl *Cleanups, addr netip.Addr, port int) error {
	var ln net.Listener
	err := n.Do(func() error {
		var err error
		ln, err = net.Listen("tcp", net.JoinHostPort(addr.String(), strconv.Itoa(port)))
		return err
	})
	if err != nil {
		return fmt.Errorf("listening on %s:%d in %s: %w", addr, port, n.Name, err)
	}
	cl.Add(fmt.Sprintf("close the listener %s:%d in %s", addr, port, n.Name), ln.Close)
	go func() {
		for {
			c, err := ln.Accept()
			if errors.Is(err, net.ErrClosed) {
				return
			}
			if err == nil {
				c.Close()
			}
		}
	}()
	return nil
}
