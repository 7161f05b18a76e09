package serverside

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/internal/apicheck"
)

// randomSpecs is the number of specs testRandomSpecs renders.
const randomSpecs = 150

// testRandomSpecs renders specs drawn at random from values at the edges
// of what the renderer accepts (YAML 1.1 words, long and dotted node
// names, every target, removal, the embedded Kubernetes fields) and holds
// every spec the renderer accepts to the rule that its output applies: the
// renderer's fuzz targets check that nothing panics and every output
// decodes, this checks "accepted implies the server accepts". The seed is
// fixed (IPFLAB_RANDOM_SEED overrides it) so that a failure repeats.
func testRandomSpecs(t *testing.T, c *apicheck.Client, render string) {
	seed := uint64(11)
	if s := os.Getenv("IPFLAB_RANDOM_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("IPFLAB_RANDOM_SEED: %v", err)
		}
		seed = n
	}
	r := rand.New(rand.NewPCG(seed, seed))
	dir := t.TempDir()
	accepted := 0
	for i := range randomSpecs {
		ns := pick(r, []string{"on", "yes", "random", "n"})
		spec := randomSpec(r, i, ns)
		file := filepath.Join(dir, fmt.Sprintf("spec-%03d.yaml", i))
		if err := os.WriteFile(file, []byte(spec), 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		var stdout, stderr bytes.Buffer
		cmd := exec.CommandContext(ctx, render, file)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		cancel()
		if _, exit := err.(*exec.ExitError); err != nil && !exit {
			t.Fatal(err)
		}
		if err != nil {
			continue
		}
		accepted++
		for _, o := range parseDocs(t, file, stdout.Bytes()) {
			if err := c.DryRun(context.Background(), o); err != nil {
				t.Errorf("seed %d, spec %d: the renderer accepts\n%s\nbut %v", seed, i, spec, err)
			}
		}
	}
	t.Logf("seed %d: %d of %d random specs accepted and applied", seed, accepted, randomSpecs)
	if accepted < randomSpecs/4 {
		t.Errorf("only %d of %d random specs were accepted: the generator no longer exercises the output", accepted, randomSpecs)
	}
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// maybe adds line with probability p.
func maybe(r *rand.Rand, b *strings.Builder, p float64, line string) {
	if r.Float64() < p {
		b.WriteString("  " + line + "\n")
	}
}

// randomSpec writes one IPFailover. Most choices are valid, some are not,
// so that both sides of the rules are drawn.
func randomSpec(r *rand.Rand, i int, ns string) string {
	long := strings.Repeat("n", 63) + "." + strings.Repeat("a", 63) + "." + strings.Repeat("b", 63) + "." + strings.Repeat("c", 61)
	words := []string{"NO", "yes", "on", "off", "y", "n", "true", "012", "0o17", "1e3", "1:20", "~", "null"}
	nodes := []string{"worker-a", "worker-b.example.com", long, "y", "on", "no", "192.0.2.7", strings.Repeat("x", 64)}
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: ipfailover.failoverkit.io/v1alpha1\nkind: IPFailover\nmetadata:\n  name: %s\n  namespace: %s\n",
		pick(r, []string{"y", "on", "no", "set-" + strconv.Itoa(i), "s" + strconv.Itoa(i) + "-" + strings.Repeat("x", 40)}), ns)
	b.WriteString("spec:\n")
	third := 1 + i%200
	fmt.Fprintf(&b, "  virtualIPs: [%q]\n", pick(r, []string{
		fmt.Sprintf("192.0.2.%d", third), fmt.Sprintf("198.51.100.%d-%d", third%250, third%250+3), fmt.Sprintf("2001:db8::%x-%x", i, i+2),
	}))
	fmt.Fprintf(&b, "  vrrp: {idOffset: %d%s}\n", i%200, pick(r, []string{"", ", version: 3", ", version: 3, advertInterval: 100ms"}))
	target := pick(r, []string{"", "Agent", "Keepalived"})
	if target != "" {
		b.WriteString("  target: " + target + "\n")
	}
	remove := r.IntN(4) == 0
	if remove {
		b.WriteString("  remove: true\n")
	}
	switch r.IntN(3) {
	case 0:
		fmt.Fprintf(&b, "  nodes: [%q, %q]\n", pick(r, nodes), pick(r, nodes))
	case 1:
		fmt.Fprintf(&b, "  nodeSelector: {%q: %q, kubernetes.io/os: linux}\n", pick(r, []string{"zone", "example.com/role", "on"}), pick(r, words))
	}
	maybe(r, &b, 0.3, fmt.Sprintf("interface: %s", pick(r, []string{"NO", "on", "ens3", "br-ex", "eth0.100"})))
	maybe(r, &b, 0.3, fmt.Sprintf("iptablesChain: %s", pick(r, []string{"''", "INPUT", "NO", "y"})))
	maybe(r, &b, 0.3, fmt.Sprintf("tolerations: [%s]", pick(r, []string{
		"{operator: Exists}", "{key: a, operator: Equal, value: " + pick(r, words) + "}", "{key: b, effect: NoExecute, tolerationSeconds: 30}",
		"{key: c, operator: Exists, effect: PreferNoSchedule}", "{key: d, effect: NoSchedule, value: ''}",
	})))
	maybe(r, &b, 0.3, fmt.Sprintf("resources: %s", pick(r, []string{
		"{requests: {cpu: 10m, memory: 32Mi}}", "{limits: {cpu: '1', memory: 64Mi}, requests: {cpu: 500m}}",
		"{limits: {example.com/dev: '1', memory: 1Gi}, requests: {example.com/dev: '1'}}", "{limits: {hugepages-2Mi: 2Mi, memory: 64Mi}}",
		"{limits: {kubernetes.io/x: 1500m}}",
	})))
	maybe(r, &b, 0.2, "priorityClassName: system-node-critical")
	maybe(r, &b, 0.2, fmt.Sprintf("imagePullSecrets: [{name: %s}]", pick(r, []string{"pull", "on", "no.pull-1"})))
	maybe(r, &b, 0.2, fmt.Sprintf("serviceAccountName: %s", pick(r, []string{"yes", "sa-" + strconv.Itoa(i), "off"})))
	maybe(r, &b, 0.2, "checkScript: |\n    #!/bin/sh\n    exit 0")
	maybe(r, &b, 0.2, fmt.Sprintf("monitorPort: %d", pick(r, []int{0, 80, 30060})))
	maybe(r, &b, 0.2, fmt.Sprintf("preemption: %s", pick(r, []string{"{never: true}", "{delay: 10s}", "{delay: 0s}"})))
	maybe(r, &b, 0.2, fmt.Sprintf("imagePullPolicy: %s", pick(r, []string{"Always", "Never"})))
	return b.String()
}
