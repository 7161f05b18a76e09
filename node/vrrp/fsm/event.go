package fsm

import (
	"net/netip"
	"time"
)

// Event is an input to Machine.Handle. The implementations are the value
// types below; the set is closed.
type Event interface {
	event()
}

// Startup starts the virtual router (RFC 9568 §6.4.1 "Startup event"). It is
// ignored unless the machine is in Init.
type Startup struct{}

// Shutdown stops the virtual router and returns it to Init (RFC 9568 §6.4.2,
// §6.4.3 "Shutdown event"). A master resigns with a priority-0 advert.
type Shutdown struct{}

// AdvertReceived is an advert that passed packet.Validate for this VRID.
type AdvertReceived struct {
	// Src is the IP source of the advert, the sender's primary address,
	// used for the equal-priority tie-break.
	Src netip.Addr
	// Priority is the advertised priority; 0 means the master resigns.
	Priority uint8
	// Interval is the advertised interval (packet.Advert.IntervalDuration).
	// VRRPv3 backups adopt it; VRRPv2 ignores it (packet.Validate already
	// discarded VRRPv2 adverts whose interval differs from ours).
	Interval time.Duration
}

// TimerFired reports that a timer started by a StartTimer action expired.
// Timer and Gen must be copied from that action. A TimerFired whose Gen is
// not the one of the timer's latest StartTimer, or whose timer was stopped
// since, is stale and ignored, so the driver need not win races between a
// firing timer and a StopTimer or restart.
type TimerFired struct {
	Timer TimerKind
	Gen   uint64
}

// CheckResult reports the health check outcome. A failure moves Backup and
// Master to Fault; a success moves Fault to Backup (or Master for the
// address owner). Before Startup it only sets the state Startup enters.
// Repeating the current outcome does nothing.
type CheckResult struct {
	OK bool
}

// PriorityChanged sets a new priority (a tracked weight changed). Like
// keepalived, it is clamped to 1..254 and ignored for the address owner
// (configured priority 255), whose priority cannot change. It emits no
// action: the next advert carries it and the next Master_Down_Interval
// uses it.
type PriorityChanged struct {
	Priority uint8
}

// PrimaryChanged sets a new primary address (the adverts' source moved to
// another address of the interface) for the equal-priority tie-break and
// for recognising our own adverts. It emits no action. An invalid address,
// or one of the wrong family for VRRPv2, is ignored.
type PrimaryChanged struct {
	Primary netip.Addr
}

func (Startup) event()         {}
func (Shutdown) event()        {}
func (AdvertReceived) event()  {}
func (TimerFired) event()      {}
func (CheckResult) event()     {}
func (PriorityChanged) event() {}
func (PrimaryChanged) event()  {}
