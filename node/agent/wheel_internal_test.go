package agent

import (
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/node/vrrp/fsm"
)

// TestWheel: entries come due in deadline order; a restarted or stopped
// timer's old entry is dropped at the front without becoming due.
func TestWheel(t *testing.T) {
	now := time.Now()
	a := &group{timers: map[fsm.TimerKind]uint64{}}
	b := &group{timers: map[fsm.TimerKind]uint64{}}
	w := newWheel()
	defer w.t.Stop()
	start := func(g *group, kind fsm.TimerKind, gen uint64, after time.Duration) {
		g.timers[kind] = gen
		w.add(now.Add(after), timerEvent{g: g, kind: kind, gen: gen})
	}
	start(a, fsm.MasterDownTimer, 1, 10*time.Millisecond)
	start(b, fsm.AdvertTimer, 1, 20*time.Millisecond)
	start(a, fsm.MasterDownTimer, 2, 30*time.Millisecond) // restarts a's timer: gen 1 is stale
	start(b, fsm.MasterDownTimer, 3, 5*time.Millisecond)
	delete(b.timers, fsm.MasterDownTimer) // stopped
	w.arm()
	if want := now.Add(20 * time.Millisecond); !w.armed.Equal(want) {
		t.Fatalf("armed for +%s, want +20ms (the stale and stopped entries dropped)", w.armed.Sub(now))
	}
	if _, ok := w.due(now.Add(19 * time.Millisecond)); ok {
		t.Error("an entry due before its deadline")
	}
	var got []uint64
	for ev, ok := w.due(now.Add(time.Second)); ok; ev, ok = w.due(now.Add(time.Second)) {
		if !stale(ev) {
			got = append(got, ev.gen)
		}
	}
	if len(got) != 2 || got[0] != 1 || got[1] != 2 {
		t.Errorf("live entries due: gens %v, want [1 2] (b's advert timer, then a's restarted timer)", got)
	}
	w.arm()
	if !w.armed.IsZero() {
		t.Error("an empty wheel is armed")
	}
}

// TestWheelConfirmation: a Master_Down_Timer expiry's confirmation
// (timers.go) stays live after the timer fired, and is dropped once an
// advert restarted the timer.
func TestWheelConfirmation(t *testing.T) {
	g := &group{timers: map[fsm.TimerKind]uint64{}}
	conf := timerEvent{g: g, kind: fsm.MasterDownTimer, gen: 7, wait: 1}
	if stale(conf) {
		t.Error("a confirmation of a timer that fired is stale")
	}
	g.timers[fsm.MasterDownTimer] = 8 // restarted by an advert
	if !stale(conf) {
		t.Error("a confirmation of a restarted timer is live")
	}
	g.timers[fsm.MasterDownTimer] = 7
	if stale(conf) {
		t.Error("a confirmation of its own generation is stale")
	}
}
