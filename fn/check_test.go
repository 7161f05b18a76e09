package fn

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
)

// TestDeclarativeCheck: spec.check becomes the contract's variables, and
// every rule reports at its spec path.
func TestDeclarativeCheck(t *testing.T) {
	const vip = "virtualIPs: [192.0.2.10]\n"
	tests := []struct {
		name, spec string
		env        map[string]string // variables the pods must get
		want       []string          // findings
	}{
		{"tcp on the node", vip + "check: {tcp: {port: 8080}}\n", map[string]string{"OPENSHIFT_HA_CHECK_TCP": ":8080"}, nil},
		{"tcp with host and timeout", vip + "check: {tcp: {host: '2001:db8::1', port: 80}, timeout: 500ms}\n",
			map[string]string{"OPENSHIFT_HA_CHECK_TCP": "[2001:db8::1]:80", "OPENSHIFT_HA_CHECK_TIMEOUT": "500ms"}, nil},
		{"http defaults", vip + "check: {http: {}}\n",
			map[string]string{"OPENSHIFT_HA_CHECK_HTTP": "http://:80/", "OPENSHIFT_HA_CHECK_HTTP_STATUS": "200-399"}, nil},
		{"https, one status, no verification", vip + "check: {http: {scheme: HTTPS, host: ingress.example.com, path: /healthz, expectedStatus: {min: 204}, insecureSkipTLSVerify: true}}\n",
			map[string]string{"OPENSHIFT_HA_CHECK_HTTP": "https://ingress.example.com:443/healthz", "OPENSHIFT_HA_CHECK_HTTP_STATUS": "204", "OPENSHIFT_HA_CHECK_TLS_INSECURE": "true"}, nil},
		{"monitor port is ignored", vip + "monitorPort: 30060\ncheck: {tcp: {port: 8080}}\n", nil, []string{"warning spec.monitorPort: spec.check replaces the port check"}},
		{"both kinds", vip + "check: {tcp: {port: 80}, http: {}}\n", nil, []string{"error spec.check: sets both tcp and http"}},
		{"no kind", vip + "check: {timeout: 1s}\n", nil, []string{"error spec.check: sets neither tcp nor http"}},
		{"with a script", vip + "checkScript: \"#!/bin/sh\\nexit 0\\n\"\ncheck: {tcp: {port: 80}}\n", nil, []string{"error spec.check: and spec.checkScript exclude each other"}},
		{"keepalived", vip + "target: Keepalived\ncheck: {tcp: {port: 80}}\n", nil, []string{"error spec.check: the Keepalived target runs only check scripts"}},
		{"tcp host name", vip + "check: {tcp: {host: localhost, port: 80}}\n", nil, []string{`error spec.check.tcp: host "localhost" must be an IP address`}},
		{"tcp port 0", vip + "check: {tcp: {port: 0}}\n", nil, []string{"error spec.check.tcp: port 0 is not a TCP port"}},
		{"http port 0", vip + "check: {http: {port: 0}}\n", nil, []string{"error spec.check.http.port: is 0: omit it"}},
		{"scheme", vip + "check: {http: {scheme: FTP}}\n", nil, []string{"error spec.check.http.scheme: not a scheme"}},
		{"path", vip + "check: {http: {path: healthz}}\n", nil, []string{`error spec.check.http: path "healthz" must start with /`}},
		{"status", vip + "check: {http: {expectedStatus: {min: 300, max: 200}}}\n", nil, []string{"error spec.check.http.expectedStatus: must be HTTP statuses"}},
		{"insecure on http", vip + "check: {http: {insecureSkipTLSVerify: true}}\n", nil, []string{"error spec.check.http.insecureSkipTLSVerify: applies only to an https check"}},
		{"timeout past the interval", vip + "checkInterval: 2s\ncheck: {tcp: {port: 80}, timeout: 3s}\n", nil, []string{"error spec.check.timeout: at most the check interval (2s)"}},
		{"timeout 0", vip + "check: {tcp: {port: 80}, timeout: 0s}\n", nil, []string{"error spec.check.timeout: is 0"}},
		{"the agent's own health port", vip + "check: {http: {port: 1985}}\n", nil, []string{"error spec.check.http: would probe the agent itself"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := Render(parse(t, ipfailover("set", "ns", tt.spec)), nil)
			expectFindings(t, findings(out.Results), tt.want)
			if len(tt.env) == 0 {
				return
			}
			env := map[string]string{}
			for _, o := range out.Generated {
				if o.GetKind() != "Deployment" {
					continue
				}
				var d appsv1.Deployment
				if err := o.As(&d); err != nil {
					t.Fatal(err)
				}
				for _, e := range d.Spec.Template.Spec.Containers[0].Env {
					env[e.Name] = e.Value
				}
			}
			for k, v := range tt.env {
				if env[k] != v {
					t.Errorf("%s=%q, want %q (env %v)", k, env[k], v, env)
				}
			}
		})
	}
}
