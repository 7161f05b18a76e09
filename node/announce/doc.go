// Package announce tells the neighbours on a link that the node now owns a
// set of VIPs: gratuitous ARP for IPv4 and unsolicited Neighbour
// Advertisements for IPv6. The VRRP master sends them when it takes over
// (RFC 5798 §6.4.1 and §6.4.2), so that hosts and routers whose neighbour
// caches still point at the old master switch to this node at once instead
// of after their cache entries time out.
//
// Like keepalived in the OpenShift ipfailover image (no use_vmac), the
// announced link-layer address is the node's own MAC, not the VRRP virtual
// MAC 00-00-5E-00-01-{VRID} of RFC 5798 §7.3.
//
// The package has three layers:
//
//   - a pure codec: the 28-byte ARP payload (RFC 826) in its two
//     gratuitous forms, request and reply (RFC 5944 §4.6, RFC 5227 §2.1.1 and §2.3),
//     and the unsolicited NA (RFC 4861 §4.4, §7.2.6);
//   - a Sender for one link: an AF_PACKET datagram socket for ARP
//     (mdlayher/packet; the kernel builds the Ethernet header) and an ICMPv6
//     socket bound to the link-local address for NA (messages encoded by
//     mdlayher/ndp). Non-Ethernet links are refused;
//   - an Announcer that sends both ARP forms and the NA for every VIP,
//     then repeats a bounded number of times (default 5 rounds, 1 s apart,
//     to get past Linux's ARP locktime and lossy links), and stops the
//     moment its context is cancelled, i.e. when the node leaves the
//     master state. A burst never outlives its context. All bursts of an
//     Announcer share one goroutine and one pacer (pace.go: a token bucket,
//     500 packets a second, 32 back to back, and the first round of every
//     burst before any repeat), so a master taking over hundreds of groups
//     neither floods the switch's and the clients' ARP handling nor starts
//     a goroutine per group; the pacing policy is pure, the goroutine only
//     reads the clock and sleeps.
//
// Sockets are opened in the network namespace the Sender was created in,
// whatever thread later uses them; see NewLinkSender.
package announce
