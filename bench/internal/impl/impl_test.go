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
