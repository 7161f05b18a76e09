package fn

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// crossCheck compares the valid sets with each other. VRRP routers are
// told apart per network segment, and the renderer cannot know the
// segments, so every pair of sets in the input is compared, across
// namespaces too:
//   - a VIP in two running sets is an error (two masters, one address);
//   - a VRID of one address family in two running sets is an error (their
//     adverts would be taken for each other's);
//   - two agent sets with one health port cannot share a node: an error
//     when their node lists intersect, a warning when a list is missing;
//   - a VIP of a running set that a removed set's cleanup Jobs delete is an
//     error for the Keepalived target (its cleanup deletes the address
//     whoever holds it), a warning for the Agent (a holding agent adds it
//     back).
//
// Each finding is reported on the later set in (namespace, name) order.
func crossCheck(srcs []*source) {
	var sets []*source
	for _, s := range srcs {
		if s.ok() {
			sets = append(sets, s)
		}
	}
	slices.SortFunc(sets, func(a, b *source) int {
		return cmp.Or(cmp.Compare(a.plan.namespace, b.plan.namespace), cmp.Compare(a.plan.name, b.plan.name))
	})
	for j, b := range sets {
		for _, a := range sets[:j] {
			switch {
			case !a.plan.removal() && !b.plan.removal():
				checkVIPOverlap(a.plan, b)
				checkVRIDOverlap(a.plan, b, sets[:j])
				checkHealthPorts(a.plan, b)
			case a.plan.removal() != b.plan.removal():
				removed, running := a, b
				if b.plan.removal() {
					removed, running = b, a
				}
				i, addr, ok := sharedVIP(running.plan, removed.plan)
				switch {
				case !ok:
				case removed.plan.keepalived():
					// remove-failover.sh deletes every VIP of the set from
					// the interface, whoever holds it, and keepalived does
					// not add a deleted VIP back.
					removed.problems.errorf(index("spec.virtualIPs", i),
						"%s is also a VIP of IPFailover %s, and the Keepalived cleanup Jobs delete it from the nodes whoever holds it: drop it from this list (the Jobs then leave it alone), or remove the other set too",
						addr, running.plan.owner())
				default:
					removed.problems.warnf(index("spec.virtualIPs", i),
						"its cleanup Jobs delete %s, which IPFailover %s holds too (an agent that holds it adds it back within a reconcile): remove this IPFailover once the Jobs have completed",
						addr, running.plan.owner())
				}
			}
		}
	}
}

// sharedVIP finds the first VIP of b that a holds too: the index of b's
// entry and the address.
func sharedVIP(a, b *plan) (int, netip.Addr, bool) {
	held := map[netip.Addr]bool{}
	for _, addr := range a.cfg.Addrs() {
		held[addr] = true
	}
	for i, r := range b.cfg.VIPs {
		for _, addr := range r.Addrs() {
			if held[addr] {
				return i, addr, true
			}
		}
	}
	return 0, netip.Addr{}, false
}

func checkVIPOverlap(a *plan, b *source) {
	if i, addr, ok := sharedVIP(a, b.plan); ok {
		b.problems.errorf(index("spec.virtualIPs", i), "%s is also a VIP of IPFailover %s: an address belongs to one failover set", addr, a.owner())
	}
}

// vrids are the VRIDs of a set by address family (true: IPv6).
func vrids(p *plan) map[bool][]int {
	out := map[bool][]int{}
	for _, g := range p.groups {
		out[g.IPv6()] = append(out[g.IPv6()], g.VRID)
	}
	return out
}

func checkVRIDOverlap(a *plan, b *source, earlier []*source) {
	theirs, ours := vrids(a), vrids(b.plan)
	for _, v6 := range []bool{false, true} {
		var shared []int
		for _, id := range ours[v6] {
			if slices.Contains(theirs[v6], id) {
				shared = append(shared, id)
			}
		}
		if len(shared) == 0 {
			continue
		}
		top := 0
		for _, e := range earlier {
			if !e.plan.removal() {
				for _, id := range vrids(e.plan)[v6] {
					top = max(top, id)
				}
			}
		}
		family := "IPv4"
		if v6 {
			family = "IPv6"
		}
		b.problems.errorf("spec.vrrp.idOffset",
			"%s VRIDs %s are also used by IPFailover %s: sets on one network segment need distinct VRIDs; set spec.vrrp.idOffset to %d or more (or exclude them)",
			family, formatIDs(shared), a.owner(), top)
	}
}

func checkHealthPorts(a *plan, b *source) {
	if a.keepalived() || b.plan.keepalived() || a.cfg.HealthPort != b.plan.cfg.HealthPort {
		return
	}
	an, bn := a.ipf.Spec.Nodes, b.plan.ipf.Spec.Nodes
	if len(an) > 0 && len(bn) > 0 {
		for _, n := range bn {
			if slices.Contains(an, n) {
				b.problems.errorf("spec.healthPort", "%d is also the health port of IPFailover %s, which runs on node %s too: one of the two pods could never start there; choose another port",
					b.plan.cfg.HealthPort, a.owner(), n)
				return
			}
		}
		return
	}
	b.problems.warnf("spec.healthPort", "%d is also the health port of IPFailover %s: their pods cannot share a node; choose another port unless their nodes are disjoint",
		b.plan.cfg.HealthPort, a.owner())
}

// formatIDs writes sorted IDs with runs collapsed: "11-13, 20".
func formatIDs(ids []int) string {
	ids = slices.Sorted(slices.Values(ids))
	var parts []string
	for i := 0; i < len(ids); {
		j := i
		for j+1 < len(ids) && ids[j+1] == ids[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d-%d", ids[i], ids[j]))
		} else {
			parts = append(parts, fmt.Sprint(ids[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}
