package agent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/node/check"
	"github.com/failoverkit/ipfailover/node/fw"
	"github.com/failoverkit/ipfailover/node/metrics"
	"github.com/failoverkit/ipfailover/node/netif"
	"github.com/failoverkit/ipfailover/node/notify"
	"github.com/failoverkit/ipfailover/node/priority"
	"github.com/failoverkit/ipfailover/node/transport"
	"github.com/failoverkit/ipfailover/node/vrrp/fsm"
	"github.com/failoverkit/ipfailover/node/vrrp/packet"
)

// Deps are the adapters the agent drives. Conn4 and Conn6 may be nil when
// no group of that family exists; Firewall, Checker and Notifier may be nil
// when not configured; AddrEvents may be nil (reconcile still runs);
// LinkEvents may be nil, and then the interface's state is not tracked.
type Deps struct {
	Link       netif.Link
	Addrs      Addresses
	Conn4      transport.Conn
	Conn6      transport.Conn
	Announcer  Announcer
	Firewall   fw.Firewall
	Checker    check.Checker
	Notifier   *notify.Notifier
	AddrEvents <-chan netif.AddrEvent
	// LinkEvents reports whether Link can carry VRRP (up, with carrier).
	// When set, Link.Usable() is the state at start.
	LinkEvents <-chan netif.LinkEvent
	// Source4 and Source6 find the address IPv4 and IPv6 adverts leave
	// from after an address change; nil leaves that source fixed.
	Source4, Source6 SourceLookup
	// Binding holds Conn4, Conn6, Announcer and AddrEvents when they were
	// opened together on Link; Rebind opens a new one on the interface of
	// that name after it was deleted and created again (a new index), with
	// cur the current IPv4 source. The agent closes the binding it
	// replaces. Both may be nil: the agent then stays bound to Link.
	Binding *Binding
	Rebind  func(name string, cur netip.Addr) (*Binding, error)
	Metrics *Metrics
	Log     *slog.Logger
}

// Options are the agent's runtime facts beyond the contract.
type Options struct {
	// Self lists the node's own addresses on the interface (primary IPv4
	// first), for the priority slot and for dropping itself from the peers.
	Self []netip.Addr
	// ReconcileEvery is the period of the "VIP iff master" repair; 0 means 5s.
	ReconcileEvery time.Duration
	// NotifyTimeout bounds each notify script run; 0 means 10s.
	NotifyTimeout time.Duration
}

// Agent runs the VRRP groups of one failover set on one interface.
type Agent struct {
	cfg     contract.Config
	deps    Deps
	opts    Options
	log     *slog.Logger
	ifname  string // the interface's name, for the HTTP handlers
	groups  []*group
	byVRID4 groupSet
	byVRID6 groupSet
	slot    priority.Slot

	packets chan transport.Packet
	wheel   *wheel // every group's timers, owned by the loop
	checks  chan check.Result
	done    chan struct{}

	sendFaults  chan bool     // a family's sends failed for an interval (sendFailed); true for IPv6
	sendRetry   chan bool     // time to try sending a family's adverts again (onSendFault)
	rebindRetry chan struct{} // time to try binding to the re-created interface again

	addrEvents    <-chan netif.AddrEvent // the current binding's, owned by the loop
	stopRecv      context.CancelFunc     // stops the current receivers, owned by the loop
	recvDone      chan struct{}          // closed when they have stopped
	rebindPending bool                   // the interface has a new index not bound yet, owned by the loop
	lastUsable    bool                   // the last link event said usable, owned by the loop
	pendingAdds   []*group               // masters whose VIPs wait to be added (takeover.go), owned by the loop
	pendingSince  time.Time              // when the first of pendingAdds was deferred
	chunkVIPs     int                    // VIPs the next chunk of pendingAdds adds (takeover.go); 0 before the first, owned by the loop
	stopping      bool                   // shutdown has begun: VIPs are released together at its end, owned by the loop
	eventAt       time.Time              // when the event being handled happened, if not now (arrival.go), owned by the loop

	ready      atomic.Bool
	heartbeat  atomic.Int64                            // unix nanoseconds of the loop's last turn
	checkOK    bool                                    // last health check outcome, owned by the loop
	linkUp     bool                                    // the interface can carry VRRP, owned by the loop
	fam4, fam6 familyState                             // each family's advert source and sends (source.go), owned by the loop
	linkFault  atomic.Bool                             // every group is in FAULT because of the interface (readyz)
	warned     map[string]time.Time                    // rate limit of misconfiguration warnings, owned by the loop
	checksums  map[packet.ChecksumForm]metrics.Counter // see checksumCounter, owned by the loop
}

