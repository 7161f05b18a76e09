// Package agent is the node agent's shell: it drives one VRRP state machine
// (node/vrrp/fsm) per VIP group with real sockets, timers, netlink, the
// firewall, health checks and notify scripts.
//
// One goroutine, the loop, owns every state machine and every piece of
// mutable state; receivers, timers, the health check and the netlink
// subscription only send events to it over channels. A machine's actions are
// carried out in order, on the loop, before the next event is read, so "a
// VIP is on the interface if and only if its group is Master" holds between
// events; a periodic reconcile and the address subscription restore it when
// something outside the agent changes the interface.
//
// Lifecycle:
//
//   - start: remove any configured VIP from the interface (nobody is master
//     yet), ensure the firewall rule, run the first health check, then send
//     Startup to every machine;
//   - run: adverts in, timers, checks, address changes, link changes. A
//     failed check, or an interface that is down or has lost its carrier
//     (as keepalived tracks a vrrp_instance's interface), puts every group
//     into FAULT until both are fine again;
//   - stop (context cancelled, i.e. SIGTERM): every master sends a
//     priority-0 advert and releases its VIPs, notify scripts get STOP, and
//     the loop returns. The firewall rule stays, as with the image; the
//     cleanup mode removes it.
package agent
