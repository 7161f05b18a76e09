package fn

import (
	"fmt"
	"strings"
	"testing"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
)

// TestCleanupJobsAsBuiltOneByOne checks the Jobs that share the first
// Job's tree against each Job built on its own (ToKubeObject of
// cleanupJob), for node names that are quoted (YAML 1.1 numbers and
// booleans) or hashed (too long for a Job name), for both targets; and
// that the location annotations of one Job do not leak into another.
func TestCleanupJobsAsBuiltOneByOne(t *testing.T) {
	nodes := []string{"node-a", "1.5", "null", "yes", "0x10", "123", "worker.example.com",
		strings.Repeat("n", 70) + ".example.com", "y", "node-b"}
	for _, target := range []string{"Agent", "Keepalived"} {
		spec := "remove: true\ntarget: " + target + "\nvirtualIPs:\n- 192.0.2.10-12\nnodes:\n- \"" + strings.Join(nodes, "\"\n- \"") + "\"\n"
		if target == "Agent" {
			spec += "image: registry.example/agent:v1\n"
		}
		in := parse(t, ipfailover("set", "ns", spec))
		out := Render(in, nil)
		if out.Failed() {
			t.Fatalf("%s: %v", target, out.Results)
		}
		ipf, probs := decode(in[0])
		if probs.hasErrors() {
			t.Fatal(probs)
		}
		p, _ := newPlan(ipf)
		var jobs kfn.KubeObjects
		for _, o := range out.Generated {
			if o.GetKind() == "Job" {
				jobs = append(jobs, o)
			}
		}
		if len(jobs) != len(nodes) {
			t.Fatalf("%s: %d Jobs, want %d", target, len(jobs), len(nodes))
		}
		for i, node := range nodes {
			want, err := ToKubeObject(p.cleanupJob(node))
			if err != nil {
				t.Fatal(err)
			}
			_ = want.SetAnnotation(kioutil.PathAnnotation, "generated/ns_set.yaml")
			_ = want.SetAnnotation(kioutil.IndexAnnotation, fmt.Sprint(i+3))
			if got := jobs[i].String(); got != want.String() {
				t.Errorf("%s: Job for %q:\n%s\nbuilt alone:\n%s", target, node, got, want.String())
			}
		}
	}
}
