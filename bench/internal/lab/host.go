//go:build linux

package lab

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/vishvananda/netlink"

	"github.com/failoverkit/ipfailover/internal/nslab"
	"golang.org/x/sys/unix"
)

// SetCarrier sets the host's switch port up or down. Down is a pulled
// cable: the host's eth0 loses its carrier and nothing it sends arrives.
func (h *Host) SetCarrier(up bool) error {
	if err := nslab.SetCarrier(h.lab.Switch, h.Port, up); err != nil {
		return fmt.Errorf("%s: %w", h.Role, err)
	}
	return nil
}

// VIPs lists the addresses of VIPNet on the host's eth0.
func (h *Host) VIPs() ([]netip.Addr, error) {
	link, err := h.NL.LinkByName(Ifname)
	if err != nil {
		return nil, fmt.Errorf("%s/%s: %w", h.Role, Ifname, err)
	}
	addrs, err := h.NL.AddrList(link, netlink.FAMILY_V4)
	if err != nil {
		return nil, fmt.Errorf("listing addresses of %s: %w", h.Role, err)
	}
	var out []netip.Addr
	for _, a := range addrs {
		if ip, ok := netip.AddrFromSlice(a.IP); ok && VIPNet.Contains(ip.Unmap()) {
			out = append(out, ip.Unmap())
		}
	}
	return out, nil
}

// RemoveVIPs deletes every VIPNet address from the host's eth0: what a
// killed implementation left behind.
func (h *Host) RemoveVIPs() error { return h.RemoveAddrsIn(VIPNet) }

// EnableIPv6 turns IPv6 on for the host's eth0 alone (the lab turns it off
// everywhere), without duplicate address detection, router solicitations
// or accepting router adverts, so its link-local address, which VRRPv3
// over IPv6 sends from, is usable at once.
func (h *Host) EnableIPv6() error {
	for _, kv := range [][2]string{
		{"accept_dad", "0"}, {"accept_ra", "0"}, {"router_solicitations", "0"}, {"disable_ipv6", "0"},
	} {
		if err := h.Sysctl("net.ipv6.conf."+Ifname+"."+kv[0], kv[1]); err != nil {
			return fmt.Errorf("%s: %w", h.Role, err)
		}
	}
	return nil
}

// RemoveAddrsIn deletes every address inside prefix from the host's eth0.
func (h *Host) RemoveAddrsIn(prefix netip.Prefix) error {
	link, err := h.NL.LinkByName(Ifname)
	if err != nil {
		return fmt.Errorf("%s/%s: %w", h.Role, Ifname, err)
	}
	addrs, err := h.NL.AddrList(link, netlink.FAMILY_ALL)
	if err != nil {
		return fmt.Errorf("listing addresses of %s: %w", h.Role, err)
	}
	for _, a := range addrs {
		ip, ok := netip.AddrFromSlice(a.IP)
		if !ok || !prefix.Contains(ip.Unmap()) {
			continue
		}
		if err := h.NL.AddrDel(link, &a); err != nil && !errors.Is(err, unix.EADDRNOTAVAIL) {
			return fmt.Errorf("removing %s from %s: %w", ip, h.Role, err)
		}
	}
	return nil
}

// FlushNeighbours empties the host's neighbour (ARP) table, so that every
// repetition starts with a client that has to resolve the VIP afresh.
func (h *Host) FlushNeighbours() error {
	if out, err := h.Run("ip", "neigh", "flush", "dev", Ifname); err != nil {
		return fmt.Errorf("%w: %s", err, out)
	}
	return nil
}
