package agent_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/node/agent"
	"github.com/failoverkit/ipfailover/node/check"
	"github.com/failoverkit/ipfailover/node/netif"
	"github.com/failoverkit/ipfailover/node/transport"
	"github.com/failoverkit/ipfailover/node/vrrp/packet"
)

var (
	self  = netip.MustParseAddr("192.0.2.11")
	peer  = netip.MustParseAddr("192.0.2.12")
	vip   = netip.MustParseAddr("192.0.2.100")
	other = netip.MustParseAddr("192.0.2.200") // another failover set's VIP
)

// rig is an agent for one VIP (VRID 11, VRRPv3 at 100 ms) on fakes.
type rig struct {
	t      *testing.T
	a      *agent.Agent
	addrs  *fakeAddrs
	conn   *fakeConn
	ann    *fakeAnnouncer
	j      *journal
	events chan netif.AddrEvent
	link   chan netif.LinkEvent
	m      *agent.Metrics
	stop   func() error
}

// start runs an agent with the pinned priority (255: master at once) and
// the given reconcile period; checker may be nil; opts adjust the Deps.
func start(t *testing.T, prio int, reconcile time.Duration, checker check.Checker, opts ...func(*agent.Deps, *rig)) *rig {
	t.Helper()
	cfg := contract.ImageDefaults()
	cfg.Name = "unit"
	ranges, _, err := contract.ParseVIPEntries([]string{vip.String()})
	if err != nil {
		t.Fatal(err)
	}
	cfg.VIPs = ranges
	cfg.Interface = "eth0"
	cfg.MonitorPort = 0
	cfg.VRRPVersion = 3
	cfg.AdvertInterval = 100 * time.Millisecond
	cfg.CheckInterval = time.Second
	cfg.Priority = prio
	cfg.Preemption = contract.Preemption{}
	j := &journal{}
	r := &rig{t: t, j: j, addrs: newFakeAddrs(j), conn: newFakeConn(self, j), ann: &fakeAnnouncer{},
		events: make(chan netif.AddrEvent, 16), link: make(chan netif.LinkEvent, 16), m: agent.NewMetrics()}
	deps := agent.Deps{
		Link: netif.Link{Name: "eth0", Index: 2}, Addrs: r.addrs, Conn4: r.conn, Announcer: r.ann,
		AddrEvents: r.events, Metrics: r.m, Log: slog.New(slog.DiscardHandler),
	}
	if checker != nil {
		deps.Checker = checker
	}
	for _, o := range opts {
		o(&deps, r)
	}
	r.a, err = agent.New(cfg, deps, agent.Options{Self: []netip.Addr{self}, ReconcileEvery: reconcile})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.a.Run(ctx) }()
	stopped := false
	r.stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(5 * time.Second):
			return errors.New("Run did not return within 5s of cancel")
		}
	}
	t.Cleanup(func() {
		if err := r.stop(); err != nil {
			t.Error(err)
		}
	})
	if !eventually(r.a.Ready) {
		t.Fatal("agent never became ready")
	}
	return r
}

// counter reads a counter or gauge without labels from the agent's registry.
func (r *rig) counter(name string) float64 {
	r.t.Helper()
	var text bytes.Buffer
	if err := r.m.Registry.WriteText(&text); err != nil {
		r.t.Fatal(err)
	}
	p := expfmt.NewTextParser(model.LegacyValidation)
	mfs, err := p.TextToMetricFamilies(&text)
	if err != nil {
		r.t.Fatal(err)
	}
	if mf, ok := mfs[name]; ok {
		var sum float64
		for _, m := range mf.GetMetric() {
			sum += m.GetCounter().GetValue() + m.GetGauge().GetValue()
		}
		return sum
	}
	r.t.Fatalf("no metric %s", name)
	return 0
}

