package agent

import (
	"context"
	"net/netip"
	"time"

	"github.com/failoverkit/ipfailover/node/check"
	"github.com/failoverkit/ipfailover/node/fw"
	"github.com/failoverkit/ipfailover/node/metrics"
	"github.com/failoverkit/ipfailover/node/netif"
	"github.com/failoverkit/ipfailover/node/notify"
	"github.com/failoverkit/ipfailover/node/procexec"
	"github.com/failoverkit/ipfailover/node/transport"
	"github.com/failoverkit/ipfailover/node/vrrp/fsm"
	"github.com/failoverkit/ipfailover/node/vrrp/packet"
)

// onPacket validates a received datagram and hands an accepted advert to
// its group's machine.
func (a *Agent) onPacket(p transport.Packet) {
	set := a.byVRID4
	if p.Src.Is6() {
		set = a.byVRID6
	}
	res, err := packet.Validate(packet.Received{Payload: p.Payload, Src: p.Src, Dst: p.Dst, TTL: uint8(min(max(p.TTL, 0), 255))}, set)
	if err != nil {
		reason := packet.ReasonOf(err)
		a.deps.Metrics.Dropped.WithLabelValues(reason.String()).Inc()
		switch reason {
		case packet.ReasonVersionMismatch, packet.ReasonAuthType, packet.ReasonAuthData, packet.ReasonInterval:
			// Misconfiguration across routers: worth a warning, not just a
			// counter, but at most once a minute per sender and reason.
			key := p.Src.String() + "/" + reason.String()
			if now := time.Now(); now.Sub(a.warned[key]) > time.Minute {
				a.warned[key] = now
				a.log.Warn("advert discarded: routers of this group are configured differently", "src", p.Src, "reason", reason.String(), "err", err)
			}
		default:
			a.log.Debug("advert discarded", "src", p.Src, "reason", reason.String(), "err", err)
		}
		return
	}
	g := set[res.Advert.VRID]
	if !g.hasRecv {
		g.recv, g.hasRecv = a.deps.Metrics.AdvertsRecv.WithLabelValues(g.vrid), true
	}
	g.recv.Inc()
	a.checksumCounter(res.Checksum).Inc()
	matched := false
	if res.AddrListMismatch {
		matched = a.matchPeerAddrs(g, p.Src, res.Advert.Addrs)
		if !matched {
			a.log.Debug("advert address list differs from ours", "vrid", g.vrid, "src", p.Src, "addrs", res.Advert.Addrs)
		}
	}
	// The timers this advert (re)starts run from its arrival (arrival.go).
	a.eventAt = arrivalAt(time.Now(), p.Received)
	a.apply(g, g.m.Handle(fsm.AdvertReceived{Src: p.Src, Priority: res.Advert.Priority, Interval: res.Advert.IntervalDuration()}))
	a.eventAt = time.Time{}
	if matched && g.m.State() == fsm.Master {
		// The peer discarded every advert so far: tell it at once.
		a.sendAdvert(g, g.m.Priority())
	}
}

// matchPeerAddrs switches an IPv6 group to the peer's address list when
// the peer lists only the VIPs (omitsLinkLocal): keepalived as OpenShift's
// image configures it accepts no other. The RFC list, the virtual
// link-local first, stays the default until such a peer is heard; the
// switch is logged and exported (ipfailover_vrrp_addr_list_compat) and
// lasts until the agent restarts. Our own peers accept either list.
func (a *Agent) matchPeerAddrs(g *group, src netip.Addr, theirs []netip.Addr) bool {
	if g.compat || !g.spec.IPv6() || !omitsLinkLocal(theirs, g.spec.VIPs) {
		return false
	}
	g.compat = true
	g.advert.Addrs = g.spec.VIPs
	a.deps.Metrics.AddrCompat.WithLabelValues(g.vrid).Set(1)
	a.log.Warn("a peer lists the VIPs without the virtual link-local address (keepalived configured as OpenShift's image does): sending the same list, as it accepts no other",
		"instance", g.instance, "vrid", g.spec.VRID, "src", src, "addrs", theirs)
	return true
}

// refreshEvery spaces the bursts fsm.AnnounceAgain restarts.
const refreshEvery = time.Second

