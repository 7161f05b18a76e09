package fsm

import (
	"net/netip"
	"testing"
	"time"
)

// TestPrimaryChangedMovesTheTieBreak: after the primary moves to a higher
// address, an equal-priority master from an address between the old and
// the new one loses the tie-break to us instead of winning it.
func TestPrimaryChangedMovesTheTieBreak(t *testing.T) {
	for _, tc := range []struct {
		primary  string
		toBackup bool
	}{
		{"", true},            // 192.0.2.11 < 192.0.2.12: the sender wins
		{"192.0.2.21", false}, // now we win and stay Master
		{"2001:db8::1", true}, // wrong family for VRRPv2: ignored
	} {
		m, err := New(Config{VRID: 1, Priority: 100, Version: 2, AdvertInterval: time.Second, Preempt: true, Primary: netip.MustParseAddr("192.0.2.11")})
		if err != nil {
			t.Fatal(err)
		}
		m.Handle(Startup{})
		// Become Master by the master-down timer.
		m.Handle(TimerFired{Timer: MasterDownTimer, Gen: m.running[MasterDownTimer]})
		if m.State() != Master {
			t.Fatalf("state %v", m.State())
		}
		if tc.primary != "" {
			if a := m.Handle(PrimaryChanged{Primary: netip.MustParseAddr(tc.primary)}); len(a) != 0 {
				t.Errorf("PrimaryChanged emitted %v", a)
			}
		}
		m.Handle(AdvertReceived{Src: netip.MustParseAddr("192.0.2.12"), Priority: 100, Interval: time.Second})
		if got := m.State() == Backup; got != tc.toBackup {
			t.Errorf("primary %q: Backup = %v, want %v", tc.primary, got, tc.toBackup)
		}
	}
}