// advert is a VRRPv3 advert for our VRID from src with priority prio.
func (r *rig) advert(prio uint8, src netip.Addr) transport.Packet {
	r.t.Helper()
	b, err := packet.Marshal(packet.Advert{Version: 3, VRID: 11, Priority: prio, Interval: 10, Addrs: []netip.Addr{vip}},
		packet.EncodeOptions{Src: src, Dst: transport.GroupV4})
	if err != nil {
		r.t.Fatal(err)
	}
	return transport.Packet{Payload: b, Src: src, Dst: transport.GroupV4, TTL: 255, IfIndex: 2}
}

// advertise feeds adverts of a live master with priority prio from the
// peer every 30 ms until the test ends.
func (r *rig) advertise(prio uint8) {
	p := r.advert(prio, peer)
	done := make(chan struct{})
	r.t.Cleanup(func() { close(done) })
	go func() {
		tick := time.NewTicker(30 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case r.conn.in <- p:
			case <-done:
				return
			}
			select {
			case <-tick.C:
			case <-done:
				return
			}
		}
	}()
}

// TestMasterGetsRemovedVIPBack removes the master's VIP behind its back
// and checks it comes back, counted and announced again, both through the
// address subscription (at once) and through the periodic reconcile (when
// no event arrives).
func TestMasterGetsRemovedVIPBack(t *testing.T) {
	for _, tc := range []struct {
		name      string
		reconcile time.Duration
		event     bool
	}{
		{name: "address event", reconcile: time.Hour, event: true},
		{name: "periodic reconcile", reconcile: 50 * time.Millisecond, event: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := start(t, 255, tc.reconcile, nil)
			if !eventually(func() bool { return r.addrs.has(vip) }) {
				t.Fatal("the address owner never added its VIP")
			}
			bursts := r.ann.count()
			r.addrs.RemoveVIP(netif.Link{}, vip)
			if tc.event {
				r.events <- netif.AddrEvent{Prefix: netip.PrefixFrom(vip, 32), Added: false}
			}
			if !eventually(func() bool { return r.addrs.has(vip) && r.counter("ipfailover_vips_reasserted_total") == 1 }) {
				t.Fatalf("VIP back: %v, reasserted: %v", r.addrs.has(vip), r.counter("ipfailover_vips_reasserted_total"))
			}
			if got := r.ann.count(); got != bursts+1 {
				t.Errorf("%d announcement bursts after the re-add, want %d", got, bursts+1)
			}
		})
	}
}

// TestVIPAddedWhileNotMasterIsRemoved adds the group's VIP from outside
// while the group is Backup (a live master of higher priority advertises)
// or Fault (the check fails): the address event makes the agent remove it
// at once, because two nodes holding a VIP both answer ARP for it.
func TestVIPAddedWhileNotMasterIsRemoved(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T) *rig
		state string
	}{
		{name: "backup", state: "backup", setup: func(t *testing.T) *rig {
			r := start(t, 100, time.Hour, nil)
			r.advertise(200)
			return r
		}},
		{name: "fault", state: "fault", setup: func(t *testing.T) *rig {
			return start(t, 100, time.Hour, &fakeCheck{fail: errors.New("down")})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.setup(t)
			want := map[string]float64{"backup": 1, "fault": 3}[tc.state]
			if !eventually(func() bool { return r.counter("ipfailover_vrrp_state") == want }) {
				t.Fatalf("state %v, want %v (%s)", r.counter("ipfailover_vrrp_state"), want, tc.state)
			}
			r.addrs.put(vip, false)
			r.events <- netif.AddrEvent{Prefix: netip.PrefixFrom(vip, 32), Added: true}
			if !eventually(func() bool { return !r.addrs.has(vip) }) {
				t.Fatal("the VIP added from outside is still there")
			}
			if got := r.counter("ipfailover_vips_stray_removed_total"); got != 1 {
				t.Errorf("stray removals = %v, want 1", got)
			}
			// Another prefix length is not a VIP: left alone.
			r.addrs.put(vip, false)
			r.events <- netif.AddrEvent{Prefix: netip.PrefixFrom(vip, 24), Added: true}
			time.Sleep(100 * time.Millisecond)
			if !r.addrs.has(vip) {
				t.Error("an address of the VIP's IP with prefix /24 was removed")
			}
		})
	}
}

