// Package netif manages virtual IP addresses (VIPs) on one interface through
// rtnetlink, and reports what the node agent needs to know about that
// interface: index, MAC, primary IPv4 address and IPv6 link-local address.
//
// RFC 5798 §6.4.3 says what a master does with its VIPs (answer ARP/ND for
// them, accept traffic to them) but not how they are configured. This
// package adds a VIP:
//
//   - as a host address, /32 or /128, scope global. An IPv4 /32 never
//     matches the netmask of the interface's own /24 (or whatever) address,
//     so the kernel files it as a primary address of its own one-address
//     subnet, never as a secondary of the node address; and because the
//     connected route of the node subnet carries the node address as its
//     preferred source, traffic to peers keeps leaving from the node address.
//   - with preferred lifetime 0 (the address is "deprecated") and valid
//     lifetime forever. RFC 6724 rule 3 makes IPv6 source selection avoid
//     deprecated addresses; for IPv4 it only documents intent.
//   - IPv6 with IFA_F_NODAD, so the address is usable at once and cannot end
//     up "dadfailed" while the old master still holds it during a failover.
//   - marked as ours, so that a restarted agent or a cleanup job finds
//     exactly the addresses the agent added (see "Marking" below).
//
// Adding and removing are idempotent. An address that is already on the
// interface with another prefix length (for example the node's own
// 192.0.2.11/24 configured by mistake as a VIP) is never touched: AddVIP and
// RemoveVIP return ErrConflict instead.
//
// # Marking
//
// vishvananda/netlink v1.3.1 cannot set or read the address protocol
// (IFA_PROTO, Linux ≥ 5.18), so this package encodes and decodes the
// RTM_NEWADDR/RTM_GETADDR messages itself (addrmsg.go) and marks every VIP
// in two ways:
//
//   - IFA_PROTO = DefaultAddrProto (0xfa), on both families. `ip -d addr`
//     (iproute2 ≥ 6.2) shows it as "proto 0xfa". Kernels before 5.18 ignore
//     the attribute silently.
//   - for IPv4 only, the label "<ifname>:ipf" (IFA_LABEL, at most 15 bytes;
//     the interface name is shortened to fit, the way the kernel itself
//     rewrites labels when an interface is renamed). IPv6 has no labels.
//
// An address is "ours" if it carries our protocol value, or (IPv4) a label
// ending in ":ipf". On kernels without IFA_PROTO, IPv6 VIPs therefore
// cannot be recognised after a restart; the agent must remember them itself
// there.
//
// # Namespaces and threads
//
// A Manager is bound to one network namespace when it is opened: its netlink
// sockets are created there, and subscriptions are opened there too. It can
// then be used from any goroutine. Tests open a Manager on a namespace
// created by internal/nstest; the agent opens it on its own (host)
// namespace.
//
// Every function that talks to the kernel documents the iproute2 command it
// is equivalent to.
package netif
