//go:build linux

package e2e

import (
	"fmt"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/internal/nstest"
)

// TestPreemptionPolicy starts the lower-priority node b alone, so it
// becomes master, then the preferred node a. With preempt_delay, a stays
// backup at first and takes over only after the delay (by preemption, not
// because b went away); with nopreempt it never takes over from the live
// master, but still replaces it when it resigns.
func TestPreemptionPolicy(t *testing.T) {
	t.Parallel()
	const delay = 3 * time.Second
	vip := netip.MustParseAddr("192.0.2.100")
	// setup starts b, waits until it is master, then starts a and checks
	// that a is backup for the window.
	setup := func(t *testing.T, p contract.Preemption, window time.Duration) (*cluster, *node, *node) {
		cfg := fastSet(t, vip.String())
		cfg.Nodes = []string{"a", "b"}
		cfg.Preemption = p
		c := newCluster(t, cfg, "a", "b")
		a, b := c.node("a"), c.node("b")
		b.start()
		c.converge(0, b)
		a.start()
		v := c.hold(window)
		if m := v.masters(c.group(vip).VRID)[0]; m != b {
			t.Fatalf("master is %s within %s of a's start, want b: %v", m.HostName, window, v)
		}
		return c, a, b
	}

	t.Run("preempt_delay", func(t *testing.T) {
		t.Parallel()
		c, a, _ := setup(t, contract.Preemption{Delay: delay}, delay/2)
		nstest.WaitFor(t, delay+c.bound(), "a to take over after the delay", func() error {
			v, err := c.observe()
			if err != nil {
				return err
			}
			if err := c.check(v); err != nil {
				return err
			}
			if m := v.masters(c.group(vip).VRID)[0]; m != a {
				return fmt.Errorf("master is %s: %v", m.HostName, v)
			}
			return nil
		})
		vrid := strconv.Itoa(c.group(vip).VRID)
		if got := a.mustMetrics().sum("ipfailover_vrrp_transitions_total", map[string]string{"vrid": vrid, "to": "MASTER", "reason": "preempt"}); got != 1 {
			t.Errorf("a became master %v times by preemption, want 1", got)
		}
		c.hold(time.Second)
	})

	t.Run("nopreempt", func(t *testing.T) {
		t.Parallel()
		// Many master-down intervals: a hears b all along and never takes over.
		c, a, b := setup(t, contract.Preemption{Never: true}, 2*time.Second)
		b.term()
		c.converge(0, a)
	})
}
