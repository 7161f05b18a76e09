// Package nslab is the one network-namespace lab of this repository: it
// creates namespaces, runs bounded commands and processes in them, and wires
// hosts to a bridge in a switch namespace, returning errors. Tests use it
// through the thin testing.TB adapter internal/nstest; the benchmark
// (bench/internal/lab) uses it directly.
//
//	   switch namespace (bridge br0, multicast snooping off, IPv6 off)
//	    |             |              |
//	veth port     veth port      veth port
//	    |             |              |
//	host eth0     host eth0      host eth0
//
// Rules it keeps: everything lives in namespaces the caller creates with
// names of its own (unique per run); nothing is created in, routed to or
// changed in the caller's namespace, and the bridge has no uplink. Every
// command is bounded in time (CommandTimeout). Everything created is
// registered, right after it is created, in a Cleanups list that removes it
// by its own name, handle or PID, newest first, also after a failure
// half-way.
//
// Namespaces and goroutines: a network namespace is a property of an OS
// thread. NS.Do runs a function on a dedicated, locked OS thread that has
// entered the namespace and is thrown away afterwards; sockets created there
// stay in the namespace.
package nslab
