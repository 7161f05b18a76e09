//go:build linux

package e2e

import (
	"slices"
	"testing"
	"time"
)

// TestElectionOneMasterPerGroup starts three agents on one bridge with three
// VIPs in three groups and checks, repeatedly over a window, that every
// group has exactly one master, that each VIP is on a node if and only if
// that node is its group's master, and that the master is the node the
// priority rotation (README "Priorities") prefers for the group, with and
// without a node list, and when two nodes share a slot.
func TestElectionOneMasterPerGroup(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		replicas int
		nodes    []string
		// want names the possible masters of groups 1, 2, 3.
		want [3][]string
	}{
		{
			// Slots are positions in OPENSHIFT_HA_NODES: a=0, b=1, c=2;
			// slot s is preferred for group s+1.
			name: "node list", replicas: 3, nodes: []string{"a", "b", "c"},
			want: [3][]string{{"a"}, {"b"}, {"c"}},
		},
		{
			// No node list: slot = last octet mod 3: a(.11)=2, b(.12)=0, c(.13)=1.
			name: "address modulo replicas", replicas: 3,
			want: [3][]string{{"b"}, {"c"}, {"a"}},
		},
		{
			// Replica count 2: a(.11) and c(.13) share slot 1, so both
			// have priority 250 in group 2. A backup accepts a master of
			// equal priority (RFC 9568 §6.4.2), so whichever became master
			// first keeps the group; the address tie-break only settles
			// two simultaneous masters. Either way: exactly one.
			name: "shared slot", replicas: 2,
			want: [3][]string{{"b"}, {"a", "c"}, {"b"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := fastSet(t, "192.0.2.100-102")
			cfg.VIPGroups = 3
			cfg.ReplicaCount = tc.replicas
			cfg.Nodes = tc.nodes
			c := newCluster(t, cfg, "a", "b", "c")
			if len(c.groups) != 3 {
				t.Fatalf("planned %d groups, want 3", len(c.groups))
			}
			c.startAll()
			c.converge(0)
			v := c.hold(2 * time.Second)
			for i, g := range c.groups {
				if m := v.masters(g.VRID); !slices.Contains(tc.want[i], m[0].HostName) {
					t.Errorf("group %d (VRID %d) is mastered by %s, want %s: %v", g.Index, g.VRID, m[0].HostName, tc.want[i], v)
				}
			}
		})
	}
}
