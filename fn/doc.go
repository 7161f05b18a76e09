// Package fn is the IPFailover renderer: it expands IPFailover objects
// (package api/v1alpha1) into the Kubernetes objects that run a failover
// set, and reports every problem of a spec as a KRM result that names the
// object and the field.
//
// The package is the pure core of the ipfailover-render binary: Render
// takes objects and returns objects and results, and Process adapts it to
// the KRM function protocol (a ResourceList in, a ResourceList out). It does
// no I/O. The command-line modes (files, kustomize legacy plugin, the
// oc-adm-style generator, import) live in package fn/cli.
//
// Everything about the OPENSHIFT_HA_* environment contract — VIP parsing,
// VRRP groups and VRIDs, defaults, the variables written — is delegated to
// package contract; this package maps spec fields to the contract's
// settings through one table, settings in mapping.go: each row gives the
// spec path a setting's findings point at, how the renderer resolves the
// spec field into contract.Config (newPlan) and how import writes a decoded
// Config back into a spec. A new setting is one row there, next to its row
// in contract's table.
package fn