// announceAgain carries out fsm.AnnounceAgain: the machine heard another
// master that it outranks, after a partition healed or a link came back
// (keepalived: "We receive a lower prio adv we just refresh remote ARP
// cache", vrrp_state_master_rx). The agent only paces it: bursts are
// restarted at most once per refreshEvery.
func (a *Agent) announceAgain(g *group, act fsm.AnnounceAgain) {
	if now := time.Now(); now.Sub(g.refreshed) >= refreshEvery {
		g.refreshed = now
		a.deps.Metrics.Refreshes.Inc()
		a.log.Info("another master of lower rank advertises: announcing the VIPs again", "instance", g.instance,
			"vrid", g.spec.VRID, "src", act.From, "its_priority", act.Priority, "priority", g.m.Priority())
		a.stopBurst(g)
		g.burst = a.deps.Announcer.Start(context.Background(), g.spec.VIPs)
	}
}

// onCheck records a health check result; the machines learn it through
// updateHealth when the node's fitness changes.
func (a *Agent) onCheck(r check.Result) {
	if r.OK {
		a.deps.Metrics.Checks.WithLabelValues("ok").Inc()
		a.deps.Metrics.CheckUp.Set(1)
	} else {
		a.deps.Metrics.Checks.WithLabelValues("fail").Inc()
		a.deps.Metrics.CheckUp.Set(0)
		if reason := procexec.ReasonOf(r.Err); reason != "" {
			a.deps.Metrics.ScriptErrors.WithLabelValues("check", string(reason)).Inc()
		}
	}
	if r.OK != a.checkOK {
		a.checkOK = r.OK
		if r.OK {
			a.log.Info("health check passes again", "check", check.Describe(a.deps.Checker))
		} else {
			a.log.Warn("health check failed: every group goes to FAULT", "check", check.Describe(a.deps.Checker), "err", r.Err)
		}
	}
	a.updateHealth()
}

// onLink records whether the interface can carry VRRP. Like keepalived,
// which puts a vrrp_instance into FAULT while its interface is down or has
// no carrier, a node whose link is gone faults every group: a master
// releases its VIPs (a backup elsewhere has taken them over by then), and
// when the link returns the node comes back as BACKUP, so the preemption
// policy decides whether it takes them back, rather than every link flap.
func (a *Agent) onLink(ev netif.LinkEvent) {
	if ev.Err != nil {
		a.log.Warn("link subscription failed; keeping the last known state", "interface", a.deps.Link.Name, "up", a.linkUp, "err", ev.Err)
		return
	}
	a.lastUsable = ev.Usable
	a.noteIndex(ev)
	if a.rebindPending {
		// Sockets bound to the old index carry nothing: FAULT until bound.
		a.setLink(false)
		a.tryRebind()
		return
	}
	a.setLink(ev.Usable)
}

// setLink records whether the interface can carry VRRP.
func (a *Agent) setLink(usable bool) {
	a.deps.Metrics.LinkUp.Set(boolValue(usable))
	if usable == a.linkUp {
		return
	}
	a.linkUp = usable
	if usable {
		a.log.Info("interface is up again", "interface", a.deps.Link.Name)
	} else {
		a.log.Warn("interface is down, lost its carrier or is gone: every group goes to FAULT", "interface", a.deps.Link.Name)
	}
	a.updateHealth()
}

