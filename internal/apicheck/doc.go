// Package apicheck sends Kubernetes objects to a kube-apiserver exactly as
// "kubectl apply --server-side --dry-run=server --validate=strict" sends
// them, so that tests can hold the renderer to its rule: anything it
// prints applies to a real API server.
//
// An object is read as kubectl reads it (ReadYAML: a YAML stream split on
// "---" lines, each document converted by sigs.k8s.io/yaml, a YAML 1.1
// reader) and sent as a server-side apply patch (PATCH,
// application/apply-patch+yaml) with fieldManager=kubectl,
// fieldValidation=Strict and, for DryRun, dryRun=All. Resources are found
// by discovery; a namespace that does not exist is created for real first
// (a dry run into a missing namespace fails). Every request is bounded by
// RequestTimeout.
//
// Load reads a kubeconfig (server URL, CA, client certificate and key, as
// data or as files, or a bearer token) with sigs.k8s.io/yaml and
// crypto/tls alone: the main module does not depend on client-go. The
// package is for tests and the lab (lab/serverside, the fuzz targets of
// package fn with IPFAILOVER_FUZZ_KUBECONFIG); point it only at a
// throwaway API server, since it creates namespaces and, through Apply,
// whatever it is given.
package apicheck
