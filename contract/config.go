package contract

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"time"
)

// Config is the decoded contract: what one failover set asks of every node.
type Config struct {
	// Name is OPENSHIFT_HA_CONFIG_NAME. It names the keepalived instances and
	// its first 8 bytes are the VRRPv2 password shared by all peers.
	Name string
	// VIPs is OPENSHIFT_HA_VIRTUAL_IPS as parsed entries, in list order.
	VIPs []Range
	// VIPGroups is OPENSHIFT_HA_VIP_GROUPS: the number of VRRP groups the
	// VIPs are cut into; 0 means one group per VIP.
	VIPGroups int
	// Interface is OPENSHIFT_HA_NETWORK_INTERFACE. Empty lets the agent use
	// the interface of the default route (and say so in its log).
	Interface string
	// MonitorPort is OPENSHIFT_HA_MONITOR_PORT: the TCP port checked on the
	// node's own address; 0 disables the check.
	MonitorPort int
	// ReplicaCount is OPENSHIFT_HA_REPLICA_COUNT: how many nodes run the set.
	ReplicaCount int
	// VRIDOffset is OPENSHIFT_HA_VRRP_ID_OFFSET: group k gets VRID offset+k.
	VRIDOffset int
	// ExcludedVRIDs is HA_EXCLUDED_VRRP_IDS: VRIDs to skip (see PlanGroups).
	ExcludedVRIDs []int
	// IPTablesChain is OPENSHIFT_HA_IPTABLES_CHAIN: the chain that gets the
	// rule accepting VRRP traffic; empty means no rule.
	IPTablesChain string
	// NFTablesRule is OPENSHIFT_HA_NFTABLES_RULE, the newest image's name for
	// "ensure the VRRP accept rule"; only its emptiness matters.
	NFTablesRule string
	// CheckScript is OPENSHIFT_HA_CHECK_SCRIPT; when set it replaces the port check.
	CheckScript string
	// CheckInterval is OPENSHIFT_HA_CHECK_INTERVAL (whole seconds).
	CheckInterval time.Duration
	// NotifyScript is OPENSHIFT_HA_NOTIFY_SCRIPT, called on every transition.
	NotifyScript string
	// Preemption is OPENSHIFT_HA_PREEMPTION.
	Preemption Preemption
	// UnicastPeers is OPENSHIFT_HA_UNICAST_PEERS; non-empty means unicast mode.
	UnicastPeers []netip.Addr
	// UnicastSource is UNICAST_SOURCE_IPADDRESS (source of unicast adverts).
	UnicastSource netip.Addr
	// MulticastSource is MULTICAST_SOURCE_IPADDRESS (source of multicast adverts).
	MulticastSource netip.Addr
	// AdminEmails and SMTPServer are accepted for compatibility; keepalived
	// sends no mail without smtp_alert, and neither do we.
	AdminEmails, SMTPServer string

	// VRRPVersion is OPENSHIFT_HA_VRRP_VERSION: 2 (default, wire-compatible
	// with the image's keepalived) or 3 (IPv6, sub-second adverts).
	VRRPVersion int
	// AdvertInterval is OPENSHIFT_HA_ADVERT_INTERVAL.
	AdvertInterval time.Duration
	// HealthPort is OPENSHIFT_HA_HEALTH_PORT: /healthz, /readyz, /metrics.
	HealthPort int
	// Priority is OPENSHIFT_HA_PRIORITY: 0 computes priorities, 1..255 pins one for every group.
	Priority int
	// Nodes is OPENSHIFT_HA_NODES: the ordered node names of the set, when known.
	Nodes []string
	// NodeName is OPENSHIFT_HA_NODE_NAME: the node this replica runs on.
	NodeName string
	// IPTablesBackend is OPENSHIFT_HA_IPTABLES_BACKEND: "auto" (the backend
	// the host's rules already live in), "nft" or "legacy".
	IPTablesBackend string
	// Check is the declarative health check of OPENSHIFT_HA_CHECK_TCP or
	// OPENSHIFT_HA_CHECK_HTTP and its settings (see check.go); nil when
	// neither is set. It replaces the monitor port check.
	Check *Check
}

// Defaults shared by the image, the agent and the renderer.
const (
	DefaultConfigName     = "OpenShift-IPFailover"
	DefaultMonitorPort    = 80
	DefaultVRIDOffset     = 10 // images release-4.20 and later; 0 before (openshift/images PR #206)
	DefaultCheckInterval  = 2 * time.Second
	DefaultPreemptDelay   = 300 * time.Second
	DefaultVRRPVersion    = 2
	DefaultAdvertInterval = time.Second
	// DefaultHealthPort is the agent's probe and metrics port. The image
	// EXPOSEs 1985 and never listens on it; we do.
	DefaultHealthPort   = 1985
	DefaultAdminEmails  = "root@localhost"
	DefaultSMTPServer   = "127.0.0.1"
	ImageReplicaCount   = 1 // the image's default; the renderer writes the real count
	DefaultReplicaCount = 2 // the renderer's default (the documentation's)
	// DefaultInterface is the renderer's interface (the documentation's);
	// OVNInterface is the one OVN-Kubernetes clusters need (OCPBUGS-43947).
	DefaultInterface     = "eth0"
	OVNInterface         = "br-ex"
	DefaultIPTablesChain = "INPUT"
	// DefaultIPTablesBackend lets the agent use the backend the host uses.
	DefaultIPTablesBackend = "auto"
)

