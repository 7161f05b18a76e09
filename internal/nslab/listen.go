//go:build linux

package nslab

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
)

// ServeTCP listens on addr:port inside the namespace and accepts and
// closes every connection: a service a TCP health check finds up. The
// listener is closed by cl.
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
