package fsm_test

import (
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/node/vrrp/fsm"
)

func has(acts []fsm.Action, want fsm.Action) bool {
	for _, a := range acts {
		if a == want {
			return true
		}
	}
	return false
}

func stateChange(acts []fsm.Action) (fsm.StateChanged, bool) {
	for _, a := range acts {
		if sc, ok := a.(fsm.StateChanged); ok {
			return sc, true
		}
	}
	return fsm.StateChanged{}, false
}

// TestPreemptDelay walks keepalived's preempt_delay: a higher-priority
// Backup keeps accepting a live lower master until the delay has run, then
// discards its adverts and takes over when Master_Down_Timer expires.
func TestPreemptDelay(t *testing.T) {
	cfg := baseConfig()
	cfg.Priority = 200
	cfg.PreemptDelay = 300 * time.Second
	r := newRig(t, cfg)
	toBackup(r)
	low := fsm.AdvertReceived{Src: lower, Priority: 100, Interval: time.Second}

	acts := r.do(low)
	if _, ok := r.running(fsm.PreemptDelayTimer); !ok {
		t.Fatalf("first lower advert did not start the delay: %v", acts)
	}
	delayGen := r.timers[fsm.PreemptDelayTimer].Gen
	// Further lower adverts are accepted (master-down reset) and do not
	// restart the delay.
	for range 5 {
		acts = r.do(low)
		if len(acts) != 1 || acts[0].(fsm.StartTimer).Timer != fsm.MasterDownTimer {
			t.Fatalf("lower advert during the delay: %v, want only a master-down reset", acts)
		}
	}
	if r.timers[fsm.PreemptDelayTimer].Gen != delayGen {
		t.Fatal("the delay was restarted")
	}
	// The delay runs out: lower adverts are now discarded.
	if acts := r.do(r.fire(fsm.PreemptDelayTimer)); len(acts) != 0 || r.m.State() != fsm.Backup {
		t.Fatalf("delay expiry: %v in %v, want nothing in Backup", acts, r.m.State())
	}
	if acts := r.do(low); len(acts) != 0 {
		t.Fatalf("lower advert after the delay: %v, want discard", acts)
	}
	acts = r.do(r.fire(fsm.MasterDownTimer))
	if sc, ok := stateChange(acts); !ok || sc.To != fsm.Master || sc.Reason != fsm.ReasonPreempt {
		t.Fatalf("master-down after the delay: %v, want Master by preemption", acts)
	}

	// Back in Backup (a higher master appeared) the delay starts afresh.
	r.do(fsm.AdvertReceived{Src: higher, Priority: 250, Interval: time.Second})
	if r.m.State() != fsm.Backup {
		t.Fatalf("state %v after a higher advert", r.m.State())
	}
	acts = r.do(low)
	if !has(acts, fsm.StartTimer{Timer: fsm.PreemptDelayTimer, Gen: r.timers[fsm.PreemptDelayTimer].Gen, After: 300 * time.Second}) {
		t.Fatalf("re-entered Backup: lower advert %v did not restart the delay", acts)
	}
}

// TestPreemptDelayCancelledByBetterMaster: a master at least as good as us
// ends the delay, as in keepalived.
func TestPreemptDelayCancelledByBetterMaster(t *testing.T) {
	cfg := baseConfig()
	cfg.PreemptDelay = time.Minute
	r := newRig(t, cfg)
	toBackup(r)
	r.do(fsm.AdvertReceived{Src: lower, Priority: 50, Interval: time.Second})
	acts := r.do(fsm.AdvertReceived{Src: higher, Priority: 100, Interval: time.Second})
	if !has(acts, fsm.StopTimer{Timer: fsm.PreemptDelayTimer}) {
		t.Fatalf("equal-priority master did not stop the delay: %v", acts)
	}
	// The stopped delay firing late changes nothing...
	if acts := r.do(fsm.TimerFired{Timer: fsm.PreemptDelayTimer, Gen: 2}); len(acts) != 0 {
		t.Fatalf("stale delay fired: %v", acts)
	}
	// ...so a lower master is accepted again and starts a new delay.
	acts = r.do(fsm.AdvertReceived{Src: lower, Priority: 50, Interval: time.Second})
	if _, ok := r.running(fsm.PreemptDelayTimer); !ok || len(acts) != 2 {
		t.Fatalf("lower advert after cancel: %v, want a new delay and a master-down reset", acts)
	}
}

