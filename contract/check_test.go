package contract

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestCheckRoundTrip: every declarative check written by Env is read back
// by FromEnv as the same check.
func TestCheckRoundTrip(t *testing.T) {
	https := NewHTTPCheck(CheckHTTPS, "ingress.example.com", 0, "/healthz?full=1")
	https.InsecureSkipVerify = true
	https.Timeout = 500 * time.Millisecond
	http := NewHTTPCheck(CheckHTTP, "", 30060, "")
	http.StatusMin, http.StatusMax = 204, 204
	tests := []struct {
		name  string
		check *Check
		want  map[string]string
	}{
		{"tcp on the node", &Check{Kind: CheckTCP, Port: 8080}, map[string]string{EnvCheckTCP: ":8080"}},
		{"tcp on IPv6", &Check{Kind: CheckTCP, Host: "2001:db8::1", Port: 80, Timeout: time.Second}, map[string]string{EnvCheckTCP: "[2001:db8::1]:80", EnvCheckTimeout: "1s"}},
		{"http defaults", http, map[string]string{EnvCheckHTTP: "http://:30060/", EnvCheckHTTPStatus: "204"}},
		{"https", https, map[string]string{
			EnvCheckHTTP: "https://ingress.example.com:443/healthz?full=1", EnvCheckHTTPStatus: "200-399",
			EnvCheckTimeout: "500ms", EnvCheckTLSInsecure: "true",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ImageDefaults()
			r, err := ParseRange("192.0.2.10")
			if err != nil {
				t.Fatal(err)
			}
			c.VIPs = []Range{r}
			c.Check = tt.check
			env := map[string]string{}
			for _, v := range c.Env() {
				env[v.Name] = v.Value
				if strings.HasPrefix(v.Name, "OPENSHIFT_HA_CHECK_") && v.Name != EnvCheckScript && v.Name != EnvCheckInterval && tt.want[v.Name] != v.Value {
					t.Errorf("%s=%q, want %q", v.Name, v.Value, tt.want[v.Name])
				}
			}
			for k := range tt.want {
				if _, ok := env[k]; !ok {
					t.Errorf("%s is not written", k)
				}
			}
			got, err := FromEnv(envOf(env))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.check, got.Check); diff != "" {
				t.Errorf("read back (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCheckRejects: every finding names its variable and the rule.
func TestCheckRejects(t *testing.T) {
	base := func(kv ...string) map[string]string {
		m := map[string]string{EnvVirtualIPs: "192.0.2.10"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"both kinds", base(EnvCheckTCP, ":80", EnvCheckHTTP, "http://:80/"), []string{"OPENSHIFT_HA_CHECK_HTTP \"http://:80/\": and OPENSHIFT_HA_CHECK_TCP exclude each other"}},
		{"with a script", base(EnvCheckTCP, ":80", EnvCheckScript, "/c.sh"), []string{"OPENSHIFT_HA_CHECK_TCP: and OPENSHIFT_HA_CHECK_SCRIPT exclude each other"}},
		{"tcp without port", base(EnvCheckTCP, "192.0.2.1"), []string{"OPENSHIFT_HA_CHECK_TCP \"192.0.2.1\": must be HOST:PORT"}},
		{"tcp port letters", base(EnvCheckTCP, ":http"), []string{"port \"http\" is not a number"}},
		{"tcp port range", base(EnvCheckTCP, ":70000"), []string{"port 70000 is not a TCP port"}},
		{"tcp host name", base(EnvCheckTCP, "localhost:80"), []string{`host "localhost" must be an IP address`}},
		{"ftp", base(EnvCheckHTTP, "ftp://:21/"), []string{"must be an http:// or https:// URL"}},
		{"user", base(EnvCheckHTTP, "http://u:p@h:80/"), []string{"without user or fragment"}},
		{"empty port", base(EnvCheckHTTP, "http://h:/x"), []string{"has an empty port"}},
		{"status", base(EnvCheckHTTP, "http://:80/", EnvCheckHTTPStatus, "300-200"), []string{"OPENSHIFT_HA_CHECK_HTTP_STATUS \"300-200\": must be HTTP statuses 100..599"}},
		{"status words", base(EnvCheckHTTP, "http://:80/", EnvCheckHTTPStatus, "2xx"), []string{"must be a status or a range"}},
		{"status without http", base(EnvCheckHTTPStatus, "200"), []string{"is set but OPENSHIFT_HA_CHECK_HTTP is not"}},
		{"timeout past interval", base(EnvCheckTCP, ":80", EnvCheckTimeout, "3s"), []string{"OPENSHIFT_HA_CHECK_TIMEOUT \"3s\": must be positive and at most the check interval (2s)"}},
		{"timeout without a check", base(EnvCheckTimeout, "1s"), []string{"is set but neither"}},
		{"timeout words", base(EnvCheckTCP, ":80", EnvCheckTimeout, "soon"), []string{"must be a duration"}},
		{"insecure on http", base(EnvCheckHTTP, "http://:80/", EnvCheckTLSInsecure, "true"), []string{"OPENSHIFT_HA_CHECK_TLS_INSECURE: applies only to an https check"}},
		{"insecure words", base(EnvCheckHTTP, "https://:443/", EnvCheckTLSInsecure, "sure"), []string{"must be true or false"}},
		{"health port", base(EnvCheckHTTP, "http://:1985/healthz"), []string{"would probe the agent itself"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FromEnv(envOf(tt.env))
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

// TestCheckTarget: an empty host is the node's own address, else 127.0.0.1.
func TestCheckTarget(t *testing.T) {
	c := NewHTTPCheck(CheckHTTP, "", 8080, "/healthz")
	if got := c.URL(netip.MustParseAddr("192.0.2.5")); got != "http://192.0.2.5:8080/healthz" {
		t.Errorf("URL %q", got)
	}
	if got := c.Target(netip.Addr{}); got != "127.0.0.1:8080" {
		t.Errorf("target without a node address %q", got)
	}
	if got := (&Check{Kind: CheckTCP, Host: "2001:db8::1", Port: 80}).Target(netip.Addr{}); got != "[2001:db8::1]:80" {
		t.Errorf("IPv6 target %q", got)
	}
	if got := c.EffectiveTimeout(2 * time.Second); got != 2*time.Second {
		t.Errorf("default timeout %v", got)
	}
}

// FuzzCheckEnv: any values of the check's variables decode without a
// panic, and what decodes cleanly is written back the same.
func FuzzCheckEnv(f *testing.F) {
	f.Add(":80", "", "", "", "")
	f.Add("", "https://[2001:db8::1]:8443/x?y=1", "200-204", "500ms", "true")
	f.Add("", "http://:/", "2", "", "")
	f.Fuzz(func(t *testing.T, tcp, web, status, timeout, insecure string) {
		env := map[string]string{EnvVirtualIPs: "192.0.2.10", EnvCheckTCP: tcp, EnvCheckHTTP: web,
			EnvCheckHTTPStatus: status, EnvCheckTimeout: timeout, EnvCheckTLSInsecure: insecure}
		c, err := FromEnv(envOf(env))
		if err != nil || c.Check == nil {
			return
		}
		again := map[string]string{}
		for _, v := range c.Env() {
			again[v.Name] = v.Value
		}
		c2, err := FromEnv(envOf(again))
		if err != nil {
			t.Fatalf("%+v written as %v does not read back: %v", c.Check, again, err)
		}
		if diff := cmp.Diff(c.Check, c2.Check); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}