// TestReconcileTouchesOnlyThisSet runs a backup whose interface holds a
// marked copy of its own VIP (a failed removal) and a marked VIP of
// another failover set: the reconcile removes the first and keeps the
// second, also across shutdown.
func TestReconcileTouchesOnlyThisSet(t *testing.T) {
	r := start(t, 100, 50*time.Millisecond, nil)
	r.advertise(200)
	r.addrs.put(other, true)
	r.addrs.put(vip, true)
	if !eventually(func() bool { return !r.addrs.has(vip) }) {
		t.Fatal("the backup's own marked VIP was not removed by the reconcile")
	}
	time.Sleep(200 * time.Millisecond) // several reconcile periods
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}
	if !r.addrs.has(other) {
		t.Error("another set's VIP was removed")
	}
}

// TestShutdownResignsAndReleases stops a master: its last advert has
// priority 0, its VIP is gone, and Run returns nil.
func TestShutdownResignsAndReleases(t *testing.T) {
	r := start(t, 255, time.Hour, nil)
	if !eventually(func() bool { return r.addrs.has(vip) }) {
		t.Fatal("the address owner never added its VIP")
	}
	if err := r.stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if p, ok := r.conn.lastSent(); !ok || p != 0 {
		t.Errorf("last advert priority %d (sent: %v), want 0", p, ok)
	}
	if r.addrs.has(vip) {
		t.Error("VIP still on the interface after shutdown")
	}
	if r.a.Ready() {
		t.Error("Ready after shutdown")
	}
}

// TestMasterMeetingAnotherMaster feeds a master one advert of another
// master, as when a partition heals. If we outrank it, we stay master and
// announce the VIPs again (neighbours learned the other master's MAC
// meanwhile), at most once a second however many adverts it sends. If it
// outranks us, we step down, remove the VIPs and send one advert at our
// priority, so that it hears a lower master and re-announces.
func TestMasterMeetingAnotherMaster(t *testing.T) {
	lower := netip.MustParseAddr("192.0.2.10") // below self (.11)
	for _, tc := range []struct {
		name      string
		prio      uint8
		src       netip.Addr
		stays     bool
		refreshes float64
	}{
		{name: "lower priority", prio: 100, src: peer, stays: true, refreshes: 1},
		{name: "equal priority, lower address", prio: 200, src: lower, stays: true, refreshes: 1},
		{name: "equal priority, higher address", prio: 200, src: peer, stays: false},
		{name: "higher priority", prio: 250, src: lower, stays: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := start(t, 200, time.Hour, nil)
			if !eventually(func() bool { return r.counter("ipfailover_vrrp_state") == 2 }) {
				t.Fatal("never became master")
			}
			bursts := r.ann.count()
			for range 3 {
				r.conn.in <- r.advert(tc.prio, tc.src)
			}
			if tc.stays {
				if !eventually(func() bool { return r.counter("ipfailover_announce_refreshes_total") == tc.refreshes }) {
					t.Fatalf("refreshes = %v, want %v", r.counter("ipfailover_announce_refreshes_total"), tc.refreshes)
				}
				time.Sleep(50 * time.Millisecond) // the later adverts are handled too
				if got := r.counter("ipfailover_announce_refreshes_total"); got != tc.refreshes {
					t.Errorf("refreshes = %v after three adverts, want %v", got, tc.refreshes)
				}
				if got := r.ann.count(); got != bursts+1 {
					t.Errorf("%d bursts, want %d", got, bursts+1)
				}
				if r.counter("ipfailover_vrrp_state") != 2 || !r.addrs.has(vip) {
					t.Error("a master that outranks the other one must stay master with its VIP")
				}
				return
			}
			if !eventually(func() bool { return r.counter("ipfailover_vrrp_state") == 1 && !r.addrs.has(vip) }) {
				t.Fatal("outranked master did not step down and release its VIP")
			}
			// After the VIP is removed (the demotion), exactly one advert
			// at our priority; the advert timer is stopped, so no other.
			if !eventually(func() bool { return slices.Contains(r.j.snapshot(), "remove") }) {
				t.Fatal("no removal journaled")
			}
			time.Sleep(300 * time.Millisecond) // longer than the advert interval
			entries := r.j.snapshot()
			after := entries[slices.Index(entries, "remove")+1:]
			if i := slices.Index(after, "add"); i > 0 {
				// Master_Down_Interval (322 ms) after the demotion the
				// agent, hearing nobody, is elected again (its advert,
				// then the VIP): a loaded machine gets there within the
				// 300 ms. That is not an advert of the demoted machine.
				after = after[:i-1]
			}
			if !slices.Equal(after, []string{"send 200"}) {
				t.Errorf("after stepping down the agent did %v, want [send 200]", after)
			}
			if got := r.counter("ipfailover_announce_refreshes_total"); got != 0 {
				t.Errorf("refreshes = %v, want 0", got)
			}
		})
	}
}

