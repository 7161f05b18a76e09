package agent

import (
	"cmp"
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
// no timer event is waiting. On a loaded machine a master of hundreds of
// groups may always have a timer event waiting, so the deferral is also
// bounded in time: after maxDeferral the VIPs are added whatever waits.
//
// The additions themselves take the loop away from every group's timers
// and adverts: the kernel takes 0.3-0.5 ms to add one IPv6 address to an
// interface that has a thousand, so one call for the 684 VIPs of 171
// groups kept the loop away for 700 ms, and the Master_Down_Timers of
// groups not yet taken fired only after it, when another backup had taken
// them. So the deferred groups' VIPs are added a chunk at a time, whole
// groups, each chunk one AddVIPs call sized from the last one's time to
// take about chunkBudget; between chunks the loop handles what waits. A
// group's burst starts when its chunk is added.

// maxDeferral bounds how long a new master's VIPs wait for the adverts
// queued before them: a fraction of the shortest advert interval.
const maxDeferral = 10 * time.Millisecond

// chunkBudget is the time one chunk of additions should take: the loop
// waits for no longer between two turns, so that no timer or advert of
// another group is late by more than about that.
const chunkBudget = maxDeferral

// Bounds of a chunk, in VIPs. The first chunk of a run is firstChunk; the
// next ones are sized from the time the last one took, at least one group
// and at most maxChunk VIPs (one AddVIPs call for that many additions).
const (
	firstChunk = 8
	maxChunk   = 256
)

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

// flushChunk adds the VIPs of the first deferred groups that are still
// master, about chunkVIPs of them in whole groups (one AddVIPs call when
// the adapter has it), starts their bursts, and sizes the next chunk from
// the time this one took. Groups left wait for the loop's next turn.
func (a *Agent) flushChunk() {
	limit := cmp.Or(a.chunkVIPs, firstChunk)
	var groups []*group
	var vips []netip.Addr
	n := 0
	for _, g := range a.pendingAdds {
		if len(groups) > 0 && len(vips)+len(g.spec.VIPs) > limit {
			break
		}
		n++
		if g.m.State() != fsm.Master {
			g.announcePending = false
			continue
		}
		groups = append(groups, g)
		vips = append(vips, g.spec.VIPs...)
	}
	a.pendingAdds = slices.Delete(a.pendingAdds, 0, n)
	if len(a.pendingAdds) > 0 {
		a.pendingSince = time.Now() // the rest waits for what is queued now, bounded again
	}
	if len(groups) == 0 {
		return
	}
	start := time.Now()
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
	a.chunkVIPs = nextChunk(len(vips), time.Since(start))
	for _, g := range groups {
		if g.announcePending {
			g.announcePending = false
			a.stopBurst(g)
			g.burst = a.deps.Announcer.Start(context.Background(), g.spec.VIPs)
		}
	}
}

// nextChunk sizes the next chunk from the last one: n VIPs added in took.
func nextChunk(n int, took time.Duration) int {
	if took <= 0 {
		return maxChunk
	}
	return int(min(max(int64(chunkBudget)*int64(n)/int64(took), 1), maxChunk))
}
