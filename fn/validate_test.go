package fn

import (
	"strings"
	"testing"
)

// TestValidation checks that each rule reports at the right field with the
// right severity, and that a spec that breaks several rules gets all of
// them reported. want lists "severity field: substring of the message".
func TestValidation(t *testing.T) {
	const vip = "virtualIPs: [192.0.2.10]\n"
	tests := []struct {
		name string
		spec string
		want []string
	}{
		{"valid minimal", vip, nil},
		{"malformed entries, all reported", "virtualIPs: [192.0.2.300, 10.0.0.5-3, 10.0.0.0/24, foo, '10.0.0.1 10.0.0.2']\n", []string{
			"error spec.virtualIPs[0]: past 255",
			"error spec.virtualIPs[1]: descending",
			"error spec.virtualIPs[2]: CIDR",
			"error spec.virtualIPs[3]: not an IP address",
			"error spec.virtualIPs[4]: white space",
		}},
		{"duplicate VIP names the earlier entry by path", "virtualIPs: [192.0.2.1-3, 192.0.2.2]\n", []string{
			"error spec.virtualIPs[1]: duplicate VIP 192.0.2.2 (also spec.virtualIPs[0])",
		}},
		{"empty VIP list", "virtualIPs: []\n", []string{"error spec.virtualIPs: is empty"}},
		{"too many VRIDs", "virtualIPs: [10.0.0.1-250]\nvrrp: {idOffset: 10}\n", []string{"error spec.groups: would need VRID 256"}},
		{"mixed families in a group", "virtualIPs: [192.0.2.1, '2001:db8::1']\ngroups: 1\nvrrp: {version: 3}\n", []string{"error spec.virtualIPs: would mix IPv4"}},
		{"IPv6 needs v3", "virtualIPs: ['2001:db8::1']\n", []string{"error spec.vrrp.version: only VRRP version 3"}},
		{"offset range", vip + "vrrp: {idOffset: 255}\n", []string{"error spec.vrrp.idOffset: 0..254"}},
		{"excluded IDs", vip + "vrrp: {excludedIDs: [0]}\n", []string{"error spec.vrrp.excludedIDs[0]: 1..255"}},
		{"ports", vip + "monitorPort: 70000\nhealthPort: 0\n", []string{
			"error spec.monitorPort: TCP port", "error spec.healthPort: TCP port",
		}},
		{"health port equals monitor port", vip + "monitorPort: 1985\n", []string{"error spec.healthPort: equals the monitor port"}},
		{"intervals", vip + "checkInterval: 1500ms\npreemption: {delay: 2000s}\nvrrp: {advertInterval: 1500ms}\n", []string{
			"error spec.checkInterval: whole seconds",
			`error spec.preemption.delay: "2000s": the delay is whole seconds from 0s to 1000s`,
			"error spec.vrrp.advertInterval: VRRPv2 adverts are whole seconds",
		}},
		{"duration without unit", vip + "checkInterval: 2\n", []string{"error spec.checkInterval: has no unit"}},
		{"sub-second preemption delay", vip + "preemption: {delay: 1500ms}\n", []string{`error spec.preemption.delay: "1.5s": the delay is whole seconds`}},
		{"never with delay", vip + "preemption: {never: true, delay: 10s}\n", []string{"error spec.preemption.delay: exclude each other"}},
		{"v3 sub-second is fine", vip + "vrrp: {version: 3, advertInterval: 100ms}\n", nil},
		{"unknown fields, all with paths", vip + "vrrp: {idoffset: 3}\nbogus: 1\n", []string{
			`error spec.vrrp.idoffset: unknown field "idoffset" (did you mean "idOffset"?)`,
			`error spec.bogus: unknown field "bogus"`,
		}},
		{"type mismatch", vip + "groups: ten\nreplicas: two\n", []string{
			"error spec.groups: is a string, want a whole number",
			"error spec.replicas: is a string, want a whole number",
		}},
		{"replicas and nodes disagree", vip + "replicas: 3\nnodes: [a, b]\n", []string{"error spec.replicas: spec.nodes lists 2 nodes"}},
		{"nodes and nodeSelector", vip + "nodes: [a, b]\nnodeSelector: {x: y}\n", []string{"error spec.nodeSelector: exclude each other"}},
		{"node names", vip + "nodes: [Node_A, b, b]\n", []string{
			"error spec.nodes[0]: not a node name", "error spec.nodes[2]: listed twice (also spec.nodes[1])",
		}},
		{"removal needs nodes", vip + "remove: true\n", []string{"error spec.nodes: is required when remove is true"}},
		{"removal ignores replicas and nodeSelector", vip + "remove: true\nnodes: [a]\nreplicas: 5\nnodeSelector: {x: y}\n", nil},
		{"bad target", vip + "target: keepalived\n", []string{`error spec.target: "keepalived" is not a target`}},
		{"agent image on keepalived", vip + "target: Keepalived\nimage: ghcr.io/failoverkit/ipfailover-node:v0.2.0\n", []string{"error spec.image: is an image for target Agent"}},
		{"keepalived image on agent", vip + "image: quay.io/openshift/origin-keepalived-ipfailover:4.20\n", []string{"error spec.image: is an image for target Keepalived"}},
		{"keepalived limits", "virtualIPs: [192.0.2.1, '2001:db8::1']\ntarget: Keepalived\nhealthPort: 2000\nvrrp: {version: 3, advertInterval: 2s}\n", []string{
			"error spec.vrrp.version: speaks VRRP version 2 only",
			"error spec.vrrp.advertInterval: every 1s",
			"error spec.virtualIPs[1]: is IPv6",
			"error spec.healthPort: no health endpoint",
		}},
		{"keepalived unicast is fine", vip + "target: Keepalived\nvrrp: {unicastPeers: [192.0.2.1, 192.0.2.2]}\n", nil},
		{"scripts need an interpreter line", vip + "checkScript: exit 0\nnotifyScript: '#!/bin/sh'\n", []string{"error spec.checkScript: interpreter line"}},
		{"interface name", vip + "interface: a-very-long-interface-name\n", []string{"error spec.interface: not a Linux interface name"}},
		{"iptables chain", vip + "iptablesChain: 'MY CHAIN'\n", []string{"error spec.iptablesChain: not an iptables chain name"}},
		{"empty chain disables the rule", vip + "iptablesChain: ''\n", nil},
		{"unicast peers", vip + "vrrp: {unicastPeers: [192.0.2.1, nope, 192.0.2.1]}\n", []string{
			`error spec.vrrp.unicastPeers[1]: "nope" is not an IP address`,
			"error spec.vrrp.unicastPeers[1]: listed twice",
		}},
		{"names", vip + "serviceAccountName: Bad_SA\nimagePullSecrets: [{name: ''}]\n", []string{
			"error spec.serviceAccountName: not a ServiceAccount name",
			"error spec.imagePullSecrets[0].name: not a Secret name",
		}},
		{"warnings", vip + "replicas: 1\nclusterNetwork: OVNKubernetes\ninterface: ens3\nvrrp: {unicastPeers: [192.0.2.1]}\n", []string{
			"warning spec.replicas: a single node cannot fail over",
			"warning spec.interface: loses packets",
		}},
		{"few unicast peers", vip + "vrrp: {unicastPeers: [192.0.2.1]}\n", []string{"warning spec.vrrp.unicastPeers: lists 1 peers for 2 replicas"}},
		{"monitor port ignored", vip + "monitorPort: 8080\ncheckScript: \"#!/bin/sh\\nexit 0\\n\"\n", []string{"warning spec.monitorPort: is ignored"}},
		{"ovn default interface is br-ex", vip + "clusterNetwork: OVNKubernetes\n", nil},
		{"bad cluster network", vip + "clusterNetwork: Calico\n", []string{"error spec.clusterNetwork: not a cluster network"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := Render(parse(t, ipfailover("set", "ns", tt.spec)), nil)
			got := findings(out.Results)
			if len(got) != len(tt.want) {
				t.Errorf("got %d findings, want %d:\n%s", len(got), len(tt.want), strings.Join(got, "\n"))
			}
			for _, w := range tt.want {
				if !containsFinding(got, w) {
					t.Errorf("missing %q in:\n%s", w, strings.Join(got, "\n"))
				}
			}
			if out.Failed() && len(out.Generated) != 0 {
				t.Error("a failed render generated objects")
			}
		})
	}
}

