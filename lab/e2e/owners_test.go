package e2e

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"

	"github.com/failoverkit/ipfailover/internal/nslab"
	"github.com/failoverkit/ipfailover/internal/nstest"
)

// sampleEvery is the monitor's period: well under one advert interval.
const sampleEvery = nslab.OwnerSampleEvery

// node is a worker as the test sees it: its namespace and eth0's MAC.
type node struct {
	name string
	ns   *nstest.NS
	mac  string
}

// addrsOf lists the IPv4 addresses on the node's interface.
func addrsOf(h *netlink.Handle, ifname string) ([]netip.Addr, error) {
	link, err := h.LinkByName(ifname)
	if err != nil {
		return nil, err
	}
	as, err := h.AddrList(link, unix.AF_INET)
	if err != nil {
		return nil, err
	}
	out := make([]netip.Addr, 0, len(as))
	for _, a := range as {
		if ip, ok := netip.AddrFromSlice(a.IP.To4()); ok {
			out = append(out, ip)
		}
	}
	return out, nil
}

// owners maps each VIP to the nodes that hold it now.
func (e *env) owners(t *testing.T, vips []netip.Addr) map[netip.Addr][]string {
	t.Helper()
	out := map[netip.Addr][]string{}
	for _, n := range e.nodes {
		as, err := addrsOf(n.ns.Handle(), iface)
		if err != nil {
			t.Fatalf("%s: %v", n.name, err)
		}
		for _, v := range vips {
			if slices.Contains(as, v) {
				out[v] = append(out[v], n.name)
			}
		}
	}
	return out
}

// monitor records every node's holdings every sampleEvery from Start to
// Stop, through nslab.MonitorOwners (handles of its own).
type monitor struct {
	vips  []netip.Addr
	names []string
	mon   *nslab.OwnerMonitor

	mu      sync.Mutex // guards samples and err
	samples []sample
	err     error
}

type sample struct {
	at     time.Time
	owners map[netip.Addr][]string
}

func (e *env) startMonitor(t *testing.T, vips []netip.Addr) *monitor {
	t.Helper()
	m := &monitor{vips: vips}
	nss := make([]netns.NsHandle, len(e.nodes))
	for i, n := range e.nodes {
		m.names = append(m.names, n.name)
		nss[i] = n.ns.NsHandle()
	}
	mon, err := nslab.MonitorOwners(nss, iface, vips, m.record)
	if err != nil {
		t.Fatalf("monitor: %v", err)
	}
	m.mon = mon
	t.Cleanup(func() { m.Stop() })
	return m
}

// record keeps one sample. A node whose link was cut still answers
// netlink; an error here is the harness's, and ends the run.
func (m *monitor) record(os nslab.OwnerSample) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, err := range os.Errs {
		if err != nil {
			m.err = fmt.Errorf("monitor: %s: %w", m.names[i], err)
			return false
		}
	}
	s := sample{at: os.At, owners: map[netip.Addr][]string{}}
	for _, v := range m.vips {
		for _, i := range os.Holders[v] {
			s.owners[v] = append(s.owners[v], m.names[i])
		}
	}
	m.samples = append(m.samples, s)
	return true
}

// Stop ends sampling (idempotent) and returns the report.
func (m *monitor) Stop() report {
	m.mon.Stop()
	m.mu.Lock()
	defer m.mu.Unlock()
	return analyse(m.vips, m.samples, m.err)
}

// report is what the monitor saw: per VIP the longest stretch with two or
// more holders and with none, and each change of holder.
type report struct {
	err      error
	samples  int
	double   map[netip.Addr]time.Duration
	zero     map[netip.Addr]time.Duration
	changes  map[netip.Addr][]change
	lastSeen map[netip.Addr][]string
}

type change struct {
	at       time.Time
	from, to []string
}

