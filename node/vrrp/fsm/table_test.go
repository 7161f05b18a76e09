package fsm_test

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/failoverkit/ipfailover/node/vrrp/fsm"
)

// Durations for baseConfig (VRRPv3, priority 100, 1 s), written out from
// RFC 9568 §6.1 rather than computed by the package:
// Skew_Time = (256-100)*1s/256 = 609.375 ms, Master_Down_Interval = 3 s + that.
const (
	skew100       = 609375 * time.Microsecond
	masterDown100 = 3*time.Second + skew100
	// With a learned 2 s interval: 6 s + 156*2s/256 = 7.21875 s.
	masterDown100At2s = 6*time.Second + 1218750*time.Microsecond
)

type row struct {
	name   string
	cfg    func(*fsm.Config)
	setup  func(*rig)
	event  func(*rig) fsm.Event
	state  fsm.State
	want   []fsm.Action
	verify func(*testing.T, *rig)
}

func advert(src netip.Addr, prio uint8, interval time.Duration) func(*rig) fsm.Event {
	return func(*rig) fsm.Event { return fsm.AdvertReceived{Src: src, Priority: prio, Interval: interval} }
}

func ev(e fsm.Event) func(*rig) fsm.Event { return func(*rig) fsm.Event { return e } }

func fire(k fsm.TimerKind) func(*rig) fsm.Event {
	return func(r *rig) fsm.Event { return r.fire(k) }
}

// staleFire returns a TimerFired for kind with a generation that was
// handed out but is no longer current.
func staleFire(k fsm.TimerKind) func(*rig) fsm.Event {
	return func(r *rig) fsm.Event { return fsm.TimerFired{Timer: k, Gen: 1} }
}

func priorityIs(p uint8) func(*testing.T, *rig) {
	return func(t *testing.T, r *rig) {
		if got := r.m.Priority(); got != p {
			t.Errorf("priority %d, want %d", got, p)
		}
	}
}

func owner(c *fsm.Config)     { c.Priority = 255 }
func nopreempt(c *fsm.Config) { c.Preempt = false }
func delay300(c *fsm.Config)  { c.PreemptDelay = 300 * time.Second }

func noop(*rig) {}

var becomeMaster = func(from fsm.State, reason fsm.Reason, prio uint8) []fsm.Action {
	return []fsm.Action{
		fsm.SendAdvert{Priority: prio}, fsm.AddVIPs{}, fsm.Announce{},
		fsm.StartTimer{Timer: fsm.AdvertTimer, After: time.Second},
		fsm.StateChanged{From: from, To: fsm.Master, Reason: reason},
	}
}

