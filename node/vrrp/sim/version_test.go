package sim_test

import (
	"slices"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/node/vrrp/fsm"
	"github.com/failoverkit/ipfailover/node/vrrp/packet"
	"github.com/failoverkit/ipfailover/node/vrrp/sim"
)

// TestVersionMismatch covers a VRRPv2 router (as the OpenShift ipfailover
// image runs keepalived) and a VRRPv3 router configured with the same
// VRID on one segment.
//
// VRRP elects one master per consistently configured group. VRRPv2
// routers cannot read VRRPv3, RFC 9568 §7.1 makes a VRRPv3 router discard
// other versions, and the mixed mode of RFC 5798 §8.4.2 is optional and
// not implemented, so a mixed group is a misconfiguration. The documented
// outcome (package packet) is: each router discards the other's adverts
// with packet.ReasonVersionMismatch, distinct from malformed packets, on
// every advert, so the agent can raise it; and, the adverts never reaching
// the state machines, each router elects itself. Once the configuration is
// consistent again there is one master.
func TestVersionMismatch(t *testing.T) {
	n := sim.NewNetwork(latency)
	old := addNode(t, n, "v2", "192.0.2.11", 200)
	neu := addNode(t, n, "v3", "192.0.2.12", 100, v3(time.Second))
	old.Start()
	neu.Start()
	n.Run(30 * time.Second)

	for _, pair := range [][2]*sim.Node{{old, neu}, {neu, old}} {
		rx, tx := pair[0], pair[1]
		// Every advert the other side sent was discarded for the version,
		// and nothing was discarded for another reason.
		sent := len(tx.Sent)
		if got := rx.Discards[packet.ReasonVersionMismatch]; got != sent {
			t.Errorf("%s discarded %d of %s's %d adverts as version mismatch", rx.Name, got, tx.Name, sent)
		}
		if len(rx.Discards) != 1 || len(rx.Checksums) != 0 {
			t.Errorf("%s: discards %v, accepted %v", rx.Name, rx.Discards, rx.Checksums)
		}
		// The machine never saw an advert: its only way to Master was
		// its own master-down timer.
		if at, reason, ok := rx.BecameMaster(0); !ok || reason != fsm.ReasonMasterDown {
			t.Errorf("%s: became master at %v by %v (%v)", rx.Name, at, reason, ok)
		}
	}
	if got := n.Masters(); !slices.Equal(got, []string{"v2", "v3"}) {
		t.Errorf("masters %v, want the documented split [v2 v3]", got)
	}

	// Fix the configuration: the VRRPv3 router is restarted as VRRPv2
	// with the group's password. One master again, the higher priority.
	neu.Stop()
	fixed := addNode(t, n, "v3-as-v2", "192.0.2.12", 100)
	n.At(40*time.Second, fixed.Start)
	n.Run(80 * time.Second)
	requireSoleMaster(t, n, "v2", 40*time.Second, 80*time.Second)
	if fixed.Discards[packet.ReasonVersionMismatch] != 0 || fixed.Checksums[packet.ChecksumMessage] == 0 {
		t.Errorf("fixed node: discards %v, accepted %v", fixed.Discards, fixed.Checksums)
	}
	requireClean(t, n)
}

// TestConsistentVersionsShareSegment: a VRRPv2 group and a VRRPv3 group with
// different VRIDs on the same segment each elect exactly one master.
func TestConsistentVersionsShareSegment(t *testing.T) {
	n := sim.NewNetwork(latency)
	a2 := addNode(t, n, "a2", "192.0.2.11", 200)
	b2 := addNode(t, n, "b2", "192.0.2.12", 100)
	a3 := addNode(t, n, "a3", "192.0.2.11", 100, v3(time.Second), vrid(61))
	b3 := addNode(t, n, "b3", "192.0.2.12", 200, v3(time.Second), vrid(61))
	for _, nd := range []*sim.Node{a2, b2, a3, b3} {
		nd.Start()
	}
	n.Run(30 * time.Second)
	if got := n.Masters(); !slices.Equal(got, []string{"a2", "b3"}) {
		t.Errorf("masters %v, want a2 for VRID 51 and b3 for VRID 61", got)
	}
	for _, nd := range []*sim.Node{a2, b2, a3, b3} {
		if nd.Discards[packet.ReasonVersionMismatch] != 0 {
			t.Errorf("%s: version mismatch discards with distinct VRIDs", nd.Name)
		}
	}
	requireClean(t, n)
}
