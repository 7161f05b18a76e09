//go:build linux

package e2e

import (
	"fmt"
	"net/netip"
	"sync"
	"time"

	"github.com/vishvananda/netlink"

	"github.com/failoverkit/ipfailover/internal/nstest"
)

// ownerSample is how often ownerMonitor looks at the nodes.
const ownerSample = 20 * time.Millisecond

// ownerMonitor samples, every ownerSample, which nodes hold a VIP on eth0
// (by netlink in each node's namespace, so a sample costs no process), and
// keeps the longest stretch with two or more owners and with none.
type ownerMonitor struct {
	stop, done chan struct{}

	mu               sync.Mutex
	double, zero     time.Duration // longest stretches since the last Reset
	doubleAt, zeroAt time.Time     // start of the current stretch, or zero
	samples          int
	err              error
	handles          []*netlink.Handle
}

// monitorOwners starts sampling who holds vip among nodes; stop it with Stop.
func (c *cluster) monitorOwners(vip netip.Addr, nodes ...*node) *ownerMonitor {
	c.t.Helper()
	if len(nodes) == 0 {
		nodes = c.nodes
	}
	m := &ownerMonitor{stop: make(chan struct{}), done: make(chan struct{})}
	for _, n := range nodes {
		h, err := netlink.NewHandleAt(n.NsHandle())
		if err != nil {
			c.t.Fatal(err)
		}
		m.handles = append(m.handles, h)
	}
	go m.run(vip)
	c.t.Cleanup(func() { m.Stop() })
	return m
}

func (m *ownerMonitor) run(vip netip.Addr) {
	defer close(m.done)
	t := time.NewTicker(ownerSample)
	defer t.Stop()
	for {
		owners := 0
		var err error
		for _, h := range m.handles {
			held, herr := holdsVia(h, vip)
			if herr != nil {
				err = herr
			}
			if held {
				owners++
			}
		}
		now := time.Now()
		m.mu.Lock()
		m.samples++
		if err != nil && m.err == nil {
			m.err = err
		}
		m.doubleAt, m.double = stretch(owners > 1, now, m.doubleAt, m.double)
		m.zeroAt, m.zero = stretch(owners == 0, now, m.zeroAt, m.zero)
		m.mu.Unlock()
		select {
		case <-m.stop:
			return
		case <-t.C:
		}
	}
}

// stretch extends or ends a stretch of samples where cond holds and
// returns its new start and the longest stretch so far.
func stretch(cond bool, now, since time.Time, longest time.Duration) (time.Time, time.Duration) {
	if !cond {
		return time.Time{}, longest
	}
	if since.IsZero() {
		since = now
	}
	return since, max(longest, now.Sub(since))
}

// holdsVia reports whether eth0 of the handle's namespace holds vip. A
// missing eth0 (deleted by a scenario) holds nothing.
func holdsVia(h *netlink.Handle, vip netip.Addr) (bool, error) {
	link, err := h.LinkByName(nstest.HostIfname)
	if err != nil {
		if _, ok := err.(netlink.LinkNotFoundError); ok {
			return false, nil
		}
		return false, err
	}
	list, err := h.AddrList(link, netlink.FAMILY_ALL)
	if err != nil {
		return false, err
	}
	for _, a := range list {
		if ip, ok := netip.AddrFromSlice(a.IP); ok && ip.Unmap() == vip {
			return true, nil
		}
	}
	return false, nil
}

// Reset starts a new measurement (e.g. just before a fault); a stretch
// under way counts from now.
func (m *ownerMonitor) Reset() {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	m.double, m.zero = 0, 0
	if !m.doubleAt.IsZero() {
		m.doubleAt = now
	}
	if !m.zeroAt.IsZero() {
		m.zeroAt = now
	}
}

// Longest returns the longest stretches with two or more owners and with
// none since the last Reset, and the first sampling error.
func (m *ownerMonitor) Longest() (double, zero time.Duration, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.samples == 0 && m.err == nil {
		return 0, 0, fmt.Errorf("owner monitor took no sample")
	}
	return m.double, m.zero, m.err
}

// Stop ends the sampling (idempotent).
func (m *ownerMonitor) Stop() {
	select {
	case <-m.stop:
	default:
		close(m.stop)
	}
	<-m.done
	for _, h := range m.handles {
		h.Close()
	}
	m.handles = nil
}

// assertOwners fails the test when, since the last Reset, two nodes held
// the VIP for longer than one advert interval, and logs both stretches.
func (c *cluster) assertOwners(m *ownerMonitor, what string) {
	c.t.Helper()
	double, zero, err := m.Longest()
	if err != nil {
		c.t.Fatalf("owner monitor: %v", err)
	}
	c.t.Logf("%s: longest double owner %v, longest zero owner %v (sampled every %v)", what, double, zero, ownerSample)
	if double > c.cfg.AdvertInterval {
		c.t.Errorf("%s: two nodes held the VIP for %v, more than one advert interval (%v)", what, double, c.cfg.AdvertInterval)
	}
}