// Limits of the contract that the image does not check.
const (
	MaxReplicas      = 200 // keeps the priority bands of node/priority above 0
	MaxCheckInterval = time.Hour
	MinV3Interval    = 10 * time.Millisecond        // one centisecond (RFC 9568 §5.2.7)
	MaxV3Interval    = 4095 * 10 * time.Millisecond // 12-bit centiseconds
	MaxV2Interval    = 255 * time.Second            // 8-bit seconds (RFC 3768 §5.3.7)
)

// Addrs is every VIP in list order.
func (c Config) Addrs() []netip.Addr {
	var out []netip.Addr
	for _, r := range c.VIPs {
		out = append(out, r.Addrs()...)
	}
	return out
}

// Groups plans the VRRP groups of the configuration (see PlanGroups).
func (c Config) Groups() ([]Group, error) {
	return PlanGroups(c.Addrs(), c.VIPGroups, c.VRIDOffset, c.ExcludedVRIDs)
}

// Unicast reports whether adverts go to the peers rather than the multicast group.
func (c Config) Unicast() bool { return len(c.UnicastPeers) > 0 }

// FirewallChain is the chain that must accept VRRP traffic, or "" for none:
// OPENSHIFT_HA_IPTABLES_CHAIN, or INPUT when only the newer
// OPENSHIFT_HA_NFTABLES_RULE switch is set.
func (c Config) FirewallChain() string {
	if c.IPTablesChain != "" {
		return c.IPTablesChain
	}
	if c.NFTablesRule != "" {
		return DefaultIPTablesChain
	}
	return ""
}

