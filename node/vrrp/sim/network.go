package sim

import (
	"fmt"
	"slices"
	"time"

	"github.com/failoverkit/ipfailover/node/vrrp/fsm"
)

// Network is a shared L2 segment: every advert a node sends reaches every
// other running node it is not partitioned from, Latency later.
type Network struct {
	// Latency is the one-way delivery delay of every advert.
	Latency time.Duration
	// Loopback also delivers a node's adverts to itself, as Linux does with
	// IP_MULTICAST_LOOP on; packet.Validate must drop them.
	Loopback bool

	sched   Scheduler
	nodes   []*Node
	side    map[*Node]int // partition side; nodes on different sides do not hear each other
	masters []MasterSpan
	// Violations lists broken invariants (see Node); tests require none.
	Violations []string
}

// MasterSpan says which running nodes were Master from At until the next
// span began.
type MasterSpan struct {
	At      time.Duration
	Masters []string
}

// NewNetwork returns an empty network with the given latency.
func NewNetwork(latency time.Duration) *Network {
	n := &Network{Latency: latency, side: map[*Node]int{}}
	n.sched.after = n.observe
	return n
}

// Now returns the virtual time.
func (n *Network) Now() time.Duration { return n.sched.Now() }

// At schedules fn at virtual time t (to script a scenario).
func (n *Network) At(t time.Duration, fn func()) { n.sched.At(t, fn) }

// Run advances virtual time to until, running everything due.
func (n *Network) Run(until time.Duration) { n.sched.Run(until) }

// Partition splits the network: nodes in different groups stop hearing
// each other; nodes in no group form one more group. Adverts already in
// flight are still delivered.
func (n *Network) Partition(groups ...[]*Node) {
	clear(n.side)
	for i, g := range groups {
		for _, nd := range g {
			n.side[nd] = i + 1
		}
	}
}

// Heal removes every partition.
func (n *Network) Heal() { clear(n.side) }

// connected reports whether a can hear b.
func (n *Network) connected(a, b *Node) bool { return n.side[a] == n.side[b] }

// Masters returns the names of the running nodes now in Master.
func (n *Network) Masters() []string {
	var names []string
	for _, nd := range n.nodes {
		if nd.running && nd.m.State() == fsm.Master {
			names = append(names, nd.Name)
		}
	}
	return names
}

// MasterSpans returns the history of who was Master, one span per change.
func (n *Network) MasterSpans() []MasterSpan { return slices.Clone(n.masters) }

// MastersDuring returns the set of masters of every span that overlaps the
// closed interval [from, to]: the span current at from and every span that
// began after it, up to and including to.
func (n *Network) MastersDuring(from, to time.Duration) [][]string {
	var sets [][]string
	for i, s := range n.masters {
		end := time.Duration(1<<63 - 1)
		if i+1 < len(n.masters) {
			end = n.masters[i+1].At
		}
		if s.At <= to && end > from {
			sets = append(sets, s.Masters)
		}
	}
	return sets
}

// observe runs after every scheduler callback.
func (n *Network) observe() {
	m := n.Masters()
	if k := len(n.masters); k == 0 || !slices.Equal(n.masters[k-1].Masters, m) {
		n.masters = append(n.masters, MasterSpan{At: n.Now(), Masters: m})
	}
}

func (n *Network) violate(format string, args ...any) {
	n.Violations = append(n.Violations, fmt.Sprintf("%v: ", n.Now())+fmt.Sprintf(format, args...))
}
