package priority

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/failoverkit/ipfailover/contract"
)

// Bounds of the rotation.
const (
	Top    = 250 // the preferred replica's priority
	Spread = 240 // Top minus the lowest priority a backup may get
)

// Basis says where a slot came from.
type Basis string

// Bases of a slot, from the most to the least reliable.
const (
	BasisNodes   Basis = "node list"
	BasisPeers   Basis = "unicast peers"
	BasisAddress Basis = "address modulo replicas"
	BasisPinned  Basis = "pinned priority"
)

// Slot is a replica's place in the rotation.
type Slot struct {
	Index    int // 0..Replicas-1
	Replicas int
	Basis    Basis
}

// SlotOf finds the slot of the node named nodeName whose own addresses are
// self (its primary IPv4 first). Replicas is the node list's length when a
// node list is used, otherwise the configured replica count.
func SlotOf(cfg contract.Config, nodeName string, self []netip.Addr) (Slot, error) {
	if len(cfg.Nodes) > 0 && nodeName != "" {
		if i := slices.Index(cfg.Nodes, nodeName); i >= 0 {
			return Slot{Index: i, Replicas: len(cfg.Nodes), Basis: BasisNodes}, nil
		}
	}
	for i, p := range cfg.UnicastPeers {
		if slices.Contains(self, p) {
			return Slot{Index: i % max(cfg.ReplicaCount, 1), Replicas: max(cfg.ReplicaCount, 1), Basis: BasisPeers}, nil
		}
	}
	r := max(cfg.ReplicaCount, 1)
	for _, a := range self {
		if a.Is4() {
			return Slot{Index: int(a.As4()[3]) % r, Replicas: r, Basis: BasisAddress}, nil
		}
	}
	for _, a := range self {
		if a.Is6() {
			b := a.As16()
			return Slot{Index: int(b[15]) % r, Replicas: r, Basis: BasisAddress}, nil
		}
	}
	return Slot{}, fmt.Errorf("no address to derive this node's priority slot from, and it is not in %s or %s", contract.EnvNodes, contract.EnvUnicastPeers)
}

// For is the priority of the replica in slot s for group index k (1-based).
func For(s Slot, k int) uint8 {
	r := max(s.Replicas, 1)
	d := ((k-1-s.Index)%r + r) % r
	step := max(Spread/r, 1)
	p := Top - d*step
	return uint8(max(p, 1))
}
