// Package v1alpha1 holds the IPFailover API, version v1alpha1: the spec a
// cluster admin writes to declare a set of virtual IP addresses that VRRP
// keeps on one of a group of nodes, and that the renderer (package fn)
// expands into a ServiceAccount, RoleBindings, an optional scripts ConfigMap
// and a Deployment (or, on removal, per-node cleanup Jobs).
//
// The object is read by the renderer only; it never needs to exist in a
// cluster. The comments on the fields are the user documentation and the
// source of the schema that will be generated from these types.
//
// +groupName=ipfailover.failoverkit.io
// +kubebuilder:object:generate=false
package v1alpha1
