// Package cluster brings up, and takes down, the local multi-node
// Kubernetes lab: a real control plane (etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler) in its own network namespace and
// worker nodes, each a network namespace of its own on one bridge with its
// own containerd and kubelet, plus a client namespace that reaches the VIPs
// from outside the nodes.
//
// Everything stays inside namespaces that the lab creates; the root
// namespace gets no address, route or firewall rule. The machine's own
// shell reaches the API server through a forwarder that listens on
// 127.0.0.1 and dials into the control-plane namespace.
//
// Up records every namespace, process, cgroup and mount it creates in a
// state file, so Down (in another process, later) removes exactly those, by
// their own handles: processes by PID checked against their start time,
// namespaces and cgroups by the names it generated, mounts below the lab's
// own directory.
package cluster
