package agent

import (
	"context"
	"net/netip"
	"slices"
	"time"

	"github.com/failoverkit/ipfailover/node/vrrp/fsm"
)

// Taking over many groups at once. A machine that becomes master asks, in
// order, to send its advert, add its VIPs and announce them (RFC 9568
// §6.4.1). When hundreds of groups' timers expire together (the master
// stopped or vanished), adding each group's VIPs before the next group's
// timer is handled delays the adverts of the later groups, by netlink
// round trips per group; at 100 ms adverts a second backup then takes
// groups whose first backup was still busy. So the loop sends the adverts
// first: AddVIPs and Announce of a group are deferred until no packet and
// no timer event is waiting, and then the VIPs of every deferred group
// still master are added together, with one address dump, and announced.
// On a loaded machine a master of hundreds of groups may always have a
// timer event waiting, so the deferral is also bounded in time: after
// maxDeferral the VIPs are added whatever waits.

// maxDeferral bounds how long a new master's VIPs wait for the adverts
// queued before them: a fraction of the shortest advert interval.
const maxDeferral = 10 * time.Millisecond

// flushDue reports whether the deferred additions must run now, with
// events still waiting.
func (a *Agent) flushDue() bool {
	return len(a.pendingAdds) > 0 && time.Since(a.pendingSince) >= maxDeferral
}

// deferAdd records that g, now master, must add and announce its VIPs.
func (a *Agent) deferAdd(g *group) {
	if len(a.pendingAdds) == 0 {
		a.pendingSince = time.Now()
	}
	if !slices.Contains(a.pendingAdds, g) {
		a.pendingAdds = append(a.pendingAdds, g)
	}
}

// deferAnnounce records that g's burst starts once its VIPs are added; a
// group whose VIPs are already on the interface starts it at once.
func (a *Agent) deferAnnounce(g *group) {
	if slices.Contains(a.pendingAdds, g) {
		g.announcePending = true
		return
	}
	a.stopBurst(g)
	g.burst = a.deps.Announcer.Start(context.Background(), g.spec.VIPs)
}

// cancelAdd forgets a deferred addition: g left master before it ran.
func (a *Agent) cancelAdd(g *group) {
	if i := slices.Index(a.pendingAdds, g); i >= 0 {
		a.pendingAdds = slices.Delete(a.pendingAdds, i, i+1)
	}
	g.announcePending = false
}

// flushAdds adds the VIPs of every deferred group that is still master
// (one AddVIPs call when the adapter has it) and starts their bursts.
func (a *Agent) flushAdds() {
	pending := a.pendingAdds
	a.pendingAdds = nil
	var groups []*group
	var vips []netip.Addr
	for _, g := range pending {
		if g.m.State() == fsm.Master {
			groups = append(groups, g)
			vips = append(vips, g.spec.VIPs...)
		} else {
			g.announcePending = false
		}
	}
	if len(groups) == 0 {
		return
	}
	if b, ok := a.deps.Addrs.(vipsAdder); ok && len(vips) > 1 {
		if err := b.AddVIPs(a.deps.Link, vips); err != nil {
			a.deps.Metrics.VIPErrors.Inc()
			a.log.Error("adding VIPs (will retry)", "groups", len(groups), "interface", a.deps.Link.Name, "err", err)
		}
	} else {
		for _, g := range groups {
			a.addVIPs(g)
		}
	}
	for _, g := range groups {
		if g.announcePending {
			g.announcePending = false
			a.stopBurst(g)
			g.burst = a.deps.Announcer.Start(context.Background(), g.spec.VIPs)
		}
	}
}
