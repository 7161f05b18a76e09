package fsm_test

import (
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/node/vrrp/fsm"
)

// Expected values are worked out by hand from RFC 9568 §6.1 and
// RFC 3768 §6.1, in nanoseconds.
func TestSkewAndMasterDown(t *testing.T) {
	tests := []struct {
		name       string
		version    int
		prio       uint8
		interval   time.Duration
		skew, down time.Duration
	}{
		// v3: (256-254)*10ms/256 = 78.125 µs; dividing first would give 78.124 µs.
		{"v3 prio 254 at 10 ms", 3, 254, 10 * time.Millisecond, 78125 * time.Nanosecond, 30*time.Millisecond + 78125*time.Nanosecond},
		{"v3 prio 255 at 1 s", 3, 255, time.Second, 3906250 * time.Nanosecond, 3*time.Second + 3906250*time.Nanosecond},
		{"v3 prio 1 at 1 s", 3, 1, time.Second, 996093750 * time.Nanosecond, 3*time.Second + 996093750*time.Nanosecond},
		{"v3 prio 100 at 100 ms", 3, 100, 100 * time.Millisecond, 60937500 * time.Nanosecond, 300*time.Millisecond + 60937500*time.Nanosecond},
		{"v3 prio 150 at 40.95 s", 3, 150, 40950 * time.Millisecond, 16955859375 * time.Nanosecond, 122850*time.Millisecond + 16955859375*time.Nanosecond},
		{"v3 prio 0 (resigning) at 1 s", 3, 0, time.Second, time.Second, 4 * time.Second},
		// v2: (256-prio)/256 s whatever the interval.
		{"v2 prio 100 at 1 s", 2, 100, time.Second, 609375 * time.Microsecond, 3*time.Second + 609375*time.Microsecond},
		{"v2 prio 100 at 5 s", 2, 100, 5 * time.Second, 609375 * time.Microsecond, 15*time.Second + 609375*time.Microsecond},
		{"v2 prio 254 at 1 s", 2, 254, time.Second, 7812500 * time.Nanosecond, 3*time.Second + 7812500*time.Nanosecond},
		{"v2 prio 132 (ipfailover QE capture)", 2, 132, time.Second, 484375 * time.Microsecond, 3*time.Second + 484375*time.Microsecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fsm.SkewTime(tt.version, tt.prio, tt.interval); got != tt.skew {
				t.Errorf("SkewTime = %v (%d ns), want %v", got, got.Nanoseconds(), tt.skew)
			}
			if got := fsm.MasterDownInterval(tt.version, tt.prio, tt.interval); got != tt.down {
				t.Errorf("MasterDownInterval = %v, want %v", got, tt.down)
			}
		})
	}
}

// TestMachineTimersUseLearnedInterval: a VRRPv3 Backup's skew and
// master-down follow the master's interval, a VRRPv2 Backup's do not.
func TestMachineTimersUseLearnedInterval(t *testing.T) {
	for _, version := range []int{2, 3} {
		cfg := baseConfig()
		cfg.Version = version
		r := newRig(t, cfg)
		toBackup(r)
		r.do(fsm.AdvertReceived{Src: higher, Priority: 200, Interval: 4 * time.Second})
		wantInterval := time.Second
		wantSkew := 609375 * time.Microsecond // (256-100)/256 s, v2 and v3 at 1 s
		if version == 3 {
			wantInterval = 4 * time.Second
			wantSkew = 2437500 * time.Microsecond // 156*4s/256
		}
		if got := r.m.MasterAdvertInterval(); got != wantInterval {
			t.Errorf("v%d: Master_Adver_Interval %v, want %v", version, got, wantInterval)
		}
		if got := r.m.SkewTime(); got != wantSkew {
			t.Errorf("v%d: skew %v, want %v", version, got, wantSkew)
		}
		if got, _ := r.running(fsm.MasterDownTimer); got != 3*wantInterval+wantSkew {
			t.Errorf("v%d: master-down timer %v, want %v", version, got, 3*wantInterval+wantSkew)
		}
		// After priority 0 the backup waits the skew only.
		r.do(fsm.AdvertReceived{Src: higher, Priority: 0, Interval: 4 * time.Second})
		if got, _ := r.running(fsm.MasterDownTimer); got != wantSkew {
			t.Errorf("v%d: after priority 0 the timer is %v, want the skew %v", version, got, wantSkew)
		}
	}
}

// TestLearnedIntervalFloor: a peer's tiny interval is clamped.
func TestLearnedIntervalFloor(t *testing.T) {
	tests := []struct {
		name     string
		floor    time.Duration
		interval time.Duration
		want     time.Duration
	}{
		{"default floor, 1 ms", 0, time.Millisecond, 10 * time.Millisecond},
		{"default floor, 0", 0, 0, 10 * time.Millisecond},
		{"default floor, negative", 0, -time.Second, 10 * time.Millisecond},
		{"default floor, 10 ms kept", 0, 10 * time.Millisecond, 10 * time.Millisecond},
		{"100 ms floor, 20 ms", 100 * time.Millisecond, 20 * time.Millisecond, 100 * time.Millisecond},
		{"100 ms floor, 1 s kept", 100 * time.Millisecond, time.Second, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := baseConfig()
			cfg.MinLearnedInterval = tt.floor
			r := newRig(t, cfg)
			toBackup(r)
			r.do(fsm.AdvertReceived{Src: higher, Priority: 200, Interval: tt.interval})
			if got := r.m.MasterAdvertInterval(); got != tt.want {
				t.Errorf("Master_Adver_Interval %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTimerKindStrings(t *testing.T) {
	for k, want := range map[fsm.TimerKind]string{
		fsm.AdvertTimer: "advert", fsm.MasterDownTimer: "master-down", fsm.PreemptDelayTimer: "preempt-delay", 0: "TimerKind(0)",
	} {
		if got := k.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", k, got, want)
		}
	}
	for s, want := range map[fsm.State]string{fsm.Init: "Init", fsm.Backup: "Backup", fsm.Master: "Master", fsm.Fault: "Fault", 9: "State(9)"} {
		if got := s.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", s, got, want)
		}
	}
	seen := map[string]bool{}
	for r := fsm.ReasonNone; r <= fsm.ReasonCheckRecovered; r++ {
		if seen[r.String()] || r.String() == "" {
			t.Errorf("reason %d has a duplicate or empty name %q", r, r.String())
		}
		seen[r.String()] = true
	}
}
