package sim_test

import (
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/node/vrrp/fsm"
	"github.com/failoverkit/ipfailover/node/vrrp/packet"
	"github.com/failoverkit/ipfailover/node/vrrp/sim"
)

// latency is the one-way wire delay in every scenario.
const latency = time.Millisecond

var vip = netip.MustParseAddr("192.0.2.200")

// option edits a node's configuration.
type option func(*sim.NodeConfig)

func v3(interval time.Duration) option {
	return func(c *sim.NodeConfig) {
		c.FSM.Version, c.FSM.AdvertInterval = 3, interval
		c.AuthType, c.Password = packet.AuthNone, ""
	}
}

func preemptDelay(d time.Duration) option { return func(c *sim.NodeConfig) { c.FSM.PreemptDelay = d } }
func noPreempt(c *sim.NodeConfig)         { c.FSM.Preempt = false }
func vrid(id uint8) option                { return func(c *sim.NodeConfig) { c.FSM.VRID = id } }

// addNode adds an ipfailover-style node: VRRPv2, 1 s adverts, PASS with the
// first 8 octets of the config name, VRID 51, preempt without delay.
func addNode(t *testing.T, n *sim.Network, name, addr string, prio uint8, opts ...option) *sim.Node {
	t.Helper()
	cfg := sim.NodeConfig{
		Name: name,
		FSM: fsm.Config{
			VRID: 51, Priority: prio, Version: 2, AdvertInterval: time.Second,
			Preempt: true, Primary: netip.MustParseAddr(addr),
		},
		AuthType: packet.AuthSimple,
		Password: "ipfailover",
		VIPs:     []netip.Addr{vip},
	}
	for _, o := range opts {
		o(&cfg)
	}
	nd, err := n.AddNode(cfg)
	if err != nil {
		t.Fatalf("AddNode(%s): %v", name, err)
	}
	return nd
}

// skew and masterDown are RFC 3768/9568 §6.1 written out independently of
// package fsm: VRRPv2 skew is (256-prio)/256 s, VRRPv3 skew scales with the
// interval; master-down adds three intervals.
func skew(version int, prio uint8, interval time.Duration) time.Duration {
	if version == 2 {
		return time.Duration(256-int(prio)) * time.Second / 256
	}
	return time.Duration(256-int(prio)) * interval / 256
}

func masterDown(version int, prio uint8, interval time.Duration) time.Duration {
	return 3*interval + skew(version, prio, interval)
}

// requireClean fails on any invariant the network recorded as broken.
func requireClean(t *testing.T, n *sim.Network) {
	t.Helper()
	for _, v := range n.Violations {
		t.Error("violation:", v)
	}
}

// requireSoleMaster fails unless name was the only master throughout
// [from, to].
func requireSoleMaster(t *testing.T, n *sim.Network, name string, from, to time.Duration) {
	t.Helper()
	sets := n.MastersDuring(from, to)
	if len(sets) == 0 {
		t.Errorf("no master history during [%v, %v]", from, to)
	}
	for _, set := range sets {
		if !slices.Equal(set, []string{name}) {
			t.Errorf("masters %v during [%v, %v], want only %s (spans %v)", set, from, to, name, n.MasterSpans())
			return
		}
	}
}

// neverMaster fails if nd was ever Master.
func neverMaster(t *testing.T, nd *sim.Node) {
	t.Helper()
	if at, _, ok := nd.BecameMaster(0); ok {
		t.Errorf("%s became master at %v", nd.Name, at)
	}
}
