// Package sim runs VRRP routers built from package fsm and package packet
// on an in-memory segment under a discrete-event scheduler with a virtual
// clock: no real time, no goroutines, no sockets, and every run is
// deterministic. Its tests are the protocol-level proof of the VRRP core:
// election, preemption with and without keepalived's preempt_delay,
// priority-0 handover after skew time, the equal-priority tie-break,
// partitions healing to one master within one advert interval, and what
// happens when VRRPv2 and VRRPv3 routers share a VRID.
//
// Every advert goes through packet.Marshal and packet.Validate, so the
// codec's checksum and validation decisions are part of what is tested.
// Timers are leaky on purpose (a stopped or replaced timer still fires
// with its old generation) to exercise the machine's generation checks,
// and the network records any broken invariant in Network.Violations.
package sim
