package fsm

import (
	"net/netip"
	"strconv"
	"time"
)

// Action is an output of Machine.Handle for the driver to carry out, in the
// order given. The implementations are the value types below; the set is
// closed.
type Action interface {
	action()
}

// SendAdvert asks for one advert with this priority now: the machine's
// priority normally, 0 when resigning (Shutdown or Fault from Master).
type SendAdvert struct {
	Priority uint8
}

// AddVIPs asks for the group's virtual addresses to be configured.
type AddVIPs struct{}

// RemoveVIPs asks for the group's virtual addresses to be removed.
type RemoveVIPs struct{}

// Announce asks for gratuitous ARP (IPv4) or unsolicited Neighbor
// Advertisements (IPv6) for the virtual addresses, as a new master must
// send (RFC 9568 §6.4.1, §6.4.2). It always follows AddVIPs. Repetition
// and spacing are the driver's business; it must stop repeating once a
// RemoveVIPs follows.
type Announce struct{}

// StartTimer asks for a one-shot timer that reports
// TimerFired{Timer, Gen} after After. If that kind is already running it is
// replaced: the driver should stop the old one, and a late firing of it
// carries an old Gen and is ignored anyway.
type StartTimer struct {
	Timer TimerKind
	Gen   uint64
	After time.Duration
}

// StopTimer asks for the running timer of this kind to be stopped.
type StopTimer struct {
	Timer TimerKind
}

// StateChanged reports a transition, for logs, metrics and notify scripts.
// It comes after the actions that carry the transition out.
type StateChanged struct {
	From, To State
	Reason   Reason
}

// AnnounceAgain asks a Master to announce its VIPs again, as for Announce:
// it heard another master that it outranks (lower priority, or equal from
// a smaller address), which held the VIPs while the two could not hear each
// other, so neighbours send to that one's MAC. The other steps down at our
// next advert; without a fresh announcement neighbours would keep sending
// to it until their caches expire. Only with Config.HealActions; pacing
// the bursts is the driver's business.
type AnnounceAgain struct {
	// From and Priority are the outranked master's address and priority.
	From     netip.Addr
	Priority uint8
}

// YieldNotice asks for one advert at Priority right after a master that
// outranks us made us step down (it follows the StateChanged). The winner
// may never have heard us; this advert makes it hear a lower master, so it
// answers with AnnounceAgain. Receivers lose nothing: a master discards a
// lower advert, a backup keeps timing the real master. Only with
// Config.HealActions.
type YieldNotice struct {
	Priority uint8
}

func (SendAdvert) action()    {}
func (AnnounceAgain) action() {}
func (YieldNotice) action()   {}
func (AddVIPs) action()       {}
func (RemoveVIPs) action()    {}
func (Announce) action()      {}
func (StartTimer) action()    {}
func (StopTimer) action()     {}
func (StateChanged) action()  {}

// Reason says why a state changed.
type Reason uint8

// The reasons for a transition.
const (
	// ReasonNone is the zero value; no transition carries it.
	ReasonNone Reason = iota
	// ReasonStartup: Init to Backup on Startup (RFC 9568 §6.4.1).
	ReasonStartup
	// ReasonAddressOwner: Init to Master on Startup at priority 255
	// (RFC 9568 §6.4.1).
	ReasonAddressOwner
	// ReasonMasterDown: Backup to Master when no advert came for
	// Master_Down_Interval (RFC 9568 §6.4.2).
	ReasonMasterDown
	// ReasonMasterResigned: Backup to Master Skew_Time after a priority-0
	// advert (RFC 9568 §6.4.2).
	ReasonMasterResigned
	// ReasonPreempt: Backup to Master after discarding a lower-priority
	// master's adverts (RFC 9568 §6.4.2, Preempt_Mode).
	ReasonPreempt
	// ReasonHigherPriority: Master to Backup on an advert of higher
	// priority (RFC 9568 §6.4.3).
	ReasonHigherPriority
	// ReasonLostTieBreak: Master to Backup on an advert of equal priority
	// from a greater primary address (RFC 9568 §6.4.3).
	ReasonLostTieBreak
	// ReasonShutdown: any state to Init on Shutdown.
	ReasonShutdown
	// ReasonCheckFailed: to Fault because the health check failed.
	ReasonCheckFailed
	// ReasonCheckRecovered: Fault to Backup (or Master for the owner)
	// because the health check passed again.
	ReasonCheckRecovered

	reasonCount
)

var reasonNames = [reasonCount]string{
	ReasonNone:           "none",
	ReasonStartup:        "startup",
	ReasonAddressOwner:   "address-owner",
	ReasonMasterDown:     "master-down",
	ReasonMasterResigned: "master-resigned",
	ReasonPreempt:        "preempt",
	ReasonHigherPriority: "higher-priority",
	ReasonLostTieBreak:   "lost-tie-break",
	ReasonShutdown:       "shutdown",
	ReasonCheckFailed:    "check-failed",
	ReasonCheckRecovered: "check-recovered",
}

// String returns a short, stable, lower-case name suitable for logs.
func (r Reason) String() string {
	if r < reasonCount {
		return reasonNames[r]
	}
	return "Reason(" + strconv.Itoa(int(r)) + ")"
}
