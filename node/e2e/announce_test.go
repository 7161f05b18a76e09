//go:build linux

package e2e

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/failoverkit/ipfailover/internal/nstest"
)

// seedNeighbour makes the client resolve vip (it pings it) and checks that
// its neighbour entry points at the current master n.
func (c *cluster) seedNeighbour(vip netip.Addr, n *node) {
	c.t.Helper()
	if err := c.client.Ping(vip, 5*time.Second); err != nil {
		c.t.Fatalf("client cannot reach %s: %v", vip, err)
	}
	c.waitNeighbour(vip, n)
}

// waitNeighbour waits, within the VRRP bound, until the client's
// neighbour entry for vip carries n's MAC. The client sends nothing
// meanwhile, so only an announcement (gratuitous ARP or unsolicited NA)
// from n can change the entry.
func (c *cluster) waitNeighbour(vip netip.Addr, n *node) {
	c.t.Helper()
	want := n.MAC.String()
	nstest.WaitFor(c.t, c.bound(), fmt.Sprintf("client's neighbour entry for %s to point at %s (%s)", vip, n.HostName, want), func() error {
		got, err := neighMAC(c.client, vip)
		if err != nil {
			return err
		}
		if got != want {
			return fmt.Errorf("entry has %q", got)
		}
		return nil
	})
}
