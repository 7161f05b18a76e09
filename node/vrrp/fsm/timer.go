package fsm

import (
	"strconv"
	"time"
)

// TimerKind names one of the machine's timers. Each kind has at most one
// instance running; starting it again replaces the running one.
type TimerKind uint8

// The timers. The zero value is not a timer.
const (
	// AdvertTimer is the RFC Adver_Timer: while Master, send an advert
	// every Advertisement_Interval (RFC 9568 §6.2).
	AdvertTimer TimerKind = iota + 1
	// MasterDownTimer is the RFC Master_Down_Timer: while Backup, take over
	// when no acceptable advert arrived for Master_Down_Interval, or for
	// Skew_Time after a priority-0 advert (RFC 9568 §6.2).
	MasterDownTimer
	// PreemptDelayTimer runs the keepalived preempt_delay hold-off before a
	// Backup may preempt a live lower-priority master.
	PreemptDelayTimer

	timerKinds // number of kinds + 1, for arrays indexed by kind
)

// String returns "advert", "master-down", "preempt-delay" or "TimerKind(<n>)".
func (k TimerKind) String() string {
	switch k {
	case AdvertTimer:
		return "advert"
	case MasterDownTimer:
		return "master-down"
	case PreemptDelayTimer:
		return "preempt-delay"
	}
	return "TimerKind(" + strconv.Itoa(int(k)) + ")"
}

// SkewTime returns Skew_Time for a router of priority prio.
//
// VRRPv3 (RFC 9568 §6.1): ((256 − Priority) × Master_Adver_Interval) / 256,
// where masterAdverInterval is the interval learned from the master.
// VRRPv2 (RFC 3768 §6.1): (256 − Priority) / 256 seconds, whatever the
// interval. Both multiply before dividing in nanoseconds, so a priority-254
// router at a 10 ms interval gets 78.125 µs, not zero.
func SkewTime(version int, prio uint8, masterAdverInterval time.Duration) time.Duration {
	weight := time.Duration(256 - int(prio))
	if version == 2 {
		return weight * time.Second / 256
	}
	return weight * masterAdverInterval / 256
}

// MasterDownInterval returns Master_Down_Interval:
// 3 × Master_Adver_Interval + Skew_Time (RFC 9568 §6.1; RFC 3768 §6.1 with
// the configured Advertisement_Interval for VRRPv2).
func MasterDownInterval(version int, prio uint8, masterAdverInterval time.Duration) time.Duration {
	return 3*masterAdverInterval + SkewTime(version, prio, masterAdverInterval)
}
