package sim_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/node/vrrp/sim"
)

func healActions(c *sim.NodeConfig) { c.FSM.HealActions = true }

// TestHealDecidedByMachine: two masters meet when a partition heals. With
// HealActions the machine, not the driver, decides what each does: the one
// that outranks the other (higher priority, or equal priority and a greater
// address) announces its VIPs again, the other steps down and sends one
// advert at its own priority. Whichever advert crosses the healed link
// first, the winner ends up announcing again within one advert interval
// (plus the wire latency) of the heal, and stays the only master.
func TestHealDecidedByMachine(t *testing.T) {
	for _, tc := range []struct {
		name              string
		winAddr, loseAddr string
		winPrio, losePrio uint8
	}{
		{"higher priority", "192.0.2.11", "192.0.2.12", 200, 100},
		{"equal priority, greater address", "192.0.2.12", "192.0.2.11", 100, 100},
	} {
		for _, version := range []int{2, 3} {
			// Heal at several phases relative to the two masters' adverts.
			for _, phase := range []time.Duration{0, 1 * time.Millisecond, 250 * time.Millisecond, 999 * time.Millisecond} {
				t.Run(fmt.Sprintf("%s v%d heal+%v", tc.name, version, phase), func(t *testing.T) {
					opts := []option{healActions}
					if version == 3 {
						opts = append(opts, v3(time.Second))
					}
					n := sim.NewNetwork(latency)
					win := addNode(t, n, "win", tc.winAddr, tc.winPrio, opts...)
					lose := addNode(t, n, "lose", tc.loseAddr, tc.losePrio, opts...)
					win.Start()
					lose.Start()
					split, heal, end := 10*time.Second, 30*time.Second+phase, 60*time.Second
					n.At(split, func() { n.Partition([]*sim.Node{win}, []*sim.Node{lose}) })
					n.At(heal, n.Heal)
					n.Run(end)

					if during := n.MastersDuring(heal-1, heal-1); len(during) != 1 || len(during[0]) != 2 {
						t.Fatalf("masters just before healing %v, want both", during)
					}
					requireSoleMaster(t, n, "win", heal+time.Second+latency, end)
					again := after(win.AnnouncedAgain, heal)
					if len(again) == 0 || again[0] > heal+time.Second+2*latency {
						t.Errorf("winner announced again at %v after the heal at %v, want within one interval", again, heal)
					}
					if got := after(lose.AnnouncedAgain, 0); len(got) != 0 {
						t.Errorf("the outranked master announced again at %v", got)
					}
					yielded := after(lose.Yielded, heal)
					if len(yielded) != 1 {
						t.Fatalf("loser yielded at %v, want once after the heal", yielded)
					}
					if len(after(win.Yielded, 0)) != 0 {
						t.Errorf("the winner yielded at %v", win.Yielded)
					}
					requireClean(t, n)
				})
			}
		}
	}
}

// after returns the times in ts at or after from.
func after(ts []time.Duration, from time.Duration) []time.Duration {
	var out []time.Duration
	for _, t := range ts {
		if t >= from {
			out = append(out, t)
		}
	}
	return out
}
