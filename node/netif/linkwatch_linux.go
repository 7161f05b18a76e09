//go:build linux

package netif

import (
	"fmt"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// LinkEvent is the state of the subscribed interface after a change.
type LinkEvent struct {
	// Usable is true while the interface is up and running (see
	// Link.Usable); false when it is down, lost its carrier or is gone.
	Usable bool
	// Index is the interface's index. An interface deleted and created
	// again under the same name (some CNIs and NetworkManager do that)
	// comes back with a new one: everything bound to the old index must
	// be opened again.
	Index int
	// Gone is true when the interface was deleted.
	Gone bool
	// Err is set on the last event of a subscription that failed. Changes
	// may have been lost: look the interface up again and subscribe anew.
	Err error
}

// WatchLink reports the state of the interface named link.Name at once and
// then after every change (RTM_NEWLINK, RTM_DELLINK), also across its
// deletion and re-creation (see LinkEvent.Index), until cancel is called or
// the subscription fails. Repeated states are not filtered: the reader
// keeps the last one. The agent uses it to put its groups into FAULT while
// the interface cannot carry VRRP, as keepalived does.
//
// The channel is closed after cancel, or after an event with Err set.
// cancel is idempotent and returns once the subscription's goroutines have
// finished. A reader that stops reading without calling cancel leaks the
// subscription.
//
// Equivalent to: `ip monitor link dev $link`
func (m *Manager) WatchLink(link Link) (<-chan LinkEvent, func(), error) {
	return relay(fmt.Sprintf("changes of interface %q", link.Name),
		func(updates chan netlink.LinkUpdate, done chan struct{}, onErr func(error)) error {
			return netlink.LinkSubscribeWithOptions(updates, done, netlink.LinkSubscribeOptions{
				Namespace:     m.nsOption(),
				ErrorCallback: onErr,
				ListExisting:  true,
			})
		},
		func(u netlink.LinkUpdate) (LinkEvent, bool) {
			// By name, not index: the interface is tracked across its
			// deletion and re-creation.
			if u.Link == nil || u.Link.Attrs().Name != link.Name {
				return LinkEvent{}, false
			}
			gone := u.Header.Type == unix.RTM_DELLINK
			return LinkEvent{Index: int(u.Index), Gone: gone,
				Usable: !gone && u.Flags&unix.IFF_UP != 0 && u.Flags&unix.IFF_RUNNING != 0}, true
		},
		func(err error) LinkEvent { return LinkEvent{Err: err} })
}
