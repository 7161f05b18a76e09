//go:build linux

package e2e

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/internal/nstest"
	"github.com/failoverkit/ipfailover/node/announce"
)

// TestPartitionAndHealLeaveOneMaster cuts the master off the switch (its
// carrier stays up, as when a switch filters it): both sides elect a
// master, each holding the VIP. After the heal, exactly one master per
// group remains within the VRRP bound: of the two masters that meet, the
// one with the higher priority, or on equal priorities the one with the
// higher primary address (RFC 9568 §6.4.3 tie-break), and the client,
// which learned the other side's master meanwhile, is pointed at the
// winner again.
func TestPartitionAndHealLeaveOneMaster(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		// prio pins priorities per node; nil uses the rotation (node list a, b, c).
		prio map[string]string
		// want picks the master after the heal from the two masters that
		// meet: the cut node and the one the other side elected.
		want func(cut, elected *node) *node
	}{
		{
			name: "rotation",
			want: func(cut, elected *node) *node { return cut }, // a, the preferred node
		},
		{
			name: "equal priorities",
			prio: map[string]string{"a": "100", "b": "100", "c": "100"},
			want: func(cut, elected *node) *node {
				if cut.Addr(4).Compare(elected.Addr(4)) > 0 {
					return cut
				}
				return elected
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := fastSet(t, "192.0.2.100")
			cfg.Nodes = []string{"a", "b", "c"}
			c := newCluster(t, cfg, "a", "b", "c")
			vip := netip.MustParseAddr("192.0.2.100")
			vrid := c.group(vip).VRID
			for _, n := range c.nodes {
				if p, ok := tc.prio[n.HostName]; ok {
					n.start("OPENSHIFT_HA_PRIORITY=" + p)
				} else {
					n.start()
				}
			}
			cut := c.converge(0).masters(vrid)[0]
			var rest []*node
			for _, n := range c.nodes {
				if n != cut {
					rest = append(rest, n)
				}
			}

			c.seedNeighbour(vip, cut)
			cut.Cut()
			// The majority side elects its own master; the cut node,
			// hearing nobody, stays master of its side.
			elected := c.converge(0, rest...).masters(vrid)[0]
			c.converge(0, cut)
			c.hold(time.Second, rest...)
			want := tc.want(cut, elected)
			c.waitNeighbour(vip, elected)
			// Let the cut node's own takeover burst end, so that after the
			// heal only a fresh announcement can point the client at it.
			time.Sleep(announce.DefaultRounds * announce.DefaultInterval)

			cut.Restore()
			nstest.WaitFor(t, c.bound(), "one master after the heal", func() error {
				v, err := c.observe()
				if err != nil {
					return err
				}
				if err := c.check(v); err != nil {
					return err
				}
				if m := v.masters(vrid)[0]; m != want {
					return fmt.Errorf("master is %s, want %s: %v", m.HostName, want.HostName, v)
				}
				return nil
			})
			c.waitNeighbour(vip, want)
			c.hold(time.Second)
		})
	}
}
