package fsm_test

import (
	"net/netip"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/node/vrrp/fsm"
)

// rig drives a machine the way the node agent will: it remembers the
// StartTimer/StopTimer actions so tests can fire the current timers.
type rig struct {
	t      *testing.T
	m      *fsm.Machine
	timers map[fsm.TimerKind]fsm.StartTimer
}

func newRig(t *testing.T, cfg fsm.Config) *rig {
	t.Helper()
	m, err := fsm.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return &rig{t: t, m: m, timers: map[fsm.TimerKind]fsm.StartTimer{}}
}

// do hands ev to the machine and tracks its timer actions.
func (r *rig) do(ev fsm.Event) []fsm.Action {
	if tf, ok := ev.(fsm.TimerFired); ok && r.timers[tf.Timer].Gen == tf.Gen {
		delete(r.timers, tf.Timer) // a one-shot timer that fired is no longer running
	}
	acts := r.m.Handle(ev)
	for _, a := range acts {
		switch a := a.(type) {
		case fsm.StartTimer:
			r.timers[a.Timer] = a
		case fsm.StopTimer:
			delete(r.timers, a.Timer)
		}
	}
	return acts
}

// fire returns the TimerFired event of the running timer of kind; the test
// fails if none runs.
func (r *rig) fire(kind fsm.TimerKind) fsm.TimerFired {
	r.t.Helper()
	st, ok := r.timers[kind]
	if !ok {
		r.t.Fatalf("timer %v is not running (state %v)", kind, r.m.State())
	}
	return fsm.TimerFired{Timer: kind, Gen: st.Gen}
}

// running reports the duration of the running timer of kind.
func (r *rig) running(kind fsm.TimerKind) (time.Duration, bool) {
	st, ok := r.timers[kind]
	return st.After, ok
}

var (
	self   = netip.MustParseAddr("10.0.0.2")
	lower  = netip.MustParseAddr("10.0.0.1")
	higher = netip.MustParseAddr("10.0.0.3")
)

// baseConfig: VRRPv3, priority 100, 1 s, preempt without delay.
func baseConfig() fsm.Config {
	return fsm.Config{VRID: 51, Priority: 100, Version: 3, AdvertInterval: time.Second, Preempt: true, Primary: self}
}

// toBackup and toMaster bring a rig into a state the way a driver would.
func toBackup(r *rig) { r.do(fsm.Startup{}) }

func toMaster(r *rig) {
	r.do(fsm.Startup{})
	if r.m.State() == fsm.Backup {
		r.do(r.fire(fsm.MasterDownTimer))
	}
}

func toFault(r *rig) {
	r.do(fsm.Startup{})
	r.do(fsm.CheckResult{OK: false})
}
