package e2e

import (
	"context"
	"maps"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/failoverkit/ipfailover/internal/nstest"
	"github.com/failoverkit/ipfailover/lab/cluster"
)

// repoRoot is the product's repository (this module is lab/ in it).
var repoRoot = filepath.Join("..", "..")

// TestLab runs the scenarios in order on one lab: each leaves the sets as
// the next expects them.
func TestLab(t *testing.T) {
	e := newEnv(t)
	const ns = "ipfailover-e2e"
	e.mustKubectl(t, "", "create", "namespace", ns)
	docs := set{name: "docs", namespace: ns, vipSpec: "192.0.2.200-203", vips: vipRange("192.0.2.200", "192.0.2.203"),
		idOffset: 10, healthPort: 1985, checkComment: "v1"}
	t.Cleanup(func() {
		if t.Failed() {
			e.dumpLogs(t, ns)
		}
	})
	// Every node answers the check scripts' port until a scenario closes it.
	probes := map[string]*listener{}
	for _, n := range e.nodes {
		probes[n.name] = e.listen(t, n, netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), probePort).String())
	}

	// Scenario 1 stands alone; every later one builds on the one before.
	if !t.Run("1-crd-and-strict-apply", func(t *testing.T) { e.crdAndStrictApply(t, docs) }) {
		t.Log("scenario 1 failed; the others do not depend on it")
	}
	steps := []struct {
		name string
		fn   func(t *testing.T)
	}{
		{"2-docs-set-holds-vips", func(t *testing.T) { e.docsSetHolds(t, docs) }},
		{"3-pod-deleted", func(t *testing.T) { e.podDeleted(t, docs) }},
		{"4-drain", func(t *testing.T) { e.drain(t, docs) }},
		{"5-rolling-update", func(t *testing.T) { e.rollingUpdate(t, docs) }},
		{"6-node-failure", func(t *testing.T) { e.nodeFailure(t, docs) }},
		{"7-check-fails-on-one-node", func(t *testing.T) { e.checkFails(t, docs, probes) }},
		{"9-two-sets-side-by-side", func(t *testing.T) { e.sideBySide(t, docs) }},
		{"8-removal-with-prune", func(t *testing.T) { e.removal(t, docs) }},
	}
	for _, s := range steps {
		if !t.Run(s.name, s.fn) {
			t.Fatalf("%s failed: the later scenarios build on it", s.name)
		}
	}
}

