package sim

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/failoverkit/ipfailover/node/vrrp/fsm"
	"github.com/failoverkit/ipfailover/node/vrrp/packet"
)

// NodeConfig configures one simulated router.
type NodeConfig struct {
	// Name identifies the node in results.
	Name string
	// FSM is the state machine configuration; FSM.Primary is the node's
	// address on the segment.
	FSM fsm.Config
	// AuthType and Password configure VRRPv2 authentication.
	AuthType packet.AuthType
	Password string
	// VIPs are the group's virtual addresses.
	VIPs []netip.Addr
	// V3IPv4MessageOnly sends RFC 9568 message-only VRRPv3/IPv4 checksums.
	V3IPv4MessageOnly bool
}

// Transition is one state change of a node.
type Transition struct {
	At       time.Duration
	From, To fsm.State
	Reason   fsm.Reason
}

// Sent is one advert a node sent.
type Sent struct {
	At       time.Duration
	Priority uint8
}

// Node is one simulated router: an fsm.Machine driven the way the node
// agent will drive it, with its adverts encoded by packet.Marshal and
// received adverts checked by packet.Validate.
//
// Timers are deliberately leaky: StopTimer and a restart do not cancel the
// scheduled firing, which is still delivered to the machine with its old
// generation. The machine must ignore it; a stale firing that produces
// actions is recorded as a Violation. Another invariant checked after
// every event: the node holds its VIPs exactly while it is Master.
type Node struct {
	Name string

	net     *Network
	cfg     NodeConfig
	m       *fsm.Machine
	group   packet.Group
	armed   map[fsm.TimerKind]uint64 // generation of each running timer
	running bool                     // started and not crashed

	// HasVIPs reports whether the node holds the VIPs.
	HasVIPs bool
	// Announces counts Announce actions.
	Announces int
	// AnnouncedAgain lists the times of AnnounceAgain actions (only with
	// FSM.HealActions).
	AnnouncedAgain []time.Duration
	// Yielded lists the times of YieldNotice actions, whose adverts are
	// also in Sent (only with FSM.HealActions).
	Yielded []time.Duration
	// Sent lists the adverts sent.
	Sent []Sent
	// History lists the state changes.
	History []Transition
	// Discards counts received adverts packet.Validate dropped, by reason.
	Discards map[packet.Reason]int
	// Checksums counts accepted adverts by checksum form.
	Checksums map[packet.ChecksumForm]int
	// StaleTimers counts timer firings delivered with an old generation.
	StaleTimers int
}

// AddNode adds a stopped node to the network.
func (n *Network) AddNode(cfg NodeConfig) (*Node, error) {
	m, err := fsm.New(cfg.FSM)
	if err != nil {
		return nil, fmt.Errorf("node %s: %w", cfg.Name, err)
	}
	nd := &Node{
		Name: cfg.Name,
		net:  n,
		cfg:  cfg,
		m:    m,
		group: packet.Group{
			VRID:     cfg.FSM.VRID,
			Version:  packet.Version(cfg.FSM.Version),
			AuthType: cfg.AuthType,
			AuthData: packet.SimplePassword(cfg.Password),
			Interval: cfg.FSM.AdvertInterval,
			Addrs:    cfg.VIPs,
			Primary:  cfg.FSM.Primary,
		},
		armed:     map[fsm.TimerKind]uint64{},
		Discards:  map[packet.Reason]int{},
		Checksums: map[packet.ChecksumForm]int{},
	}
	n.nodes = append(n.nodes, nd)
	return nd, nil
}

// State returns the node's state.
func (nd *Node) State() fsm.State { return nd.m.State() }

// Running reports whether the node is started and not crashed.
func (nd *Node) Running() bool { return nd.running }

// Start feeds Startup.
func (nd *Node) Start() {
	nd.running = true
	nd.handle(fsm.Startup{})
}

// Stop is a graceful shutdown (SIGTERM): Shutdown is fed, so a master sends
// its priority-0 advert, and then the node stops.
func (nd *Node) Stop() {
	nd.handle(fsm.Shutdown{})
	nd.running = false
}

// Crash stops the node silently: no more adverts, no timers, nothing
// received. Its VIPs are left as they are, as after a kernel panic.
func (nd *Node) Crash() { nd.running = false }

// SetHealthy feeds a health check result.
func (nd *Node) SetHealthy(ok bool) { nd.handle(fsm.CheckResult{OK: ok}) }

// SetPriority feeds a priority change.
func (nd *Node) SetPriority(p uint8) { nd.handle(fsm.PriorityChanged{Priority: p}) }

// BecameMaster returns the time of the node's first transition to Master
// at or after from, and false if there is none.
func (nd *Node) BecameMaster(from time.Duration) (time.Duration, fsm.Reason, bool) {
	for _, tr := range nd.History {
		if tr.At >= from && tr.To == fsm.Master {
			return tr.At, tr.Reason, true
		}
	}
	return 0, fsm.ReasonNone, false
}

