package sim_test

import (
	"net/netip"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/node/vrrp/fsm"
	"github.com/failoverkit/ipfailover/node/vrrp/packet"
	"github.com/failoverkit/ipfailover/node/vrrp/sim"
)

// TestElection: three routers start together; the highest priority's
// master-down timer runs out first, it becomes master at exactly that
// moment, and its first advert stops the others' timers.
func TestElection(t *testing.T) {
	for _, tc := range []struct {
		name     string
		version  int
		interval time.Duration
	}{
		{"VRRPv2 1s", 2, time.Second},
		{"VRRPv3 1s", 3, time.Second},
		{"VRRPv3 100ms", 3, 100 * time.Millisecond},
		{"VRRPv3 10ms", 3, 10 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var opts []option
			if tc.version == 3 {
				opts = append(opts, v3(tc.interval))
			}
			n := sim.NewNetwork(latency / 10) // below the 10 ms interval's skew gaps
			a := addNode(t, n, "a", "192.0.2.11", 100, opts...)
			b := addNode(t, n, "b", "192.0.2.12", 150, opts...)
			c := addNode(t, n, "c", "192.0.2.13", 200, opts...)
			for _, nd := range []*sim.Node{a, b, c} {
				nd.Start()
			}
			end := 40 * tc.interval
			n.Run(end)

			want := masterDown(tc.version, 200, tc.interval)
			at, reason, ok := c.BecameMaster(0)
			if !ok || at != want || reason != fsm.ReasonMasterDown {
				t.Fatalf("c became master at %v (%v, %v), want %v by master-down", at, reason, ok, want)
			}
			neverMaster(t, a)
			neverMaster(t, b)
			requireSoleMaster(t, n, "c", want, end)
			if !c.HasVIPs || c.Announces != 1 || a.HasVIPs || b.HasVIPs {
				t.Errorf("VIPs a=%v b=%v c=%v, announces %d", a.HasVIPs, b.HasVIPs, c.HasVIPs, c.Announces)
			}
			// c advertises every interval from its takeover.
			if got, wantN := len(c.Sent), int((end-want)/tc.interval)+1; got != wantN {
				t.Errorf("c sent %d adverts, want %d", got, wantN)
			}
			requireClean(t, n)
		})
	}
}

// TestOwnerStartsAsMaster: priority 255 does not wait for master-down.
func TestOwnerStartsAsMaster(t *testing.T) {
	n := sim.NewNetwork(latency)
	a := addNode(t, n, "a", "192.0.2.11", 200)
	o := addNode(t, n, "owner", "192.0.2.1", 255)
	a.Start()
	n.Run(10 * time.Second)
	o.Start()
	n.Run(20 * time.Second)
	at, reason, ok := o.BecameMaster(0)
	if !ok || at != 10*time.Second || reason != fsm.ReasonAddressOwner {
		t.Fatalf("owner became master at %v (%v, %v), want 10s at startup", at, reason, ok)
	}
	requireSoleMaster(t, n, "owner", 10*time.Second+latency, 20*time.Second)
	requireClean(t, n)
}

// TestEqualPriorityTieBreak: two routers of equal priority start together,
// both time out at once and both become master; on hearing each other the
// one with the smaller primary address, compared as unsigned octets, backs
// off.
func TestEqualPriorityTieBreak(t *testing.T) {
	for _, tc := range []struct {
		name       string
		addrA      string
		addrB      string
		winner     string
		version    int
		interval   time.Duration
		priorities uint8
	}{
		{"v2 .12 beats .11", "192.0.2.11", "192.0.2.12", "b", 2, time.Second, 100},
		{"v2 192.0.2.1 beats 10.0.0.200 (unsigned)", "192.0.2.1", "10.0.0.200", "a", 2, time.Second, 100},
		{"v3 owners, greater address wins", "192.0.2.9", "192.0.2.129", "b", 3, time.Second, 255},
		{"v3 100ms", "192.0.2.200", "192.0.2.100", "a", 3, 100 * time.Millisecond, 42},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var opts []option
			if tc.version == 3 {
				opts = append(opts, v3(tc.interval))
			}
			n := sim.NewNetwork(latency)
			a := addNode(t, n, "a", tc.addrA, tc.priorities, opts...)
			b := addNode(t, n, "b", tc.addrB, tc.priorities, opts...)
			a.Start()
			b.Start()
			end := 30 * tc.interval
			n.Run(end)

			loser := a
			if tc.winner == "a" {
				loser = b
			}
			// Both became master at the same instant (same priority, same
			// timers; owners at startup)...
			ta, _, okA := a.BecameMaster(0)
			tb, _, okB := b.BecameMaster(0)
			if !okA || !okB || ta != tb {
				t.Fatalf("a master at %v (%v), b at %v (%v): want both at once", ta, okA, tb, okB)
			}
			// ...and the loser stepped down one latency later, for losing
			// the tie-break.
			last := loser.History[len(loser.History)-1]
			if last.To != fsm.Backup || last.Reason != fsm.ReasonLostTieBreak || last.At != ta+latency {
				t.Errorf("%s last transition %+v, want Backup by tie-break at %v", loser.Name, last, ta+latency)
			}
			requireSoleMaster(t, n, tc.winner, ta+latency, end)
			requireClean(t, n)
		})
	}
}