// 1. The CRD installs server-side, and an IPFailover and its rendered
// output pass the server's strict validation.
func (e *env) crdAndStrictApply(t *testing.T, s set) {
	crd, err := os.ReadFile(filepath.Join(repoRoot, "deploy", "crd", "ipfailover.failoverkit.io_ipfailovers.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	e.apply(t, string(crd))
	e.mustKubectl(t, "", "wait", "--for=condition=Established", "--timeout=60s", "crd/ipfailovers.ipfailover.failoverkit.io")
	spec := e.spec(s)
	e.mustKubectl(t, spec, "apply", "--server-side", "--dry-run=server", "--validate=strict", "-f", "-")
	e.mustKubectl(t, e.render(t, spec), "apply", "--server-side", "--dry-run=server", "--validate=strict", "-f", "-")
}

// 2. The documentation's shape on three nodes: available, one pod per
// node, each VIP on exactly one node and reached there from the client.
func (e *env) docsSetHolds(t *testing.T, s set) {
	start := time.Now()
	e.apply(t, e.render(t, e.spec(s)))
	e.rollout(t, s)
	ready := time.Since(start)
	pods := e.agentPods(t, s)
	if len(pods) != len(e.nodes) {
		t.Fatalf("%d agent pods on distinct nodes, want %d", len(pods), len(e.nodes))
	}
	h := e.holders(t, s.vips, 10*time.Second)
	held := time.Since(start)
	for v, n := range h {
		e.reach(t, v, n)
	}
	logTimes(t, "docs set", "apply-to-available", ready.Round(time.Millisecond), "apply-to-every-vip-held", held.Round(time.Millisecond), "holders", h)
}

// 3. Deleting the holder's pod hands its VIPs over (priority 0, about
// Skew_Time), and the Deployment brings a pod back.
func (e *env) podDeleted(t *testing.T, s set) {
	h := e.holders(t, s.vips, 10*time.Second)
	vip := s.vips[0]
	victim := h[vip]
	pod := e.agentPods(t, s)[victim]
	m := e.startMonitor(t, s.vips)
	e.mustKubectl(t, "", "-n", s.namespace, "delete", "pod", pod.Name, "--wait=false")
	nstest.WaitFor(t, masterDown+slack+5*time.Second, vip.String()+" to leave "+victim, func() error {
		if o := e.owners(t, s.vips)[vip]; len(o) == 1 && o[0] != victim {
			return nil
		}
		return errNotYet
	})
	back := e.rollout(t, s)
	e.settle(t, s)
	r := m.Stop()
	r.check(t, allowedDouble)
	if z := r.maxZero(); z > masterDown+slack {
		t.Errorf("a VIP had no holder for %v (bound %v): %s", z, masterDown, r)
	}
	logTimes(t, "pod deleted", "hand-over(no-holder)", r.zero[vip].Round(time.Millisecond), "longest-double", r.maxDouble(), "pod-back", back.Round(time.Millisecond))
}

// settle waits until every VIP has had the same single holder for longer
// than preempt_delay (2 s): the preferred nodes have taken their groups
// back. Bounded: 30 s.
func (e *env) settle(t *testing.T, s set) {
	t.Helper()
	const stable = 3 * time.Second
	var last map[netip.Addr]string
	since := time.Now()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		h := e.holders(t, s.vips, 10*time.Second)
		if !maps.Equal(h, last) {
			last, since = h, time.Now()
		} else if time.Since(since) >= stable {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("holders of %s did not settle in 30 s: last %v", s.name, last)
}

// 4. Draining the holder evicts its pod: a graceful hand-over, never two
// holders; uncordoned, the node gets its pod back.
func (e *env) drain(t *testing.T, s set) {
	h := e.holders(t, s.vips, 10*time.Second)
	vip := s.vips[len(s.vips)-1]
	victim := h[vip]
	m := e.startMonitor(t, s.vips)
	start := time.Now()
	e.mustKubectl(t, "", "drain", victim, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=120s")
	drained := time.Since(start)
	after := e.holders(t, s.vips, masterDown+slack+5*time.Second)
	for v, n := range after {
		if n == victim {
			t.Errorf("%s still on drained node %s", v, n)
		}
	}
	e.mustKubectl(t, "", "uncordon", victim)
	e.rollout(t, s)
	e.settle(t, s)
	r := m.Stop()
	r.check(t, allowedDouble)
	if z := r.maxZero(); z > masterDown+slack {
		t.Errorf("a VIP had no holder for %v (bound %v): %s", z, masterDown, r)
	}
	logTimes(t, "drain", "drain", drained.Round(time.Millisecond), "hand-over(no-holder)", r.zero[vip].Round(time.Millisecond), "longest-double", r.maxDouble())
}

// 5. A changed check script rolls the pods one at a time (maxSurge 0): at
// no moment two holders, every VIP held again within the bound each step.
func (e *env) rollingUpdate(t *testing.T, s set) {
	e.holders(t, s.vips, 10*time.Second)
	before := e.agentPods(t, s)
	m := e.startMonitor(t, s.vips)
	s.checkComment = "v2"
	start := time.Now()
	e.apply(t, e.render(t, e.spec(s)))
	e.rollout(t, s)
	rolled := time.Since(start)
	e.settle(t, s)
	r := m.Stop()
	r.check(t, allowedDouble)
	if z := r.maxZero(); z > masterDown+slack {
		t.Errorf("a VIP had no holder for %v (bound %v): %s", z, masterDown, r)
	}
	after := e.agentPods(t, s)
	for n, p := range after {
		if before[n].Name == p.Name {
			t.Errorf("pod %s on %s was not replaced", p.Name, n)
		}
	}
	logTimes(t, "rolling update", "rollout", rolled.Round(time.Millisecond), "longest-no-holder", r.maxZero(), "longest-double", r.maxDouble())
}

// 6. A node fails (link down, kubelet, containerd and agent killed): its
// VIPs move within Master_Down_Interval. The node then comes back as a
// rebooted machine would.
func (e *env) nodeFailure(t *testing.T, s set) {
	h := e.holders(t, s.vips, 10*time.Second)
	vip := s.vips[0]
	victim := h[vip]
	m := e.startMonitorExcluding(t, s.vips, victim)
	start := time.Now()
	if err := cluster.FailNode(e.lab.Dir, victim); err != nil {
		t.Fatal(err)
	}
	nstest.WaitFor(t, masterDown+slack+5*time.Second, vip.String()+" to move off failed "+victim, func() error {
		if o := e.ownersExcluding(t, s.vips, victim)[vip]; len(o) == 1 {
			return nil
		}
		return errNotYet
	})
	moved := time.Since(start)
	r := m.Stop()
	r.check(t, allowedDouble)
	if z := r.zero[vip]; z > masterDown+slack {
		t.Errorf("%s had no holder for %v after the failure (bound %v): %s", vip, z, masterDown, r)
	}
	logTimes(t, "node failure", "failure-to-moved", moved.Round(time.Millisecond), "no-holder", r.zero[vip].Round(time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := cluster.RestartNode(ctx, e.lab.Dir, victim); err != nil {
		t.Fatal(err)
	}
	e.mustKubectl(t, "", "wait", "--for=condition=Ready", "node/"+victim, "--timeout=120s")
	e.rollout(t, s)
	nstest.WaitFor(t, 2*time.Minute, "the agent on "+victim+" ready again", func() error {
		p, ok := e.agentPods(t, s)[victim]
		if !ok {
			return errNotYet
		}
		for _, c := range p.Status.Conditions {
			if c.Type == "Ready" && c.Status == "True" {
				return nil
			}
		}
		return errNotYet
	})
	e.settle(t, s)
}

// 7. A check that fails on one node: that node gives up its VIPs (FAULT)
// and takes none back until the check passes again.
func (e *env) checkFails(t *testing.T, s set, probes map[string]*listener) {
	e.settle(t, s)
	h := e.holders(t, s.vips, 10*time.Second)
	vip := s.vips[0]
	victim := h[vip]
	m := e.startMonitor(t, s.vips)
	probes[victim].close()
	start := time.Now()
	t.Logf("%s closing the probed port on %s, holder of %s", start.Format("15:04:05.000"), victim, vip)
	// One check interval (2 s) to notice, then the hand-over.
	nstest.WaitFor(t, 2*2*time.Second+masterDown+slack+2*time.Second, victim+" to give up its VIPs", func() error {
		for v, o := range e.owners(t, s.vips) {
			if len(o) == 1 && o[0] == victim {
				return errNotYetf(v.String() + " still on " + victim)
			}
		}
		return nil
	})
	gaveUp := time.Since(start)
	// Failing, it takes nothing back (longer than preempt_delay).
	deadline := time.Now().Add(4 * time.Second)
	for time.Now().Before(deadline) {
		for v, o := range e.owners(t, s.vips) {
			for _, n := range o {
				if n == victim {
					t.Fatalf("%s took %s back while its check fails", victim, v)
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	probes[victim] = e.listen(t, e.node(t, victim), netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), probePort).String())
	back := time.Now()
	nstest.WaitFor(t, 15*time.Second, victim+" to take "+vip.String()+" back", func() error {
		if o := e.owners(t, s.vips)[vip]; len(o) == 1 && o[0] == victim {
			return nil
		}
		return errNotYet
	})
	r := m.Stop()
	r.check(t, allowedDouble)
	logTimes(t, "check fails", "failure-to-released", gaveUp.Round(time.Millisecond), "pass-to-taken-back", time.Since(back).Round(time.Millisecond), "longest-no-holder", r.maxZero())
}

// 9. A second set on the same nodes (other VRIDs, health port, VIPs):
// each keeps its own VIPs.
func (e *env) sideBySide(t *testing.T, docs set) {
	side := set{name: "side", namespace: docs.namespace, vipSpec: "192.0.2.210-211", vips: vipRange("192.0.2.210", "192.0.2.211"),
		idOffset: 50, healthPort: 1986, checkComment: "v1"}
	all := append(append([]netip.Addr(nil), docs.vips...), side.vips...)
	e.settle(t, docs)
	m := e.startMonitor(t, all)
	e.apply(t, e.render(t, e.spec(side)))
	e.rollout(t, side)
	e.holders(t, all, 15*time.Second)
	r := m.Stop()
	r.check(t, allowedDouble)
	if z := r.zero; len(z) > 0 {
		for v, d := range z {
			for _, dv := range docs.vips {
				if v == dv {
					t.Errorf("docs' %s lost its holder for %v when side came up", v, d)
				}
			}
		}
	}
}

// 8. Removal: the same set with remove: true, applied with pruning as Argo
// CD does (what the new output no longer holds is deleted): the Deployment
// goes, one cleanup Job per node completes, no VIP and no VRRP rule stays.
func (e *env) removal(t *testing.T, docs set) {
	side := set{name: "side", namespace: docs.namespace, vipSpec: "192.0.2.210-211", vips: vipRange("192.0.2.210", "192.0.2.211"), healthPort: 1986}
	// The check below can fail: every node has the sets' rules now.
	for _, n := range e.nodes {
		if c := vrrpRules(t, n); c == 0 {
			t.Fatalf("%s has no VRRP firewall rule before removal", n.name)
		}
	}
	for _, s := range []set{docs, side} {
		s.remove = true
		out := e.render(t, e.spec(s))
		e.apply(t, out)
		e.prune(t, s, out)
		start := time.Now()
		e.mustKubectl(t, "", "-n", s.namespace, "wait", "--for=condition=Complete", "job", "-l", "app.kubernetes.io/instance="+s.name, "--timeout=180s")
		jobs := e.mustKubectl(t, "", "-n", s.namespace, "get", "jobs", "-l", "app.kubernetes.io/instance="+s.name, "-o", "name")
		if n := len(strings.Fields(jobs)); n != len(e.nodes) {
			t.Errorf("%d cleanup Jobs for %s, want one per node (%d)", n, s.name, len(e.nodes))
		}
		logTimes(t, "removal of "+s.name, "jobs-complete", time.Since(start).Round(time.Millisecond))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := e.cs.AppsV1().Deployments(docs.namespace).Get(ctx, docs.name, metav1.GetOptions{}); err == nil {
		t.Errorf("Deployment %s still exists after removal", docs.name)
	}
	all := append(append([]netip.Addr(nil), docs.vips...), side.vips...)
	for v, o := range e.owners(t, all) {
		t.Errorf("%s still on %v after removal", v, o)
	}
	for _, n := range e.nodes {
		if c := vrrpRules(t, n); c != 0 {
			t.Errorf("%s: %d VRRP firewall rules left after removal", n.name, c)
		}
	}
}

// prune deletes the set's live objects that the new output lacks, as Argo
// CD's prune does for objects it tracks.
func (e *env) prune(t *testing.T, s set, out string) {
	t.Helper()
	live := e.mustKubectl(t, "", "-n", s.namespace, "get", "deployments,configmaps,jobs,serviceaccounts,rolebindings",
		"-l", "app.kubernetes.io/instance="+s.name, "-o", "name")
	want := e.mustKubectl(t, out, "apply", "--dry-run=client", "-f", "-", "-o", "name")
	keep := map[string]bool{}
	for _, n := range strings.Fields(want) {
		keep[n] = true
	}
	for _, n := range strings.Fields(live) {
		if !keep[n] {
			e.mustKubectl(t, "", "-n", s.namespace, "delete", n, "--wait=true", "--timeout=120s")
		}
	}
}
