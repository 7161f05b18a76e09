// Package fnbench holds the renderer's benchmark inputs and a Go benchmark
// of the expansion itself (fn.Render on parsed objects, no I/O):
//
//	go test -run '^$' -bench . -benchmem ./bench/fnbench
//
// The benchmark program (bench/cmd/vrrpbench) uses the same inputs for the
// whole-process figures and runs the same expansion with testing.Benchmark.
package fnbench

import (
	"fmt"
	"strings"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"

	"github.com/failoverkit/ipfailover/fn"
)

// DocsExample is the path of the documentation's example, relative to the
// repository root.
const DocsExample = "examples/docs-example/ipfailover.yaml"

// Large returns a YAML stream of specs IPFailover objects, each with the
// 254 VIPs 198.51.100.1-254 (one VRRP group each) being removed: one
// cleanup Job per node for nodes nodes (node-0001, node-0002, ...).
// Removed sets are not checked against each other for shared VIPs, so
// the specs may share their VIPs.
func Large(specs, nodes int) []byte {
	var b strings.Builder
	for i := range specs {
		if i > 0 {
			b.WriteString("---\n")
		}
		fmt.Fprintf(&b, `apiVersion: ipfailover.failoverkit.io/v1alpha1
kind: IPFailover
metadata:
  name: bench-%02d
  namespace: ipfailover-%02d
spec:
  remove: true
  virtualIPs:
  - 198.51.100.1-254
  vrrp:
    idOffset: 0
  nodes:
`, i, i)
		for n := range nodes {
			fmt.Fprintf(&b, "  - node-%04d\n", n+1)
		}
	}
	return []byte(b.String())
}

// Parse reads a YAML stream into the objects fn.Render takes.
func Parse(yaml []byte) (kfn.KubeObjects, error) {
	objs, err := kfn.ParseKubeObjects(yaml)
	if err != nil {
		return nil, fmt.Errorf("parsing the benchmark input: %w", err)
	}
	return objs, nil
}

// Render expands objs once and returns the number of generated objects;
// an error result makes it fail.
func Render(objs kfn.KubeObjects) (int, error) {
	out := fn.Render(objs, nil)
	if out.Failed() {
		var msgs []string
		for _, r := range out.Results {
			msgs = append(msgs, fn.FormatResult(r))
		}
		return 0, fmt.Errorf("the renderer rejected the benchmark input:\n%s", strings.Join(msgs, "\n"))
	}
	return len(out.Generated), nil
}
