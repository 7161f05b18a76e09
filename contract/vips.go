package contract

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// MaxVIPs bounds the number of addresses one failover set may hold. VRRP
// groups lift the 255-VRID limit, but an IPv6 range can name 65536 addresses
// in a few characters; this keeps a typo from becoming a 1 MB environment.
const MaxVIPs = 4096

// Range is one entry of a VIP list: a single address (First == Last) or an
// inclusive range whose addresses differ only in the last IPv4 octet or the
// last IPv6 hextet, which is how the image expands ranges.
type Range struct {
	First, Last netip.Addr
}

// Len is the number of addresses in the range.
func (r Range) Len() int {
	if r.First.Is4() {
		return int(r.Last.As4()[3]) - int(r.First.As4()[3]) + 1
	}
	return lastHextet(r.Last) - lastHextet(r.First) + 1
}

// Addrs lists the addresses of the range in order.
func (r Range) Addrs() []netip.Addr {
	out := make([]netip.Addr, 0, r.Len())
	for a := r.First; ; a = a.Next() {
		out = append(out, a)
		if a == r.Last {
			return out
		}
	}
}

// String is the canonical entry: "192.0.2.10", "192.0.2.10-12" or
// "2001:db8::a-f" (lower-case hex, as netip prints).
func (r Range) String() string {
	if r.First == r.Last {
		return r.First.String()
	}
	if r.First.Is4() {
		return fmt.Sprintf("%s-%d", r.First, r.Last.As4()[3])
	}
	return fmt.Sprintf("%s-%x", r.First, lastHextet(r.Last))
}

// ParseRange parses one VIP entry. Accepted forms: an address
// ("192.0.2.10", "2001:db8::10"), a range with a bare last octet or hextet
// ("192.0.2.10-12", "2001:db8::a-F"), or a range with two full addresses
// that differ only in the last octet or hextet ("192.0.2.10-192.0.2.12").
// CIDR suffixes, spaces, zones, IPv4-mapped IPv6, descending ranges and
// non-unicast addresses are rejected with the rule they break.
func ParseRange(s string) (Range, error) {
	if s == "" {
		return Range{}, fmt.Errorf("empty entry: separate entries with single commas")
	}
	if strings.ContainsAny(s, " \t\r\n") {
		return Range{}, fmt.Errorf("contains white space: separate entries with commas, not spaces")
	}
	if strings.Contains(s, "/") {
		return Range{}, fmt.Errorf("CIDR suffixes are not VIPs: list the addresses or a range such as 192.0.2.10-12")
	}
	parts := strings.Split(s, "-")
	if len(parts) > 2 {
		if _, err := parseVIP(parts[0]); err != nil {
			return Range{}, fmt.Errorf("%q is not an IP address or a range", s)
		}
		return Range{}, fmt.Errorf("a range has exactly one '-' (first-last)")
	}
	first, err := parseVIP(parts[0])
	if err != nil {
		return Range{}, err
	}
	if len(parts) == 1 {
		return Range{First: first, Last: first}, nil
	}
	last, err := parseRangeEnd(first, parts[1])
	if err != nil {
		return Range{}, err
	}
	if last.Less(first) {
		return Range{}, fmt.Errorf("descending range: %s comes after %s", first, last)
	}
	return Range{First: first, Last: last}, nil
}

func parseVIP(s string) (netip.Addr, error) {
	if err := checkOctets(s); err != nil {
		return netip.Addr{}, err
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("%q is not an IP address", s)
	}
	switch {
	case a.Zone() != "":
		return netip.Addr{}, fmt.Errorf("%q has a zone: VIPs are global addresses", s)
	case a.Is4In6():
		return netip.Addr{}, fmt.Errorf("%q is an IPv4-mapped IPv6 address: write the IPv4 address", s)
	}
	return a, checkUsable(a)
}

// checkUsable rejects the addresses that cannot be a VIP.
func checkUsable(a netip.Addr) error {
	if a.IsUnspecified() || a.IsLoopback() || a.IsMulticast() || a.IsLinkLocalUnicast() || a == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
		return fmt.Errorf("%s is not a usable unicast VIP (unspecified, loopback, multicast, link-local or broadcast)", a)
	}
	return nil
}

// checkOctets gives dotted IPv4 text a precise error for an octet past 255,
// which netip reports only as a parse failure.
func checkOctets(s string) error {
	if strings.Contains(s, ":") || strings.Count(s, ".") != 3 {
		return nil
	}
	for _, f := range strings.Split(s, ".") {
		if n, err := strconv.Atoi(f); err == nil && n > 255 {
			return fmt.Errorf("octet %d in %q is past 255", n, s)
		}
	}
	return nil
}

