package contract

import (
	"strconv"
	"strings"
)

// Environment variable names of the contract. The first block is read by
// OpenShift's keepalived-ipfailover image; the second block is ours.
const (
	EnvConfigName      = "OPENSHIFT_HA_CONFIG_NAME"
	EnvVirtualIPs      = "OPENSHIFT_HA_VIRTUAL_IPS"
	EnvVIPGroups       = "OPENSHIFT_HA_VIP_GROUPS"
	EnvInterface       = "OPENSHIFT_HA_NETWORK_INTERFACE"
	EnvMonitorPort     = "OPENSHIFT_HA_MONITOR_PORT"
	EnvReplicaCount    = "OPENSHIFT_HA_REPLICA_COUNT"
	EnvVRIDOffset      = "OPENSHIFT_HA_VRRP_ID_OFFSET"
	EnvExcludedVRIDs   = "HA_EXCLUDED_VRRP_IDS" // no OPENSHIFT_ prefix upstream
	EnvIPTablesChain   = "OPENSHIFT_HA_IPTABLES_CHAIN"
	EnvNFTablesRule    = "OPENSHIFT_HA_NFTABLES_RULE"
	EnvCheckScript     = "OPENSHIFT_HA_CHECK_SCRIPT"
	EnvCheckInterval   = "OPENSHIFT_HA_CHECK_INTERVAL"
	EnvNotifyScript    = "OPENSHIFT_HA_NOTIFY_SCRIPT"
	EnvPreemption      = "OPENSHIFT_HA_PREEMPTION"
	EnvUnicastPeers    = "OPENSHIFT_HA_UNICAST_PEERS"
	EnvUnicastSource   = "UNICAST_SOURCE_IPADDRESS"
	EnvMulticastSource = "MULTICAST_SOURCE_IPADDRESS"
	EnvAdminEmails     = "OPENSHIFT_HA_ADMIN_EMAILS"
	EnvSMTPServer      = "OPENSHIFT_HA_SMTP_SERVER"
	EnvUseUnicast      = "OPENSHIFT_HA_USE_UNICAST" // read by nobody upstream; accepted and ignored
	EnvSelector        = "OPENSHIFT_HA_SELECTOR"    // read by nobody upstream; accepted and ignored

	// EnvVRRPVersion selects VRRP version 2 or 3 (ours; the image always speaks v2).
	EnvVRRPVersion = "OPENSHIFT_HA_VRRP_VERSION"
	// EnvAdvertInterval is the advertisement interval, e.g. "1s" or "100ms" (ours; the image uses 1 s).
	EnvAdvertInterval = "OPENSHIFT_HA_ADVERT_INTERVAL"
	// EnvHealthPort is the port of the agent's /healthz, /readyz and /metrics (ours).
	EnvHealthPort = "OPENSHIFT_HA_HEALTH_PORT"
	// EnvPriority pins this node's VRRP priority for every group (ours; for manual runs and benchmarks).
	EnvPriority = "OPENSHIFT_HA_PRIORITY"
	// EnvNodes is the ordered list of node names the replicas run on, when the spec names them (ours).
	EnvNodes = "OPENSHIFT_HA_NODES"
	// EnvNodeName is this pod's node name, filled from the downward API (ours).
	EnvNodeName = "OPENSHIFT_HA_NODE_NAME"
	// EnvIPTablesBackend picks the iptables backend: auto, nft or legacy (ours).
	EnvIPTablesBackend = "OPENSHIFT_HA_IPTABLES_BACKEND"
)

// ScrubbedName is the config name reduced the way the image derives
// keepalived's router_id and instance names: only [A-Za-z0-9_-] are kept,
// then '-' becomes '_'.
func ScrubbedName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		case r == '-':
			b.WriteByte('_')
		}
	}
	return b.String()
}

// InstanceName is keepalived's vrrp_instance name for group index (1-based),
// e.g. "ipfailover_VIP_1". The notify script receives it as its second argument.
func InstanceName(name string, index int) string {
	return ScrubbedName(name) + "_VIP_" + strconv.Itoa(index)
}

// AuthPassLen is the length of the VRRPv2 simple-text authentication data
// (RFC 2338 §5.3.10; keepalived keeps the first 8 bytes of auth_pass).
const AuthPassLen = 8

// AuthPass is the VRRPv2 simple-text password the image configures: the
// first 8 bytes of the raw config name, zero-padded. All peers of one
// failover set must share it, or keepalived drops their adverts.
func AuthPass(name string) [AuthPassLen]byte {
	var p [AuthPassLen]byte
	copy(p[:], name)
	return p
}
