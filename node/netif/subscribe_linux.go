//go:build linux

package netif

import (
	"errors"
	"fmt"
	"net/netip"
	"sync"

	"github.com/vishvananda/netlink"
)

// eventBuffer is the capacity of a subscription's channel.
const eventBuffer = 32

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
	updates := make(chan netlink.AddrUpdate, eventBuffer)
	done := make(chan struct{})

	// failure is the first error the netlink goroutine reported; guarded by
	// mu because the callback runs on that goroutine.
	var mu sync.Mutex
	var failure error
	onErr := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if failure == nil {
			failure = err
		}
	}
	err := netlink.AddrSubscribeWithOptions(updates, done, netlink.AddrSubscribeOptions{
		Namespace:     m.nsOption(),
		ErrorCallback: onErr,
	})
	if err != nil {
		close(done)
		return nil, nil, fmt.Errorf("subscribing to address changes of %q: %w", link.Name, err)
	}

	out := make(chan AddrEvent, eventBuffer)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		defer close(out)
		// The netlink goroutine closes updates once its socket is closed
		// (after done) or fails. Always drain it, so it never blocks.
		for u := range updates {
			if u.LinkIndex != link.Index {
				continue
			}
			ev, ok := toEvent(u)
			if !ok {
				continue
			}
			select {
			case out <- ev:
			case <-done:
			}
		}
		select {
		case <-done:
			return // cancelled: the socket error is ours
		default:
		}
		mu.Lock()
		err := failure
		mu.Unlock()
		if err == nil {
			err = errors.New("subscription closed by netlink")
		}
		ev := AddrEvent{Err: fmt.Errorf("address subscription on %q: %w", link.Name, err)}
		select {
		case out <- ev:
		case <-done:
		}
	}()

	var once sync.Once
	cancel := func() {
		once.Do(func() { close(done) })
		<-finished
	}
	return out, cancel, nil
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