// trackLink makes the agent watch the link, which is usable at start or not.
func trackLink(usable bool) func(*agent.Deps, *rig) {
	return func(d *agent.Deps, r *rig) {
		d.Link.Up, d.Link.Running = true, usable
		d.LinkEvents = r.link
	}
}

// TestLinkStateFaultsEveryGroup drives the interface state: a link that is
// down or without carrier puts the groups into FAULT (a master resigns
// with priority 0 and releases its VIP), and they come back when it is
// usable again, unless the health check fails too. A link unusable at
// start makes the groups start in FAULT.
func TestLinkStateFaultsEveryGroup(t *testing.T) {
	const master, fault = 2, 3
	state := func(r *rig, want float64) {
		t.Helper()
		if !eventually(func() bool { return r.counter("ipfailover_vrrp_state") == want }) {
			t.Fatalf("state %v, want %v", r.counter("ipfailover_vrrp_state"), want)
		}
	}
	t.Run("carrier lost and back", func(t *testing.T) {
		check := &fakeCheck{}
		r := start(t, 255, time.Hour, check, trackLink(true))
		state(r, master)
		r.link <- netif.LinkEvent{Usable: false}
		state(r, fault)
		if r.addrs.has(vip) || r.counter("ipfailover_link_up") != 0 {
			t.Errorf("in FAULT for the link: VIP held %v, link_up %v", r.addrs.has(vip), r.counter("ipfailover_link_up"))
		}
		if p, ok := r.conn.lastSent(); !ok || p != 0 {
			t.Errorf("last advert priority %d (sent %v), want 0: a master resigns on FAULT", p, ok)
		}
		// The check fails too, then the link returns: still FAULT.
		check.set(errors.New("down"))
		if !eventually(func() bool { return r.counter("ipfailover_check_up") == 0 }) {
			t.Fatal("the failing check was never reported")
		}
		r.link <- netif.LinkEvent{Usable: true}
		for end := time.Now().Add(300 * time.Millisecond); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
			if got := r.counter("ipfailover_vrrp_state"); got != fault {
				t.Fatalf("state %v with a usable link but a failing check, want FAULT", got)
			}
		}
		check.set(nil)
		state(r, master)
		if !r.addrs.has(vip) || r.counter("ipfailover_link_up") != 1 {
			t.Errorf("back to MASTER: VIP held %v, link_up %v", r.addrs.has(vip), r.counter("ipfailover_link_up"))
		}
	})
	t.Run("unusable at start", func(t *testing.T) {
		r := start(t, 255, time.Hour, nil, trackLink(false))
		state(r, fault)
		if r.addrs.has(vip) {
			t.Error("VIP added while the link was unusable")
		}
		r.link <- netif.LinkEvent{Usable: true}
		state(r, master)
	})
}
