package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// IPFailover declares one failover set: virtual IP addresses (VIPs) that a
// group of nodes keep reachable with VRRP. Exactly one node holds each VIP;
// when it fails, another takes the VIP over.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Namespaced,shortName=ipf
type IPFailover struct {
	metav1.TypeMeta `json:",inline"`
	// Standard object metadata. metadata.name names the failover set: it
	// becomes OPENSHIFT_HA_CONFIG_NAME (whose first 8 characters are the
	// VRRPv2 password shared by all nodes of the set) and the name of the
	// generated objects. metadata.namespace is required: the generated
	// objects live there.
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec is the desired failover set.
	Spec IPFailoverSpec `json:"spec"`
}

// IPFailoverSpec is the desired state of a failover set.
type IPFailoverSpec struct {
	// VirtualIPs lists the addresses to fail over: single addresses
	// ("192.0.2.10", "2001:db8::10") or ranges that vary only the last IPv4
	// octet or IPv6 hextet ("192.0.2.10-12", "192.0.2.10-192.0.2.12",
	// "2001:db8::a-f"). No CIDR suffixes, no spaces, no duplicates.
	// +kubebuilder:validation:MinItems=1
	VirtualIPs []string `json:"virtualIPs"`

	// Groups is the number of VRRP groups the VIPs are cut into, in list
	// order; all VIPs of a group share one virtual router ID (VRID) and move
	// together. Omitted or 0 means one group per VIP. VRIDs run from 1 to
	// 255, so more than 255 VIPs need groups.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Groups int32 `json:"groups,omitempty"`

	// Interface is the host network interface that carries VRRP and the VIPs.
	// Default: eth0, or br-ex when clusterNetwork is OVNKubernetes.
	// +optional
	Interface string `json:"interface,omitempty"`

	// ClusterNetwork is the cluster's network plugin; it only chooses the
	// default interface (br-ex for OVN-Kubernetes, where VRRP on another
	// interface loses packets). One of OVNKubernetes, OpenShiftSDN, Other.
	// +optional
	// +kubebuilder:validation:Enum=OVNKubernetes;OpenShiftSDN;Other
	ClusterNetwork ClusterNetwork `json:"clusterNetwork,omitempty"`

	// MonitorPort is the TCP port each node checks on its own address to
	// decide whether it is fit to hold the VIPs. 0 disables the check.
	// Ignored when checkScript or check is set. Default: 80.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=65535
	MonitorPort *int32 `json:"monitorPort,omitempty"`

	// Replicas is the number of nodes that run the set (one pod per node).
	// Default: the number of entries in nodes when nodes is given, else 2.
	// When nodes is given, replicas must equal its length. Removal ignores
	// it.
	// +optional
	Replicas *int32 `json:"replicas,omitempty"`

	// NodeSelector restricts the nodes the pods may run on. Mutually
	// exclusive with nodes (except on removal, which ignores it).
	// +optional
	NodeSelector map[string]string `json:"nodeSelector,omitempty"`

	// Nodes names the nodes that run the set, one pod each. Required when
	// remove is true: each listed node gets a cleanup Job, so list every
	// node that may have held the VIPs. Mutually exclusive with
	// nodeSelector (except on removal).
	// +optional
	Nodes []string `json:"nodes,omitempty"`

	// IPTablesChain is the iptables chain (filter table) that gets a rule
	// accepting VRRP multicast (224.0.0.18). Empty disables the rule.
	// Default: INPUT.
	// +optional
	IPTablesChain *string `json:"iptablesChain,omitempty"`

	// CheckScript is the content of a script (with a #! line) that decides
	// whether a node is fit to hold the VIPs: exit 0 means fit. It replaces
	// the monitorPort check. The renderer stores it in a ConfigMap.
	// +optional
	CheckScript string `json:"checkScript,omitempty"`

	// Check is a health check the agent runs itself, without a script or a
	// shell: a TCP connect or an HTTP(S) GET, at checkInterval, each run
	// bounded by the interval (or check.timeout); one failure puts every
	// group of the node into FAULT, one success brings it back. It
	// replaces the monitorPort check and excludes checkScript. Agent target
	// only.
	// +optional
	Check *Check `json:"check,omitempty"`

	// CheckInterval is how often the check runs, in whole seconds.
	// Default: 2s.
	// +optional
	CheckInterval *metav1.Duration `json:"checkInterval,omitempty"`

	// NotifyScript is the content of a script (with a #! line) run on every
	// VRRP state change, with the arguments INSTANCE, the group's instance
	// name, the new state (MASTER, BACKUP, FAULT, STOP) and the priority.
	// +optional
	NotifyScript string `json:"notifyScript,omitempty"`

	// Preemption says when a node with a higher priority takes a VIP back
	// from a live node. Default: after a delay of 300s.
	// +optional
	Preemption *Preemption `json:"preemption,omitempty"`

	// VRRP holds the protocol settings.
	// +optional
	VRRP *VRRP `json:"vrrp,omitempty"`

	// Target chooses the software that runs on the nodes: Agent (the
	// failoverkit node agent, least privilege, IPv4 and IPv6) or Keepalived
	// (OpenShift's keepalived-ipfailover image, privileged, IPv4 and VRRPv2
	// only). Default: Agent.
	// +optional
	// +kubebuilder:validation:Enum=Agent;Keepalived
	Target Target `json:"target,omitempty"`

	// Image is the container image. Default:
	// ghcr.io/failoverkit/ipfailover-node:v0.1.0 for Agent,
	// registry.redhat.io/openshift4/ose-keepalived-ipfailover-rhel9:v4.20
	// for Keepalived.
	// +optional
	Image string `json:"image,omitempty"`

	// ImagePullPolicy is the container's pull policy. Default: IfNotPresent.
	// +optional
	// +kubebuilder:validation:Enum=Always;IfNotPresent;Never
	ImagePullPolicy corev1.PullPolicy `json:"imagePullPolicy,omitempty"`

	// ImagePullSecrets are the pull secrets of the pods.
	// +optional
	ImagePullSecrets []corev1.LocalObjectReference `json:"imagePullSecrets,omitempty"`

	// Resources are the compute resources of the container.
	// +optional
	Resources *corev1.ResourceRequirements `json:"resources,omitempty"`

	// Tolerations of the pods (and of the cleanup Jobs), e.g. to run on
	// tainted infrastructure nodes.
	// +optional
	Tolerations []corev1.Toleration `json:"tolerations,omitempty"`

	// PriorityClassName of the pods.
	// +optional
	PriorityClassName string `json:"priorityClassName,omitempty"`

	// ServiceAccountName is the ServiceAccount the renderer creates and the
	// pods run as. Default: metadata.name.
	// +optional
	ServiceAccountName string `json:"serviceAccountName,omitempty"`

	// HealthPort is the host port of the agent's /healthz, /readyz and
	// /metrics endpoints. Two sets on one node need different ports. Agent
	// target only. Default: 1985.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=65535
	HealthPort *int32 `json:"healthPort,omitempty"`

	// Remove, when true, renders the removal of the set instead of the set:
	// the Deployment is no longer rendered, and one cleanup Job per entry of
	// nodes deletes the VIPs and the firewall rule from that node.
	// +optional
	Remove bool `json:"remove,omitempty"`
}