// TestLoopbackOwnAdvertsIgnored: with multicast loop on, a router hears its
// own adverts; validation drops them and it stays master alone.
func TestLoopbackOwnAdvertsIgnored(t *testing.T) {
	n := sim.NewNetwork(latency)
	n.Loopback = true
	a := addNode(t, n, "a", "192.0.2.11", 100)
	a.Start()
	n.Run(30 * time.Second)
	if a.State() != fsm.Master || len(a.History) != 2 {
		t.Fatalf("state %v, history %+v", a.State(), a.History)
	}
	if a.Discards[packet.ReasonOwnAdvert] != len(a.Sent) {
		t.Errorf("own adverts discarded %d, sent %d", a.Discards[packet.ReasonOwnAdvert], len(a.Sent))
	}
	requireClean(t, n)
}

// TestChecksumFormsInteroperate: a VRRPv3 router sending the RFC 9568
// message-only checksum and one sending keepalived's pseudo-header form
// accept each other, and each counts the form it received.
func TestChecksumFormsInteroperate(t *testing.T) {
	n := sim.NewNetwork(latency)
	a := addNode(t, n, "a", "192.0.2.11", 200, v3(time.Second), func(c *sim.NodeConfig) { c.V3IPv4MessageOnly = true })
	b := addNode(t, n, "b", "192.0.2.12", 100, v3(time.Second))
	a.Start()
	b.Start()
	n.Run(20 * time.Second)
	requireSoleMaster(t, n, "a", masterDown(3, 200, time.Second), 20*time.Second)
	if b.Checksums[packet.ChecksumMessage] == 0 || len(b.Discards) != 0 {
		t.Errorf("b accepted %v, discarded %v", b.Checksums, b.Discards)
	}
	// b was never master, so a heard nothing; make b master to check the
	// other direction.
	a.Stop()
	n.Run(40 * time.Second)
	a.Start()
	n.Run(60 * time.Second)
	if a.Checksums[packet.ChecksumPseudoHeader] == 0 || len(a.Discards) != 0 {
		t.Errorf("a accepted %v, discarded %v", a.Checksums, a.Discards)
	}
	requireSoleMaster(t, n, "a", 60*time.Second, 60*time.Second)
	requireClean(t, n)
}

// TestOtherVRIDsIgnored: two groups share the segment and do not disturb
// each other.
func TestOtherVRIDsIgnored(t *testing.T) {
	n := sim.NewNetwork(latency)
	a1 := addNode(t, n, "a51", "192.0.2.11", 200)
	b1 := addNode(t, n, "b51", "192.0.2.12", 100)
	a2 := addNode(t, n, "a52", "192.0.2.11", 100, vrid(52), func(c *sim.NodeConfig) { c.VIPs = []netip.Addr{netip.MustParseAddr("192.0.2.201")} })
	b2 := addNode(t, n, "b52", "192.0.2.12", 200, vrid(52), func(c *sim.NodeConfig) { c.VIPs = []netip.Addr{netip.MustParseAddr("192.0.2.201")} })
	for _, nd := range []*sim.Node{a1, b1, a2, b2} {
		nd.Start()
	}
	n.Run(20 * time.Second)
	if a1.State() != fsm.Master || b2.State() != fsm.Master || b1.State() != fsm.Backup || a2.State() != fsm.Backup {
		t.Errorf("states a51 %v b51 %v a52 %v b52 %v", a1.State(), b1.State(), a2.State(), b2.State())
	}
	if b1.Discards[packet.ReasonUnknownVRID] == 0 || a2.Discards[packet.ReasonUnknownVRID] == 0 {
		t.Errorf("cross-VRID adverts not discarded as unknown VRID: %v %v", b1.Discards, a2.Discards)
	}
	requireClean(t, n)
}
