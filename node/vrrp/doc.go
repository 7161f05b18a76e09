// Package vrrp is the root of the pure VRRP core of the node agent. It
// holds no code; its subpackages are:
//
//   - packet: the VRRPv2/VRRPv3 wire codec and receive validation;
//   - fsm: the state machine of one virtual router, events in, actions out;
//   - sim: a deterministic discrete-event simulation of routers on a shared
//     segment, whose tests prove the protocol behaviour end to end.
//
// None of them touches sockets, netlink, the clock or goroutines; the
// test in this directory enforces that, so the node agent remains the only
// place where effects happen.
package vrrp
