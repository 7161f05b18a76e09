package agent

import (
	"slices"
	"testing"
	"time"
)

// TestFDTimer: the timerfd fires once per Reset, not before its deadline
// and well within a millisecond after it (a runtime timer over the
// poller's millisecond waits is late by up to 1 ms); Stop disarms it.
func TestFDTimer(t *testing.T) {
	ft, err := newFDTimer()
	if err != nil {
		t.Fatalf("timerfd: %v", err)
	}
	defer ft.Close()
	var late []time.Duration
	for range 20 {
		d := 2*time.Millisecond + 300*time.Microsecond // a fraction of a millisecond left after the poller's whole ones
		start := time.Now()
		ft.Reset(d)
		select {
		case <-ft.C():
		case <-time.After(time.Second):
			t.Fatal("armed for 2.3 ms, did not fire within 1 s")
		}
		el := time.Since(start)
		if el < d {
			t.Fatalf("fired after %v, before its deadline %v", el, d)
		}
		late = append(late, el-d)
	}
	// The median, so that one descheduling on a shared machine does not fail it.
	slices.Sort(late)
	if m := late[len(late)/2]; m > 700*time.Microsecond {
		t.Errorf("median lateness %v, want well under 1 ms (all: %v)", m, late)
	}
	ft.Reset(5 * time.Millisecond)
	ft.Stop()
	select {
	case <-ft.C():
		t.Error("fired after Stop")
	case <-time.After(20 * time.Millisecond):
	}
}