// checkStopWait bounds the wait for a check in flight at shutdown; killing
// a script and its descendants takes milliseconds.
const checkStopWait = 3 * time.Second

// notifyStopWait bounds the notifications still queued at shutdown.
const notifyStopWait = 5 * time.Second

type timerEvent struct {
	g    *group
	kind fsm.TimerKind
	gen  uint64
	wait int // confirmations of a Master_Down_Timer expiry so far (onTimer); 0 for the expiry itself
}

// New plans the groups and priorities of cfg on the given adapters.
func New(cfg contract.Config, deps Deps, opts Options) (*Agent, error) {
	if deps.Log == nil {
		deps.Log = slog.Default()
	}
	if deps.Metrics == nil {
		deps.Metrics = NewMetrics()
	}
	if opts.ReconcileEvery == 0 {
		opts.ReconcileEvery = 5 * time.Second
	}
	if opts.NotifyTimeout == 0 {
		opts.NotifyTimeout = 10 * time.Second
	}
	specs, err := cfg.Groups()
	if err != nil {
		return nil, err
	}
	a := &Agent{
		cfg: cfg, deps: deps, opts: opts, log: deps.Log, ifname: deps.Link.Name,
		byVRID4: groupSet{}, byVRID6: groupSet{},
		packets:     make(chan transport.Packet, 1024),
		wheel:       newWheel(),
		checks:      make(chan check.Result, 4),
		done:        make(chan struct{}),
		sendFaults:  make(chan bool, 2),
		sendRetry:   make(chan bool, 2),
		rebindRetry: make(chan struct{}, 1),
		checkOK:     true,
		linkUp:      deps.LinkEvents == nil || deps.Link.Usable(),
		warned:      make(map[string]time.Time),
		checksums:   make(map[packet.ChecksumForm]metrics.Counter),
	}
	deps.Metrics.notifyDropFn = func() float64 { return float64(deps.Notifier.Dropped()) }
	if cfg.Priority == 0 {
		a.slot, err = priority.SlotOf(cfg, cfg.NodeName, opts.Self)
		if err != nil {
			return nil, err
		}
	} else {
		a.slot = priority.Slot{Basis: priority.BasisPinned}
	}
	for _, spec := range specs {
		conn := deps.Conn4
		if spec.IPv6() {
			conn = deps.Conn6
		}
		if conn == nil {
			return nil, fmt.Errorf("group %d (VRID %d) needs an IPv%s socket, and none is open", spec.Index, spec.VRID, family(spec))
		}
		prio := uint8(cfg.Priority)
		if prio == 0 {
			prio = priority.For(a.slot, spec.Index)
		}
		g, err := newGroup(spec, cfg, prio, conn.Source(), conn, a.destinations(spec))
		if err != nil {
			return nil, fmt.Errorf("group %d (VRID %d): %w", spec.Index, spec.VRID, err)
		}
		a.groups = append(a.groups, g)
		if spec.IPv6() {
			a.byVRID6[uint8(spec.VRID)] = g
		} else {
			a.byVRID4[uint8(spec.VRID)] = g
		}
		deps.Metrics.State.WithLabelValues(g.instance, g.vrid).Set(0)
	}
	return a, nil
}

func family(g contract.Group) string {
	if g.IPv6() {
		return "6"
	}
	return "4"
}

// destinations are where a group's adverts go: the multicast group, or the
// unicast peers of the group's family other than this node.
func (a *Agent) destinations(g contract.Group) []netip.Addr {
	if !a.cfg.Unicast() {
		if g.IPv6() {
			return []netip.Addr{transport.GroupV6}
		}
		return []netip.Addr{transport.GroupV4}
	}
	var out []netip.Addr
	for _, p := range a.cfg.UnicastPeers {
		if p.Is6() == g.IPv6() && !slices.Contains(a.opts.Self, p) {
			out = append(out, p)
		}
	}
	return out
}

