package fsm

import "strconv"

// State is a virtual router's state (RFC 3768 §6.4, RFC 9568 §6.4) plus the
// Fault state keepalived adds for failed health checks.
type State uint8

// The states. The zero value is Init.
const (
	// Init is RFC "Initialize": waiting for Startup (RFC 9568 §6.4.1).
	Init State = iota
	// Backup monitors the master and takes over when it stops
	// advertising (RFC 9568 §6.4.2).
	Backup
	// Master holds the virtual addresses and advertises (RFC 9568 §6.4.3
	// calls it "Active").
	Master
	// Fault is entered when the health check fails: no addresses, no
	// adverts, adverts from others ignored, until the check passes again.
	Fault
)

// String returns "Init", "Backup", "Master", "Fault" or "State(<n>)".
func (s State) String() string {
	switch s {
	case Init:
		return "Init"
	case Backup:
		return "Backup"
	case Master:
		return "Master"
	case Fault:
		return "Fault"
	}
	return "State(" + strconv.Itoa(int(s)) + ")"
}
