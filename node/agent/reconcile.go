package agent

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"

	"github.com/failoverkit/ipfailover/node/netif"

	"github.com/failoverkit/ipfailover/node/vrrp/fsm"
)

func containsAddr(list []netip.Addr, a netip.Addr) bool { return slices.Contains(list, a) }

// reconcile restores "a VIP is on the interface if and only if its group is
// Master": it adds back what a master lost (and announces it again), and
// removes this set's VIPs that no master of ours holds (a failed removal).
//
// It only ever touches this set's configured VIPs. The mark on our VIPs is
// the same for every failover set, so a marked address outside our
// configuration may be another set's VIP on the same node, held by that
// set's master: it is not ours to remove.
func (a *Agent) reconcile() {
	a.trackSources()
	present, err := a.deps.Addrs.ListVIPs(a.deps.Link)
	if err != nil {
		a.log.Error("listing VIPs for reconcile", "interface", a.deps.Link.Name, "err", err)
		return
	}
	have := make(map[netip.Addr]bool, len(present))
	for _, v := range present {
		have[v.Addr] = !v.DADFailed()
	}
	wanted := make(map[netip.Addr]bool)
	for _, g := range a.groups {
		master := g.m.State() == fsm.Master
		for _, v := range g.spec.VIPs {
			wanted[v] = master
		}
		if !master || slices.Contains(a.pendingAdds, g) {
			continue // a deferred addition is not a lost VIP
		}
		for _, v := range g.spec.VIPs {
			if !have[v] {
				// As reassert does, but every lost group's VIPs are
				// added by the loop in chunks (takeover.go).
				a.deps.Metrics.Reasserted.Inc()
				a.log.Warn("VIP removed from under a master: adding it back", "vip", v, "instance", g.instance)
				a.deferAdd(g)
				g.announcePending = true
				break
			}
		}
	}
	for _, v := range present {
		if master, ours := wanted[v.Addr]; ours && !master {
			if err := a.deps.Addrs.RemoveVIP(a.deps.Link, v.Addr); err != nil {
				a.deps.Metrics.VIPErrors.Inc()
				a.log.Error("removing stray VIP", "vip", v.Addr, "err", err)
				continue
			}
			a.deps.Metrics.Strays.Inc()
			a.log.Warn("removed a VIP no master of ours holds", "vip", v.Addr)
		}
	}
}

// releaseAll removes every configured VIP from the interface (whether or
// not it carries our mark: a VIP left by a killed agent or by keepalived
// must go too). Marked VIPs outside the configuration are left alone: they
// may belong to another failover set on this node.
// vipsRemover removes several VIPs with one address dump (*netif.Manager).
type vipsRemover interface {
	RemoveVIPs(link netif.Link, vips []netip.Addr) error
}

func (a *Agent) releaseAll(when string) error {
	if b, ok := a.deps.Addrs.(vipsRemover); ok {
		var all []netip.Addr
		for _, g := range a.groups {
			all = append(all, g.spec.VIPs...)
		}
		if err := b.RemoveVIPs(a.deps.Link, all); err != nil {
			return fmt.Errorf("releasing VIPs at %s on %s: %w", when, a.deps.Link.Name, err)
		}
		return nil
	}
	var failed []string
	var first error
	for _, g := range a.groups {
		for _, v := range g.spec.VIPs {
			if err := a.deps.Addrs.RemoveVIP(a.deps.Link, v); err != nil {
				failed = append(failed, fmt.Sprintf("%s: %v", v, err))
				first = cmp.Or(first, err)
			}
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("releasing VIPs at %s on %s: %v: %w", when, a.deps.Link.Name, failed, first)
	}
	return nil
}