func rows() []row {
	return []row{
		// Init.
		{name: "Init/Startup", setup: noop, event: ev(fsm.Startup{}), state: fsm.Backup, want: []fsm.Action{
			fsm.StartTimer{Timer: fsm.MasterDownTimer, After: masterDown100},
			fsm.StateChanged{From: fsm.Init, To: fsm.Backup, Reason: fsm.ReasonStartup},
		}},
		{name: "Init/Startup owner", cfg: owner, setup: noop, event: ev(fsm.Startup{}), state: fsm.Master,
			want: becomeMaster(fsm.Init, fsm.ReasonAddressOwner, 255)},
		{name: "Init/Startup check failing", setup: func(r *rig) { r.do(fsm.CheckResult{OK: false}) }, event: ev(fsm.Startup{}), state: fsm.Fault, want: []fsm.Action{
			fsm.StateChanged{From: fsm.Init, To: fsm.Fault, Reason: fsm.ReasonCheckFailed},
		}},
		{name: "Init/Shutdown", setup: noop, event: ev(fsm.Shutdown{}), state: fsm.Init},
		{name: "Init/AdvertReceived", setup: noop, event: advert(higher, 200, time.Second), state: fsm.Init},
		{name: "Init/TimerFired stale", setup: func(r *rig) { toBackup(r); r.do(fsm.Shutdown{}) }, event: staleFire(fsm.MasterDownTimer), state: fsm.Init},
		{name: "Init/CheckResult fail", setup: noop, event: ev(fsm.CheckResult{OK: false}), state: fsm.Init},
		{name: "Init/CheckResult ok", setup: noop, event: ev(fsm.CheckResult{OK: true}), state: fsm.Init},
		{name: "Init/PriorityChanged", setup: noop, event: ev(fsm.PriorityChanged{Priority: 120}), state: fsm.Init, verify: priorityIs(120)},

		// Backup.
		{name: "Backup/Startup", setup: toBackup, event: ev(fsm.Startup{}), state: fsm.Backup},
		{name: "Backup/Shutdown", setup: toBackup, event: ev(fsm.Shutdown{}), state: fsm.Init, want: []fsm.Action{
			fsm.StopTimer{Timer: fsm.MasterDownTimer},
			fsm.StateChanged{From: fsm.Backup, To: fsm.Init, Reason: fsm.ReasonShutdown},
		}},
		{name: "Backup/AdvertReceived higher adopts interval", setup: toBackup, event: advert(higher, 150, 2*time.Second), state: fsm.Backup,
			want: []fsm.Action{fsm.StartTimer{Timer: fsm.MasterDownTimer, After: masterDown100At2s}},
			verify: func(t *testing.T, r *rig) {
				if got := r.m.MasterAdvertInterval(); got != 2*time.Second {
					t.Errorf("Master_Adver_Interval %v, want 2s", got)
				}
			}},
		{name: "Backup/AdvertReceived equal", setup: toBackup, event: advert(lower, 100, time.Second), state: fsm.Backup,
			want: []fsm.Action{fsm.StartTimer{Timer: fsm.MasterDownTimer, After: masterDown100}}},
		{name: "Backup/AdvertReceived lower preempts (discard)", setup: toBackup, event: advert(lower, 50, time.Second), state: fsm.Backup},
		{name: "Backup/AdvertReceived lower nopreempt", cfg: nopreempt, setup: toBackup, event: advert(lower, 50, time.Second), state: fsm.Backup,
			want: []fsm.Action{fsm.StartTimer{Timer: fsm.MasterDownTimer, After: masterDown100}}},
		{name: "Backup/AdvertReceived lower starts preempt delay", cfg: delay300, setup: toBackup, event: advert(lower, 50, time.Second), state: fsm.Backup,
			want: []fsm.Action{
				fsm.StartTimer{Timer: fsm.PreemptDelayTimer, After: 300 * time.Second},
				fsm.StartTimer{Timer: fsm.MasterDownTimer, After: masterDown100},
			}},
		{name: "Backup/AdvertReceived priority 0", setup: toBackup, event: advert(higher, 0, time.Second), state: fsm.Backup,
			want: []fsm.Action{fsm.StartTimer{Timer: fsm.MasterDownTimer, After: skew100}}},
		{name: "Backup/AdvertReceived own", setup: toBackup, event: advert(self, 200, time.Second), state: fsm.Backup},
		{name: "Backup/TimerFired master-down", setup: toBackup, event: fire(fsm.MasterDownTimer), state: fsm.Master,
			want: becomeMaster(fsm.Backup, fsm.ReasonMasterDown, 100)},
		{name: "Backup/TimerFired master-down after priority 0", setup: func(r *rig) { toBackup(r); r.do(fsm.AdvertReceived{Src: higher}) },
			event: fire(fsm.MasterDownTimer), state: fsm.Master, want: becomeMaster(fsm.Backup, fsm.ReasonMasterResigned, 100)},
		{name: "Backup/TimerFired master-down while preempting", setup: func(r *rig) { toBackup(r); r.do(fsm.AdvertReceived{Src: lower, Priority: 50, Interval: time.Second}) },
			event: fire(fsm.MasterDownTimer), state: fsm.Master, want: becomeMaster(fsm.Backup, fsm.ReasonPreempt, 100)},
		{name: "Backup/TimerFired master-down stale", setup: func(r *rig) { toBackup(r); r.do(advert(higher, 150, time.Second)(r)) },
			event: staleFire(fsm.MasterDownTimer), state: fsm.Backup},
		{name: "Backup/TimerFired advert stale", setup: func(r *rig) { toMaster(r); r.do(advert(higher, 150, time.Second)(r)) },
			event: func(r *rig) fsm.Event { return fsm.TimerFired{Timer: fsm.AdvertTimer, Gen: 2} }, state: fsm.Backup},
		{name: "Backup/TimerFired preempt-delay", cfg: delay300, setup: func(r *rig) { toBackup(r); r.do(advert(lower, 50, time.Second)(r)) },
			event: fire(fsm.PreemptDelayTimer), state: fsm.Backup},
		{name: "Backup/CheckResult fail", setup: toBackup, event: ev(fsm.CheckResult{OK: false}), state: fsm.Fault, want: []fsm.Action{
			fsm.StopTimer{Timer: fsm.MasterDownTimer},
			fsm.StateChanged{From: fsm.Backup, To: fsm.Fault, Reason: fsm.ReasonCheckFailed},
		}},
		{name: "Backup/CheckResult fail stops preempt delay", cfg: delay300, setup: func(r *rig) { toBackup(r); r.do(advert(lower, 50, time.Second)(r)) },
			event: ev(fsm.CheckResult{OK: false}), state: fsm.Fault, want: []fsm.Action{
				fsm.StopTimer{Timer: fsm.MasterDownTimer},
				fsm.StopTimer{Timer: fsm.PreemptDelayTimer},
				fsm.StateChanged{From: fsm.Backup, To: fsm.Fault, Reason: fsm.ReasonCheckFailed},
			}},
		{name: "Backup/CheckResult ok", setup: toBackup, event: ev(fsm.CheckResult{OK: true}), state: fsm.Backup},
		{name: "Backup/PriorityChanged", setup: toBackup, event: ev(fsm.PriorityChanged{Priority: 200}), state: fsm.Backup, verify: priorityIs(200)},

		// Master.
		{name: "Master/Startup", setup: toMaster, event: ev(fsm.Startup{}), state: fsm.Master},
		{name: "Master/Shutdown", setup: toMaster, event: ev(fsm.Shutdown{}), state: fsm.Init, want: []fsm.Action{
			fsm.StopTimer{Timer: fsm.AdvertTimer},
			fsm.SendAdvert{Priority: 0},
			fsm.RemoveVIPs{},
			fsm.StateChanged{From: fsm.Master, To: fsm.Init, Reason: fsm.ReasonShutdown},
		}},
		{name: "Master/AdvertReceived higher", setup: toMaster, event: advert(lower, 150, 2*time.Second), state: fsm.Backup, want: []fsm.Action{
			fsm.StopTimer{Timer: fsm.AdvertTimer},
			fsm.RemoveVIPs{},
			fsm.StartTimer{Timer: fsm.MasterDownTimer, After: masterDown100At2s},
			fsm.StateChanged{From: fsm.Master, To: fsm.Backup, Reason: fsm.ReasonHigherPriority},
		}},
		{name: "Master/AdvertReceived equal from greater address", setup: toMaster, event: advert(higher, 100, time.Second), state: fsm.Backup, want: []fsm.Action{
			fsm.StopTimer{Timer: fsm.AdvertTimer},
			fsm.RemoveVIPs{},
			fsm.StartTimer{Timer: fsm.MasterDownTimer, After: masterDown100},
			fsm.StateChanged{From: fsm.Master, To: fsm.Backup, Reason: fsm.ReasonLostTieBreak},
		}},
		{name: "Master/AdvertReceived equal from smaller address", setup: toMaster, event: advert(lower, 100, time.Second), state: fsm.Master},
		{name: "Master/AdvertReceived lower", setup: toMaster, event: advert(higher, 99, time.Second), state: fsm.Master},
		{name: "Master/AdvertReceived priority 0", setup: toMaster, event: advert(higher, 0, time.Second), state: fsm.Master, want: []fsm.Action{
			fsm.SendAdvert{Priority: 100},
			fsm.StartTimer{Timer: fsm.AdvertTimer, After: time.Second},
		}},
		{name: "Master/AdvertReceived own", setup: toMaster, event: advert(self, 255, time.Second), state: fsm.Master},
		{name: "Master/TimerFired advert", setup: toMaster, event: fire(fsm.AdvertTimer), state: fsm.Master, want: []fsm.Action{
			fsm.SendAdvert{Priority: 100},
			fsm.StartTimer{Timer: fsm.AdvertTimer, After: time.Second},
		}},
		{name: "Master/TimerFired master-down stale", setup: toMaster, event: staleFire(fsm.MasterDownTimer), state: fsm.Master},
		{name: "Master/CheckResult fail resigns", setup: toMaster, event: ev(fsm.CheckResult{OK: false}), state: fsm.Fault, want: []fsm.Action{
			fsm.StopTimer{Timer: fsm.AdvertTimer},
			fsm.SendAdvert{Priority: 0},
			fsm.RemoveVIPs{},
			fsm.StateChanged{From: fsm.Master, To: fsm.Fault, Reason: fsm.ReasonCheckFailed},
		}},
		{name: "Master/CheckResult ok", setup: toMaster, event: ev(fsm.CheckResult{OK: true}), state: fsm.Master},
		{name: "Master/PriorityChanged", setup: toMaster, event: ev(fsm.PriorityChanged{Priority: 20}), state: fsm.Master, verify: func(t *testing.T, r *rig) {
			priorityIs(20)(t, r)
			acts := r.do(r.fire(fsm.AdvertTimer))
			if len(acts) == 0 || acts[0] != (fsm.SendAdvert{Priority: 20}) {
				t.Errorf("next advert %v, want priority 20", acts)
			}
		}},

		// Fault.
		{name: "Fault/Startup", setup: toFault, event: ev(fsm.Startup{}), state: fsm.Fault},
		{name: "Fault/Shutdown", setup: toFault, event: ev(fsm.Shutdown{}), state: fsm.Init, want: []fsm.Action{
			fsm.StateChanged{From: fsm.Fault, To: fsm.Init, Reason: fsm.ReasonShutdown},
		}},
		{name: "Fault/AdvertReceived", setup: toFault, event: advert(higher, 0, time.Second), state: fsm.Fault},
		{name: "Fault/TimerFired stale", setup: toFault, event: staleFire(fsm.MasterDownTimer), state: fsm.Fault},
		{name: "Fault/CheckResult fail", setup: toFault, event: ev(fsm.CheckResult{OK: false}), state: fsm.Fault},
		{name: "Fault/CheckResult ok", setup: toFault, event: ev(fsm.CheckResult{OK: true}), state: fsm.Backup, want: []fsm.Action{
			fsm.StartTimer{Timer: fsm.MasterDownTimer, After: masterDown100},
			fsm.StateChanged{From: fsm.Fault, To: fsm.Backup, Reason: fsm.ReasonCheckRecovered},
		}},
		{name: "Fault/CheckResult ok owner", cfg: owner, setup: toFault, event: ev(fsm.CheckResult{OK: true}), state: fsm.Master,
			want: becomeMaster(fsm.Fault, fsm.ReasonCheckRecovered, 255)},
		{name: "Fault/CheckResult ok after learning resets interval",
			setup: func(r *rig) {
				toBackup(r)
				r.do(advert(higher, 150, 3*time.Second)(r))
				r.do(fsm.CheckResult{OK: false})
			},
			event: ev(fsm.CheckResult{OK: true}), state: fsm.Backup, want: []fsm.Action{
				fsm.StartTimer{Timer: fsm.MasterDownTimer, After: masterDown100},
				fsm.StateChanged{From: fsm.Fault, To: fsm.Backup, Reason: fsm.ReasonCheckRecovered},
			}},
		{name: "Fault/PriorityChanged", setup: toFault, event: ev(fsm.PriorityChanged{Priority: 7}), state: fsm.Fault, verify: priorityIs(7)},
	}
}

