package fsm

import (
	"net/netip"
	"time"
)

// hold is where a Backup stands with the keepalived preempt_delay.
type hold uint8

const (
	// holdIdle: no lower-priority master heard since entering Backup.
	holdIdle hold = iota
	// holdRunning: the PreemptDelayTimer runs; lower-priority adverts are
	// still accepted.
	holdRunning
	// holdElapsed: the delay is over; lower-priority adverts are discarded,
	// which preempts the master when Master_Down_Timer expires.
	holdElapsed
)

// Machine is the state machine of one virtual router. It is not safe for
// concurrent use: the driver feeds it one event at a time.
type Machine struct {
	cfg Config

	state    State
	priority uint8 // current priority, cfg.Priority until PriorityChanged
	healthy  bool  // last CheckResult, true until told otherwise

	// masterAdverInterval is the RFC Master_Adver_Interval: our own
	// interval, or the master's as learned by a VRRPv3 Backup.
	masterAdverInterval time.Duration

	lastGen uint64             // last generation handed out
	running [timerKinds]uint64 // generation of the running timer per kind, 0 if none

	hold hold
	// downReason is why MasterDownTimer runs, reported if it fires.
	downReason Reason
}

// New returns a machine in Init for cfg, or an error wrapping
// ErrInvalidConfig.
func New(cfg Config) (*Machine, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if cfg.MinLearnedInterval == 0 {
		cfg.MinLearnedInterval = DefaultMinLearnedInterval
	}
	return &Machine{
		cfg:                 cfg,
		priority:            cfg.Priority,
		healthy:             true,
		masterAdverInterval: cfg.AdvertInterval,
	}, nil
}

// Handle applies ev and returns the actions to carry out, in order. It
// never blocks, reads no clock and does no I/O. Events that do not apply in
// the current state return no actions.
func (m *Machine) Handle(ev Event) []Action {
	switch e := ev.(type) {
	case Startup:
		return m.startup()
	case Shutdown:
		return m.shutdown()
	case AdvertReceived:
		return m.advert(e)
	case TimerFired:
		return m.timerFired(e)
	case CheckResult:
		return m.check(e)
	case PriorityChanged:
		return m.setPriority(e)
	case PrimaryChanged:
		if e.Primary.IsValid() && (m.cfg.Version == 3 || e.Primary.Is4()) {
			m.cfg.Primary = e.Primary
		}
		return nil
	}
	return nil
}

// State returns the current state.
func (m *Machine) State() State { return m.state }

// Priority returns the current priority.
func (m *Machine) Priority() uint8 { return m.priority }

// Config returns the configuration (with defaults filled in).
func (m *Machine) Config() Config { return m.cfg }

// MasterAdvertInterval returns Master_Adver_Interval: the interval learned
// from the master (VRRPv3 Backup) or our own.
func (m *Machine) MasterAdvertInterval() time.Duration { return m.masterAdverInterval }

// SkewTime returns Skew_Time for the current priority and interval.
func (m *Machine) SkewTime() time.Duration {
	return SkewTime(m.cfg.Version, m.priority, m.masterAdverInterval)
}

// MasterDownInterval returns Master_Down_Interval for the current priority
// and interval.
func (m *Machine) MasterDownInterval() time.Duration {
	return MasterDownInterval(m.cfg.Version, m.priority, m.masterAdverInterval)
}

// owner reports whether this router owns the addresses (priority 255).
func (m *Machine) owner() bool { return m.cfg.Priority == 255 }

// startTimer hands out a new generation for kind and returns the action.
func (m *Machine) startTimer(kind TimerKind, after time.Duration) Action {
	m.lastGen++
	m.running[kind] = m.lastGen
	return StartTimer{Timer: kind, Gen: m.lastGen, After: after}
}

// stopTimer appends a StopTimer for kind if it is running.
func (m *Machine) stopTimer(a []Action, kind TimerKind) []Action {
	if m.running[kind] == 0 {
		return a
	}
	m.running[kind] = 0
	return append(a, StopTimer{Timer: kind})
}

// resetHold forgets the preempt delay, stopping its timer if running.
// keepalived does the same whenever it enters BACKUP or hears a master of
// at least its own priority (vrrp.c, vrrp_state_backup and
// vrrp_state_leave_master/leave_fault clear preempt_time).
func (m *Machine) resetHold(a []Action) []Action {
	m.hold = holdIdle
	return m.stopTimer(a, PreemptDelayTimer)
}

// learn sets Master_Adver_Interval from a VRRPv3 master's advert
// (RFC 9568 §6.4.2, §6.4.3), never below the configured floor. VRRPv2 has
// no such variable: its interval is fixed by configuration.
func (m *Machine) learn(interval time.Duration) {
	if m.cfg.Version != 3 {
		return
	}
	m.masterAdverInterval = max(interval, m.cfg.MinLearnedInterval)
}

// senderWins reports whether src wins the equal-priority tie-break against
// our primary address: greater as an unsigned number in network byte order
// (RFC 9568 §6.4.3). Zones and IPv4-mapped forms are ignored.
func (m *Machine) senderWins(src netip.Addr) bool {
	s := src.WithZone("").Unmap()
	p := m.cfg.Primary.WithZone("").Unmap()
	return s.Compare(p) > 0
}

// isSelf reports whether src is our own primary address.
func (m *Machine) isSelf(src netip.Addr) bool {
	return src.WithZone("").Unmap() == m.cfg.Primary.WithZone("").Unmap()
}
