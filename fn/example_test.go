package fn_test

import (
	"fmt"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"

	"github.com/failoverkit/ipfailover/fn"
)

// Render expands an IPFailover into the objects that run it.
func ExampleRender() {
	objs, _ := kfn.ParseKubeObjects([]byte(`
apiVersion: ipfailover.failoverkit.io/v1alpha1
kind: IPFailover
metadata:
  name: ingress
  namespace: ipfailover
spec:
  virtualIPs: [192.0.2.10-11]
  nodeSelector: {node-role.kubernetes.io/worker: ""}
`))
	out := fn.Render(objs, nil)
	for _, o := range out.Generated {
		fmt.Println(o.GetKind(), o.GetName())
	}
	// Output:
	// ServiceAccount ingress
	// RoleBinding ingress-scc-privileged
	// RoleBinding ingress-scc-hostnetwork
	// Deployment ingress
}

// Render reports every problem, with the field it concerns, and renders
// nothing when one is an error.
func ExampleRender_errors() {
	objs, _ := kfn.ParseKubeObjects([]byte(`
apiVersion: ipfailover.failoverkit.io/v1alpha1
kind: IPFailover
metadata:
  name: ingress
  namespace: ipfailover
spec:
  virtualIPs: [192.0.2.10/24, 192.0.2.20-10]
  replicas: 1
`))
	out := fn.Render(objs, nil)
	for _, r := range out.Results {
		fmt.Println(fn.FormatResult(r))
	}
	fmt.Println(len(out.Generated), "objects")
	// Output:
	// IPFailover/ingress spec.virtualIPs[0]: "192.0.2.10/24": CIDR suffixes are not VIPs: list the addresses or a range such as 192.0.2.10-12
	// IPFailover/ingress spec.virtualIPs[1]: "192.0.2.20-10": descending range: 192.0.2.20 comes after 192.0.2.10
	// warning: IPFailover/ingress spec.replicas: is 1: a single node cannot fail over, the VIPs go down with it
	// 0 objects
}
