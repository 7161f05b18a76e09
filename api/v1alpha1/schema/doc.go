// Package schema generates the OpenAPI v3 schema of the IPFailover API
// (package api/v1alpha1) and the CustomResourceDefinition that carries it,
// so that kubectl explain, editors and Argo CD's diffs understand the spec.
//
// The schema is derived from the Go types by reflection: JSON names and
// omitempty from the struct tags, descriptions from the doc comments (read
// from the package's source for our types, from SwaggerDoc for the
// Kubernetes types it embeds), and the kubebuilder markers the types carry
// (+optional, +kubebuilder:validation:Enum, Minimum, Maximum, MinItems,
// +kubebuilder:resource:scope and shortName). It covers the kinds of Go
// types the API uses, and fails on any other, so that a new field of an
// unsupported kind cannot be silently left out.
//
// The checked-in CRD, deploy/crd/ipfailover.failoverkit.io_ipfailovers.yaml,
// is written by hack/gen-crd (make crd); a test fails when it drifts from
// the types.
package schema
