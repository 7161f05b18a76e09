package v1alpha1

// Group, Version, APIVersion and Kind identify the IPFailover resource.
const (
	Group      = "ipfailover.failoverkit.io"
	Version    = "v1alpha1"
	APIVersion = Group + "/" + Version
	Kind       = "IPFailover"
)