// TestPreemptDelayDoesNotDelayDeadMaster: a silent or resigning master is
// replaced at master-down / skew time even while the delay runs.
func TestPreemptDelayDoesNotDelayDeadMaster(t *testing.T) {
	for _, resign := range []bool{false, true} {
		cfg := baseConfig()
		cfg.PreemptDelay = 300 * time.Second
		r := newRig(t, cfg)
		toBackup(r)
		r.do(fsm.AdvertReceived{Src: lower, Priority: 50, Interval: time.Second})
		want := fsm.ReasonMasterDown
		if resign {
			r.do(fsm.AdvertReceived{Src: lower, Priority: 0, Interval: time.Second})
			want = fsm.ReasonMasterResigned
		}
		acts := r.do(r.fire(fsm.MasterDownTimer))
		sc, ok := stateChange(acts)
		if !ok || sc.To != fsm.Master || sc.Reason != want {
			t.Fatalf("resign=%v: %v, want Master (%v)", resign, acts, want)
		}
		if !has(acts, fsm.StopTimer{Timer: fsm.PreemptDelayTimer}) {
			t.Errorf("resign=%v: becoming master left the delay running: %v", resign, acts)
		}
	}
}

// TestNoPreempt: with nopreempt a live lower master is never displaced.
func TestNoPreempt(t *testing.T) {
	cfg := baseConfig()
	cfg.Priority = 250
	cfg.Preempt = false
	cfg.PreemptDelay = 10 * time.Second // ignored without Preempt
	r := newRig(t, cfg)
	toBackup(r)
	for range 1000 {
		acts := r.do(fsm.AdvertReceived{Src: lower, Priority: 1, Interval: time.Second})
		if len(acts) != 1 || acts[0].(fsm.StartTimer).Timer != fsm.MasterDownTimer {
			t.Fatalf("nopreempt: lower advert gave %v", acts)
		}
	}
	if r.m.State() != fsm.Backup {
		t.Fatalf("state %v", r.m.State())
	}
}

// TestOwnerAlwaysPreempts: priority 255 ignores nopreempt and preempt_delay,
// like keepalived, and cannot have its priority changed.
func TestOwnerAlwaysPreempts(t *testing.T) {
	cfg := baseConfig()
	cfg.Priority = 255
	cfg.Preempt = false
	cfg.PreemptDelay = time.Hour
	r := newRig(t, cfg)
	toMaster(r)
	// Another owner with a greater address wins the tie.
	r.do(fsm.AdvertReceived{Src: higher, Priority: 255, Interval: time.Second})
	if r.m.State() != fsm.Backup {
		t.Fatalf("owner lost the tie-break but is %v", r.m.State())
	}
	if acts := r.do(fsm.AdvertReceived{Src: lower, Priority: 254, Interval: time.Second}); len(acts) != 0 {
		t.Fatalf("owner accepted a lower master: %v", acts)
	}
	r.do(fsm.PriorityChanged{Priority: 10})
	if r.m.Priority() != 255 {
		t.Errorf("owner priority changed to %d", r.m.Priority())
	}
}

func TestPriorityClamp(t *testing.T) {
	for in, want := range map[uint8]uint8{0: 1, 1: 1, 120: 120, 254: 254, 255: 254} {
		r := newRig(t, baseConfig())
		r.do(fsm.PriorityChanged{Priority: in})
		if got := r.m.Priority(); got != want {
			t.Errorf("PriorityChanged(%d) -> %d, want %d", in, got, want)
		}
	}
}

