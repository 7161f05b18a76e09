// Package fw keeps the host firewall from dropping VRRP adverts: it owns
// the ACCEPT rules for IP protocol 112 in one iptables chain, through
// github.com/coreos/go-iptables.
//
// The rules, one per need:
//
//	multicast, IPv4:  -d 224.0.0.18/32 -p 112 -m comment --comment <marker> -j ACCEPT
//	multicast, IPv6:  -d ff02::12/128  -p 112 -m comment --comment <marker> -j ACCEPT  (ip6tables)
//	unicast peer:     -s <peer>/32|128 -p 112 -m comment --comment <marker> -j ACCEPT
//
// 224.0.0.18 and ff02::12 are the VRRP groups (RFC 5798 §5.1.1.2 and
// §5.1.2.2); 112 is VRRP's protocol number (iptables prints it as "vrrp"
// when /etc/protocols knows the name; we write the number so a missing
// /etc/protocols in a container cannot break us). The marker is
// "failoverkit-vrrp:<config name>": it is how Remove finds exactly our rules
// and nothing else, including the never-removed `-d 224.0.0.18/32 -j ACCEPT`
// of OpenShift's keepalived image and the rules of other failover configs.
//
// Ensure(chain, rules...) makes the chain hold each given rule exactly once:
// a missing rule is inserted at position 1; a rule already present anywhere
// in the chain is left where it is; extra copies are deleted; rules carrying
// our marker that are not in the set (a peer that left the unicast list) are
// deleted. Only the families that appear in rules are touched. Remove(chain)
// deletes every rule with our marker, in both families. Both are idempotent.
// The chain must exist: it is never created, and a missing chain is an
// error naming it (ErrChainNotFound).
//
// Calls are serialised within the process (one mutex for all Managers), so
// concurrent Ensure calls never insert twice. Two processes racing can still
// both insert once; the next Ensure of either deletes the extra copy.
//
// # Backends
//
// A host runs its rules either in the nf_tables backend (iptables-nft) or in
// the legacy x_tables backend (iptables-legacy); rules added to the other
// backend are either invisible to the host's tools or evaluated in an
// unexpected order, so we must use the host's choice. Config.Backend selects:
//
//   - "nft": iptables-nft / ip6tables-nft;
//   - "legacy": iptables-legacy / ip6tables-legacy;
//   - "auto" (default): Detect picks the backend kube-proxy and the kubelet
//     use. First, the kubelet's marker chains KUBE-IPTABLES-HINT and
//     KUBE-KUBELET-CANARY (mangle table): the backend that has one wins,
//     nft first. Otherwise the backend holding more rules wins, ties going
//     to nft (the default of current distributions, RHCOS included). Legacy
//     tables are only read if /proc/thread-self/net/ip_tables_names lists
//     some, so detection never instantiates legacy tables on an nft host.
//     If neither variant binary is installed, plain iptables/ip6tables are
//     used, whatever they are.
//
// Config.Commands overrides the binaries altogether (for example shims that
// chroot into the host's root, as the OpenShift image does since 4.8).
//
// # Locking
//
// go-iptables passes --wait (bounded by Config.LockWait) to iptables ≥ 1.4.20,
// and iptables then takes the xtables lock, /run/xtables.lock, shared with
// kube-proxy and every other iptables user of the host. In a container that
// file must be the host's: mount /run/xtables.lock from the host.
// (iptables-nft accepts --wait but needs no lock: nf_tables is transactional.)
//
// # Namespaces
//
// iptables binaries act on the network namespace they run in, which is
// that of the OS thread that started them. The agent runs in the host
// namespace, where every thread is. Tests either call the Manager from a
// thread locked into a test namespace or give Config.Commands wrappers that
// run `ip netns exec <ns> iptables-…`.
package fw
