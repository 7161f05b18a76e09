//go:build linux

package netif

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"

	"golang.org/x/sys/unix"
)

// VIP is one of our addresses found on an interface.
type VIP struct {
	// Addr is the address (no zone).
	Addr netip.Addr
	// Flags are the kernel's IFA_F_* flags.
	Flags uint32
}

// DADFailed reports whether the kernel marked the address dadfailed (only
// possible for an IPv6 VIP that was not added by this package).
func (v VIP) DADFailed() bool { return v.Flags&flagDADFailed != 0 }

// AddVIP makes sure vip is on the interface as a VIP (see the package
// documentation for the exact form). It is idempotent: a VIP already present
// in the right form is left alone (no netlink write); a host address with
// the same IP but not in our form (unmarked, dadfailed, missing NODAD or
// not deprecated) is deleted and added again. An address with the same IP
// and another prefix length is an error wrapping ErrConflict.
//
// Equivalent to (IPv4): `ip addr add $vip/32 dev $link scope global label $link:ipf preferred_lft 0 proto 0xfa`
// Equivalent to (IPv6): `ip addr add $vip/128 dev $link scope global nodad preferred_lft 0 proto 0xfa`
func (m *Manager) AddVIP(link Link, vip netip.Addr) error {
	vip, ok := checkVIP(vip)
	if !ok {
		return fmt.Errorf("adding VIP %s to %q: %w", vip, link.Name, ErrInvalidVIP)
	}
	// Two rounds: the second one covers an address appearing between our
	// dump and our add (EEXIST).
	for range 2 {
		addrs, err := m.addrs(link)
		if err != nil {
			return fmt.Errorf("adding VIP %s: %w", vip, err)
		}
		state, cur := classify(addrs, vip, m.proto)
		switch state {
		case vipGood:
			return nil
		case vipConflict:
			return fmt.Errorf("adding VIP %s to %q: present as %s: %w", vip, link.Name, cur.Prefix(), ErrConflict)
		case vipRepair:
			if err := m.delAddr(cur); err != nil {
				return fmt.Errorf("adding VIP %s to %q: replacing %s (flags %#x): %w", vip, link.Name, cur.Prefix(), cur.Flags, err)
			}
		}
		err = m.addrRequest(unix.RTM_NEWADDR, unix.NLM_F_CREATE|unix.NLM_F_EXCL, newVIPMsg(vip, link.Index, link.Name, m.proto))
		if errors.Is(err, unix.EEXIST) {
			continue
		}
		if err != nil {
			return fmt.Errorf("adding VIP %s to %q: %w", vip, link.Name, err)
		}
		return nil
	}
	return fmt.Errorf("adding VIP %s to %q: address keeps changing under us", vip, link.Name)
}

