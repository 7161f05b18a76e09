package contract

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func envOf(m map[string]string) Lookup {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// The documentation's example Deployment (OpenShift 4.22), as env.
var docsEnv = map[string]string{
	EnvConfigName:    "ipfailover",
	EnvVirtualIPs:    "1.1.1.1-2",
	EnvVIPGroups:     "10",
	EnvInterface:     "ens3",
	EnvMonitorPort:   "30060",
	EnvVRIDOffset:    "10",
	EnvReplicaCount:  "2",
	EnvUseUnicast:    "false",
	EnvIPTablesChain: "INPUT",
	EnvNotifyScript:  "",
	EnvCheckScript:   "/etc/keepalive/mycheckscript.sh",
	EnvPreemption:    "preempt_delay 300",
	EnvCheckInterval: "2",
}

func TestFromEnvDocsExample(t *testing.T) {
	c, err := FromEnv(envOf(docsEnv))
	if err != nil {
		t.Fatal(err)
	}
	gs, err := c.Groups()
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 2 || gs[0].VRID != 11 || gs[1].VRID != 12 ||
		gs[0].VIPs[0] != netip.MustParseAddr("1.1.1.1") || gs[1].VIPs[0] != netip.MustParseAddr("1.1.1.2") {
		t.Fatalf("groups %+v", gs)
	}
	if c.Interface != "ens3" || c.MonitorPort != 30060 || c.ReplicaCount != 2 || c.CheckInterval != 2*time.Second ||
		c.Preemption != (Preemption{Delay: 300 * time.Second}) || c.FirewallChain() != "INPUT" ||
		c.VRRPVersion != 2 || c.AdvertInterval != time.Second || c.HealthPort != DefaultHealthPort {
		t.Errorf("decoded %+v", c)
	}
}

func TestFromEnvDefaults(t *testing.T) {
	c, err := FromEnv(envOf(map[string]string{EnvVirtualIPs: "192.0.2.10", EnvPreemption: "", EnvMonitorPort: ""}))
	if err != nil {
		t.Fatal(err)
	}
	want := ImageDefaults()
	want.VIPs = c.VIPs
	if diff := cmp.Diff(want, c, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
	if c.FirewallChain() != "" || c.Unicast() {
		t.Errorf("default firewall chain %q, unicast %v", c.FirewallChain(), c.Unicast())
	}
	c2, err := FromEnv(envOf(map[string]string{EnvVirtualIPs: "192.0.2.10", EnvNFTablesRule: "true"}))
	if err != nil || c2.FirewallChain() != "INPUT" {
		t.Errorf("NFTABLES_RULE alone: chain %q, %v", c2.FirewallChain(), err)
	}
}

func TestFromEnvRejects(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []string // every substring must appear
	}{
		{"no VIPs", map[string]string{}, []string{"OPENSHIFT_HA_VIRTUAL_IPS: is empty"}},
		{"port with letters", map[string]string{EnvVirtualIPs: "192.0.2.1", EnvMonitorPort: "80a"}, []string{`OPENSHIFT_HA_MONITOR_PORT "80a": must be a whole number`}},
		{"port too big", map[string]string{EnvVirtualIPs: "192.0.2.1", EnvMonitorPort: "70000"}, []string{"OPENSHIFT_HA_MONITOR_PORT", "1..65535"}},
		{"replicas abc", map[string]string{EnvVirtualIPs: "192.0.2.1", EnvReplicaCount: "abc"}, []string{"OPENSHIFT_HA_REPLICA_COUNT"}},
		{"groups negative", map[string]string{EnvVirtualIPs: "192.0.2.1", EnvVIPGroups: "-1"}, []string{"OPENSHIFT_HA_VIP_GROUPS"}},
		{"cidr", map[string]string{EnvVirtualIPs: "192.0.2.0/24"}, []string{"OPENSHIFT_HA_VIRTUAL_IPS entry 1", "CIDR"}},
		{"preemption typo", map[string]string{EnvVirtualIPs: "192.0.2.1", EnvPreemption: "preempt_nodelay 300"}, []string{"OPENSHIFT_HA_PREEMPTION"}},
		{"preempt delay too long", map[string]string{EnvVirtualIPs: "192.0.2.1", EnvPreemption: "preempt_delay 1001"}, []string{"OPENSHIFT_HA_PREEMPTION", "0..1000"}},
		{"excluded not numbers", map[string]string{EnvVirtualIPs: "192.0.2.1", EnvExcludedVRIDs: "12,13"}, []string{"HA_EXCLUDED_VRRP_IDS"}},
		{"VRID past 255", map[string]string{EnvVirtualIPs: "192.0.2.1-3", EnvVRIDOffset: "253"}, []string{"OPENSHIFT_HA_VIP_GROUPS", "VRID 256"}},
		{"IPv6 on v2", map[string]string{EnvVirtualIPs: "2001:db8::1"}, []string{"OPENSHIFT_HA_VRRP_VERSION", "version 3"}},
		{"v2 sub-second", map[string]string{EnvVirtualIPs: "192.0.2.1", EnvAdvertInterval: "100ms"}, []string{"OPENSHIFT_HA_ADVERT_INTERVAL", "whole seconds"}},
		{"v3 odd interval", map[string]string{EnvVirtualIPs: "192.0.2.1", EnvVRRPVersion: "3", EnvAdvertInterval: "15ms"}, []string{"OPENSHIFT_HA_ADVERT_INTERVAL", "multiples of 10ms"}},
		{"version 4", map[string]string{EnvVirtualIPs: "192.0.2.1", EnvVRRPVersion: "4"}, []string{"OPENSHIFT_HA_VRRP_VERSION", "2 or 3"}},
		{"bad peer", map[string]string{EnvVirtualIPs: "192.0.2.1", EnvUnicastPeers: "192.0.2.11,node2"}, []string{"OPENSHIFT_HA_UNICAST_PEERS entry 2"}},
		{"peer with a zone", map[string]string{EnvVirtualIPs: "2001:db8::1", EnvVRRPVersion: "3", EnvUnicastPeers: "2001:db8::11%eth0"}, []string{"OPENSHIFT_HA_UNICAST_PEERS entry 1", "zone"}},
		{"peer that is a VIP", map[string]string{EnvVirtualIPs: "192.0.2.1-3", EnvUnicastPeers: "192.0.2.11,192.0.2.2"}, []string{"OPENSHIFT_HA_UNICAST_PEERS entry 2", "is also a VIP"}},
		{"peers of the wrong family", map[string]string{EnvVirtualIPs: "192.0.2.1", EnvUnicastPeers: "2001:db8::11"}, []string{"OPENSHIFT_HA_UNICAST_PEERS", "no unicast peer is"}},
		{"health port equals monitor port", map[string]string{EnvVirtualIPs: "192.0.2.1", EnvHealthPort: "80"}, []string{"OPENSHIFT_HA_HEALTH_PORT", "probe the agent itself"}},
		{"chain with a blank", map[string]string{EnvVirtualIPs: "192.0.2.1", EnvIPTablesChain: "bad chain"}, []string{`OPENSHIFT_HA_IPTABLES_CHAIN "bad chain"`, "no blanks"}},
		{"chain like an option", map[string]string{EnvVirtualIPs: "192.0.2.1", EnvIPTablesChain: "-j"}, []string{"OPENSHIFT_HA_IPTABLES_CHAIN", "'-'"}},
		{"chain too long", map[string]string{EnvVirtualIPs: "192.0.2.1", EnvIPTablesChain: strings.Repeat("C", 29)}, []string{"OPENSHIFT_HA_IPTABLES_CHAIN", "at most 28"}},
		{"IPv6 multicast source", map[string]string{EnvVirtualIPs: "192.0.2.1", EnvMulticastSource: "2001:db8::11"}, []string{"MULTICAST_SOURCE_IPADDRESS", "link-local"}},
		{"two errors at once", map[string]string{EnvVirtualIPs: "192.0.2.1", EnvMonitorPort: "x", EnvCheckInterval: "y"}, []string{"OPENSHIFT_HA_MONITOR_PORT", "OPENSHIFT_HA_CHECK_INTERVAL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FromEnv(envOf(tt.env))
			if err == nil {
				t.Fatal("accepted")
			}
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Errorf("%v carries no FieldError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestEnvRoundTrip(t *testing.T) {
	ranges, _, err := ParseVIPEntries([]string{"192.0.2.10-12", "2001:db8::a-c"})
	if err != nil {
		t.Fatal(err)
	}
	c := ImageDefaults()
	c.Name = "edge-vips"
	c.VIPs = ranges
	c.VIPGroups = 2
	c.Interface = "br-ex"
	c.ReplicaCount = 3
	c.ExcludedVRIDs = []int{12, 40}
	c.IPTablesChain = "INPUT"
	c.CheckScript = "/etc/ipfailover/scripts/check.sh"
	c.NotifyScript = "/etc/ipfailover/scripts/notify.sh"
	c.Preemption = Preemption{Never: true}
	c.UnicastPeers = []netip.Addr{netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("2001:db8::1")}
	c.VRRPVersion = 3
	c.AdvertInterval = 100 * time.Millisecond
	c.Priority = 200
	c.Nodes = []string{"worker-a", "worker-b", "worker-c"}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, v := range c.Env() {
		if _, dup := m[v.Name]; dup {
			t.Fatalf("%s written twice", v.Name)
		}
		m[v.Name] = v.Value
	}
	back, err := FromEnv(envOf(m))
	if err != nil {
		t.Fatal(err)
	}
	// IPv6 ranges are written address by address, so compare expansions.
	if diff := cmp.Diff(c.Addrs(), back.Addrs(), cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Errorf("VIPs changed (-want +got):\n%s", diff)
	}
	c.VIPs, back.VIPs = nil, nil
	if diff := cmp.Diff(c, back, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestParseInterval(t *testing.T) {
	for in, want := range map[string]time.Duration{"1s": time.Second, "100ms": 100 * time.Millisecond, "1": time.Second, "0.1": 100 * time.Millisecond, "2.5": 2500 * time.Millisecond} {
		if got, err := ParseInterval(in); err != nil || got != want {
			t.Errorf("ParseInterval(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"0", "-1", "fast", "100"} {
		if _, err := ParseInterval(in); err == nil {
			t.Errorf("ParseInterval(%q) accepted", in)
		}
	}
}
