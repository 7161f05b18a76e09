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

// lostSource is where the loop records that the interface lacks the
// address the adverts of the family (ipv6) leave from.
func (a *Agent) lostSource(ipv6 bool) *bool {
	if ipv6 {
		return &a.lostSource6
	}
	return &a.lostSource4
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
	conn, lookup, fam := a.deps.Conn4, a.deps.Source4, "IPv4"
	if ipv6 {
		conn, lookup, fam = a.deps.Conn6, a.deps.Source6, "IPv6"
	}
	if conn == nil || lookup == nil {
		return
	}
	lost := a.lostSource(ipv6)
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
		a.clearSendFailures()
		a.updateHealth()
	}
}

// sendFailed records a failed send. Adverts failing for longer than one
// advert interval put every group into FAULT (onSendFault): a master whose
// adverts do not arrive is replaced by a backup, and must not keep the VIPs.
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
	if a.sendOK && now.Sub(g.failingSince) >= a.cfg.AdvertInterval*9/10 {
		select {
		case a.sendFaults <- struct{}{}:
		default:
		}
	}
}

// sendWorked records a successful send; it ends a retry's probation.
func (a *Agent) sendWorked(g *group) {
	a.probation = false
	if !g.failingSince.IsZero() {
		a.log.Info("sending adverts works again", "instance", g.instance, "vrid", g.spec.VRID)
		g.failingSince, g.failedSends, g.warnedSend = time.Time{}, 0, time.Time{}
	}
}

func (a *Agent) clearSendFailures() {
	for _, g := range a.groups {
		g.failingSince, g.failedSends = time.Time{}, 0
	}
}

// onSendFault faults every group after sends failed for an interval, and
// schedules a retry.
func (a *Agent) onSendFault() {
	if !a.sendOK {
		return
	}
	a.sendOK, a.probation = false, false
	retry := a.sendRetryAfter()
	a.log.Warn("adverts could not be sent for an advert interval: every group goes to FAULT", "interface", a.deps.Link.Name, "retry_in", retry)
	a.updateHealth()
	time.AfterFunc(retry, func() {
		select {
		case a.sendRetry <- struct{}{}:
		case <-a.done:
		}
	})
}

// onSendRetry leaves the FAULT of failed sends: the groups come back as
// BACKUP, on probation until a send works: the first advert that cannot
// be sent, when a group becomes master, faults them again before the VIPs
// are added, so a retry never gives the VIP a second owner.
func (a *Agent) onSendRetry() {
	if a.sendOK {
		return
	}
	a.sendOK = true
	a.probation = true
	a.clearSendFailures()
	a.log.Info("trying to send adverts again", "interface", a.deps.Link.Name)
	a.updateHealth()
}