func TestTransitions(t *testing.T) {
	ignoreGen := cmpopts.IgnoreFields(fsm.StartTimer{}, "Gen")
	for _, tt := range rows() {
		t.Run(tt.name, func(t *testing.T) {
			cfg := baseConfig()
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			r := newRig(t, cfg)
			tt.setup(r)
			before := r.m.State()
			got := r.do(tt.event(r))
			if diff := cmp.Diff(tt.want, got, ignoreGen, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("actions from %v (-want +got):\n%s", before, diff)
			}
			if s := r.m.State(); s != tt.state {
				t.Errorf("state %v, want %v", s, tt.state)
			}
			for _, a := range got {
				if st, ok := a.(fsm.StartTimer); ok && st.Gen == 0 {
					t.Errorf("StartTimer %v without a generation", st.Timer)
				}
			}
			if tt.verify != nil {
				tt.verify(t, r)
			}
		})
	}
}

// TestTransitionTableCoversEveryPair fails when a (state, event type) pair
// has no row in the table above.
func TestTransitionTableCoversEveryPair(t *testing.T) {
	states := []fsm.State{fsm.Init, fsm.Backup, fsm.Master, fsm.Fault}
	events := []fsm.Event{fsm.Startup{}, fsm.Shutdown{}, fsm.AdvertReceived{}, fsm.TimerFired{}, fsm.CheckResult{}, fsm.PriorityChanged{}}
	covered := map[string]bool{}
	for _, tt := range rows() {
		cfg := baseConfig()
		if tt.cfg != nil {
			tt.cfg(&cfg)
		}
		r := newRig(t, cfg)
		tt.setup(r)
		covered[fmt.Sprintf("%v/%T", r.m.State(), tt.event(r))] = true
	}
	for _, s := range states {
		for _, e := range events {
			if key := fmt.Sprintf("%v/%T", s, e); !covered[key] {
				t.Errorf("no row for %s", key)
			}
		}
	}
}
