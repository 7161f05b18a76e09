package impl

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

func setup(version int, interval time.Duration) Setup {
	return Setup{
		Name: "bench-a", Interface: "eth0", NodeAddr: netip.MustParseAddr("192.0.2.11"),
		VIPs:    []netip.Addr{netip.MustParseAddr("198.51.100.1"), netip.MustParseAddr("198.51.100.2")},
		Version: version, Interval: interval, Priority: 200, PreemptDelay: 300 * time.Second,
		MonitorPort: 80, CheckInterval: 2 * time.Second, Replicas: 3,
	}
}

func TestKeepalivedConfV2(t *testing.T) {
	s := setup(2, time.Second)
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	conf := KeepalivedConf(s)
	for _, want := range []string{
		"router_id bench_a", `script "/bin/bash -c '</dev/tcp/192.0.2.11/80'"`, "interval 2",
		"vrrp_instance bench_a_VIP_2 {", "virtual_router_id 2", "priority 200", "preempt_delay 300",
		"auth_type PASS", "auth_pass bench-a", "track_script {", "198.51.100.2 dev eth0",
	} {
		if !strings.Contains(conf, want) {
			t.Errorf("the VRRPv2 configuration lacks %q:\n%s", want, conf)
		}
	}
	for _, unwanted := range []string{"state MASTER", "advert_int", "vrrp_version"} {
		if strings.Contains(conf, unwanted) {
			t.Errorf("the VRRPv2 configuration has %q", unwanted)
		}
	}
}

func TestKeepalivedConfV3(t *testing.T) {
	conf := KeepalivedConf(setup(3, 100*time.Millisecond))
	for _, want := range []string{"vrrp_version 3", "advert_int 0.1"} {
		if !strings.Contains(conf, want) {
			t.Errorf("the VRRPv3 configuration lacks %q", want)
		}
	}
	if strings.Contains(conf, "authentication") {
		t.Error("the VRRPv3 configuration has an authentication block")
	}
}

// TestGroupsAsTheImageCutsThem: 10 VIPs in 4 groups are 3, 3, 2, 2
// consecutive VIPs per vrrp_instance, VRIDs 1..4, and our agent gets the
// same VIP_GROUPS.
func TestGroupsAsTheImageCutsThem(t *testing.T) {
	s := setup(3, 100*time.Millisecond)
	s.VIPs, s.Groups = nil, 4
	a := netip.MustParseAddr("2001:db8:1::1")
	for range 10 {
		s.VIPs, a = append(s.VIPs, a), a.Next()
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	conf := KeepalivedConf(s)
	for i, want := range []string{
		"virtual_router_id 1\n",
		"virtual_ipaddress {\n    2001:db8:1::1 dev eth0\n    2001:db8:1::2 dev eth0\n    2001:db8:1::3 dev eth0\n   }",
		"virtual_router_id 4\n",
		"    2001:db8:1::9 dev eth0\n    2001:db8:1::a dev eth0\n   }",
	} {
		if !strings.Contains(conf, want) {
			t.Errorf("%d: the configuration lacks %q:\n%s", i, want, conf)
		}
	}
	if n := strings.Count(conf, "vrrp_instance "); n != 4 {
		t.Errorf("%d vrrp_instances, want 4", n)
	}
	if env := strings.Join(OursEnv(s), "\n"); !strings.Contains(env, "OPENSHIFT_HA_VIP_GROUPS=4") {
		t.Errorf("OursEnv:\n%s", env)
	}
	s.Version = 2
	if s.Validate() == nil {
		t.Error("IPv6 VIPs with VRRPv2 validated")
	}
	s.Version, s.Groups = 3, 0
	s.VIPs = append(s.VIPs, make([]netip.Addr, 250)...)
	for i := 10; i < len(s.VIPs); i++ {
		s.VIPs[i], a = a, a.Next()
	}
	if s.Validate() == nil {
		t.Error("260 groups validated")
	}
}

func TestValidateAndBounds(t *testing.T) {
	s := setup(2, 100*time.Millisecond)
	if s.Validate() == nil {
		t.Error("VRRPv2 at 100ms validated")
	}
	if got := MasterDown(150, time.Second); got != 3*time.Second+106*time.Second/256 {
		t.Errorf("MasterDown(150, 1s) = %s", got)
	}
	if env := strings.Join(OursEnv(setup(3, 100*time.Millisecond)), "\n"); !strings.Contains(env, "OPENSHIFT_HA_ADVERT_INTERVAL=100ms") ||
		!strings.Contains(env, "OPENSHIFT_HA_PRIORITY=200") || !strings.Contains(env, "OPENSHIFT_HA_VIRTUAL_IPS=198.51.100.1,198.51.100.2") {
		t.Errorf("OursEnv:\n%s", env)
	}
}
