package contract

import (
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var addrEqual = cmp.Comparer(func(a, b netip.Addr) bool { return a == b })

// roundTrip checks FromEnv(Env(c)) == c: Env writes every variable once and
// FromEnv reads back exactly the configuration.
func roundTrip(t *testing.T, c Config) {
	t.Helper()
	if err := c.Validate(); err != nil {
		t.Fatalf("the generated config is invalid: %v\n%+v", err, c)
	}
	env := c.Env()
	m := make(map[string]string, len(env))
	for _, v := range env {
		m[v.Name] = v.Value
	}
	if len(m) != len(env) {
		t.Fatalf("a variable is written twice: %v", env)
	}
	back, err := FromEnv(envOf(m))
	if err != nil {
		t.Fatalf("FromEnv(Env(c)): %v\nenv %v", err, m)
	}
	if diff := cmp.Diff(c, back, addrEqual); diff != "" {
		t.Errorf("FromEnv(Env(c)) != c (-c +back):\n%s\nenv %v", diff, m)
	}
}

func TestEnvRoundTripTable(t *testing.T) {
	base := func() Config {
		c := ImageDefaults()
		c.VIPs = []Range{one(netip.MustParseAddr("192.0.2.10"))}
		return c
	}
	tests := []struct {
		name string
		edit func(*Config)
	}{
		{"image defaults", func(*Config) {}},
		{"monitor port off, groups and exclusions", func(c *Config) {
			c.VIPs = []Range{{netip.MustParseAddr("192.0.2.10"), netip.MustParseAddr("192.0.2.14")}}
			c.MonitorPort, c.VIPGroups, c.ExcludedVRIDs = 0, 2, []int{11, 12}
		}},
		{"nopreempt", func(c *Config) { c.Preemption = Preemption{Never: true} }},
		{"preempt at once", func(c *Config) { c.Preemption = Preemption{} }},
		{"v3, 10ms, IPv6 only", func(c *Config) {
			c.VRRPVersion, c.AdvertInterval = 3, MinV3Interval
			c.VIPs = []Range{one(netip.MustParseAddr("2001:db8::1")), one(netip.MustParseAddr("2001:db8::2"))}
			c.UnicastPeers = []netip.Addr{netip.MustParseAddr("2001:db8:1::1")}
		}},
		{"v3, 40.95s", func(c *Config) { c.VRRPVersion, c.AdvertInterval = 3, MaxV3Interval }},
		{"v2, 255s", func(c *Config) { c.AdvertInterval = MaxV2Interval }},
		{"every optional variable", func(c *Config) {
			c.UnicastSource = netip.MustParseAddr("198.51.100.7")
			c.MulticastSource = netip.MustParseAddr("198.51.100.8")
			c.Priority, c.Nodes = 255, []string{"a", "b"}
			c.Check = NewHTTPCheck(CheckHTTPS, "", 8443, "/healthz?x=1")
			c.Check.Timeout, c.Check.InsecureSkipVerify = 1500*time.Millisecond, true
		}},
		{"tcp check on an IPv6 host", func(c *Config) { c.Check = &Check{Kind: CheckTCP, Host: "2001:db8:1::9", Port: 9} }},
		{"http check, one status", func(c *Config) {
			c.Check = NewHTTPCheck(CheckHTTP, "svc.example.com", 0, "")
			c.Check.StatusMin, c.Check.StatusMax = 204, 204
		}},
		{"longest chain name, hour-long check", func(c *Config) {
			c.IPTablesChain, c.CheckInterval = "C234567890123456789012345678", MaxCheckInterval
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base()
			tt.edit(&c)
			roundTrip(t, c)
		})
	}
}

// TestEnvRoundTripGenerated is the property over generated configs: a
// fixed set of seeds here, any seed under FuzzEnvRoundTrip.
func TestEnvRoundTripGenerated(t *testing.T) {
	for seed := range uint64(500) {
		c := genConfig(rand.New(rand.NewPCG(seed, 15)))
		roundTrip(t, c)
		if t.Failed() {
			t.Fatalf("seed %d", seed)
		}
	}
}

func FuzzEnvRoundTrip(f *testing.F) {
	f.Add(uint64(0), uint64(0))
	f.Add(uint64(1), uint64(15))
	f.Add(uint64(1<<63), uint64(42))
	f.Fuzz(func(t *testing.T, a, b uint64) {
		roundTrip(t, genConfig(rand.New(rand.NewPCG(a, b))))
	})
}
