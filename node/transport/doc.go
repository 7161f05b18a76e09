// Package transport carries VRRP messages on raw IP protocol 112 sockets.
//
// It is the thin shell around the kernel: it opens one socket per address
// family on one interface, and moves opaque VRRP payloads plus the header
// facts the codec needs to validate them (source, destination, TTL or hop
// limit, receiving interface). It never decodes or builds VRRP messages.
//
// Socket set-up follows RFC 5798/9568 §5.1 and the pitfalls others fell into:
//
//   - the socket is bound to the interface (SO_BINDTODEVICE) and, for IPv4,
//     IP_MULTICAST_ALL is off, so multicast joined on other interfaces never
//     leaks in; the receiving ifindex is still checked;
//   - TTL and hop limit are 255 on send, for multicast and unicast alike
//     (RFC 9568 §5.1.1.3, §5.1.2.3), and the TTL or hop limit of every
//     received packet is reported so the codec can discard anything else;
//   - multicast loopback is off, and packets whose source is one of the
//     node's own addresses are dropped here, so a node never hears itself;
//   - IPv4 adverts leave from the interface's primary address, named
//     explicitly in IP_PKTINFO, never from a VIP; IPv6 adverts leave from the
//     link-local address (RFC 9568 §5.1.2.1), and the kernel computes and
//     verifies the IPv6 checksum (IPV6_CHECKSUM at offset 6, RFC 9568 §5.2.8).
//
// Sockets are created in the network namespace of the calling OS thread.
package transport
