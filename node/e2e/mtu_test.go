//go:build linux

package e2e

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/internal/nstest"
)

// TestBackupWithTooSmallMTUWarns puts 16 VIPs in one group: its VRRPv3
// advert is 8 + 16×4 bytes, 92 with the IPv4 header. The backup's eth0 has
// an MTU of 68, so its kernel drops the master's adverts on the way in:
// the backup hears nothing and becomes a second master, which is what the
// agent warns about at start (it carries on: nothing in the configuration
// is wrong, only the interface). The warning names the group, the
// interface and its MTU, the advert's size and the variable to change.
// Raising the MTU ends it: the backup steps down at the master's next
// advert, and the VIP never lacks an owner. The VIP's owners are sampled every 20 ms.
//
// Before, the second master came with no warning.
func TestBackupWithTooSmallMTUWarns(t *testing.T) {
	t.Parallel()
	cfg := fastSet(t, "192.0.2.100-115")
	cfg.VIPGroups = 1
	cfg.Nodes = []string{"a", "b"}
	c := newCluster(t, cfg, "a", "b")
	a, b := c.node("a"), c.node("b")
	vip := netip.MustParseAddr("192.0.2.100")
	vrid := c.group(vip).VRID
	if n := len(c.group(vip).VIPs); n != 16 {
		t.Fatalf("the group has %d VIPs, want 16", n)
	}
	a.start("OPENSHIFT_HA_PRIORITY=200")
	c.convergeTo(vrid, a, a)
	if out := a.proc.Output(); strings.Contains(out, "MTU") {
		t.Errorf("a, with an MTU of 1500, warned about it:\n%s", out)
	}

	mon := c.monitorOwners(vip)
	b.MustRun("ip", "link", "set", nstest.HostIfname, "mtu", "68")
	b.start("OPENSHIFT_HA_PRIORITY=100")
	var warning string
	for _, line := range strings.Split(b.proc.Output(), "\n") {
		if strings.Contains(line, "do not fit the interface MTU") {
			warning = line
		}
	}
	if warning == "" {
		t.Fatalf("b, with an MTU of 68 for 92-byte adverts, did not warn:\n%s", b.proc.Output())
	}
	for _, want := range []string{"level=WARN", "interface=" + nstest.HostIfname, "mtu=68", "advert_bytes=92",
		"vips=16", fmt.Sprintf("vrid=%d", vrid), "variable=OPENSHIFT_HA_VIP_GROUPS"} {
		if !strings.Contains(warning, want) {
			t.Errorf("the MTU warning lacks %q: %s", want, warning)
		}
	}
	// What the warning predicts: b, deaf to a, is master too.
	nstest.WaitFor(t, c.bound(), "b a second master", func() error {
		v, err := c.observe()
		if err != nil {
			return err
		}
		if v.states[a][vrid] != stateMaster || v.states[b][vrid] != stateMaster {
			return fmt.Errorf("%v", v)
		}
		return nil
	})
	time.Sleep(time.Second)
	double, zero, err := mon.Longest()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("MTU 68: longest double owner %v, longest zero owner %v (sampled every %v)", double, zero, ownerSample)

	b.MustRun("ip", "link", "set", nstest.HostIfname, "mtu", "1500")
	mon.Reset() // the fault ends here
	c.waitMaster("a the only master once b's MTU carries the adverts", a, vrid)
	c.hold(500 * time.Millisecond)
	// b steps down at the first advert of a it hears: the next one, within
	// an advert interval of the MTU change, plus the time to drop 16
	// VIPs; twice the interval bounds both on a loaded machine.
	double, zero, err = mon.Longest()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("MTU raised to 1500: longest double owner %v, longest zero owner %v (sampled every %v)", double, zero, ownerSample)
	if limit := 2 * cfg.AdvertInterval; double > limit || zero > 0 {
		t.Errorf("after the MTU was raised: double owner %v (limit %v), zero owner %v (want none)", double, limit, zero)
	}
}
