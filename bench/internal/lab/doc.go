// Package lab builds the benchmark's network: a switch namespace with a
// bridge (no uplink, multicast snooping off), three node namespaces and a
// client namespace, each host with one interface, eth0, on the bridge.
//
// It follows the machine's rules for the benchmark: everything lives in
// namespaces it creates itself with unique names (prefix "vb", the PID and
// two random letters), nothing is created in or routed from the root
// namespace, hosts and VIPs use TEST-NET addresses only, every command is
// bounded in time, and every namespace, process and socket is removed by
// name or PID through Cleanups, also on failure or Ctrl-C. The namespace
// machinery itself is the repository's one lab package, internal/nslab.
package lab
