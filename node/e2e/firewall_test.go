//go:build linux

package e2e

import (
	"strings"
	"testing"

	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/node/fw"
)

// TestFirewallRuleOnceAndCleanedUp runs one node with
// OPENSHIFT_HA_IPTABLES_CHAIN=INPUT and an IPv4 and an IPv6 group, for each
// iptables backend. The VRRP accept rule is in INPUT exactly once per
// family after start, still exactly once after the agent restarts (a
// stopped agent leaves it, as the image does), never in the other
// backend, and `ipfailover-node cleanup` removes it.
func TestFirewallRuleOnceAndCleanedUp(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ backend, other string }{
		{"nft", "legacy"},
		{"legacy", "nft"},
	} {
		t.Run(tc.backend, func(t *testing.T) {
			t.Parallel()
			cfg := fastSet(t, "192.0.2.100", "2001:db8::100")
			cfg.IPTablesChain = "INPUT"
			c := newCluster(t, cfg, "a")
			a := c.node("a")
			backend := contract.EnvIPTablesBackend + "=" + tc.backend
			marker := fw.Marker(cfg.Name)
			// rules counts, per family, the rules of backend in INPUT
			// that carry our marker and accept VRRP to its group.
			rules := func(backend string) (v4, v6 int) {
				t.Helper()
				count := func(bin, group string) int {
					n := 0
					for _, l := range strings.Split(a.MustRun(bin, "-w", "-S", "INPUT"), "\n") {
						if strings.Contains(l, marker) {
							if !strings.Contains(l, group) || !strings.Contains(l, "-j ACCEPT") {
								t.Errorf("%s: unexpected rule with our marker: %s", bin, l)
							}
							n++
						}
					}
					return n
				}
				return count("iptables-"+backend, "-d 224.0.0.18/32"), count("ip6tables-"+backend, "-d ff02::12/128")
			}
			want := func(when string, n int) {
				t.Helper()
				if v4, v6 := rules(tc.backend); v4 != n || v6 != n {
					t.Errorf("%s: %d IPv4 and %d IPv6 rules in %s INPUT, want %d each", when, v4, v6, tc.backend, n)
				}
				if v4, v6 := rules(tc.other); v4 != 0 || v6 != 0 {
					t.Errorf("%s: %d IPv4 and %d IPv6 rules in the other backend (%s), want none", when, v4, v6, tc.other)
				}
			}

			a.start(backend)
			want("after start", 1)
			a.term()
			want("after stop", 1)
			a.start(backend)
			want("after restart", 1)
			a.term()

			out, err := a.cleanup(backend)
			if err != nil {
				t.Fatalf("cleanup: %v\n%s", err, out)
			}
			if !strings.Contains(out, "removed the VRRP accept rules of this set from chain INPUT") {
				t.Errorf("cleanup output does not report the rule removal:\n%s", out)
			}
			want("after cleanup", 0)
			if out, err := a.cleanup(backend); err != nil {
				t.Fatalf("second cleanup: %v\n%s", err, out)
			}
			want("after a second cleanup", 0)
		})
	}
}
