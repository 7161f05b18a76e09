//go:build linux

package nslab

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
)

// OwnerSampleEvery is how often an OwnerMonitor looks at the hosts: well
// under one advert interval.
const OwnerSampleEvery = 20 * time.Millisecond

// MaxOwnerSamples bounds an OwnerMonitor's run: an hour at 20 ms.
const MaxOwnerSamples = 180000

// OwnerSample is one look at the monitored hosts.
type OwnerSample struct {
	At time.Time
	// Holders lists, per VIP, the hosts (indexes into the monitored
	// namespaces, ascending) whose interface holds it.
	Holders map[netip.Addr][]int
	// Errs holds, per host, why its addresses could not be read (nil when
	// they were; a missing interface is netlink.LinkNotFoundError).
	Errs []error
}

// OwnerMonitor samples who holds which VIP, every OwnerSampleEvery, by
// netlink in each host's namespace (handles of its own, so a sample costs
// no process), and hands each sample to its observer.
type OwnerMonitor struct {
	handles    []*netlink.Handle
	stop, done chan struct{}
}

// MonitorOwners starts sampling which of the namespaces hold each of vips
// on ifname. observe runs on the monitor's goroutine, once per sample,
// until Stop, until it returns false, or for MaxOwnerSamples samples.
func MonitorOwners(nss []netns.NsHandle, ifname string, vips []netip.Addr, observe func(OwnerSample) bool) (*OwnerMonitor, error) {
	m := &OwnerMonitor{stop: make(chan struct{}), done: make(chan struct{})}
	for i, nh := range nss {
		h, err := netlink.NewHandleAt(nh)
		if err != nil {
			for _, h := range m.handles {
				h.Close()
			}
			return nil, fmt.Errorf("owner monitor: namespace %d: %w", i, err)
		}
		m.handles = append(m.handles, h)
	}
	go m.run(ifname, vips, observe)
	return m, nil
}

func (m *OwnerMonitor) run(ifname string, vips []netip.Addr, observe func(OwnerSample) bool) {
	defer close(m.done)
	tick := time.NewTicker(OwnerSampleEvery)
	defer tick.Stop()
	for range MaxOwnerSamples {
		s := OwnerSample{At: time.Now(), Holders: map[netip.Addr][]int{}, Errs: make([]error, len(m.handles))}
		for i, h := range m.handles {
			as, err := LinkAddrs(h, ifname)
			s.Errs[i] = err
			for _, v := range vips {
				for _, a := range as {
					if a == v {
						s.Holders[v] = append(s.Holders[v], i)
						break
					}
				}
			}
		}
		if !observe(s) {
			return
		}
		select {
		case <-m.stop:
			return
		case <-tick.C:
		}
	}
}

// Stop ends the sampling and waits for the last sample (idempotent).
func (m *OwnerMonitor) Stop() {
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

// LinkAddrs lists the addresses on ifname (both families, IPv4 unmapped)
// in the handle's namespace. A missing interface is the error of
// netlink's LinkByName, a netlink.LinkNotFoundError.
func LinkAddrs(h *netlink.Handle, ifname string) ([]netip.Addr, error) {
	link, err := h.LinkByName(ifname)
	if err != nil {
		return nil, err
	}
	list, err := h.AddrList(link, netlink.FAMILY_ALL)
	if err != nil {
		return nil, err
	}
	out := make([]netip.Addr, 0, len(list))
	for _, a := range list {
		if ip, ok := netip.AddrFromSlice(a.IP); ok {
			out = append(out, ip.Unmap())
		}
	}
	return out, nil
}