func parseRangeEnd(first netip.Addr, s string) (netip.Addr, error) {
	if strings.ContainsAny(s, ".:") {
		last, err := parseVIP(s)
		if err != nil {
			return netip.Addr{}, err
		}
		if last.Is4() != first.Is4() {
			return netip.Addr{}, fmt.Errorf("range %s-%s mixes IPv4 and IPv6", first, last)
		}
		if withLast(first, 0) != withLast(last, 0) {
			return netip.Addr{}, fmt.Errorf("range %s-%s must vary only the last %s", first, last, lastPartName(first))
		}
		return last, nil
	}
	if first.Is4() {
		n, err := strconv.ParseUint(s, 10, 32)
		switch {
		case err != nil:
			return netip.Addr{}, fmt.Errorf("range end %q is not a decimal octet", s)
		case len(s) > 1 && s[0] == '0':
			// As netip refuses 192.0.2.010 (octal to some parsers).
			return netip.Addr{}, fmt.Errorf("range end %q has a leading zero: write %d", s, n)
		case n > 255:
			return netip.Addr{}, fmt.Errorf("range end octet %d is past 255", n)
		}
		last := withLast(first, int(n))
		return last, checkUsable(last)
	}
	n, err := strconv.ParseUint(s, 16, 32)
	if err != nil || len(s) > 4 {
		return netip.Addr{}, fmt.Errorf("range end %q is not a hexadecimal hextet (0-ffff)", s)
	}
	last := withLast(first, int(n))
	return last, checkUsable(last)
}

func lastPartName(a netip.Addr) string {
	if a.Is4() {
		return "octet"
	}
	return "hextet"
}

func lastHextet(a netip.Addr) int {
	b := a.As16()
	return int(b[14])<<8 | int(b[15])
}

// withLast returns a with its last octet (IPv4) or hextet (IPv6) set to v.
func withLast(a netip.Addr, v int) netip.Addr {
	if a.Is4() {
		b := a.As4()
		b[3] = byte(v)
		return netip.AddrFrom4(b)
	}
	b := a.As16()
	b[14], b[15] = byte(v>>8), byte(v)
	return netip.AddrFrom16(b)
}

// ParseVIPEntries parses a list of entries (the spec's list, or the
// comma-split environment value), expands it and rejects duplicates and
// oversize lists. Every finding is reported, joined: each is a *FieldError
// of FieldVirtualIPs carrying the index of the entry at fault (and, for a
// duplicate, the index of the entry that holds the first copy in Other).
// With findings, the ranges and addresses of the entries that passed are
// still returned, so that a caller can go on checking what it can (groups,
// VRIDs); it must not use them as the configuration.
func ParseVIPEntries(entries []string) ([]Range, []netip.Addr, error) {
	ranges := make([]Range, 0, len(entries))
	var addrs []netip.Addr
	var errs []error
	seen := make(map[netip.Addr]int)
	for i, e := range entries {
		r, err := ParseRange(e)
		if err != nil {
			errs = append(errs, fieldErr(FieldVirtualIPs, i, e, "%v", err))
			continue
		}
		if len(addrs)+r.Len() > MaxVIPs {
			errs = append(errs, fieldErr(FieldVirtualIPs, i, e, "the list would exceed %d VIPs", MaxVIPs))
			break
		}
		clean := true
		for _, a := range r.Addrs() {
			if j, dup := seen[a]; dup {
				errs = append(errs, dupErr(FieldVirtualIPs, i, j, e, "duplicate VIP %s", a))
				clean = false
			}
		}
		if !clean {
			continue
		}
		for _, a := range r.Addrs() {
			seen[a] = i
		}
		addrs = append(addrs, r.Addrs()...)
		ranges = append(ranges, r)
	}
	return ranges, addrs, errors.Join(errs...)
}

// SplitList splits a comma-separated environment value into trimmed
// entries. An empty or blank value yields no entries.
func SplitList(v string) []string {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	parts := strings.Split(v, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// FormatVIPs is the canonical OPENSHIFT_HA_VIRTUAL_IPS value for ranges.
// IPv4 ranges keep the image's "a.b.c.S-E" form. IPv6 ranges are written
// out address by address: the image expands IPv6 ranges with bc in base 16,
// which only works for upper-case hex and needs bc in the image, so an
// explicit list is the only form every reader understands.
func FormatVIPs(ranges []Range) string {
	var parts []string
	for _, r := range ranges {
		if r.First.Is6() && r.First != r.Last {
			for _, a := range r.Addrs() {
				parts = append(parts, a.String())
			}
			continue
		}
		parts = append(parts, r.String())
	}
	return strings.Join(parts, ",")
}
