package fn

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/failoverkit/ipfailover/api/v1alpha1"
	"github.com/failoverkit/ipfailover/contract"
)

// TestRecogniseCheck: the documentation's typical check scripts become
// declarative checks; anything else is kept as a script (nil).
func TestRecogniseCheck(t *testing.T) {
	p := func(n int32) *int32 { return &n }
	sec := func(f float64) *metav1.Duration {
		return &metav1.Duration{Duration: time.Duration(f * float64(time.Second))}
	}
	tests := []struct {
		name, script string
		want         *v1alpha1.Check
	}{
		{"docs example", "#!/bin/bash\n# Fit while the ingress answers.\nexec curl -fsS -o /dev/null --max-time 1 http://127.0.0.1:30060/healthz\n",
			&v1alpha1.Check{HTTP: &v1alpha1.HTTPCheck{Host: "127.0.0.1", Port: p(30060), Path: "/healthz"}, Timeout: sec(1)}},
		{"image's port check", "#!/bin/bash\n</dev/tcp/192.0.2.5/30060\n", &v1alpha1.Check{TCP: &v1alpha1.TCPCheck{Host: "192.0.2.5", Port: 30060}}},
		{"exec, localhost, redirects", "#!/usr/bin/env bash\nset -euo pipefail\nexec </dev/tcp/localhost/8080 2>/dev/null\n", &v1alpha1.Check{TCP: &v1alpha1.TCPCheck{Host: "127.0.0.1", Port: 8080}}},
		{"curl without -f passes any answer", "#!/bin/sh\ncurl -s http://ingress.example.com/\n",
			&v1alpha1.Check{HTTP: &v1alpha1.HTTPCheck{Host: "ingress.example.com", ExpectedStatus: &v1alpha1.StatusRange{Min: 100, Max: 599}}}},
		{"https, -k, query, quotes, long options", "#!/bin/bash -e\ncurl --fail --silent --insecure --output /dev/null 'https://192.0.2.1:8443/ready?full=1' >/dev/null 2>&1\n",
			&v1alpha1.Check{HTTP: &v1alpha1.HTTPCheck{Scheme: v1alpha1.HTTPSchemeHTTPS, Host: "192.0.2.1", Port: p(8443), Path: "/ready?full=1", InsecureSkipTLSVerify: true}}},
		{"max-time past the interval is the interval", "#!/bin/bash\ncurl -f -m 5 http://127.0.0.1/\n", &v1alpha1.Check{HTTP: &v1alpha1.HTTPCheck{Host: "127.0.0.1"}}},
		{"-L follows redirects", "#!/bin/bash\ncurl -fL http://127.0.0.1/\n", nil},
		{"a header", "#!/bin/bash\ncurl -f -H 'Host: x' http://127.0.0.1/\n", nil},
		{"two commands", "#!/bin/bash\ncurl -f http://127.0.0.1/\ncurl -f http://127.0.0.1:81/\n", nil},
		{"a variable", "#!/bin/bash\ncurl -f http://$HOST/\n", nil},
		{"a pipe", "#!/bin/bash\ncurl -s http://127.0.0.1/ | grep ok\n", nil},
		{"python", "#!/usr/bin/python3\nimport sys\n", nil},
		{"udp", "#!/bin/bash\n</dev/udp/127.0.0.1/53\n", nil},
		{"ftp", "#!/bin/bash\ncurl -f ftp://127.0.0.1/\n", nil},
		{"other output", "#!/bin/bash\ncurl -f -o /tmp/x http://127.0.0.1/\n", nil},
		{"no script", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := recogniseCheck(tt.script, 2*time.Second)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestSpecCheckRoundTrip: a declarative check in a workload's env comes
// back from import as the spec that renders the same env.
func TestSpecCheckRoundTrip(t *testing.T) {
	for _, k := range []*contract.Check{
		{Kind: contract.CheckTCP, Port: 5432, Timeout: time.Second},
		contract.NewHTTPCheck(contract.CheckHTTP, "", 0, ""),
		{Kind: contract.CheckHTTPS, Host: "h.example.com", Port: 8443, Path: "/x", StatusMin: 204, StatusMax: 204, InsecureSkipVerify: true},
	} {
		s := &v1alpha1.IPFailover{Spec: v1alpha1.IPFailoverSpec{Check: specCheck(k)}}
		var out problems
		got := resolveCheck(&plan{ipf: s, target: v1alpha1.TargetAgent}, &out)
		if len(out) != 0 {
			t.Errorf("%+v: %v", k, out)
		}
		if diff := cmp.Diff(k, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	}
}

// FuzzRecogniseCheck: any script is judged without a panic, and what is
// recognised renders without a finding on the check.
func FuzzRecogniseCheck(f *testing.F) {
	f.Add("#!/bin/bash\nexec curl -fsS -o /dev/null --max-time 1 http://127.0.0.1:30060/healthz\n")
	f.Add("#!/bin/sh\n</dev/tcp/192.0.2.1/80\n")
	f.Add("#!/bin/bash\ncurl -sk https://[2001:db8::1]:8443/x?y\n")
	f.Fuzz(func(t *testing.T, script string) {
		k, _ := recogniseCheck(script, 2*time.Second)
		if k == nil {
			return
		}
		s := &v1alpha1.IPFailover{Spec: v1alpha1.IPFailoverSpec{Check: k}}
		var out problems
		c := resolveCheck(&plan{ipf: s, target: v1alpha1.TargetAgent}, &out)
		if len(out) != 0 || c == nil {
			t.Fatalf("%q recognised as %+v: %v", script, k, out)
		}
		cfg := contract.ImageDefaults()
		r, err := contract.ParseRange("192.0.2.10")
		if err != nil {
			t.Fatal(err)
		}
		cfg.VIPs, cfg.Check = []contract.Range{r}, c
		if err := cfg.Validate(); err != nil {
			t.Fatalf("%q recognised as %+v, which the contract rejects: %v", script, c, err)
		}
	})
}