// Validate checks every rule of the contract that spans more than one
// value. All violations are returned, joined; each is a *FieldError.
func (c Config) Validate() error {
	var errs []error
	add := func(e *FieldError) { errs = append(errs, e) }
	if c.Name == "" {
		add(fieldErr(FieldConfigName, -1, "", "must not be empty"))
	}
	if len(c.VIPs) == 0 {
		add(fieldErr(FieldVirtualIPs, -1, "", "is empty: there is nothing to fail over"))
	} else {
		entries := make([]string, len(c.VIPs))
		for i, r := range c.VIPs {
			entries[i] = r.String()
		}
		if _, _, err := ParseVIPEntries(entries); err != nil {
			errs = append(errs, err)
		} else if groups, err := c.Groups(); err != nil {
			errs = append(errs, err)
		} else {
			errs = append(errs, c.validateFamilies(groups)...)
		}
	}
	if c.MonitorPort < 0 || c.MonitorPort > 65535 {
		add(fieldErr(FieldMonitorPort, -1, fmt.Sprint(c.MonitorPort), "must be a TCP port 1..65535, or 0 to disable the check"))
	}
	if c.ReplicaCount < 1 || c.ReplicaCount > MaxReplicas {
		add(fieldErr(FieldReplicaCount, -1, fmt.Sprint(c.ReplicaCount), "must be 1..%d", MaxReplicas))
	}
	if c.CheckInterval < time.Second || c.CheckInterval > MaxCheckInterval || c.CheckInterval%time.Second != 0 {
		add(fieldErr(FieldCheckInterval, -1, c.CheckInterval.String(), "must be whole seconds, 1..3600"))
	}
	if c.Preemption.Delay < 0 || c.Preemption.Delay > MaxPreemptDelay || c.Preemption.Delay%time.Second != 0 {
		add(fieldErr(FieldPreemption, -1, c.Preemption.String(), "preempt_delay takes whole seconds 0..1000"))
	}
	switch c.VRRPVersion {
	case 2:
		if c.AdvertInterval < time.Second || c.AdvertInterval > MaxV2Interval || c.AdvertInterval%time.Second != 0 {
			add(fieldErr(FieldAdvertInterval, -1, c.AdvertInterval.String(), "VRRPv2 adverts are whole seconds 1..255; use VRRP version 3 for sub-second intervals"))
		}
	case 3:
		if c.AdvertInterval < MinV3Interval || c.AdvertInterval > MaxV3Interval || c.AdvertInterval%MinV3Interval != 0 {
			add(fieldErr(FieldAdvertInterval, -1, c.AdvertInterval.String(), "VRRPv3 adverts are multiples of 10ms from 10ms to 40.95s"))
		}
	default:
		add(fieldErr(FieldVRRPVersion, -1, fmt.Sprint(c.VRRPVersion), "must be 2 or 3"))
	}
	if c.HealthPort < 1 || c.HealthPort > 65535 {
		add(fieldErr(FieldHealthPort, -1, fmt.Sprint(c.HealthPort), "must be a TCP port 1..65535"))
	} else if c.HealthPort == c.MonitorPort && c.CheckScript == "" && c.Check == nil {
		add(fieldErr(FieldHealthPort, -1, fmt.Sprint(c.HealthPort), "equals the monitor port: the health check would probe the agent itself"))
	}
	if c.Priority < 0 || c.Priority > 255 {
		add(fieldErr(FieldPriority, -1, fmt.Sprint(c.Priority), "must be 1..255, or 0 to compute priorities"))
	}
	peerAt := make(map[netip.Addr]int, len(c.UnicastPeers))
	vips := make(map[netip.Addr]bool)
	if len(c.UnicastPeers) > 0 {
		for _, r := range c.VIPs {
			for _, a := range r.Addrs() {
				vips[a] = true
			}
		}
	}
	for i, p := range c.UnicastPeers {
		switch {
		case !p.IsValid() || p.IsUnspecified() || p.IsMulticast() || p.IsLoopback():
			add(fieldErr(FieldUnicastPeers, i, p.String(), "must be a unicast address"))
		case p.Zone() != "":
			add(fieldErr(FieldUnicastPeers, i, p.String(), "has a zone: list the peers' global addresses"))
		case vips[p]:
			add(fieldErr(FieldUnicastPeers, i, p.String(), "is also a VIP: list the nodes' own addresses, which stay put when the VIPs move"))
		}
		if j, dup := peerAt[p]; dup {
			add(dupErr(FieldUnicastPeers, i, j, p.String(), "is listed twice"))
			continue
		}
		peerAt[p] = i
	}
	if c.MulticastSource.IsValid() && !c.MulticastSource.Is4() {
		add(fieldErr(FieldMulticastSource, -1, c.MulticastSource.String(),
			"must be an IPv4 address of the node: IPv6 adverts always leave from the interface's link-local address (RFC 9568 §5.1.2.1)"))
	}
	switch c.IPTablesBackend {
	case "auto", "nft", "legacy":
	default:
		add(fieldErr(FieldIPTablesBackend, -1, c.IPTablesBackend, "must be auto, nft or legacy"))
	}
	errs = append(errs, c.validateCheck()...)
	nodeAt := make(map[string]int, len(c.Nodes))
	for i, n := range c.Nodes {
		if n == "" {
			add(fieldErr(FieldNodes, i, n, "node names must not be empty"))
		}
		if j, dup := nodeAt[n]; dup {
			add(dupErr(FieldNodes, i, j, n, "is listed twice"))
			continue
		}
		nodeAt[n] = i
	}
	return errors.Join(errs...)
}

func (c Config) validateFamilies(groups []Group) []error {
	var errs []error
	for _, g := range groups {
		if g.IPv6() && c.VRRPVersion == 2 {
			errs = append(errs, fieldErr(FieldVRRPVersion, -1, "2",
				"VIP group %d holds IPv6 address %s, which only VRRP version 3 can carry (RFC 3768 is IPv4-only): set the VRRP version to 3", g.Index, g.VIPs[0]))
			break
		}
	}
	if !c.Unicast() {
		return errs
	}
	for _, g := range groups {
		if !slices.ContainsFunc(c.UnicastPeers, func(p netip.Addr) bool { return p.Is6() == g.IPv6() }) {
			family := "IPv4"
			if g.IPv6() {
				family = "IPv6"
			}
			errs = append(errs, fieldErr(FieldUnicastPeers, -1, "",
				"VIP group %d is %s but no unicast peer is: list the peers' %s addresses", g.Index, family, family))
			break
		}
	}
	return errs
}

// MaxChainNameLen is the longest iptables chain name (XT_EXTENSION_MAXNAMELEN
// less the terminating NUL).
const MaxChainNameLen = 28

// chainNameProblem says why name cannot be an iptables chain, or "".
// iptables refuses names with blanks or control characters, and names
// starting with '-' or '!' would be read as options.
func chainNameProblem(name string) string {
	if len(name) > MaxChainNameLen {
		return fmt.Sprintf("an iptables chain name has at most %d characters", MaxChainNameLen)
	}
	if name[0] == '-' || name[0] == '!' {
		return "an iptables chain name must not start with '-' or '!'"
	}
	for _, r := range name {
		if r <= ' ' || r == 0x7f || r > 0x7e {
			return "an iptables chain name has no blanks, control or non-ASCII characters"
		}
	}
	return ""
}