// Ready reports whether the agent has started all its groups and is not stopping.
func (a *Agent) Ready() bool { return a.ready.Load() }

// Alive reports whether the loop turned within the last maxAge.
func (a *Agent) Alive(maxAge time.Duration) bool {
	return time.Since(time.Unix(0, a.heartbeat.Load())) < maxAge
}

// Run starts the groups and serves them until ctx ends, then hands over
// (priority 0), releases the VIPs and returns. The error is nil after a
// clean stop.
func (a *Agent) Run(ctx context.Context) error {
	defer close(a.done)
	a.heartbeat.Store(time.Now().UnixNano())
	a.log.Info("starting", "interface", a.deps.Link.Name, "groups", len(a.groups), "version", a.cfg.VRRPVersion,
		"advert_interval", a.cfg.AdvertInterval, "preemption", a.cfg.Preemption.String(), "unicast", a.cfg.Unicast(),
		"priority_basis", string(a.slot.Basis), "slot", a.slot.Index, "replicas", a.slot.Replicas,
		"check", check.Describe(a.deps.Checker))
	a.warnMTU()
	if err := a.releaseAll("start-up"); err != nil {
		return needCap(err, capNetAdmin, "adding and removing VIPs")
	}
	if chain := a.cfg.FirewallChain(); chain != "" && a.deps.Firewall != nil {
		if err := a.deps.Firewall.Ensure(chain, a.firewallRules()...); err != nil {
			return needCap(fmt.Errorf("%s=%s: ensuring the VRRP accept rule in chain %s: %w", contract.EnvIPTablesChain, chain, chain, err), capNetAdmin, "the iptables rule")
		}
		a.log.Info("firewall rule ensured", "chain", chain)
	}

	a.startReceivers()
	defer a.stopReceivers()
	checkCtx, stopCheck := context.WithCancel(context.Background())
	checkDone := make(chan struct{})
	// stopChecks ends the periodic check and waits until a check in flight
	// has been stopped, so no check script outlives the agent.
	stopChecks := func() {
		stopCheck()
		select {
		case <-checkDone:
		case <-time.After(checkStopWait):
			a.log.Error("the health check did not stop in time", "waited", checkStopWait)
		}
	}
	defer stopCheck()
	if a.deps.Checker == nil {
		close(checkDone)
		a.deps.Metrics.CheckUp.Set(1) // nothing to fail: the node is fit
	} else {
		// The first result decides the state Startup enters (Backup or Fault).
		rctx, cancel := context.WithTimeout(ctx, a.cfg.CheckInterval)
		err := a.deps.Checker.Check(rctx)
		cancel()
		a.onCheck(check.Result{OK: err == nil, Err: err})
		go func() {
			defer close(checkDone)
			check.Run(checkCtx, a.deps.Checker, a.cfg.CheckInterval, func(r check.Result) {
				select {
				case a.checks <- r:
				case <-checkCtx.Done():
				}
			})
		}()
	}
	a.deps.Metrics.LinkUp.Set(boolValue(a.linkUp))
	if !a.linkUp {
		a.log.Warn("interface is down or has no carrier: every group starts in FAULT", "interface", a.deps.Link.Name)
	}
	a.updateHealth()
	for _, g := range a.groups {
		a.apply(g, g.m.Handle(fsm.Startup{}))
	}
	a.ready.Store(true)

	if t, err := newFDTimer(); err != nil {
		a.log.Warn("no timerfd: timers run on the Go runtime's, late by up to 1 ms", "err", err)
	} else {
		a.wheel.useTimer(t)
		defer t.Close()
	}
	tick := time.NewTicker(a.opts.ReconcileEvery)
	defer tick.Stop()
	a.addrEvents = a.deps.AddrEvents
	linkEvents := a.deps.LinkEvents
	for {
		a.heartbeat.Store(time.Now().UnixNano())
		a.wheel.arm()
		var flush <-chan struct{} // ready while VIPs wait to be added
		if len(a.pendingAdds) > 0 {
			// Adverts and timers first, then the VIPs, a chunk a turn
			// (takeover.go).
			if !a.flushDue() {
				select {
				case p := <-a.packets:
					a.onPacket(p)
					continue
				case <-a.wheel.C():
					a.onWheel()
					continue
				default:
				}
			}
			flush = closedChan
		}
		select {
		case <-ctx.Done():
			a.ready.Store(false)
			stopChecks()
			a.shutdown()
			return nil
		case p := <-a.packets:
			a.onPacket(p)
		case <-a.wheel.C():
			a.onWheel()
		case r := <-a.checks:
			a.onCheck(r)
		case ipv6 := <-a.sendFaults:
			a.onSendFault(ipv6)
		case ipv6 := <-a.sendRetry:
			a.onSendRetry(ipv6)
		case <-a.rebindRetry:
			a.tryRebind()
		case ev, ok := <-a.addrEvents:
			if !ok {
				a.addrEvents = nil // subscription ended; the periodic reconcile still repairs
				a.log.Warn("address subscription ended; relying on periodic reconcile", "every", a.opts.ReconcileEvery)
				continue
			}
			a.onAddrEvent(ev)
		case ev, ok := <-linkEvents:
			if !ok {
				linkEvents = nil
				a.log.Warn("link subscription ended; the interface's state is no longer tracked", "interface", a.deps.Link.Name)
				continue
			}
			a.onLink(ev)
		case <-tick.C:
			a.reconcile()
		case <-flush:
			a.flushChunk()
		}
	}
}

