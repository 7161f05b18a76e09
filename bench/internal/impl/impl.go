// Package impl starts the two implementations under comparison on a lab
// node from one description: our agent (ipfailover-node, configured by the
// OPENSHIFT_HA_* environment) and keepalived, configured the way
// OpenShift's keepalived-ipfailover image configures it.
package impl

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/failoverkit/ipfailover/contract"
)

// Setup describes one failover set on one node, in terms both
// implementations understand.
type Setup struct {
	// Name is the set's name (CONFIG_NAME): instance names and, for VRRPv2,
	// the PASS authentication's first 8 bytes.
	Name string
	// Interface is the VRRP and VIP interface.
	Interface string
	// NodeAddr is the node's own IPv4 address on Interface (the health
	// check connects to it, as the image's check does).
	NodeAddr netip.Addr
	// VIPs are the virtual IPs, cut into Groups VRRP groups
	// (vrrp_instance) as the image cuts OPENSHIFT_HA_VIPS into
	// OPENSHIFT_HA_VIP_GROUPS (contract.PlanGroups; 0: one group per VIP),
	// with VRIDs VRIDOffset+1, VRIDOffset+2, ...
	VIPs       []netip.Addr
	Groups     int
	VRIDOffset int
	// Version is the VRRP version (2 or 3), Interval the advert interval.
	Version  int
	Interval time.Duration
	// Priority is pinned for every group, so the same node is master for
	// both implementations.
	Priority int
	// PreemptDelay is the image's default preemption line, preempt_delay N.
	PreemptDelay time.Duration
	// MonitorPort is the TCP port the health check connects to on
	// NodeAddr every CheckInterval; 0 disables the check.
	MonitorPort   int
	CheckInterval time.Duration
	// Replicas is the replica count (the image uses it only for priorities,
	// which are pinned here).
	Replicas int
}

// Validate checks what both implementations need.
func (s Setup) Validate() error {
	switch {
	case s.Name == "" || s.Interface == "":
		return fmt.Errorf("setup: name and interface are required")
	case !s.NodeAddr.Is4():
		return fmt.Errorf("setup: node address %v is not IPv4", s.NodeAddr)
	case len(s.VIPs) == 0:
		return fmt.Errorf("setup: no VIPs")
	case s.Version != 3 && s.VIPs[0].Is6():
		return fmt.Errorf("setup: IPv6 VIPs need VRRPv3")
	case s.Version != 2 && s.Version != 3:
		return fmt.Errorf("setup: VRRP version %d", s.Version)
	case s.Version == 2 && s.Interval%time.Second != 0:
		return fmt.Errorf("setup: VRRPv2 intervals are whole seconds, not %s", s.Interval)
	case s.Priority < 1 || s.Priority > 254:
		return fmt.Errorf("setup: priority %d: want 1..254", s.Priority)
	}
	if _, err := s.Plan(); err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	return nil
}

// Plan is the set's VRRP groups, as both implementations get them.
func (s Setup) Plan() ([]contract.Group, error) {
	return contract.PlanGroups(s.VIPs, s.Groups, s.VRIDOffset, nil)
}

// SkewTime is RFC 9568's Skew_Time of a backup of the given priority:
// ((256 − priority) × interval) / 256 (VRRPv2: the interval is whole
// seconds, which gives RFC 3768's (256 − priority) / 256 s at 1 s).
func SkewTime(priority int, interval time.Duration) time.Duration {
	return time.Duration(256-priority) * interval / 256
}

// MasterDown is Master_Down_Interval: 3 × interval + Skew_Time.
func MasterDown(priority int, interval time.Duration) time.Duration {
	return 3*interval + SkewTime(priority, interval)
}
