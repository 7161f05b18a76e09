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

// variable is one row of the contract: the variable's name, the Field that
// names it in findings (FieldUnknown for variables nothing validates), and
// whether only our agent reads it (the image ignores it, so a Deployment for
// OpenShift's keepalived-ipfailover image can leave it out).
type variable struct {
	name      string
	field     Field
	agentOnly bool
}

// variables lists every variable of the contract once, the image's and
// ours, in KnownVars order. KnownVars, AgentOnly and Field.EnvName are
// derived from it: a new variable is one row here (plus its decoding in
// FromEnv and encoding in Env).
var variables = []variable{
	{EnvConfigName, FieldConfigName, false},
	{EnvVirtualIPs, FieldVirtualIPs, false},
	{EnvVIPGroups, FieldVIPGroups, false},
	{EnvInterface, FieldInterface, false},
	{EnvMonitorPort, FieldMonitorPort, false},
	{EnvReplicaCount, FieldReplicaCount, false},
	{EnvVRIDOffset, FieldVRIDOffset, false},
	{EnvExcludedVRIDs, FieldExcludedVRIDs, false},
	{EnvIPTablesChain, FieldIPTablesChain, false},
	{EnvNFTablesRule, FieldUnknown, false},
	{EnvCheckScript, FieldCheckScript, false},
	{EnvCheckInterval, FieldCheckInterval, false},
	{EnvNotifyScript, FieldNotifyScript, false},
	{EnvPreemption, FieldPreemption, false},
	{EnvUnicastPeers, FieldUnicastPeers, false},
	{EnvUnicastSource, FieldUnicastSource, false},
	{EnvMulticastSource, FieldMulticastSource, false},
	{EnvAdminEmails, FieldUnknown, false},
	{EnvSMTPServer, FieldUnknown, false},
	{EnvUseUnicast, FieldUnknown, false},
	{EnvSelector, FieldUnknown, false},
	{EnvVRRPVersion, FieldVRRPVersion, true},
	{EnvAdvertInterval, FieldAdvertInterval, true},
	{EnvHealthPort, FieldHealthPort, true},
	{EnvPriority, FieldPriority, true},
	{EnvNodes, FieldNodes, true},
	{EnvNodeName, FieldNodeName, true},
	{EnvIPTablesBackend, FieldIPTablesBackend, true},
	{EnvCheckTCP, FieldCheckTCP, true},
	{EnvCheckHTTP, FieldCheckHTTP, true},
	{EnvCheckHTTPStatus, FieldCheckHTTPStatus, true},
	{EnvCheckTimeout, FieldCheckTimeout, true},
	{EnvCheckTLSInsecure, FieldCheckTLSInsecure, true},
}

// agentOnly and fieldEnv index variables.
var agentOnly, fieldEnv = func() (map[string]bool, map[Field]string) {
	only, env := map[string]bool{}, map[Field]string{}
	for _, v := range variables {
		if v.agentOnly {
			only[v.name] = true
		}
		if v.field != FieldUnknown {
			env[v.field] = v.name
		}
	}
	return only, env
}()

// AgentOnly reports whether only our agent reads the variable, so a
// Deployment for OpenShift's keepalived-ipfailover image can leave it out.
func AgentOnly(name string) bool { return agentOnly[name] }

// KnownVars lists every variable of the contract, the image's and ours, in
// a fixed order.
func KnownVars() []string {
	names := make([]string, len(variables))
	for i, v := range variables {
		names[i] = v.name
	}
	return names
}

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
