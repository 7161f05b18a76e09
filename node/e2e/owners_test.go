//go:build linux

package e2e

import (
	"fmt"
	"net/netip"
	"sync"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"

	"github.com/failoverkit/ipfailover/internal/nslab"
	"github.com/failoverkit/ipfailover/internal/nstest"
)

// ownerSample is how often ownerMonitor looks at the nodes.
const ownerSample = nslab.OwnerSampleEvery

// ownerMonitor samples, every ownerSample, which nodes hold a VIP on eth0
// (through nslab.MonitorOwners, by netlink in each node's namespace), and
// keeps the longest stretch with two or more owners and with none.
type ownerMonitor struct {
	mon *nslab.OwnerMonitor

	mu               sync.Mutex
	double, zero     time.Duration // longest stretches since the last Reset
	doubleAt, zeroAt time.Time     // start of the current stretch, or zero
	samples          int
	err              error
}

// monitorOwners starts sampling who holds vip among nodes; stop it with Stop.
func (c *cluster) monitorOwners(vip netip.Addr, nodes ...*node) *ownerMonitor {
	c.t.Helper()
	if len(nodes) == 0 {
		nodes = c.nodes
	}
	nss := make([]netns.NsHandle, len(nodes))
	for i, n := range nodes {
		nss[i] = n.NsHandle()
	}
	m := &ownerMonitor{}
	mon, err := nslab.MonitorOwners(nss, nstest.HostIfname, []netip.Addr{vip}, func(s nslab.OwnerSample) bool {
		m.observe(s, vip)
		return true
	})
	if err != nil {
		c.t.Fatal(err)
	}
	m.mon = mon
	c.t.Cleanup(func() { m.Stop() })
	return m
}

// observe counts the owners of one sample. A node whose eth0 is missing
// (deleted by a scenario) holds nothing.
func (m *ownerMonitor) observe(s nslab.OwnerSample, vip netip.Addr) {
	var err error
	for _, e := range s.Errs {
		if _, missing := e.(netlink.LinkNotFoundError); e != nil && !missing {
			err = e
		}
	}
	owners := len(s.Holders[vip])
	m.mu.Lock()
	defer m.mu.Unlock()
	m.samples++
	if err != nil && m.err == nil {
		m.err = err
	}
	m.doubleAt, m.double = stretch(owners > 1, s.At, m.doubleAt, m.double)
	m.zeroAt, m.zero = stretch(owners == 0, s.At, m.zeroAt, m.zero)
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
func (m *ownerMonitor) Stop() { m.mon.Stop() }

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
