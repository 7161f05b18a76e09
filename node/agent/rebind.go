package agent

import (
	"net/netip"
	"time"

	"github.com/failoverkit/ipfailover/node/netif"
	"github.com/failoverkit/ipfailover/node/vrrp/fsm"
)

// rebindEvery spaces the attempts to bind to a re-created interface that
// is up but not ready yet (no IPv4 address, a tentative link-local).
const rebindEvery = 250 * time.Millisecond

// noteIndex records a link event's index: a new one means the interface
// was deleted and created again, and everything bound to the old index
// (sockets, multicast memberships, the address subscription) is dead.
func (a *Agent) noteIndex(ev netif.LinkEvent) {
	if a.deps.Rebind == nil || ev.Index == 0 || ev.Gone || ev.Index == a.deps.Link.Index {
		return
	}
	if !a.rebindPending {
		a.log.Warn("the interface was re-created with a new index: binding to it again",
			"interface", a.deps.Link.Name, "old_index", a.deps.Link.Index, "new_index", ev.Index)
	}
	a.rebindPending = true
}

// tryRebind binds to the re-created interface, once it is usable; on
// failure it tries again after rebindEvery while the interface stays
// usable. Until it succeeds every group stays in FAULT.
func (a *Agent) tryRebind() {
	if !a.rebindPending || !a.lastUsable {
		return
	}
	cur := a.deps.Link.Name
	var src netip.Addr
	if a.deps.Conn4 != nil {
		src = a.deps.Conn4.Source()
	}
	nb, err := a.deps.Rebind(cur, src)
	if err != nil {
		a.log.Warn("cannot bind to the re-created interface yet; retrying", "interface", cur, "every", rebindEvery, "err", err)
		time.AfterFunc(rebindEvery, func() {
			select {
			case a.rebindRetry <- struct{}{}:
			case <-a.done:
			}
		})
		return
	}
	a.stopReceivers()
	for _, g := range a.groups {
		a.stopBurst(g) // bursts of the old announcer
	}
	old := a.deps.Binding
	a.deps.Binding, a.deps.Link = nb, nb.Link
	a.deps.Conn4, a.deps.Conn6, a.deps.Announcer = nb.Conn4, nb.Conn6, nb.Announcer
	a.addrEvents = nb.AddrEvents
	for _, g := range a.groups {
		g.conn = a.deps.Conn4
		if g.spec.IPv6() {
			g.conn = a.deps.Conn6
		}
		if p := g.conn.Source(); p != g.expect.Primary {
			g.expect.Primary = p
			a.apply(g, g.m.Handle(fsm.PrimaryChanged{Primary: p}))
		}
	}
	old.Close()
	a.startReceivers()
	a.rebindPending = false
	a.fam4.lostSource, a.fam6.lostSource = false, false
	a.clearSendFailures(false)
	a.clearSendFailures(true)
	a.log.Info("bound to the re-created interface", "interface", nb.Link.Name, "index", nb.Link.Index)
	a.setLink(nb.Link.Usable())
}
