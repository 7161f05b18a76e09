package agent

import (
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/node/vrrp/fsm"
)

// TestArrivalAt: a timer runs from the kernel's receive time when that is
// recent, from now when it is unknown or in the future (a clock step
// back), and from at most maxArrivalAge before now.
func TestArrivalAt(t *testing.T) {
	now := time.Now() // with a monotonic reading, as the loop's
	wall := now.Round(0)
	for _, tc := range []struct {
		name string
		rx   time.Time
		want time.Duration // arrival - now
	}{
		{"unknown", time.Time{}, 0},
		{"just now", wall, 0},
		{"400µs ago", wall.Add(-400 * time.Microsecond), -400 * time.Microsecond},
		{"3ms ago", wall.Add(-3 * time.Millisecond), -3 * time.Millisecond},
		{"at the bound", wall.Add(-maxArrivalAge), -maxArrivalAge},
		{"older than the bound", wall.Add(-time.Hour), -maxArrivalAge},
		{"in the future", wall.Add(time.Second), 0},
	} {
		got := arrivalAt(now, tc.rx)
		if d := got.Sub(now); d != tc.want {
			t.Errorf("%s: arrival at now%+v, want now%+v", tc.name, d, tc.want)
		}
		if got.Round(0) == got {
			t.Errorf("%s: arrival has no monotonic reading", tc.name)
		}
	}
}

// TestStartTimerFromArrival: a Master_Down_Timer an advert restarts is
// due Master_Down_Interval after the advert's arrival, not after the loop
// got to it.
func TestStartTimerFromArrival(t *testing.T) {
	a := &Agent{wheel: newWheel()}
	defer a.wheel.t.Stop()
	g := &group{timers: map[fsm.TimerKind]uint64{}}
	arrived := time.Now().Add(-5 * time.Millisecond)
	a.eventAt = arrived
	a.startTimer(g, fsm.StartTimer{Timer: fsm.MasterDownTimer, Gen: 1, After: 341 * time.Millisecond})
	a.eventAt = time.Time{}
	if got, want := a.wheel.h[0].at, arrived.Add(341*time.Millisecond); !got.Equal(want) {
		t.Errorf("due %v after the arrival, want 341ms", got.Sub(arrived))
	}
	before := time.Now()
	a.startTimer(g, fsm.StartTimer{Timer: fsm.MasterDownTimer, Gen: 2, After: 341 * time.Millisecond})
	if at := a.wheel.h[len(a.wheel.h)-1].at; at.Before(before.Add(341 * time.Millisecond)) {
		t.Errorf("without an arrival, due %v after now, want at least 341ms", at.Sub(before))
	}
}