// AddVIPs does what AddVIP does for each of vips, without listing the
// interface's addresses once per VIP: a master of many groups of several
// VIPs each would otherwise list every address of the interface once per
// VIP, quadratic in the VIPs it holds. An IPv6 VIP is added at once: the
// kernel refuses an address the interface already has, whatever its prefix
// length (EEXIST, ipv6_add_addr), and only such a VIP takes AddVIP's path.
// The kernel accepts an IPv4 /32 beside the same address with another
// prefix length, so IPv4 VIPs are checked against one address dump first;
// one in the wrong form, or that appears between the dump and the add,
// takes AddVIP's path. The errors of the VIPs that failed are joined.
func (m *Manager) AddVIPs(link Link, vips []netip.Addr) error {
	var addrs []addrMsg
	if slices.ContainsFunc(vips, netip.Addr.Is4) {
		var err error
		if addrs, err = m.addrs(link); err != nil {
			return fmt.Errorf("adding VIPs %v: %w", vips, err)
		}
	}
	var errs []error
	for _, v := range vips {
		vip, ok := checkVIP(v)
		if !ok {
			errs = append(errs, fmt.Errorf("adding VIP %s to %q: %w", v, link.Name, ErrInvalidVIP))
			continue
		}
		state := vipAbsent // IPv6: the kernel checks
		if vip.Is4() {
			state, _ = classify(addrs, vip, m.proto)
		}
		switch state {
		case vipGood:
			continue
		case vipAbsent:
			err := m.addrRequest(unix.RTM_NEWADDR, unix.NLM_F_CREATE|unix.NLM_F_EXCL, newVIPMsg(vip, link.Index, link.Name, m.proto))
			if err == nil {
				continue
			}
			if !errors.Is(err, unix.EEXIST) {
				errs = append(errs, fmt.Errorf("adding VIP %s to %q: %w", vip, link.Name, err))
				continue
			}
		}
		if err := m.AddVIP(link, vip); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// RemoveVIPs does what RemoveVIP does for each of vips, with one address
// dump for all of them. The errors of the VIPs that failed are joined.
func (m *Manager) RemoveVIPs(link Link, vips []netip.Addr) error {
	addrs, err := m.addrs(link)
	if err != nil {
		return fmt.Errorf("removing VIPs %v: %w", vips, err)
	}
	var errs []error
	for _, v := range vips {
		vip, ok := checkVIP(v)
		if !ok {
			errs = append(errs, fmt.Errorf("removing VIP %s from %q: %w", v, link.Name, ErrInvalidVIP))
			continue
		}
		switch state, cur := classify(addrs, vip, m.proto); state {
		case vipAbsent:
		case vipConflict:
			errs = append(errs, fmt.Errorf("removing VIP %s from %q: present as %s: %w", vip, link.Name, cur.Prefix(), ErrConflict))
		default:
			if err := m.delAddr(cur); err != nil && !errors.Is(err, unix.EADDRNOTAVAIL) {
				errs = append(errs, fmt.Errorf("removing VIP %s from %q: %w", vip, link.Name, err))
			}
		}
	}
	return errors.Join(errs...)
}

// RemoveVIP makes sure vip is not on the interface as a VIP. It is
// idempotent: an absent VIP is not an error. It removes the host address
// (/32 or /128) with that IP whether or not it carries our mark, because the
// caller decided the node must not hold it; an address with the same IP and
// another prefix length is left alone and reported with ErrConflict.
//
// Equivalent to: `ip addr del $vip/32 dev $link` (or /128)
func (m *Manager) RemoveVIP(link Link, vip netip.Addr) error {
	vip, ok := checkVIP(vip)
	if !ok {
		return fmt.Errorf("removing VIP %s from %q: %w", vip, link.Name, ErrInvalidVIP)
	}
	addrs, err := m.addrs(link)
	if err != nil {
		return fmt.Errorf("removing VIP %s: %w", vip, err)
	}
	state, cur := classify(addrs, vip, m.proto)
	switch state {
	case vipAbsent:
		return nil
	case vipConflict:
		return fmt.Errorf("removing VIP %s from %q: present as %s: %w", vip, link.Name, cur.Prefix(), ErrConflict)
	}
	if err := m.delAddr(cur); err != nil {
		return fmt.Errorf("removing VIP %s from %q: %w", vip, link.Name, err)
	}
	return nil
}

// ListVIPs returns the addresses on the interface that carry our mark, in
// kernel order.
//
// Equivalent to: `ip -d addr show dev $link` filtered on "proto 0xfa" or
// label "*:ipf"
func (m *Manager) ListVIPs(link Link) ([]VIP, error) {
	addrs, err := m.addrs(link)
	if err != nil {
		return nil, err
	}
	var out []VIP
	for _, a := range addrs {
		if isOwned(a, m.proto) {
			out = append(out, VIP{Addr: a.IP(), Flags: a.Flags})
		}
	}
	return out, nil
}

// delAddr deletes exactly the address described by a dump entry. An
// address already gone is not an error.
//
// Equivalent to: `ip addr del $addr/$prefixlen dev $link`
func (m *Manager) delAddr(a addrMsg) error {
	del := addrMsg{
		Family:    a.Family,
		PrefixLen: a.PrefixLen,
		Index:     a.Index,
		Local:     a.IP(),
		Address:   a.Address,
	}
	if !del.Address.IsValid() {
		del.Address = del.Local
	}
	err := m.addrRequest(unix.RTM_DELADDR, 0, del)
	if errors.Is(err, unix.EADDRNOTAVAIL) || errors.Is(err, unix.ENOENT) || errors.Is(err, unix.ESRCH) {
		return nil
	}
	return err
}
