// Package nstest is the network-namespace test harness shared by every
// privileged test in this repository.
//
// It builds small virtual L2 networks out of Linux network namespaces:
//
//	     switch namespace (bridge br0, multicast snooping off)
//	      |             |              |
//	veth sp0       veth sp1       veth sp2
//	      |             |              |
//	host "a" eth0  host "b" eth0  host "client" eth0
//
// Each host lives in its own namespace and sees exactly one interface,
// eth0, plus lo. Nothing is ever created in, routed to, or changed in the
// namespace the test binary was started in, and nothing is routed off the
// machine: the bridge has no uplink. Tests must use TEST-NET addresses only
// (192.0.2.0/24, 198.51.100.0/24, 2001:db8::/32).
//
// Rules the harness enforces:
//
//   - Every privileged test calls [RequirePrivileged] first. Without root it
//     skips, unless the environment has CI=true, in which case it fails: CI
//     runs as root and these tests must not silently disappear there.
//   - Namespace names carry the test binary's PID and a per-process counter
//     (go test runs packages in parallel, each in its own process), so two
//     runs never collide. Interface names stay within 15 bytes.
//   - Everything a test creates (namespaces, netlink handles, namespace
//     handles, background processes) is removed through t.Cleanup, by its
//     own name, handle or PID, also when the test fails half-way.
//   - Every wait is bounded in time.
//
// Namespaces and goroutines: a network namespace is a property of an OS
// thread, not of a goroutine. [NS.Do] runs a function on a dedicated, locked
// OS thread that has entered the namespace; the thread is thrown away
// afterwards, so no other goroutine ever runs in the namespace by accident.
// Sockets (and netlink sockets) created inside Do stay bound to the
// namespace after Do returns, which is how tests hand namespaced sockets to
// code under test. Commands started from inside Do inherit the namespace as
// well, but prefer [NS.Run], which uses `ip netns exec`.
//
// The namespace machinery itself (namespaces, bounded commands, processes,
// the bridge) is the error-returning package internal/nslab, which the
// benchmark uses directly; this package adapts it to testing.TB.
package nstest
