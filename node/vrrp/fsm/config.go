package fsm

import (
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/failoverkit/ipfailover/node/vrrp/packet"
)

// ErrInvalidConfig is wrapped by the error New returns for a bad Config.
var ErrInvalidConfig = errors.New("vrrp fsm: invalid config")

// DefaultMinLearnedInterval is the floor for a Master_Adver_Interval learned
// from a VRRPv3 advert when Config.MinLearnedInterval is zero. It equals the
// smallest interval VRRPv3 can encode (1 cs), so it never changes what an
// RFC-conformant advert says; it only guards against a zero or sub-cs value
// reaching the timers.
const DefaultMinLearnedInterval = 10 * time.Millisecond

// Config is one virtual router's configuration.
type Config struct {
	// VRID is the Virtual Router Identifier, 1..255.
	VRID uint8
	// Priority is this router's priority, 1..255; 255 makes it the address
	// owner, which becomes Master at once on Startup (RFC 9568 §6.4.1).
	Priority uint8
	// Version is the VRRP version, 2 or 3. It decides the skew formula and
	// whether the master's interval is learned.
	Version int
	// AdvertInterval is Advertisement_Interval: a whole number of seconds
	// (1..255) for VRRPv2, of centiseconds (10 ms..40.95 s) for VRRPv3.
	// ipfailover uses keepalived's default of 1 s.
	AdvertInterval time.Duration
	// Preempt is the RFC Preempt_Mode (RFC 9568 §6.1). False is
	// keepalived's nopreempt: never take over from a live master. The
	// address owner always preempts, as in keepalived.
	Preempt bool
	// PreemptDelay is keepalived's preempt_delay (ipfailover default
	// 300 s): with Preempt, a Backup waits this long after first hearing a
	// live lower-priority master before it starts discarding its adverts.
	// It never delays taking over from a master that went silent or
	// resigned. Ignored without Preempt and for the address owner.
	PreemptDelay time.Duration
	// Primary is this router's primary address on the interface (its
	// adverts' source), for the equal-priority tie-break (RFC 9568 §6.4.3).
	Primary netip.Addr
	// MinLearnedInterval is the floor for the master's interval a VRRPv3
	// Backup adopts, so that a peer advertising a tiny interval cannot make
	// this router's master-down timer flap. Zero means
	// DefaultMinLearnedInterval.
	MinLearnedInterval time.Duration
	// HealActions makes the machine decide what two masters do when they
	// meet, as a partition heals or a link comes back, beyond RFC 9568
	// §6.4.3: the one that outranks the other asks to announce its VIPs
	// again (AnnounceAgain, keepalived's vrrp_state_master_rx), and the one
	// that steps down sends one advert at its priority (YieldNotice) so the
	// winner hears a lower master even if its advert reached us first. The
	// node agent sets it; false keeps the plain RFC behaviour.
	HealActions bool
}

// validate reports what is wrong with c, or nil.
func (c Config) validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, args...)...)
	}
	if c.VRID == 0 {
		return bad("VRID 0")
	}
	if c.Priority == 0 {
		return bad("priority 0 is reserved for resigning")
	}
	switch c.Version {
	case 2:
		if c.Primary.IsValid() && !c.Primary.Is4() {
			return bad("VRRPv2 is IPv4 only, primary %v", c.Primary)
		}
	case 3:
	default:
		return bad("version %d", c.Version)
	}
	// The interval's wire bounds live with the codec (RFC 3768 §5.3.7,
	// RFC 9568 §5.2.7).
	if _, err := packet.IntervalUnits(packet.Version(c.Version), c.AdvertInterval); err != nil {
		return bad("%v", err)
	}
	if !c.Primary.IsValid() {
		return bad("no primary address")
	}
	if c.PreemptDelay < 0 {
		return bad("negative preempt delay %v", c.PreemptDelay)
	}
	if c.MinLearnedInterval < 0 {
		return bad("negative minimum learned interval %v", c.MinLearnedInterval)
	}
	return nil
}