// TestTieBreakUnsigned: the greater primary address wins, compared as
// unsigned octets in network order, so 192.x beats 10.x (a signed octet
// comparison would get it backwards).
func TestTieBreakUnsigned(t *testing.T) {
	tests := []struct {
		self, peer string
		yields     bool
	}{
		{"10.0.0.1", "192.0.2.1", true},
		{"192.0.2.1", "10.0.0.1", false},
		{"192.0.2.100", "192.0.2.200", true},
		{"192.0.2.200", "192.0.2.100", false},
		{"10.0.0.1", "::ffff:192.0.2.1", true}, // mapped form compares as IPv4
		{"fe80::1", "fe80::ff00", true},
		{"fe80::ff00", "fe80::1%eth0", false},
	}
	for _, tt := range tests {
		cfg := baseConfig()
		cfg.Primary = netip.MustParseAddr(tt.self)
		r := newRig(t, cfg)
		toMaster(r)
		r.do(fsm.AdvertReceived{Src: netip.MustParseAddr(tt.peer), Priority: 100, Interval: time.Second})
		if got := r.m.State() == fsm.Backup; got != tt.yields {
			t.Errorf("self %s, peer %s: yielded %v, want %v", tt.self, tt.peer, got, tt.yields)
		}
	}
}

// TestGenerations: every StartTimer carries a fresh generation, and only
// the latest one of a running timer is honoured.
func TestGenerations(t *testing.T) {
	r := newRig(t, baseConfig())
	var gens []uint64
	record := func(acts []fsm.Action) {
		for _, a := range acts {
			if st, ok := a.(fsm.StartTimer); ok {
				gens = append(gens, st.Gen)
			}
		}
	}
	record(r.do(fsm.Startup{}))
	first := r.fire(fsm.MasterDownTimer)
	record(r.do(fsm.AdvertReceived{Src: higher, Priority: 200, Interval: time.Second}))
	if acts := r.do(first); len(acts) != 0 {
		t.Fatalf("replaced master-down timer fired: %v", acts)
	}
	current := r.fire(fsm.MasterDownTimer)
	record(r.do(current))
	if r.m.State() != fsm.Master {
		t.Fatalf("current master-down did not fire: %v", r.m.State())
	}
	// The same firing delivered twice counts once.
	if acts := r.do(current); len(acts) != 0 {
		t.Fatalf("duplicate firing: %v", acts)
	}
	adv := r.fire(fsm.AdvertTimer)
	record(r.do(adv))
	if acts := r.do(adv); len(acts) != 0 {
		t.Fatalf("old advert timer fired again: %v", acts)
	}
	// Out-of-range kinds and generation 0 are ignored.
	for _, e := range []fsm.TimerFired{{Timer: 0, Gen: 1}, {Timer: 99, Gen: 1}, {Timer: fsm.AdvertTimer, Gen: 0}} {
		if acts := r.do(e); len(acts) != 0 {
			t.Errorf("%+v: %v", e, acts)
		}
	}
	for i := 1; i < len(gens); i++ {
		if gens[i] <= gens[i-1] {
			t.Fatalf("generations not increasing: %v", gens)
		}
	}
	if len(gens) < 4 {
		t.Fatalf("only %d timers started", len(gens))
	}
}

// TestRestartAfterShutdown: a machine can be started again after Shutdown
// and starts from its own interval.
func TestRestartAfterShutdown(t *testing.T) {
	r := newRig(t, baseConfig())
	toMaster(r)
	r.do(fsm.AdvertReceived{Src: higher, Priority: 200, Interval: 5 * time.Second})
	r.do(fsm.Shutdown{})
	if len(r.timers) != 0 {
		t.Fatalf("timers left running after Shutdown: %v", r.timers)
	}
	acts := r.do(fsm.Startup{})
	if d, _ := r.running(fsm.MasterDownTimer); d != masterDown100 || r.m.State() != fsm.Backup {
		t.Fatalf("restart: %v, master-down %v", acts, d)
	}
}

