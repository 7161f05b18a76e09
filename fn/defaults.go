package fn

// Renderer defaults and fixed names that are not part of the env contract
// (those live in package contract: contract.Default*).
const (
	// DefaultAgentImage is the image of the Agent target.
	DefaultAgentImage = "ghcr.io/failoverkit/ipfailover-node:v0.1.0"
	// DefaultKeepalivedImage is the image of the Keepalived target. From
	// 4.20 on its default VRID offset is 10, like ours.
	DefaultKeepalivedImage = "registry.redhat.io/openshift4/ose-keepalived-ipfailover-rhel9:v4.20"

	// ScriptsDir is where the scripts ConfigMap is mounted.
	ScriptsDir = "/etc/ipfailover/scripts"
	// CheckScriptKey and NotifyScriptKey are the ConfigMap keys, and file
	// names under ScriptsDir, of the two scripts.
	CheckScriptKey  = "check.sh"
	NotifyScriptKey = "notify.sh"
	// MaxScriptsBytes bounds the scripts ConfigMap (the API server's limit
	// is 1 MiB for the whole object).
	MaxScriptsBytes = 512 * 1024

	// XtablesLockPath is the iptables lock the agent shares with the host
	// (and kube-proxy) when it manages the VRRP firewall rule.
	XtablesLockPath = "/run/xtables.lock"

	// KeepalivedRemoveScript is the removal entry point of OpenShift's image.
	KeepalivedRemoveScript = "/var/lib/ipfailover/keepalived/remove-failover.sh"

	// CleanupBackoffLimit is the number of retries of a cleanup Job.
	CleanupBackoffLimit = 3

	// MaxInterfaceLen is Linux's IFNAMSIZ minus the terminating NUL.
	MaxInterfaceLen = 15
	// MaxChainLen is iptables' longest chain name.
	MaxChainLen = 28
)

// Labels and annotations the renderer writes.
const (
	LabelName      = "app.kubernetes.io/name"
	LabelInstance  = "app.kubernetes.io/instance"
	LabelComponent = "app.kubernetes.io/component"
	LabelManagedBy = "app.kubernetes.io/managed-by"

	// AppName is the value of LabelName, and ManagedBy of LabelManagedBy.
	AppName   = "ipfailover"
	ManagedBy = "ipfailover-render"

	// ComponentFailover labels the Deployment's pods, ComponentCleanup the
	// cleanup Jobs' pods. The Deployment selector includes the component so
	// that it never matches cleanup pods.
	ComponentFailover = "failover"
	ComponentCleanup  = "cleanup"

	// AnnotationOwner ties a generated object to its IPFailover:
	// "<namespace>/<name>". The renderer replaces objects carrying it when
	// it renders that IPFailover again.
	AnnotationOwner = "ipfailover.failoverkit.io/owner"
	// AnnotationScriptsHash is the SHA-256 of the scripts, on the pod
	// template, so that changing a script rolls the pods.
	AnnotationScriptsHash = "ipfailover.failoverkit.io/scripts-hash"
	// AnnotationNode names the node a cleanup Job runs on (node names can
	// be longer than a label value).
	AnnotationNode = "ipfailover.failoverkit.io/node"

	// SCCPrivilegedRole and SCCHostNetworkRole are the ClusterRoles that
	// "oc adm policy add-scc-to-user" binds.
	SCCPrivilegedRole  = "system:openshift:scc:privileged"
	SCCHostNetworkRole = "system:openshift:scc:hostnetwork"

	// HostnameLabel is the well-known node label of the pods'
	// anti-affinity (one pod of a set per node).
	HostnameLabel = "kubernetes.io/hostname"
	// NodeNameField is the node field the pods are pinned to spec.nodes by.
	NodeNameField = "metadata.name"
)
