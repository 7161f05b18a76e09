// Package serverside holds the test that everything the renderer prints
// applies to a real API server (issue 11): the CRD installs, every
// example's IPFailover validates against it, every example's and golden
// case's output passes a strict server-side dry run, and so does the
// output of every random spec and every fuzz corpus input the renderer
// accepts (the fuzz targets of package fn, run with
// IPFAILOVER_FUZZ_KUBECONFIG), on the lab's control plane alone
// (lab/cluster with no nodes). Requests are sent by internal/apicheck, as
// kubectl apply --server-side --dry-run=server --validate=strict sends
// them.
package serverside
