package sim_test

import (
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/node/vrrp/fsm"
	"github.com/failoverkit/ipfailover/node/vrrp/sim"
)

// TestPriorityZeroHandover: a master that shuts down (SIGTERM) or fails its
// health check sends a priority-0 advert, and the backup takes over after
// its Skew_Time, not after Master_Down_Interval.
func TestPriorityZeroHandover(t *testing.T) {
	for _, tc := range []struct {
		name     string
		version  int
		interval time.Duration
		fault    bool
	}{
		{"v2 shutdown", 2, time.Second, false},
		{"v2 check failure", 2, time.Second, true},
		{"v3 1s shutdown", 3, time.Second, false},
		{"v3 100ms shutdown", 3, 100 * time.Millisecond, false},
		{"v3 100ms check failure", 3, 100 * time.Millisecond, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var opts []option
			if tc.version == 3 {
				opts = append(opts, v3(tc.interval))
			}
			n := sim.NewNetwork(latency)
			a := addNode(t, n, "a", "192.0.2.11", 200, opts...)
			b := addNode(t, n, "b", "192.0.2.12", 150, opts...)
			a.Start()
			b.Start()
			// Resign at an instant that is not aligned with a's adverts.
			resign := 20*tc.interval + tc.interval/3
			n.Run(resign)
			if a.State() != fsm.Master {
				t.Fatalf("a is %v", a.State())
			}
			if tc.fault {
				a.SetHealthy(false)
			} else {
				a.Stop()
			}
			n.Run(resign + 20*tc.interval)

			last := a.Sent[len(a.Sent)-1]
			if last.Priority != 0 || last.At != resign {
				t.Fatalf("a's last advert %+v, want priority 0 at %v", last, resign)
			}
			at, reason, ok := b.BecameMaster(resign)
			want := resign + latency + skew(tc.version, 150, tc.interval)
			if !ok || at != want || reason != fsm.ReasonMasterResigned {
				t.Fatalf("b master at %v (%v, %v), want %v", at, reason, ok, want)
			}
			if at-resign >= 3*tc.interval {
				t.Errorf("handover took %v, not less than three intervals", at-resign)
			}
			if a.HasVIPs {
				t.Error("a kept the VIPs")
			}
			if tc.fault && a.State() != fsm.Fault {
				t.Errorf("a is %v, want Fault", a.State())
			}
			requireSoleMaster(t, n, "b", want, resign+20*tc.interval)
			requireClean(t, n)
		})
	}
}

// TestFaultRecovery: a failed check puts every state into Fault; when it
// passes again the router rejoins as Backup and, having the highest
// priority, preempts again.
func TestFaultRecovery(t *testing.T) {
	n := sim.NewNetwork(latency)
	a := addNode(t, n, "a", "192.0.2.11", 200)
	b := addNode(t, n, "b", "192.0.2.12", 150)
	a.Start()
	b.Start()
	n.At(10*time.Second, func() { a.SetHealthy(false) })
	n.At(30*time.Second, func() { a.SetHealthy(true) })
	n.Run(60 * time.Second)

	var got []fsm.State
	for _, tr := range a.History {
		got = append(got, tr.To)
	}
	want := []fsm.State{fsm.Backup, fsm.Master, fsm.Fault, fsm.Backup, fsm.Master}
	if len(got) != len(want) {
		t.Fatalf("a went through %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("a went through %v, want %v", got, want)
		}
	}
	back, _, _ := a.BecameMaster(30 * time.Second)
	if back != 30*time.Second+masterDown(2, 200, time.Second) {
		t.Errorf("a master again at %v", back)
	}
	requireSoleMaster(t, n, "a", back+latency, 60*time.Second)
	requireClean(t, n)
}

// TestGenerationsExercised: the leaky timers of the simulation really do
// deliver stale firings, and none of them produced an action (a stale
// firing with actions is a violation).
func TestGenerationsExercised(t *testing.T) {
	n := sim.NewNetwork(latency)
	a := addNode(t, n, "a", "192.0.2.11", 200)
	b := addNode(t, n, "b", "192.0.2.12", 150)
	a.Start()
	b.Start()
	n.Run(60 * time.Second)
	if b.StaleTimers < 50 {
		t.Errorf("b saw only %d stale timer firings; the backup's master-down timer is reset by every advert", b.StaleTimers)
	}
	requireClean(t, n)
}