// analyse measures stretches between samples: a stretch starts at the
// first sample showing the condition and ends at the first that does not.
func analyse(vips []netip.Addr, samples []sample, err error) report {
	r := report{err: err, samples: len(samples), double: map[netip.Addr]time.Duration{},
		zero: map[netip.Addr]time.Duration{}, changes: map[netip.Addr][]change{}, lastSeen: map[netip.Addr][]string{}}
	for _, v := range vips {
		var dStart, zStart time.Time
		var prev []string
		for i, s := range samples {
			o := s.owners[v]
			if i > 0 && !slices.Equal(o, prev) {
				r.changes[v] = append(r.changes[v], change{at: s.at, from: prev, to: o})
			}
			prev = o
			if len(o) > 1 {
				if dStart.IsZero() {
					dStart = s.at
				}
			} else if !dStart.IsZero() {
				r.double[v] = max(r.double[v], s.at.Sub(dStart))
				dStart = time.Time{}
			}
			if len(o) == 0 {
				if zStart.IsZero() {
					zStart = s.at
				}
			} else if !zStart.IsZero() {
				r.zero[v] = max(r.zero[v], s.at.Sub(zStart))
				zStart = time.Time{}
			}
		}
		if n := len(samples); n > 0 {
			end := samples[n-1].at
			if !dStart.IsZero() {
				r.double[v] = max(r.double[v], end.Sub(dStart)+sampleEvery)
			}
			if !zStart.IsZero() {
				r.zero[v] = max(r.zero[v], end.Sub(zStart)+sampleEvery)
			}
			r.lastSeen[v] = samples[n-1].owners[v]
		}
	}
	return r
}

// maxDouble and maxZero are the longest stretches over every VIP.
func (r report) maxDouble() time.Duration { return maxOf(r.double) }
func (r report) maxZero() time.Duration   { return maxOf(r.zero) }

func maxOf(m map[netip.Addr]time.Duration) time.Duration {
	var d time.Duration
	for _, v := range m {
		d = max(d, v)
	}
	return d
}

func (r report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d samples; longest double-holder %v, longest no-holder %v", r.samples, r.maxDouble(), r.maxZero())
	vips := make([]netip.Addr, 0, len(r.changes))
	for v := range r.changes {
		vips = append(vips, v)
	}
	sort.Slice(vips, func(i, j int) bool { return vips[i].Less(vips[j]) })
	for _, v := range vips {
		fmt.Fprintf(&b, "\n  %s:", v)
		for _, c := range r.changes[v] {
			fmt.Fprintf(&b, " %s %v→%v", c.at.Format("15:04:05.000"), c.from, c.to)
		}
	}
	return b.String()
}

// check fails the test when the monitor saw two holders of a VIP for
// longer than allowed (one advert interval: the time a preempted master
// needs to hear its successor, plus one sample) or broke down.
func (r report) check(t *testing.T, allowedDouble time.Duration) {
	t.Helper()
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.samples < 2 {
		t.Fatalf("monitor took %d samples", r.samples)
	}
	if d := r.maxDouble(); d > allowedDouble+sampleEvery {
		t.Errorf("two nodes held a VIP for %v (allowed %v): %s", d, allowedDouble, r)
	}
}

// errNotYet is a WaitFor condition's "not yet".
var errNotYet = fmt.Errorf("not yet")

func errNotYetf(why string) error { return fmt.Errorf("not yet: %s", why) }

// ownersExcluding is owners without the named (failed, cut-off) node.
func (e *env) ownersExcluding(t *testing.T, vips []netip.Addr, name string) map[netip.Addr][]string {
	t.Helper()
	o := e.owners(t, vips)
	for v, ns := range o {
		o[v] = slices.DeleteFunc(ns, func(n string) bool { return n == name })
		if len(o[v]) == 0 {
			delete(o, v)
		}
	}
	return o
}

// startMonitorExcluding monitors every node but the named one: a failed
// node cut off from the switch keeps its addresses, as a crashed machine
// does, but no client can reach them.
func (e *env) startMonitorExcluding(t *testing.T, vips []netip.Addr, name string) *monitor {
	t.Helper()
	keep := e.nodes
	e.nodes = slices.DeleteFunc(slices.Clone(keep), func(n *node) bool { return n.name == name })
	defer func() { e.nodes = keep }()
	return e.startMonitor(t, vips)
}
