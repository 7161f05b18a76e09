package fn

import (
	"fmt"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/failoverkit/ipfailover/api/v1alpha1"
	"github.com/failoverkit/ipfailover/contract"
)

func TestJobName(t *testing.T) {
	long := strings.Repeat("n", 200) + ".example.com"
	tests := []struct{ set, node, want string }{
		{"ingress", "worker-a", "ingress-cleanup-worker-a"},
		{"ingress", "worker-a.example.com", "ingress-cleanup-worker-a-example-com-ad3648c4"},
		{"ingress", long, "ingress-cleanup-" + strings.Repeat("n", 38) + "-5be26003"},
		{strings.Repeat("s", 63), "a", strings.Repeat("s", 54) + "-ca978112"},
	}
	seen := map[string]string{}
	for _, tt := range tests {
		got := jobName(tt.set, tt.node)
		if errs := validation.IsDNS1123Label(got); len(errs) > 0 {
			t.Errorf("jobName(%q, %q) = %q: %v", tt.set, tt.node, got, errs)
		}
		if got != tt.want {
			t.Errorf("jobName(%q, %q) = %q, want %q", tt.set, tt.node, got, tt.want)
		}
		if prev, dup := seen[got]; dup {
			t.Errorf("jobName %q for node %q and %q", got, prev, tt.node)
		}
		seen[got] = tt.node
		if jobName(tt.set, tt.node) != got {
			t.Errorf("jobName(%q, %q) is not stable", tt.set, tt.node)
		}
	}
	// Nodes whose sanitised names agree still get distinct Jobs.
	a, b := jobName("s", "node.a"), jobName("s", "node-a")
	if a == b {
		t.Errorf("node.a and node-a share Job name %q", a)
	}
	// Long names that differ only at the end are told apart by the hash.
	c, d := jobName("s", long+"1"), jobName("s", long+"2")
	if c == d {
		t.Errorf("two long nodes share Job name %q", c)
	}
}

func TestFormatIDs(t *testing.T) {
	tests := []struct {
		in   []int
		want string
	}{
		{[]int{11}, "11"},
		{[]int{13, 11, 12}, "11-13"},
		{[]int{11, 12, 14, 20, 21}, "11-12, 14, 20-21"},
	}
	for _, tt := range tests {
		if got := formatIDs(tt.in); got != tt.want {
			t.Errorf("formatIDs(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestImageTarget(t *testing.T) {
	tests := []struct {
		image string
		want  v1alpha1.Target
	}{
		{DefaultAgentImage, v1alpha1.TargetAgent},
		{DefaultKeepalivedImage, v1alpha1.TargetKeepalived},
		{"registry.redhat.io/openshift4/ose-keepalived-ipfailover:v4.14", v1alpha1.TargetKeepalived},
		{"quay.io/openshift/origin-keepalived-ipfailover@sha256:0123", v1alpha1.TargetKeepalived},
		{"localhost:5000/ipfailover-node", v1alpha1.TargetAgent},
		{"mirror.example.com:5000/team/failover:1.0", ""},
	}
	for _, tt := range tests {
		if got := imageTarget(tt.image); got != tt.want {
			t.Errorf("imageTarget(%q) = %q, want %q", tt.image, got, tt.want)
		}
	}
}

func TestScriptsHash(t *testing.T) {
	a := scriptsHash(map[string]string{"check.sh": "#!/bin/sh\n", "notify.sh": "#!/bin/sh\n"})
	if a != scriptsHash(map[string]string{"notify.sh": "#!/bin/sh\n", "check.sh": "#!/bin/sh\n"}) {
		t.Error("hash depends on map order")
	}
	if a == scriptsHash(map[string]string{"check.sh": "#!/bin/sh\n"}) {
		t.Error("hash ignores a script")
	}
	if scriptsHash(map[string]string{"a": "bc"}) == scriptsHash(map[string]string{"ab": "c"}) {
		t.Error("hash confuses key and value boundaries")
	}
}

func TestContractProblemsPointAtBothEntries(t *testing.T) {
	_, _, err := contract.ParseVIPEntries([]string{"10.0.0.1", "10.0.0.2", "10.0.0.1"})
	ps := contractProblems(err, nil)
	if len(ps) != 1 {
		t.Fatalf("problems: %+v", ps)
	}
	got := fmt.Sprintf("%s: %s", ps[0].Field, ps[0].Message)
	if want := `spec.virtualIPs[2]: duplicate VIP 10.0.0.1 (also spec.virtualIPs[0])`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestIsDNS1123LabelAsValidation(t *testing.T) {
	for _, s := range []string{"", "a", "-a", "a-", "a-b", "A", "a.b", "a_b", "0", "set-cleanup-node-0001",
		strings.Repeat("a", 63), strings.Repeat("a", 64), "a--b", "é", "a b"} {
		if got, want := isDNS1123Label(s), len(validation.IsDNS1123Label(s)) == 0; got != want {
			t.Errorf("%q: %v, validation.IsDNS1123Label says %v", s, got, want)
		}
	}
}
