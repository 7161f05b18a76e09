// Package serverside holds the test that everything the renderer prints
// applies to a real API server (issue 11): the CRD installs, every
// example's IPFailover validates against it, and every example's and
// golden case's output passes a strict server-side dry run, on a
// standalone kube-apiserver (lab/internal/apiserver).
package serverside
