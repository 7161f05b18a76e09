package priority

import (
	"net/netip"
	"testing"

	"github.com/failoverkit/ipfailover/contract"
)

func TestRotationSpreadsAndNeverTies(t *testing.T) {
	for r := 1; r <= contract.MaxReplicas; r++ {
		wins := make([]int, r)
		for k := 1; k <= 254; k++ {
			seen := map[uint8]int{}
			best, bestSlot := -1, -1
			for s := 0; s < r; s++ {
				p := For(Slot{Index: s, Replicas: r}, k)
				if p < 10 || p > Top {
					t.Fatalf("R=%d k=%d slot %d: priority %d outside 10..%d", r, k, s, p, Top)
				}
				if other, dup := seen[p]; dup {
					t.Fatalf("R=%d k=%d: slots %d and %d share priority %d", r, k, other, s, p)
				}
				seen[p] = s
				if int(p) > best {
					best, bestSlot = int(p), s
				}
			}
			if want := (k - 1) % r; bestSlot != want {
				t.Fatalf("R=%d k=%d: slot %d wins, want %d", r, k, bestSlot, want)
			}
			wins[bestSlot]++
		}
		for s := 0; s < r && r <= 254; s++ {
			if lo, hi := 254/r, (254+r-1)/r; wins[s] < lo || wins[s] > hi {
				t.Fatalf("R=%d: slot %d masters %d of 254 groups, want %d..%d", r, s, wins[s], lo, hi)
			}
		}
	}
}

func TestBackupOrderIsStable(t *testing.T) {
	// Three replicas: each group's first backup is the slot before its
	// preferred one. Group 1 prefers slot 0, then 2, then 1; group 2 prefers 1, 0, 2.
	s := func(i int) Slot { return Slot{Index: i, Replicas: 3} }
	if !(For(s(0), 1) > For(s(2), 1) && For(s(2), 1) > For(s(1), 1)) {
		t.Errorf("group 1 order: %d %d %d", For(s(0), 1), For(s(1), 1), For(s(2), 1))
	}
	if !(For(s(1), 2) == Top && For(s(0), 2) > For(s(2), 2)) {
		t.Errorf("group 2: %d %d %d", For(s(0), 2), For(s(1), 2), For(s(2), 2))
	}
}

func TestSlotOf(t *testing.T) {
	a := netip.MustParseAddr
	cfg := contract.ImageDefaults()
	cfg.ReplicaCount = 3
	tests := []struct {
		name  string
		nodes []string
		peers []netip.Addr
		node  string
		self  []netip.Addr
		want  Slot
	}{
		{"node list", []string{"n-a", "n-b", "n-c"}, nil, "n-c", []netip.Addr{a("192.0.2.11")}, Slot{2, 3, BasisNodes}},
		{"node not in list falls to address", []string{"n-a"}, nil, "n-x", []netip.Addr{a("192.0.2.13")}, Slot{1, 3, BasisAddress}},
		{"peers", nil, []netip.Addr{a("192.0.2.11"), a("192.0.2.12"), a("192.0.2.13")}, "", []netip.Addr{a("192.0.2.12")}, Slot{1, 3, BasisPeers}},
		{"address", nil, nil, "", []netip.Addr{a("192.0.2.12")}, Slot{0, 3, BasisAddress}},
		{"IPv6 only", nil, nil, "", []netip.Addr{a("fe80::5")}, Slot{2, 3, BasisAddress}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cfg
			c.Nodes, c.UnicastPeers = tt.nodes, tt.peers
			got, err := SlotOf(c, tt.node, tt.self)
			if err != nil || got != tt.want {
				t.Fatalf("SlotOf = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
	if _, err := SlotOf(cfg, "", nil); err == nil {
		t.Error("no basis accepted")
	}
}
