package fn

import (
	"strings"
	"testing"
	"time"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/failoverkit/ipfailover/api/v1alpha1"
)

// The fuzz targets hold every render to local invariants: nothing may
// panic, a failed render generates nothing, and whenever rendering
// succeeds every generated object decodes strictly into its Kubernetes
// type.
//
// With IPFAILOVER_FUZZ_KUBECONFIG naming the kubeconfig of a throwaway
// kube-apiserver, they also hold the renderer to its rule, "accepted
// implies the server accepts": the targets install the CRD
// (deploy/crd) for real, and for every input the renderer accepts they
// send the input IPFailover (as the renderer read it) and every generated
// object (as it is printed, read as kubectl reads it) as a strict
// server-side dry run (package internal/apicheck, what "kubectl apply
// --server-side --dry-run=server --validate=strict" sends, the namespace
// created for real). A refusal fails the input with the server's message.
// make fuzz-server fuzzes them this way on an API server of its own, and
// make test replays their seeds and testdata/fuzz this way (lab/serverside).

// FuzzRenderSpec feeds arbitrary spec values through validation and
// expansion, with the invariants above. (The VIP parser itself is fuzzed
// in package contract.)
func FuzzRenderSpec(f *testing.F) {
	f.Add("ipfailover", "1.1.1.1-2", "192.0.2.9", int32(1), int32(30060), int32(1), "ens3", "worker-a", "INPUT", int64(2e9), int64(300e9), int32(2), int64(1e9), int32(10), "Agent", false, "#!/bin/sh\n", "192.0.2.100")
	f.Add("v6", "2001:db8::a-f", "2001:db8::1:1", int32(0), int32(0), int32(1), "", "", "", int64(1e9), int64(0), int32(3), int64(1e8), int32(0), "Agent", true, "", "")
	f.Add("ka", "10.0.0.1-250", "10.0.1.1", int32(200), int32(80), int32(3), "br-ex", "n.example.com", "", int64(3e9), int64(1e12), int32(2), int64(1e9), int32(254), "Keepalived", false, "x", "10.0.2.1")
	f.Add("ka2", "192.0.2.10-11", "192.0.2.12", int32(1), int32(80), int32(1), "br-ex", "on", "NO", int64(3e9), int64(1e12), int32(2), int64(1e9), int32(4), "Keepalived", false, "#!/bin/bash\nexit 0\n", "")
	f.Add("rm", "198.51.100.1", "198.51.100.2", int32(0), int32(0), int32(1), "y", strings.Repeat("n", 63)+"."+strings.Repeat("a", 100), "", int64(1e9), int64(0), int32(3), int64(1e8), int32(7), "", true, "", "198.51.100.9")
	f.Add("Bad_Name", "", "", int32(-1), int32(-1), int32(-1), "a/b", "Bad_Node", "A B", int64(-1), int64(-1), int32(7), int64(-5), int32(-3), "???", true, "#!", "a")
	f.Fuzz(func(t *testing.T, name, vip1, vip2 string, groups, port, replicas int32, iface, node, chain string,
		interval, delay int64, version int32, advert int64, offset int32, target string, remove bool, script, peer string) {
		var peers []string
		if peer != "" {
			peers = []string{peer}
		}
		ipf := &v1alpha1.IPFailover{
			TypeMeta:   metav1.TypeMeta{APIVersion: v1alpha1.APIVersion, Kind: v1alpha1.Kind},
			ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "ns"},
			Spec: v1alpha1.IPFailoverSpec{
				VirtualIPs:    []string{vip1, vip2},
				Groups:        groups,
				MonitorPort:   &port,
				Replicas:      &replicas,
				Interface:     iface,
				Nodes:         []string{node},
				IPTablesChain: &chain,
				CheckInterval: &metav1.Duration{Duration: time.Duration(interval)},
				CheckScript:   script,
				Preemption:    &v1alpha1.Preemption{Delay: &metav1.Duration{Duration: time.Duration(delay)}},
				VRRP: &v1alpha1.VRRP{
					Version:        version,
					AdvertInterval: &metav1.Duration{Duration: time.Duration(advert)},
					IDOffset:       &offset,
					UnicastPeers:   peers,
				},
				Target: v1alpha1.Target(target),
				Remove: remove,
			},
		}
		obj, err := ToKubeObject(ipf)
		if err != nil {
			t.Fatal(err)
		}
		check(t, kfn.KubeObjects{obj}, Render(kfn.KubeObjects{obj}, nil))
	})
}

// FuzzRenderYAML feeds arbitrary YAML as the spec: decoding must report,
// never panic, with the invariants above.
func FuzzRenderYAML(f *testing.F) {
	for _, s := range []string{
		"virtualIPs: [192.0.2.1]\n",
		"virtualIPs: 192.0.2.1\ngroups: x\nvrrp: [1]\n",
		"virtualIPs: [192.0.2.1]\ncheckInterval: 2\nresources: {limits: {cpu: lots}}\n",
		"virtualIPs: [&a 192.0.2.1, *a]\nbogus: {x: 1}\n",
		"nodes: {a: b}\ntolerations: [{key: 1}]\n",
		"<<: &b {virtualIPs: [192.0.2.1]}\nvrrp: {<<: [{idOffset: 1}, *b]}\n",
		"virtualIPs: [192.0.2.1]\nnodes: [NO, y]\nnodes: [on]\n",
		"virtualIPs: [192.0.2.1, null, ~]\ninterface: 0x1F\n",
		"virtualIPs: [192.0.2.1]\nresources: {limits: {cpu: 1.0, memory: 1.5e3}, requests: {cpu: 0.5}}\n",
		"virtualIPs: [192.0.2.1]\nresources: {limits: {memory: 1e3}}\ntolerations: [{key: NO, value: on}]\nnodeSelector: {y: n}\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		objs, err := kfn.ParseKubeObjects([]byte(ipfailover("set", "ns", spec)))
		if err != nil || len(objs) != 1 {
			return // not one YAML object: nothing to render
		}
		check(t, objs, Render(objs, nil))
	})
}

// check asserts the invariants of any render of in, and with
// IPFAILOVER_FUZZ_KUBECONFIG set, that the server accepts what the
// renderer accepts.
func check(t *testing.T, in kfn.KubeObjects, out *Output) {
	t.Helper()
	if out.Failed() {
		if len(out.Generated) != 0 {
			t.Fatal("a failed render generated objects")
		}
		return
	}
	for _, obj := range out.Generated {
		decodeStrict(t, obj)
	}
	if c := fuzzServer(t); c != nil {
		serverAccepts(t, c, in, out)
	}
}
