//go:build linux

package netif

import (
	"fmt"
	"net/netip"

	"github.com/vishvananda/netlink"
)

// AddrEvent is one address change on the subscribed interface.
type AddrEvent struct {
	// Prefix is the address with its prefix length.
	Prefix netip.Prefix
	// Added is true for a new or changed address, false for a removal.
	Added bool
	// Flags are the kernel's IFA_F_* flags.
	Flags uint32
	// Err is set on the last event of a subscription that failed (for
	// example when the kernel dropped events because the reader was too
	// slow: ENOBUFS). Events may have been lost: list the addresses again
	// and subscribe anew.
	Err error
}

// subscribeBuffer is the receive buffer of the address subscription: room
// for several thousand notifications (each takes about 1 KiB of buffer).
const subscribeBuffer = 4 << 20

// Subscribe reports address changes on link, both families, until cancel
// is called or the subscription fails. The agent uses it to notice a VIP
// that something else removed (a network manager restart, `ip addr flush`)
// and to re-add it. Events carry no marks (rtnetlink notifications are
// parsed by vishvananda/netlink, which drops IFA_PROTO and labels); call
// ListVIPs when the distinction matters.
//
// The channel is closed after cancel, or after an event with Err set.
// cancel is idempotent, and returns once the subscription's goroutines have
// finished, so no event is sent afterwards. A reader that stops reading
// without calling cancel leaks the subscription.
//
// Equivalent to: `ip monitor address dev $link`
func (m *Manager) Subscribe(link Link) (<-chan AddrEvent, func(), error) {
	return relay(fmt.Sprintf("address changes of %q", link.Name),
		func(updates chan netlink.AddrUpdate, done chan struct{}, onErr func(error)) error {
			return netlink.AddrSubscribeWithOptions(updates, done, netlink.AddrSubscribeOptions{
				Namespace:     m.nsOption(),
				ErrorCallback: onErr,
				// A master taking over hundreds of groups adds a thousand
				// addresses at once: with the default buffer (rmem_default,
				// 208 KiB) the kernel drops notifications (ENOBUFS) and the
				// subscription ends. Forcing the size needs CAP_NET_ADMIN,
				// which adding VIPs needs anyway.
				ReceiveBufferSize:      subscribeBuffer,
				ReceiveBufferForceSize: true,
			})
		},
		func(u netlink.AddrUpdate) (AddrEvent, bool) {
			if u.LinkIndex != link.Index {
				return AddrEvent{}, false
			}
			return toEvent(u)
		},
		func(err error) AddrEvent { return AddrEvent{Err: err} })
}

// toEvent converts a netlink update.
func toEvent(u netlink.AddrUpdate) (AddrEvent, bool) {
	ip, ok := netip.AddrFromSlice(u.LinkAddress.IP)
	if !ok {
		return AddrEvent{}, false
	}
	if ip.Is4In6() && len(u.LinkAddress.Mask) == 4 {
		ip = ip.Unmap()
	}
	ones, _ := u.LinkAddress.Mask.Size()
	return AddrEvent{
		Prefix: netip.PrefixFrom(ip, ones),
		Added:  u.NewAddr,
		Flags:  uint32(u.Flags),
	}, true
}
