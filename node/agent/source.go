package agent

import (
	"net/netip"
	"time"

	"github.com/failoverkit/ipfailover/node/netif"
	"github.com/failoverkit/ipfailover/node/transport"
	"github.com/failoverkit/ipfailover/node/vrrp/fsm"
)

// SourceLookup returns the address the adverts of one family must leave
// from now on link, given the current one, or an error when the interface
// has none. IPv4: the current address while it is still there, otherwise
// the interface's primary IPv4 address (a configured source is never
// replaced). IPv6: the current link-local address while it is usable,
// otherwise another usable one (RFC 9568 §5.1.2.1).
type SourceLookup func(link netif.Link, current netip.Addr) (netip.Addr, error)

// sendWarnEvery rate-limits the warning about failing sends, per group.
const sendWarnEvery = 10 * time.Second

// sendRetryAfter is how long a node whose sends failed stays in FAULT
// before it tries again (as BACKUP: it sends nothing until it is master).
func (a *Agent) sendRetryAfter() time.Duration { return max(time.Second, 3*a.cfg.AdvertInterval) }

// trackSources follows the addresses adverts leave from, both families.
func (a *Agent) trackSources() {
	a.trackSource(false)
	a.trackSource(true)
}

// familyState is what the loop knows of the adverts of one address
// family: a fault of one family's adverts leaves the other's groups alone.
type familyState struct {
	lostSource bool // the interface lacks the address they leave from
	sendFault  bool // they failed for an interval: FAULT until the retry
	probation  bool // retrying after failed sends, until one works
}

// family returns the state of the IPv6 (ipv6) or IPv4 adverts.
func (a *Agent) family(ipv6 bool) *familyState {
	if ipv6 {
		return &a.fam6
	}
	return &a.fam4
}

func familyName(ipv6 bool) string {
	if ipv6 {
		return "IPv6"
	}
	return "IPv4"
}

// trackSource follows the address the adverts of one family leave from:
// the primary IPv4 address (RFC 9568 §5.1.1.1), or the interface's IPv6
// link-local address (RFC 9568 §5.1.2.1). Like keepalived, which goes to
// FAULT when the interface loses the address and carries on from the new
// one when it changes: while there is no address to send from every group
// of that family is in FAULT (releasing its VIPs, since its adverts cannot
// reach the backups that are taking over); when one appears the adverts
// leave from it, and the machines use it for the tie-break
// (fsm.PrimaryChanged). The other family's groups are not concerned.
func (a *Agent) trackSource(ipv6 bool) {
	conn, lookup, fam := a.deps.Conn4, a.deps.Source4, familyName(ipv6)
	if ipv6 {
		conn, lookup = a.deps.Conn6, a.deps.Source6
	}
	if conn == nil || lookup == nil {
		return
	}
	lost := &a.family(ipv6).lostSource
	cur := conn.Source()
	src, err := lookup(a.deps.Link, cur)
	if err != nil {
		if !*lost {
			*lost = true
			a.log.Warn("the address adverts leave from is gone from the interface: every group of its family goes to FAULT",
				"interface", a.deps.Link.Name, "family", fam, "source", cur, "err", err)
			a.updateHealth()
		}
		return
	}
	if src != cur {
		setter, ok := conn.(transport.SourceSetter)
		if !ok {
			return
		}
		if err := setter.SetSource(src); err != nil {
			a.log.Error("changing the advert source", "family", fam, "source", src, "err", err)
			return
		}
		for _, g := range a.groups {
			if g.spec.IPv6() == ipv6 {
				g.expect.Primary = src
				a.apply(g, g.m.Handle(fsm.PrimaryChanged{Primary: src}))
			}
		}
		a.log.Warn("adverts now leave from the interface's new address", "interface", a.deps.Link.Name, "family", fam, "old", cur, "new", src)
	}
	if *lost {
		*lost = false
		a.log.Info("the interface has an address to send adverts from again", "interface", a.deps.Link.Name, "family", fam, "source", src)
		a.clearSendFailures(ipv6)
		a.updateHealth()
	}
}

// sendFailed records a failed send. Adverts failing for longer than one
// advert interval put every group of that family into FAULT
// (onSendFault): a master whose adverts do not arrive is replaced by a
// backup, and must not keep the VIPs.
func (a *Agent) sendFailed(g *group, dst netip.Addr, err error) {
	a.deps.Metrics.SendErrors.WithLabelValues(g.vrid).Inc()
	now := time.Now()
	if g.failingSince.IsZero() {
		g.failingSince = now
	}
	g.failedSends++
	if now.Sub(g.warnedSend) >= sendWarnEvery {
		a.log.Warn("sending adverts fails", "instance", g.instance, "vrid", g.spec.VRID, "dst", dst,
			"failures", g.failedSends, "failing_for", now.Sub(g.failingSince).Round(time.Millisecond), "err", err)
		g.warnedSend, g.failedSends = now, 0
	}
	if !a.family(g.spec.IPv6()).sendFault && now.Sub(g.failingSince) >= a.cfg.AdvertInterval*9/10 {
		select {
		case a.sendFaults <- g.spec.IPv6():
		default: // both families' signals fit: one is pending already
		}
	}
}

// sendWorked records a successful send; it ends a retry's probation.
func (a *Agent) sendWorked(g *group) {
	a.family(g.spec.IPv6()).probation = false
	if !g.failingSince.IsZero() {
		a.log.Info("sending adverts works again", "instance", g.instance, "vrid", g.spec.VRID)
		g.failingSince, g.failedSends, g.warnedSend = time.Time{}, 0, time.Time{}
	}
}

// clearSendFailures forgets the failed sends of the family's groups.
func (a *Agent) clearSendFailures(ipv6 bool) {
	for _, g := range a.groups {
		if g.spec.IPv6() == ipv6 {
			g.failingSince, g.failedSends = time.Time{}, 0
		}
	}
}

// onSendFault faults every group of the family after its sends failed for
// an interval, and schedules a retry.
func (a *Agent) onSendFault(ipv6 bool) {
	f := a.family(ipv6)
	if f.sendFault {
		return
	}
	f.sendFault, f.probation = true, false
	retry := a.sendRetryAfter()
	a.log.Warn("adverts could not be sent for an advert interval: every group of their family goes to FAULT",
		"interface", a.deps.Link.Name, "family", familyName(ipv6), "retry_in", retry)
	a.updateHealth()
	time.AfterFunc(retry, func() {
		select {
		case a.sendRetry <- ipv6:
		case <-a.done:
		}
	})
}

// onSendRetry leaves the FAULT of failed sends: the family's groups come
// back as BACKUP, on probation until a send works: the first advert that
// cannot be sent, when a group becomes master, faults them again before
// the VIPs are added, so a retry never gives the VIP a second owner.
func (a *Agent) onSendRetry(ipv6 bool) {
	f := a.family(ipv6)
	if !f.sendFault {
		return
	}
	f.sendFault, f.probation = false, true
	a.clearSendFailures(ipv6)
	a.log.Info("trying to send adverts again", "interface", a.deps.Link.Name, "family", familyName(ipv6))
	a.updateHealth()
}
