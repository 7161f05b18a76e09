//go:build linux

package e2e

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/failoverkit/ipfailover/internal/nstest"
)

// view is one look at a cluster from outside: each node's VRRP state per
// VRID (from /metrics) and which of the set's VIPs are on its eth0.
type view struct {
	nodes  []*node
	states map[*node]map[int]int
	holds  map[*node]map[netip.Addr]bool
}

// observe takes a view of the given nodes (all nodes when none are given).
// Every node must have a running, ready agent.
func (c *cluster) observe(nodes ...*node) (view, error) {
	if len(nodes) == 0 {
		nodes = c.nodes
	}
	v := view{nodes: nodes, states: map[*node]map[int]int{}, holds: map[*node]map[netip.Addr]bool{}}
	for _, n := range nodes {
		st, err := n.states()
		if err != nil {
			return v, err
		}
		h, err := holds(n.Host, c.cfg.Addrs())
		if err != nil {
			return v, err
		}
		v.states[n], v.holds[n] = st, h
	}
	return v, nil
}

// masters returns the nodes that are master of the group with vrid.
func (v view) masters(vrid int) []*node {
	var out []*node
	for _, n := range v.nodes {
		if v.states[n][vrid] == stateMaster {
			out = append(out, n)
		}
	}
	return out
}

// String lays the view out as "a: 11=MASTER[192.0.2.100] 12=BACKUP[] ...".
func (v view) String() string {
	var b strings.Builder
	for _, n := range v.nodes {
		fmt.Fprintf(&b, "%s:", n.HostName)
		for _, g := range n.c.groups {
			var held []string
			for _, vip := range g.VIPs {
				if v.holds[n][vip] {
					held = append(held, vip.String())
				}
			}
			fmt.Fprintf(&b, " %d=%s%v", g.VRID, stateName(v.states[n][g.VRID]), held)
		}
		b.WriteString("; ")
	}
	return b.String()
}

// check verifies the agent's invariant across the view: every group has
// exactly one master, and every VIP is on a node's interface if and only
// if that node is master of the VIP's group.
func (c *cluster) check(v view) error {
	for _, g := range c.groups {
		if m := v.masters(g.VRID); len(m) != 1 {
			return fmt.Errorf("group VRID %d has %d masters: %s", g.VRID, len(m), v)
		}
		for _, n := range v.nodes {
			master := v.states[n][g.VRID] == stateMaster
			for _, vip := range g.VIPs {
				if v.holds[n][vip] != master {
					return fmt.Errorf("%s is %s for VRID %d but holds %s: %v: %s",
						n.HostName, stateName(v.states[n][g.VRID]), g.VRID, vip, v.holds[n][vip], v)
				}
			}
		}
	}
	return nil
}

// settle is how long the invariant must hold without a break before
// converge accepts it: two master-down intervals, longer than any pending
// election or preemption (with preempt_delay 0) takes to happen when the
// agents get the CPU in time. Under load they may not: a scenario that
// knows which node must end up master says so (convergeTo), so that a
// quiet view on the way there is not taken for the outcome.
func (c *cluster) settle() time.Duration { return 2 * c.masterDown() }

// converge waits, within the VRRP bound plus extra, until the invariant
// has held across nodes (all nodes when none are given) for the settle
// time, and returns the last view. Views taken while a transition is under
// way may mix before and after, so a broken view only restarts the settle
// time.
func (c *cluster) converge(extra time.Duration, nodes ...*node) view {
	c.t.Helper()
	return c.convergeWhere(extra, "one master per group, VIPs only on masters", nil, nodes...)
}

// convergeTo is converge towards a known outcome: want must be the master
// of the group with vrid, and the invariant must have held so for the
// settle time. A view in which another node is master, however long it
// lasts, is a transition not yet made (a link that came back but whose
// event the agent has not handled, a preemption whose Master_Down_Timer
// still runs), not a result: plain converge would return it when the
// agents are slow to get the CPU, and the test would report the old
// master although the awaited one took over a moment later.
func (c *cluster) convergeTo(vrid int, want *node, nodes ...*node) view {
	c.t.Helper()
	return c.convergeWhere(0, fmt.Sprintf("%s master of VRID %d, one master per group, VIPs only on masters", want.HostName, vrid),
		func(v view) error {
			if m := v.masters(vrid); len(m) != 1 || m[0] != want {
				return fmt.Errorf("%s is not (yet) the master of VRID %d: %v", want.HostName, vrid, v)
			}
			return nil
		}, nodes...)
}

// convergeWhere is converge with an extra condition on the view (nil: none).
func (c *cluster) convergeWhere(extra time.Duration, what string, cond func(view) error, nodes ...*node) view {
	c.t.Helper()
	var v view
	var since time.Time
	nstest.WaitFor(c.t, c.bound()+c.settle()+extra, what, func() error {
		var err error
		if v, err = c.observe(nodes...); err == nil {
			err = c.check(v)
		}
		if err == nil && cond != nil {
			err = cond(v)
		}
		switch {
		case err != nil:
			since = time.Time{}
			return err
		case since.IsZero():
			since = time.Now()
		}
		if held := time.Since(since); held < c.settle() {
			return fmt.Errorf("invariant held for %s only: %v", held, v)
		}
		return nil
	})
	return v
}

// hold checks the invariant repeatedly for the window (every 100 ms) and
// fails at the first violation that a second look confirms. It returns
// the last view.
//
// A view is not a snapshot: each node is read in turn (its /metrics, then
// `ip addr`), which takes tens of milliseconds per node on a loaded
// machine, and an agent acts in steps (the VIPs are added before the state
// gauge moves). A transition that completes while a view is being taken
// can therefore show as a broken view although no moment had a broken
// state. A real break outlasts that: the view taken right after shows it
// too, and only then does hold fail, reporting both views.
func (c *cluster) hold(window time.Duration, nodes ...*node) view {
	c.t.Helper()
	for end := time.Now().Add(window); ; {
		v, err := c.confirmed(nodes...)
		if err != nil {
			c.t.Fatalf("invariant broken while it should hold: %v", err)
		}
		if time.Now().After(end) {
			return v
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// confirmed takes a view and checks the invariant on it; a broken view is
// taken again at once, and the error is returned only if the second view
// is broken too (see hold).
func (c *cluster) confirmed(nodes ...*node) (view, error) {
	c.t.Helper()
	first, err := c.observe(nodes...)
	if err != nil {
		c.t.Fatal(err)
	}
	broken := c.check(first)
	if broken == nil {
		return first, nil
	}
	second, err := c.observe(nodes...)
	if err != nil {
		c.t.Fatal(err)
	}
	if again := c.check(second); again != nil {
		return second, fmt.Errorf("%w (and at once again: %v)", broken, again)
	}
	c.t.Logf("a view taken during a transition (%v) was not confirmed by the next one: %v", broken, second)
	return second, nil
}
