//go:build linux

package netif

import (
	"fmt"
	"net/netip"
)

// PrimaryIPv4 returns the interface's primary IPv4 address with its prefix:
// the first global, non-secondary IPv4 address that is not one of our VIPs.
// It is the source of VRRP adverts (RFC 5798 §5.1.1.1) and the "node IP" of
// the OpenShift contract.
//
// Equivalent to: `ip -4 addr show dev $link scope global primary`
func (m *Manager) PrimaryIPv4(link Link) (netip.Prefix, error) {
	addrs, err := m.addrs(link)
	if err != nil {
		return netip.Prefix{}, err
	}
	p, ok := primaryIPv4(addrs, m.proto)
	if !ok {
		return netip.Prefix{}, fmt.Errorf("interface %q: %w", link.Name, ErrNoPrimaryIPv4)
	}
	return p, nil
}

// LinkLocalIPv6 returns the interface's IPv6 link-local address, with the
// interface name as zone, once it can be used as a source. While DAD runs it
// returns the address and an error wrapping ErrTentative (retry later); if
// DAD failed, ErrDADFailed; if there is none, ErrNoLinkLocal.
//
// Equivalent to: `ip -6 addr show dev $link scope link`
func (m *Manager) LinkLocalIPv6(link Link) (netip.Addr, error) {
	return m.LinkLocalIPv6Prefer(link, netip.Addr{})
}

// LinkLocalIPv6Prefer is LinkLocalIPv6 that returns prefer, the IPv6
// advert source in use, while it is still a usable link-local address of
// the interface, so that a second link-local does not move the source.
func (m *Manager) LinkLocalIPv6Prefer(link Link, prefer netip.Addr) (netip.Addr, error) {
	addrs, err := m.addrs(link)
	if err != nil {
		return netip.Addr{}, err
	}
	ll, state := linkLocal(addrs, prefer)
	if ll.IsValid() {
		ll = ll.WithZone(link.Name)
	}
	switch state {
	case llUsable:
		return ll, nil
	case llTentative:
		return ll, fmt.Errorf("interface %q, %s: %w", link.Name, ll, ErrTentative)
	case llDADFailed:
		return ll, fmt.Errorf("interface %q, %s: %w", link.Name, ll, ErrDADFailed)
	default:
		return netip.Addr{}, fmt.Errorf("interface %q: %w", link.Name, ErrNoLinkLocal)
	}
}