// closedChan is always ready to receive from.
var closedChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// startReceivers starts a receiver for each socket of the current binding.
func (a *Agent) startReceivers() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	var n sync.WaitGroup
	for _, c := range []transport.Conn{a.deps.Conn4, a.deps.Conn6} {
		if c != nil {
			n.Add(1)
			go func() { defer n.Done(); a.receive(ctx, c) }()
		}
	}
	go func() { n.Wait(); close(done) }()
	a.stopRecv, a.recvDone = cancel, done
}

// stopReceivers stops the receivers and waits for them, bounded.
func (a *Agent) stopReceivers() {
	if a.stopRecv == nil {
		return
	}
	a.stopRecv()
	select {
	case <-a.recvDone:
	case <-time.After(time.Second):
		a.log.Error("receivers did not stop within 1s")
	}
	a.stopRecv = nil
}

// receive feeds packets from c to the loop until ctx ends.
func (a *Agent) receive(ctx context.Context, c transport.Conn) {
	for {
		p, err := c.Receive(ctx)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, context.Canceled) {
				return
			}
			a.log.Error("receiving adverts failed", "err", err)
			select {
			case <-ctx.Done():
				return
			case <-time.After(100 * time.Millisecond):
			}
			continue
		}
		select {
		case a.packets <- p:
		case <-ctx.Done():
			return
		}
	}
}

// shutdown hands every group over: Shutdown makes a master send priority 0
// and release its VIPs (RFC 9568 §6.4.3); then bursts and timers stop and
// notify scripts learn STOP.
func (a *Agent) shutdown() {
	a.log.Info("stopping: handing over")
	// Every group's priority-0 advert first, the VIPs after, all together
	// (releaseAll): removing each group's VIPs between the goodbyes spread
	// them over the netlink round trips, and the backups' Skew_Time starts
	// at each goodbye.
	a.stopping = true
	for _, g := range a.groups {
		a.apply(g, g.m.Handle(fsm.Shutdown{}))
		a.stopBurst(g)
		clear(g.timers)
	}
	if err := a.releaseAll("shutdown"); err != nil {
		a.log.Error("releasing VIPs at shutdown", "err", err)
	}
	// The STOP notifications get a bounded share of the shutdown: a hung
	// notify script is killed rather than delaying the exit.
	ctx, cancel := context.WithTimeout(context.Background(), min(a.opts.NotifyTimeout, notifyStopWait))
	defer cancel()
	a.deps.Notifier.Close(ctx)
	a.log.Info("stopped")
}
