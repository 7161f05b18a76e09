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
//     failed check, an interface that is down, has lost its carrier or is
//     gone (as keepalived tracks a vrrp_instance's interface) puts every
//     group into FAULT until all is fine again; the loss of the address one
//     family's adverts leave from (the primary IPv4 address, RFC 9568
//     §5.1.1.1; the link-local address, §5.1.2.1), or its adverts failing
//     to be sent for an advert interval, puts that family's groups into
//     FAULT until the interface has an address again, which the adverts
//     then leave from, or a retry's send works (source.go). The interface is tracked by name: re-created with a new
//     index, it is bound to again (rebind.go). /readyz is 503 while the
//     interface keeps every group in FAULT;
//   - IPv6 interop: adverts list the virtual link-local address first (RFC
//     9568 §5.2.9) until a peer is heard that lists only the VIPs, as
//     keepalived does when configured as OpenShift's image configures it;
//     that group then sends the same list (ipfailover_vrrp_addr_list_compat),
//     since keepalived discards any other;
//   - stop (context cancelled, i.e. SIGTERM): every master sends a
//     priority-0 advert and releases its VIPs, notify scripts get STOP, and
//     the loop returns. The firewall rule stays, as with the image; the
//     cleanup mode removes it.
package agent