// Check is a declarative health check: exactly one of tcp and http.
type Check struct {
	// TCP connects to a port; success means something accepts the connection.
	// +optional
	TCP *TCPCheck `json:"tcp,omitempty"`

	// HTTP sends a GET; success means an answer with an expected status.
	// +optional
	HTTP *HTTPCheck `json:"http,omitempty"`

	// Timeout bounds one run; at most checkInterval. Default: checkInterval.
	// +optional
	Timeout *metav1.Duration `json:"timeout,omitempty"`
}

// TCPCheck is a TCP connect.
type TCPCheck struct {
	// Host is the IP address to connect to. Default: the node's own address
	// on the interface (as for monitorPort).
	// +optional
	Host string `json:"host,omitempty"`

	// Port is the TCP port.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=65535
	Port int32 `json:"port"`
}

// HTTPCheck is an HTTP or HTTPS GET, like a Kubernetes httpGet probe. It
// does not follow redirects and uses no proxy.
type HTTPCheck struct {
	// Scheme is HTTP or HTTPS. Default: HTTP.
	// +optional
	// +kubebuilder:validation:Enum=HTTP;HTTPS
	Scheme HTTPScheme `json:"scheme,omitempty"`

	// Host is the IP address or name to connect to; a name is also the
	// Host header and the TLS server name. Default: the node's own address
	// on the interface.
	// +optional
	Host string `json:"host,omitempty"`

	// Port is the TCP port. Default: 80 for HTTP, 443 for HTTPS.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=65535
	Port *int32 `json:"port,omitempty"`

	// Path is the path (and query) to GET. Default: /.
	// +optional
	Path string `json:"path,omitempty"`

	// ExpectedStatus is the range of statuses that pass. Default: 200-399
	// (what curl -f and Kubernetes probes accept).
	// +optional
	ExpectedStatus *StatusRange `json:"expectedStatus,omitempty"`

	// InsecureSkipTLSVerify, when true, accepts any server certificate.
	// HTTPS only; verification (against the image's CA bundle) is on by
	// default.
	// +optional
	InsecureSkipTLSVerify bool `json:"insecureSkipTLSVerify,omitempty"`
}

