package sim_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/node/vrrp/sim"
)

// TestPartitionAndHeal: while the segment is split each side elects its own
// master; within one advert interval (plus the wire latency) of healing
// there is exactly one master again, the highest priority, and it stays
// the only one.
func TestPartitionAndHeal(t *testing.T) {
	type split func(a, b, c *sim.Node) [][]*sim.Node
	splits := map[string]split{
		"top alone":  func(a, b, c *sim.Node) [][]*sim.Node { return [][]*sim.Node{{a}, {b, c}} },
		"each alone": func(a, b, c *sim.Node) [][]*sim.Node { return [][]*sim.Node{{a}, {b}, {c}} },
		"low alone":  func(a, b, c *sim.Node) [][]*sim.Node { return [][]*sim.Node{{a, b}, {c}} },
	}
	for _, version := range []int{2, 3} {
		for name, sp := range splits {
			// Heal at several phases relative to the master's adverts.
			for _, phase := range []time.Duration{0, 250 * time.Millisecond, 500 * time.Millisecond, 999 * time.Millisecond} {
				t.Run(fmt.Sprintf("v%d %s heal+%v", version, name, phase), func(t *testing.T) {
					var opts []option
					if version == 3 {
						opts = append(opts, v3(time.Second))
					}
					n := sim.NewNetwork(latency)
					a := addNode(t, n, "a", "192.0.2.11", 200, opts...)
					b := addNode(t, n, "b", "192.0.2.12", 150, opts...)
					c := addNode(t, n, "c", "192.0.2.13", 100, opts...)
					for _, nd := range []*sim.Node{a, b, c} {
						nd.Start()
					}
					split, heal, end := 10*time.Second, 30*time.Second+phase, 90*time.Second
					n.At(split, func() { n.Partition(sp(a, b, c)...) })
					n.At(heal, n.Heal)
					n.Run(end)

					requireSoleMaster(t, n, "a", masterDown(version, 200, time.Second)+latency, split)
					groups := sp(a, b, c)
					if during := n.MastersDuring(heal-1, heal-1); len(during) != 1 || len(during[0]) != len(groups) {
						t.Fatalf("masters just before healing %v, want one per side (%d)", during, len(groups))
					}
					requireSoleMaster(t, n, "a", heal+time.Second+latency, end)
					requireClean(t, n)
				})
			}
		}
	}
}
