package fw

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/failoverkit/ipfailover/node/vrrp/packet"
)

// Family is the IP version of a rule: the codec's address family.
type Family = packet.Family

// Families. The zero value is invalid.
const (
	IPv4 = packet.IPv4
	IPv6 = packet.IPv6
)

// vrrpProto is VRRP's IP protocol number (RFC 5798 §5.1.1.4) as iptables
// takes it.
var vrrpProto = strconv.Itoa(packet.Protocol)

// VRRP multicast groups (RFC 5798 §5.1.1.2, §5.1.2.2) as host prefixes.
var (
	groupV4 = netip.PrefixFrom(packet.MulticastGroup(packet.IPv4), 32)
	groupV6 = netip.PrefixFrom(packet.MulticastGroup(packet.IPv6), 128)
)

// MarkerPrefix starts the comment of every rule this package adds.
const MarkerPrefix = "failoverkit-vrrp:"

// maxMarkerLen keeps the comment well inside xt_comment's 256 bytes.
const maxMarkerLen = 200

// Marker returns the rule comment for a failover config: MarkerPrefix plus
// the name with every character outside [A-Za-z0-9._-] replaced by '_'
// (so it never needs quoting), cut to 200 bytes.
func Marker(configName string) string {
	var b strings.Builder
	b.WriteString(MarkerPrefix)
	for _, r := range configName {
		if b.Len() >= maxMarkerLen {
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// Rule is one VRRP accept rule.
type Rule struct {
	// Family selects iptables or ip6tables.
	Family Family
	// Peer is the source of a unicast-mode rule. The zero Addr means the
	// multicast rule of Family (destination = the VRRP group).
	Peer netip.Addr
}

// MulticastRule returns the rule accepting VRRP sent to the family's group.
func MulticastRule(f Family) Rule { return Rule{Family: f} }

// UnicastRule returns the rule accepting VRRP from one peer (unicast mode,
// OPENSHIFT_HA_UNICAST_PEERS). The family follows the address.
func UnicastRule(peer netip.Addr) Rule {
	peer = peer.Unmap().WithZone("")
	f := IPv6
	if peer.Is4() {
		f = IPv4
	}
	return Rule{Family: f, Peer: peer}
}

// String describes the rule for messages, e.g. "IPv4 -d 224.0.0.18/32".
func (r Rule) String() string {
	src, dst := r.match()
	if src.IsValid() {
		return fmt.Sprintf("%s -s %s", r.Family, src)
	}
	return fmt.Sprintf("%s -d %s", r.Family, dst)
}

// validate checks that the rule is well formed.
func (r Rule) validate() error {
	switch {
	case r.Family != IPv4 && r.Family != IPv6:
		return fmt.Errorf("fw: rule with invalid family %d", int(r.Family))
	case !r.Peer.IsValid():
		return nil
	case r.Peer.Is4() != (r.Family == IPv4) || r.Peer.Is4In6() || r.Peer.Zone() != "":
		return fmt.Errorf("fw: unicast peer %s does not fit family %s", r.Peer, r.Family)
	case r.Peer.IsUnspecified() || r.Peer.IsMulticast():
		return fmt.Errorf("fw: %s is not a unicast peer address", r.Peer)
	}
	return nil
}

// match returns the source and destination prefixes the rule matches on;
// exactly one is valid.
func (r Rule) match() (src, dst netip.Prefix) {
	if r.Peer.IsValid() {
		return netip.PrefixFrom(r.Peer, r.Peer.BitLen()), netip.Prefix{}
	}
	if r.Family == IPv6 {
		return netip.Prefix{}, groupV6
	}
	return netip.Prefix{}, groupV4
}

// spec returns the rule as iptables arguments, without table and chain.
func (r Rule) spec(marker string) []string {
	src, dst := r.match()
	var args []string
	if src.IsValid() {
		args = append(args, "-s", src.String())
	} else {
		args = append(args, "-d", dst.String())
	}
	return append(args, "-p", vrrpProto, "-m", "comment", "--comment", marker, "-j", "ACCEPT")
}
