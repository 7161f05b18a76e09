package e2e

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/failoverkit/ipfailover/internal/nstest"
)

// holders waits until every VIP has exactly one holder and returns them.
func (e *env) holders(t *testing.T, vips []netip.Addr, timeout time.Duration) map[netip.Addr]string {
	t.Helper()
	var got map[netip.Addr]string
	nstest.WaitFor(t, timeout, "every VIP held by exactly one node", func() error {
		o := e.owners(t, vips)
		got = map[netip.Addr]string{}
		for _, v := range vips {
			if len(o[v]) != 1 {
				return fmt.Errorf("%s held by %v", v, o[v])
			}
			got[v] = o[v][0]
		}
		return nil
	})
	return got
}

// rollout waits for the set's Deployment to finish rolling out.
func (e *env) rollout(t *testing.T, s set) time.Duration {
	t.Helper()
	start := time.Now()
	e.mustKubectl(t, "", "-n", s.namespace, "rollout", "status", "deployment/"+s.name, "--timeout=180s")
	return time.Since(start)
}

// agentPods maps node name to the set's agent pod on it.
func (e *env) agentPods(t *testing.T, s set) map[string]corev1.Pod {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pods, err := e.cs.CoreV1().Pods(s.namespace).List(ctx, metav1.ListOptions{
		LabelSelector: "app.kubernetes.io/instance=" + s.name + ",app.kubernetes.io/component=failover"})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]corev1.Pod{}
	for _, p := range pods.Items {
		if p.DeletionTimestamp != nil || p.Spec.NodeName == "" {
			continue
		}
		if prev, dup := out[p.Spec.NodeName]; dup {
			t.Fatalf("pods %s and %s of %s on one node %s", prev.Name, p.Name, s.name, p.Spec.NodeName)
		}
		out[p.Spec.NodeName] = p
	}
	return out
}

// reach pings vip from the client namespace and checks that the node
// answering (by the client's neighbour entry) is holder.
func (e *env) reach(t *testing.T, vip netip.Addr, holder string) {
	t.Helper()
	if out, err := e.client.Run("ip", "neigh", "flush", "to", vip.String()); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if err := e.client.Ping(vip, 5*time.Second); err != nil {
		t.Fatalf("client: %v", err)
	}
	out, err := e.client.Run("ip", "neigh", "show", "to", vip.String())
	if err != nil {
		t.Fatal(err)
	}
	if want := e.node(t, holder).mac; !strings.Contains(out, want) {
		t.Errorf("client reached %s at %q, want %s's %s", vip, strings.TrimSpace(out), holder, want)
	}
}

// vrrpRules counts the VRRP accept rules the agent left on a node, in
// both iptables back ends.
func vrrpRules(t *testing.T, n *node) int {
	t.Helper()
	count := 0
	for _, save := range []string{"iptables-nft-save", "iptables-legacy-save"} {
		out, err := n.ns.Run(save)
		if err != nil {
			t.Fatalf("%s: %v: %s", n.name, err, out)
		}
		count += strings.Count(out, "failoverkit-vrrp:")
	}
	return count
}

// logTimes records a scenario's measured times in the test log.
func logTimes(t *testing.T, what string, kv ...any) {
	t.Helper()
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		fmt.Fprintf(&b, " %v=%v", kv[i], kv[i+1])
	}
	t.Logf("%s measured %s:%s", time.Now().Format("15:04:05.000"), what, b.String())
}

// dumpLogs puts the agents' recent logs and the namespace's events into
// the test log, for a failed run.
func (e *env) dumpLogs(t *testing.T, ns string) {
	out, _ := e.kubectl("", "-n", ns, "logs", "-l", "app.kubernetes.io/component=failover", "--prefix", "--tail=40", "--max-log-requests=10")
	t.Logf("agent logs:\n%s", out)
	out, _ = e.kubectl("", "-n", ns, "get", "events", "--sort-by=.lastTimestamp")
	t.Logf("events:\n%s", out)
}