// containsFinding matches "severity field: substring".
func containsFinding(got []string, want string) bool {
	head, msg, _ := strings.Cut(want, ": ")
	for _, g := range got {
		if strings.HasPrefix(g, head+": ") && strings.Contains(g, msg) {
			return true
		}
	}
	return false
}

// TestObjectMetadataRules covers metadata: name and namespace.
func TestObjectMetadataRules(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"bad name", ipfailover("Bad_Name", "ns", "virtualIPs: [192.0.2.1]\n"), "error metadata.name: cannot name the generated"},
		{"missing namespace", strings.Replace(ipfailover("a", "ns", "virtualIPs: [192.0.2.1]\n"), "  namespace: ns\n", "", 1), "error metadata.namespace: is required"},
		{"wrong version", strings.Replace(ipfailover("a", "ns", "virtualIPs: [192.0.2.1]\n"), "v1alpha1", "v1", 1), `error apiVersion: "ipfailover.failoverkit.io/v1" is not served`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := Render(parse(t, tt.yaml), nil)
			if got := findings(out.Results); !containsFinding(got, tt.want) {
				t.Errorf("missing %q in:\n%s", tt.want, strings.Join(got, "\n"))
			}
		})
	}
}

// TestCrossObjectRules compares sets in one input.
func TestCrossObjectRules(t *testing.T) {
	tests := []struct {
		name string
		objs []string
		want []string
	}{
		{"disjoint sets", []string{
			ipfailover("a", "ns1", "virtualIPs: [192.0.2.1-2]\nhealthPort: 2000\n"),
			ipfailover("b", "ns2", "virtualIPs: [192.0.2.3]\nvrrp: {idOffset: 20}\n"),
		}, nil},
		{"shared VIP across namespaces", []string{
			ipfailover("a", "ns1", "virtualIPs: [192.0.2.1-2]\nhealthPort: 2000\n"),
			ipfailover("b", "ns2", "virtualIPs: [192.0.2.9, 192.0.2.2]\nvrrp: {idOffset: 20}\n"),
		}, []string{"error spec.virtualIPs[1]: 192.0.2.2 is also a VIP of IPFailover ns1/a"}},
		{"shared VRIDs across namespaces", []string{
			ipfailover("a", "ns1", "virtualIPs: [192.0.2.1-3]\nhealthPort: 2000\n"),
			ipfailover("b", "ns2", "virtualIPs: [192.0.2.9]\nvrrp: {idOffset: 12}\n"),
		}, []string{"error spec.vrrp.idOffset: IPv4 VRIDs 13 are also used by IPFailover ns1/a: sets on one network segment need distinct VRIDs; set spec.vrrp.idOffset to 13 or more"}},
		{"same VRID, other family", []string{
			ipfailover("a", "ns", "virtualIPs: [192.0.2.1]\nhealthPort: 2000\n"),
			ipfailover("b", "ns", "virtualIPs: ['2001:db8::1']\nvrrp: {version: 3}\n"),
		}, nil},
		{"shared health port, node lists meet", []string{
			ipfailover("a", "ns", "virtualIPs: [192.0.2.1]\nnodes: [n1, n2]\n"),
			ipfailover("b", "ns", "virtualIPs: [192.0.2.2]\nnodes: [n2, n3]\nvrrp: {idOffset: 20}\n"),
		}, []string{"error spec.healthPort: runs on node n2 too"}},
		{"shared health port, nodes unknown", []string{
			ipfailover("a", "ns", "virtualIPs: [192.0.2.1]\n"),
			ipfailover("b", "ns", "virtualIPs: [192.0.2.2]\nvrrp: {idOffset: 20}\n"),
		}, []string{"warning spec.healthPort: their pods cannot share a node"}},
		{"removed set deletes a live VIP", []string{
			ipfailover("a", "ns", "virtualIPs: [192.0.2.1]\nremove: true\nnodes: [n1]\n"),
			ipfailover("b", "ns", "virtualIPs: [192.0.2.1]\n"),
		}, []string{"warning spec.virtualIPs[0]: its cleanup Jobs delete 192.0.2.1"}},
		{"same identity twice", []string{
			ipfailover("a", "ns", "virtualIPs: [192.0.2.1]\n"),
			ipfailover("a", "ns", "virtualIPs: [192.0.2.2]\n"),
		}, []string{"error metadata.name: is in the input twice"}},
		{"shared ServiceAccount", []string{
			ipfailover("a", "ns", "virtualIPs: [192.0.2.1]\nserviceAccountName: ipf\nhealthPort: 2000\n"),
			ipfailover("b", "ns", "virtualIPs: [192.0.2.2]\nserviceAccountName: ipf\nvrrp: {idOffset: 20}\n"),
		}, []string{"error spec.serviceAccountName: generates ServiceAccount ns/ipf, which IPFailover ns/a generates too"}},
		{"foreign object in the way", []string{
			ipfailover("a", "ns", "virtualIPs: [192.0.2.1]\n"),
			"apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a, namespace: ns}\n",
		}, []string{"error spec.serviceAccountName: the input already holds one that it did not generate"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := Render(parse(t, strings.Join(tt.objs, "---\n")), nil)
			got := findings(out.Results)
			if len(got) != len(tt.want) {
				t.Errorf("got %d findings, want %d:\n%s", len(got), len(tt.want), strings.Join(got, "\n"))
			}
			for _, w := range tt.want {
				if !containsFinding(got, w) {
					t.Errorf("missing %q in:\n%s", w, strings.Join(got, "\n"))
				}
			}
		})
	}
}
