//go:build linux

package probe

import (
	"fmt"
	"net/netip"
	"sync"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
)

// AddrWatch follows the addresses of one prefix on one interface of a
// namespace through rtnetlink notifications, and records when their count
// changed. Times are when the benchmark read the notification (netlink
// carries no timestamp): late by the scheduling delay of one goroutine.
type AddrWatch struct {
	prefix  netip.Prefix
	ifindex int
	done    chan struct{}
	wg      sync.WaitGroup

	mu      sync.Mutex
	present map[netip.Addr]bool
	log     eventLog[CountChange]
	err     error
}

// CountChange is the number of watched addresses present from At on.
type CountChange struct {
	At    time.Time
	Count int
}

// WatchAddrs starts following the addresses inside prefix on ifindex in
// namespace ns. Close ends it.
func WatchAddrs(ns netns.NsHandle, ifindex int, prefix netip.Prefix) (*AddrWatch, error) {
	w := &AddrWatch{prefix: prefix, ifindex: ifindex, done: make(chan struct{}), present: map[netip.Addr]bool{}}
	ch := make(chan netlink.AddrUpdate, 4096)
	opts := netlink.AddrSubscribeOptions{
		Namespace:    &ns,
		ListExisting: true,
		ErrorCallback: func(err error) {
			w.mu.Lock()
			w.err = err
			w.mu.Unlock()
		},
		ReceiveBufferSize: 4 << 20,
		// No ReceiveTimeout: the library ends the subscription on the first
		// timeout. Its reader notices Close at the next notification (or
		// when the namespace goes), so open one watch per host and run.
	}
	if err := netlink.AddrSubscribeWithOptions(ch, w.done, opts); err != nil {
		return nil, fmt.Errorf("subscribing to address changes: %w", err)
	}
	w.wg.Add(1)
	go w.loop(ch)
	return w, nil
}

func (w *AddrWatch) loop(ch <-chan netlink.AddrUpdate) {
	defer w.wg.Done()
	for {
		select {
		case <-w.done:
			return
		case u, ok := <-ch:
			if !ok {
				return
			}
			w.apply(u)
		}
	}
}

func (w *AddrWatch) apply(u netlink.AddrUpdate) {
	ip, ok := netip.AddrFromSlice(u.LinkAddress.IP)
	if !ok || u.LinkIndex != w.ifindex || !w.prefix.Contains(ip.Unmap()) {
		return
	}
	now := time.Now()
	w.mu.Lock()
	if u.NewAddr {
		w.present[ip.Unmap()] = true
	} else {
		delete(w.present, ip.Unmap())
	}
	n := len(w.present)
	w.mu.Unlock()
	w.log.add(CountChange{At: now, Count: n})
}

// Count is the number of watched addresses present now.
func (w *AddrWatch) Count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.present)
}

// LastChange is the time of the latest change of the count (zero if none).
func (w *AddrWatch) LastChange() time.Time {
	evs := w.log.snapshot()
	if len(evs) == 0 {
		return time.Time{}
	}
	return evs[len(evs)-1].At
}

// Err is the subscription's error, if it failed.
func (w *AddrWatch) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// WaitCount waits, until deadline, for the first change after `after`
// that leaves a count satisfying ok, and returns its time.
func (w *AddrWatch) WaitCount(after, deadline time.Time, ok func(int) bool) (time.Time, bool) {
	c, found := waitFor(&w.log, deadline, func(c CountChange) bool { return !c.At.Before(after) && ok(c.Count) })
	return c.At, found
}

// Close ends the subscription.
func (w *AddrWatch) Close() {
	select {
	case <-w.done:
	default:
		close(w.done)
	}
	w.wg.Wait()
}