// handle feeds ev to the machine and carries out the actions.
func (nd *Node) handle(ev fsm.Event) {
	acts := nd.m.Handle(ev)
	for _, a := range acts {
		nd.do(a)
	}
	if nd.HasVIPs != (nd.m.State() == fsm.Master) {
		nd.net.violate("%s holds VIPs=%v in %v after %T", nd.Name, nd.HasVIPs, nd.m.State(), ev)
	}
}

func (nd *Node) do(a fsm.Action) {
	now := nd.net.Now()
	switch a := a.(type) {
	case fsm.SendAdvert:
		nd.send(a.Priority)
	case fsm.AddVIPs:
		nd.HasVIPs = true
	case fsm.RemoveVIPs:
		nd.HasVIPs = false
	case fsm.Announce:
		if !nd.HasVIPs {
			nd.net.violate("%s announces without VIPs", nd.Name)
		}
		nd.Announces++
	case fsm.AnnounceAgain:
		if !nd.HasVIPs || nd.m.State() != fsm.Master {
			nd.net.violate("%s announces again as %v, VIPs=%v", nd.Name, nd.m.State(), nd.HasVIPs)
		}
		nd.AnnouncedAgain = append(nd.AnnouncedAgain, now)
	case fsm.YieldNotice:
		if nd.HasVIPs || nd.m.State() != fsm.Backup {
			nd.net.violate("%s yields as %v, VIPs=%v", nd.Name, nd.m.State(), nd.HasVIPs)
		}
		nd.Yielded = append(nd.Yielded, now)
		nd.send(a.Priority)
	case fsm.StartTimer:
		nd.armed[a.Timer] = a.Gen
		nd.net.sched.After(a.After, func() { nd.fire(a.Timer, a.Gen) })
	case fsm.StopTimer:
		delete(nd.armed, a.Timer)
	case fsm.StateChanged:
		nd.History = append(nd.History, Transition{At: now, From: a.From, To: a.To, Reason: a.Reason})
	default:
		nd.net.violate("%s: unknown action %T", nd.Name, a)
	}
}

// fire delivers a timer firing, stale or not.
func (nd *Node) fire(kind fsm.TimerKind, gen uint64) {
	if !nd.running {
		return
	}
	if nd.armed[kind] != gen {
		nd.StaleTimers++
		if acts := nd.m.Handle(fsm.TimerFired{Timer: kind, Gen: gen}); len(acts) != 0 {
			nd.net.violate("%s: stale %v timer (gen %d) produced %v", nd.Name, kind, gen, acts)
		}
		return
	}
	delete(nd.armed, kind)
	nd.handle(fsm.TimerFired{Timer: kind, Gen: gen})
}

// send encodes an advert and puts it on the wire.
func (nd *Node) send(prio uint8) {
	nd.Sent = append(nd.Sent, Sent{At: nd.net.Now(), Priority: prio})
	units, err := packet.IntervalUnits(nd.group.Version, nd.cfg.FSM.AdvertInterval)
	if err != nil {
		nd.net.violate("%s: %v", nd.Name, err)
		return
	}
	a := packet.Advert{
		Version:  nd.group.Version,
		VRID:     nd.group.VRID,
		Priority: prio,
		Interval: units,
		Addrs:    nd.cfg.VIPs,
	}
	if a.Version == packet.Version2 {
		a.AuthType, a.AuthData = nd.group.AuthType, nd.group.AuthData
	}
	fam, _ := packet.FamilyOf(nd.cfg.FSM.Primary)
	src, dst := nd.cfg.FSM.Primary, packet.MulticastGroup(fam)
	b, err := packet.Marshal(a, packet.EncodeOptions{Src: src, Dst: dst, V3IPv4MessageOnly: nd.cfg.V3IPv4MessageOnly})
	if err != nil {
		nd.net.violate("%s: encoding %+v: %v", nd.Name, a, err)
		return
	}
	for _, peer := range nd.net.nodes {
		if (peer == nd && !nd.net.Loopback) || !nd.net.connected(nd, peer) {
			continue
		}
		r := packet.Received{Payload: b, Src: src, Dst: dst, TTL: packet.TTL}
		nd.net.sched.After(nd.net.Latency, func() { peer.receive(r) })
	}
}

// receive validates a datagram and feeds it to the machine.
func (nd *Node) receive(r packet.Received) {
	if !nd.running {
		return
	}
	res, err := packet.Validate(r, packet.GroupMap{nd.group.VRID: nd.group})
	if err != nil {
		nd.Discards[packet.ReasonOf(err)]++
		return
	}
	nd.Checksums[res.Checksum]++
	nd.handle(fsm.AdvertReceived{Src: r.Src, Priority: res.Advert.Priority, Interval: res.Advert.IntervalDuration()})
}