// TestNoTimerLeaks drives every state through every exit and checks that the
// driver is never left with a running timer the state does not use.
func TestNoTimerLeaks(t *testing.T) {
	allowed := map[fsm.State]map[fsm.TimerKind]bool{
		fsm.Init:   {},
		fsm.Fault:  {},
		fsm.Backup: {fsm.MasterDownTimer: true, fsm.PreemptDelayTimer: true},
		fsm.Master: {fsm.AdvertTimer: true},
	}
	cfg := baseConfig()
	cfg.PreemptDelay = time.Minute
	r := newRig(t, cfg)
	steps := []fsm.Event{
		fsm.Startup{},
		fsm.AdvertReceived{Src: lower, Priority: 50, Interval: time.Second},
		fsm.CheckResult{OK: false},
		fsm.CheckResult{OK: true},
		fsm.AdvertReceived{Src: lower, Priority: 50, Interval: time.Second},
		nil, // master-down fires
		fsm.AdvertReceived{Src: higher, Priority: 200, Interval: time.Second},
		nil,
		fsm.CheckResult{OK: false},
		fsm.Shutdown{},
	}
	for i, e := range steps {
		if e == nil {
			e = r.fire(fsm.MasterDownTimer)
		}
		r.do(e)
		for k := range r.timers {
			if !allowed[r.m.State()][k] {
				t.Fatalf("step %d (%T): %v timer running in %v", i, e, k, r.m.State())
			}
		}
	}
}

func TestConfigValidation(t *testing.T) {
	tests := []struct {
		name string
		edit func(*fsm.Config)
		ok   bool
	}{
		{"base", func(*fsm.Config) {}, true},
		{"v2 1 s", func(c *fsm.Config) { c.Version = 2 }, true},
		{"v3 10 ms", func(c *fsm.Config) { c.AdvertInterval = 10 * time.Millisecond }, true},
		{"owner", func(c *fsm.Config) { c.Priority = 255 }, true},
		{"IPv6 v3", func(c *fsm.Config) { c.Primary = netip.MustParseAddr("fe80::1") }, true},
		{"VRID 0", func(c *fsm.Config) { c.VRID = 0 }, false},
		{"priority 0", func(c *fsm.Config) { c.Priority = 0 }, false},
		{"version 1", func(c *fsm.Config) { c.Version = 1 }, false},
		{"v2 1.5 s", func(c *fsm.Config) { c.Version, c.AdvertInterval = 2, 1500*time.Millisecond }, false},
		{"v2 256 s", func(c *fsm.Config) { c.Version, c.AdvertInterval = 2, 256*time.Second }, false},
		{"v2 IPv6", func(c *fsm.Config) { c.Version, c.Primary = 2, netip.MustParseAddr("fe80::1") }, false},
		{"v3 5 ms", func(c *fsm.Config) { c.AdvertInterval = 5 * time.Millisecond }, false},
		{"v3 41 s", func(c *fsm.Config) { c.AdvertInterval = 41 * time.Second }, false},
		{"v3 15 ms", func(c *fsm.Config) { c.AdvertInterval = 15 * time.Millisecond }, false},
		{"zero interval", func(c *fsm.Config) { c.AdvertInterval = 0 }, false},
		{"no primary", func(c *fsm.Config) { c.Primary = netip.Addr{} }, false},
		{"negative delay", func(c *fsm.Config) { c.PreemptDelay = -time.Second }, false},
		{"negative floor", func(c *fsm.Config) { c.MinLearnedInterval = -time.Second }, false},
	}
	for _, tt := range tests {
		cfg := baseConfig()
		tt.edit(&cfg)
		m, err := fsm.New(cfg)
		if tt.ok != (err == nil) {
			t.Errorf("%s: New error %v, want ok=%v", tt.name, err, tt.ok)
		}
		if err != nil && (m != nil || !errors.Is(err, fsm.ErrInvalidConfig)) {
			t.Errorf("%s: error %v does not wrap ErrInvalidConfig or machine returned", tt.name, err)
		}
	}
	m, err := fsm.New(baseConfig())
	if err != nil || m.Config().MinLearnedInterval != fsm.DefaultMinLearnedInterval || m.State() != fsm.Init {
		t.Errorf("defaults: %v, %+v", err, m)
	}
}