// HTTPScheme is HTTP or HTTPS.
type HTTPScheme string

// HTTP schemes.
const (
	HTTPSchemeHTTP  HTTPScheme = "HTTP"
	HTTPSchemeHTTPS HTTPScheme = "HTTPS"
)

// StatusRange is a range of HTTP statuses, both ends included.
type StatusRange struct {
	// Min is the lowest passing status.
	// +kubebuilder:validation:Minimum=100
	// +kubebuilder:validation:Maximum=599
	Min int32 `json:"min"`

	// Max is the highest passing status. Default: min.
	// +optional
	// +kubebuilder:validation:Minimum=100
	// +kubebuilder:validation:Maximum=599
	Max int32 `json:"max,omitempty"`
}

// ClusterNetwork names a cluster network plugin.
type ClusterNetwork string

// Cluster network plugins.
const (
	// ClusterNetworkOVNKubernetes is OVN-Kubernetes; VRRP must use br-ex.
	ClusterNetworkOVNKubernetes ClusterNetwork = "OVNKubernetes"
	// ClusterNetworkOpenShiftSDN is the OpenShift SDN plugin.
	ClusterNetworkOpenShiftSDN ClusterNetwork = "OpenShiftSDN"
	// ClusterNetworkOther is any other plugin.
	ClusterNetworkOther ClusterNetwork = "Other"
)

// Target names the software that runs on the nodes.
type Target string

// Targets.
const (
	// TargetAgent is the failoverkit node agent.
	TargetAgent Target = "Agent"
	// TargetKeepalived is OpenShift's keepalived-ipfailover image.
	TargetKeepalived Target = "Keepalived"
)

// Preemption says when a higher-priority node takes a VIP back.
type Preemption struct {
	// Never, when true, means a live node keeps its VIPs even when a node
	// with a higher priority comes back (keepalived's nopreempt). Delay
	// must then be omitted.
	// +optional
	Never bool `json:"never,omitempty"`

	// Delay is how long after its start a higher-priority node waits before
	// taking a VIP back from a live node, in whole seconds from 0s to 1000s
	// (keepalived's preempt_delay). Default: 300s.
	// +optional
	Delay *metav1.Duration `json:"delay,omitempty"`
}

// VRRP holds the protocol settings of a failover set.
type VRRP struct {
	// Version is the VRRP version: 2 (default; the only version OpenShift's
	// keepalived image speaks, IPv4 only) or 3 (IPv4 and IPv6, sub-second
	// intervals).
	// +optional
	// +kubebuilder:validation:Enum=2;3
	Version int32 `json:"version,omitempty"`

	// AdvertInterval is the interval between advertisements. VRRPv2: whole
	// seconds; VRRPv3: multiples of 10ms. Default: 1s.
	// +optional
	AdvertInterval *metav1.Duration `json:"advertInterval,omitempty"`

	// IDOffset is added to the group number (1, 2, …) to give each group's
	// virtual router ID: the first group gets VRID offset+1. Sets sharing a
	// network segment need VRID ranges that do not overlap. 0..254;
	// default 10 (the default of OpenShift's image since 4.20).
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=254
	IDOffset *int32 `json:"idOffset,omitempty"`

	// ExcludedIDs are VRIDs to skip, e.g. those of the cluster's own API and
	// Ingress VIPs; a group whose VRID is listed gets the next free one, and
	// every later group shifts with it.
	// +optional
	ExcludedIDs []int32 `json:"excludedIDs,omitempty"`

	// UnicastPeers, when set, sends advertisements to these node addresses
	// instead of the multicast group; use it where multicast is filtered
	// (most clouds). List every node of the set, including itself.
	// +optional
	UnicastPeers []string `json:"unicastPeers,omitempty"`
}