// updateHealth feeds each machine the node's fitness for its group, when
// it changes: a passing check on a usable link, and, for its family, the
// address adverts leave from and sends that work. The machine has one
// fault input, so a FAULT for a lost link or source carries the transition
// reason check-failed. The link counts as faulty for /readyz when it is
// unusable or every group lacks its source.
func (a *Agent) updateHealth() {
	base := a.checkOK && a.linkUp
	sourceless := len(a.groups) > 0
	for _, g := range a.groups {
		f := a.family(g.spec.IPv6())
		sourceless = sourceless && f.lostSource
		if ok := base && !f.lostSource && !f.sendFault; ok != g.healthy {
			g.healthy = ok
			a.apply(g, g.m.Handle(fsm.CheckResult{OK: ok}))
		}
	}
	a.linkFault.Store(!a.linkUp || sourceless)
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// apply carries out a machine's actions, in order, on the loop.
func (a *Agent) apply(g *group, actions []fsm.Action) {
	for _, act := range actions {
		switch act := act.(type) {
		case fsm.SendAdvert:
			if !a.sendAdvert(g, act.Priority) && a.family(g.spec.IPv6()).probation {
				// Sending still fails after a retry: fault at once,
				// before the VIPs are added or announced.
				a.onSendFault(g.spec.IPv6())
				return
			}
		case fsm.AddVIPs:
			a.deferAdd(g) // see takeover.go
		case fsm.RemoveVIPs:
			a.cancelAdd(g)
			a.stopBurst(g)
			if !a.stopping { // shutdown releases every VIP at its end
				a.removeVIPs(g)
			}
		case fsm.Announce:
			a.deferAnnounce(g)
		case fsm.StartTimer:
			a.startTimer(g, act)
		case fsm.StopTimer:
			delete(g.timers, act.Timer) // its wheel entry is dropped when due
		case fsm.StateChanged:
			a.stateChanged(g, act)
		case fsm.AnnounceAgain:
			a.announceAgain(g, act)
		case fsm.YieldNotice:
			// A notice only: a failure here is counted and logged by
			// sendAdvert and faults nothing.
			a.sendAdvert(g, act.Priority)
		}
	}
}

// startTimer (re)starts a group's timer. A backup restarts its
// Master_Down_Timer on every advert it accepts, so the timer is reused when
// it has not fired: Stop reporting true means its function has not started
// and will not, and the function reads the generation only when it runs.
// A timer that fired, or whose function is running, is replaced; its
// event then carries the old generation, which the machine ignores.
func (a *Agent) startTimer(g *group, act fsm.StartTimer) {
	now := a.eventAt // the advert's arrival, or zero (arrival.go)
	if now.IsZero() {
		now = time.Now()
	}
	after := act.After
	if act.Timer == fsm.AdvertTimer {
		after = alignUp(now, after, advertGrid(a.cfg.AdvertInterval)) // align.go
	}
	g.timers[act.Timer] = act.Gen
	a.wheel.add(now.Add(after), timerEvent{g: g, kind: act.Timer, gen: act.Gen}) // wheel.go
}

// sendAdvert sends the group's advert to every destination; it reports
// whether one of them could be sent (true when there are none).
func (a *Agent) sendAdvert(g *group, prio uint8) bool {
	adv := g.advert
	adv.Priority = prio
	sent := len(g.dsts) == 0
	for _, dst := range g.dsts {
		b, err := packet.Append(g.buf[:0], adv, packet.EncodeOptions{Src: g.conn.Source(), Dst: dst, NoLinkLocalFirst: g.compat})
		if err != nil {
			a.deps.Metrics.SendErrors.WithLabelValues(g.vrid).Inc()
			a.log.Error("encoding advert", "vrid", g.vrid, "err", err)
			return true // not the network's fault
		}
		g.buf = b
		if err := g.conn.Send(b, dst); err != nil {
			a.sendFailed(g, dst, err)
			continue
		}
		a.sendWorked(g)
		sent = true
		if !g.hasSent {
			g.sent, g.hasSent = a.deps.Metrics.AdvertsSent.WithLabelValues(g.vrid), true
		}
		g.sent.Inc()
	}
	return sent
}

// checksumCounter returns the counter of a checksum form, looked up once.
func (a *Agent) checksumCounter(form packet.ChecksumForm) metrics.Counter {
	c, ok := a.checksums[form]
	if !ok {
		c = a.deps.Metrics.Checksums.WithLabelValues(form.String())
		a.checksums[form] = c
	}
	return c
}

// vipsAdder adds several VIPs with one address dump (*netif.Manager).
type vipsAdder interface {
	AddVIPs(link netif.Link, vips []netip.Addr) error
}

func (a *Agent) addVIPs(g *group) {
	if b, ok := a.deps.Addrs.(vipsAdder); ok && len(g.spec.VIPs) > 1 {
		if err := b.AddVIPs(a.deps.Link, g.spec.VIPs); err != nil {
			a.deps.Metrics.VIPErrors.Inc()
			a.log.Error("adding VIPs (will retry)", "vips", g.spec.VIPs, "interface", a.deps.Link.Name, "err", err)
		}
		return
	}
	for _, v := range g.spec.VIPs {
		if err := a.deps.Addrs.AddVIP(a.deps.Link, v); err != nil {
			a.deps.Metrics.VIPErrors.Inc()
			a.log.Error("adding VIP (will retry)", "vip", v, "interface", a.deps.Link.Name, "err", err)
		}
	}
}

func (a *Agent) removeVIPs(g *group) {
	for _, v := range g.spec.VIPs {
		if err := a.deps.Addrs.RemoveVIP(a.deps.Link, v); err != nil {
			a.deps.Metrics.VIPErrors.Inc()
			a.log.Error("removing VIP (will retry)", "vip", v, "interface", a.deps.Link.Name, "err", err)
		}
	}
}

func (a *Agent) stopBurst(g *group) {
	if g.burst != nil {
		g.burst.Stop()
		g.burst = nil
	}
}

// keepalivedState is the state word keepalived gives notify scripts.
func keepalivedState(s fsm.State) string {
	switch s {
	case fsm.Master:
		return "MASTER"
	case fsm.Backup:
		return "BACKUP"
	case fsm.Fault:
		return "FAULT"
	default:
		return "STOP"
	}
}

func (a *Agent) stateChanged(g *group, act fsm.StateChanged) {
	a.deps.Metrics.State.WithLabelValues(g.instance, g.vrid).Set(stateValue(act.To))
	a.deps.Metrics.Transitions.WithLabelValues(g.instance, g.vrid, keepalivedState(act.To), act.Reason.String()).Inc()
	a.log.Info("transition", "instance", g.instance, "vrid", g.spec.VRID, "from", act.From.String(), "to", act.To.String(),
		"reason", act.Reason.String(), "priority", g.m.Priority(), "vips", g.spec.VIPs)
	a.deps.Notifier.Notify(notify.Event{Instance: g.instance, State: keepalivedState(act.To), Priority: int(g.m.Priority())})
}

func stateValue(s fsm.State) float64 {
	switch s {
	case fsm.Backup:
		return 1
	case fsm.Master:
		return 2
	case fsm.Fault:
		return 3
	}
	return 0
}

// firewallRules are the accept rules the configuration needs: the
// multicast group of each family in use, or one rule per unicast peer.
func (a *Agent) firewallRules() []fw.Rule {
	var rules []fw.Rule
	if a.cfg.Unicast() {
		for _, p := range a.cfg.UnicastPeers {
			rules = append(rules, fw.UnicastRule(p))
		}
		return rules
	}
	if len(a.byVRID4) > 0 {
		rules = append(rules, fw.MulticastRule(fw.IPv4))
	}
	if len(a.byVRID6) > 0 {
		rules = append(rules, fw.MulticastRule(fw.IPv6))
	}
	return rules
}

// onAddrEvent keeps "VIP iff master" when something else changes the
// interface: it re-adds a VIP removed from a master group, and removes a
// VIP of a group that is not master (Backup, Fault) as soon as something
// adds it, e.g. a network manager or a person configuring it by hand, which
// would make two nodes answer ARP or ND for it. Addresses of other prefix
// lengths are not VIPs and are left alone.
func (a *Agent) onAddrEvent(ev netif.AddrEvent) {
	if ev.Err != nil {
		a.log.Warn("address subscription failed; reconciling", "err", ev.Err)
		a.reconcile()
		return
	}
	vip := ev.Prefix.Addr()
	switch {
	case vip.Is4():
		a.trackSource(false)
	case vip.IsLinkLocalUnicast():
		// The IPv6 advert source (RFC 9568 §5.1.2.1): deleted, added, or
		// done with DAD (a new event clears the tentative flag).
		a.trackSource(true)
	}
	for _, g := range a.groups {
		if !containsAddr(g.spec.VIPs, vip) {
			continue
		}
		master := g.m.State() == fsm.Master
		switch {
		case !ev.Added && master:
			a.reassert(g, vip)
		case ev.Added && !master && ev.Prefix.Bits() == vip.BitLen():
			a.evict(g, vip)
		}
	}
}

// evict removes a VIP of a group that is not master.
func (a *Agent) evict(g *group, vip netip.Addr) {
	if err := a.deps.Addrs.RemoveVIP(a.deps.Link, vip); err != nil {
		a.deps.Metrics.VIPErrors.Inc()
		a.log.Error("removing a VIP added while not master", "vip", vip, "instance", g.instance, "err", err)
		return
	}
	a.deps.Metrics.Strays.Inc()
	a.log.Warn("VIP added while not master: removed it", "vip", vip, "instance", g.instance, "state", g.m.State().String())
}

func (a *Agent) reassert(g *group, vip netip.Addr) {
	a.deps.Metrics.Reasserted.Inc()
	a.log.Warn("VIP removed from under a master: adding it back", "vip", vip, "instance", g.instance)
	a.addVIPs(g)
	a.stopBurst(g)
	g.burst = a.deps.Announcer.Start(context.Background(), g.spec.VIPs)
}
