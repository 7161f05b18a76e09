package sim_test

import (
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/node/vrrp/fsm"
	"github.com/failoverkit/ipfailover/node/vrrp/sim"
)

// lowMasterThenHigh starts "low" (priority 100) alone, lets it become
// master, then starts "high" (priority 200) at joinAt.
func lowMasterThenHigh(t *testing.T, joinAt time.Duration, highOpts ...option) (*sim.Network, *sim.Node, *sim.Node) {
	t.Helper()
	n := sim.NewNetwork(latency)
	low := addNode(t, n, "low", "192.0.2.11", 100)
	high := addNode(t, n, "high", "192.0.2.12", 200, highOpts...)
	low.Start()
	n.At(joinAt, high.Start)
	n.Run(joinAt)
	if low.State() != fsm.Master {
		t.Fatalf("low is %v before high joins", low.State())
	}
	return n, low, high
}

// TestPreemptWithoutDelay: a higher-priority router joining a live
// lower-priority master discards its adverts and takes over exactly one
// Master_Down_Interval after starting; the old master steps down when the
// first advert arrives.
func TestPreemptWithoutDelay(t *testing.T) {
	join := 10 * time.Second
	n, low, high := lowMasterThenHigh(t, join)
	n.Run(60 * time.Second)

	want := join + masterDown(2, 200, time.Second)
	at, reason, ok := high.BecameMaster(join)
	if !ok || at != want || reason != fsm.ReasonPreempt {
		t.Fatalf("high master at %v (%v, %v), want %v by preemption", at, reason, ok, want)
	}
	last := low.History[len(low.History)-1]
	if last.To != fsm.Backup || last.Reason != fsm.ReasonHigherPriority || last.At != want+latency {
		t.Errorf("low's last transition %+v, want Backup at %v", last, want+latency)
	}
	requireSoleMaster(t, n, "high", want+latency, 60*time.Second)
	requireClean(t, n)
}

// TestPreemptDelay: with preempt_delay 30 s (ipfailover's default is 300 s)
// the higher router waits 30 s from the first advert it hears from the live
// lower master, then discards its adverts and takes over one
// Master_Down_Interval after the last one it accepted.
func TestPreemptDelay(t *testing.T) {
	join, delay := 10*time.Second, 30*time.Second
	n, low, high := lowMasterThenHigh(t, join, preemptDelay(delay))
	n.Run(120 * time.Second)

	// The first advert high hears: low advertises every second from its
	// takeover at masterDown(100).
	lowStart := masterDown(2, 100, time.Second)
	firstHeard := lowStart + (join-lowStart+time.Second-1)/time.Second*time.Second + latency
	// The delay expires at firstHeard+delay; the last advert high accepts is
	// the last one delivered before that.
	expiry := firstHeard + delay
	lastAccepted := firstHeard + (delay-1)/time.Second*time.Second
	want := lastAccepted + masterDown(2, 200, time.Second)

	at, reason, ok := high.BecameMaster(join)
	if !ok || at != want || reason != fsm.ReasonPreempt {
		t.Fatalf("high master at %v (%v, %v), want %v (delay expired at %v)", at, reason, ok, want, expiry)
	}
	if at < join+delay {
		t.Fatalf("preempted at %v, before the %v delay from joining at %v", at, delay, join)
	}
	requireSoleMaster(t, n, "low", lowStart, at-1)
	requireSoleMaster(t, n, "high", at+latency, 120*time.Second)
	if low.State() != fsm.Backup {
		t.Errorf("low is %v", low.State())
	}
	requireClean(t, n)
}

// TestPreemptDelayDeadMaster: the delay only holds back preempting a live
// master; if the master dies during the delay the higher router takes over
// one Master_Down_Interval after its last advert.
func TestPreemptDelayDeadMaster(t *testing.T) {
	join, crash := 10*time.Second, 20*time.Second
	n, low, high := lowMasterThenHigh(t, join, preemptDelay(300*time.Second))
	n.At(crash, low.Crash)
	n.Run(60 * time.Second)

	lowStart := masterDown(2, 100, time.Second)
	lastAdvert := lowStart + (crash-lowStart)/time.Second*time.Second // last one sent before the crash
	want := lastAdvert + latency + masterDown(2, 200, time.Second)
	at, reason, ok := high.BecameMaster(join)
	if !ok || at != want || reason != fsm.ReasonMasterDown {
		t.Fatalf("high master at %v (%v, %v), want %v by master-down", at, reason, ok, want)
	}
	requireSoleMaster(t, n, "high", at, 60*time.Second)
	requireClean(t, n)
}

// TestNoPreempt: with nopreempt a higher router never displaces a live
// master, but still takes over at once when it resigns.
func TestNoPreempt(t *testing.T) {
	join, stop := 10*time.Second, 200*time.Second
	n, low, high := lowMasterThenHigh(t, join, noPreempt)
	n.At(stop, low.Stop)
	n.Run(220 * time.Second)

	requireSoleMaster(t, n, "low", join, stop-1)
	at, reason, ok := high.BecameMaster(join)
	want := stop + latency + skew(2, 200, time.Second)
	if !ok || at != want || reason != fsm.ReasonMasterResigned {
		t.Fatalf("high master at %v (%v, %v), want %v after low resigned", at, reason, ok, want)
	}
	requireClean(t, n)
}
