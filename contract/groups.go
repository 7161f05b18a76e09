package contract

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
)

// Group is one VRRP virtual router: the VIPs that move together and the
// VRID they share. Index is 1-based, as in keepalived instance names.
type Group struct {
	Index int
	VRID  int
	VIPs  []netip.Addr
}

// IPv6 reports whether the group carries IPv6 addresses (groups are single-family).
func (g Group) IPv6() bool { return len(g.VIPs) > 0 && g.VIPs[0].Is6() }

// MaxVRID is the highest VRRP virtual router ID (RFC 3768 §5.3.3, RFC 9568 §5.2.3).
const MaxVRID = 255

// PlanGroups cuts the VIP list into VRRP groups and gives each its VRID,
// exactly as the image does:
//
//   - groups > 0: n VIPs are cut, in list order, into min(groups, n)
//     consecutive groups; the first n%groups groups get one VIP more;
//   - groups == 0: one group per VIP;
//   - VRID of group k = offset + k, except that while the VRID is listed in
//     excluded the offset grows by one, and the growth persists for every
//     later group (offset 10, excluded 12 13, four groups: 11 14 15 16).
//
// Where the image silently starts nothing, PlanGroups returns an error: a
// VRID past 255 (keepalived rejects the instance) and a group that would mix
// IPv4 and IPv6 (one VRRP instance carries one family, RFC 9568 §5.2.9).
func PlanGroups(vips []netip.Addr, groups, offset int, excluded []int) ([]Group, error) {
	var errs []error
	if groups < 0 {
		errs = append(errs, fieldErr(FieldVIPGroups, -1, fmt.Sprint(groups), "must be 0 (one group per VIP) or a positive count"))
	}
	if offset < 0 || offset > MaxVRID-1 {
		errs = append(errs, fieldErr(FieldVRIDOffset, -1, fmt.Sprint(offset), "must be in 0..254 (the first VRID is offset+1)"))
	}
	for i, x := range excluded {
		if x < 1 || x > MaxVRID {
			errs = append(errs, fieldErr(FieldExcludedVRIDs, i, fmt.Sprint(x), "VRIDs are 1..255"))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	base := offset
	n := len(vips)
	count := n
	if groups > 0 && groups < n {
		count = groups
	}
	out := make([]Group, 0, count)
	per, extra := 1, 0
	if count > 0 {
		per, extra = n/count, n%count
	}
	next := 0
	for k := 1; k <= count; k++ {
		size := per
		if k <= extra {
			size++
		}
		members := vips[next : next+size]
		next += size
		for offset+k <= MaxVRID && slices.Contains(excluded, offset+k) {
			offset++
		}
		vrid := offset + k
		if vrid > MaxVRID && base+count <= MaxVRID {
			return nil, fieldErr(FieldExcludedVRIDs, -1, "",
				"VIP group %d of %d would need VRID %d: the excluded VRIDs (%d) push the groups past 255 (offset %d); exclude fewer, or lower the offset",
				k, count, vrid, len(excluded), base)
		}
		if vrid > MaxVRID {
			return nil, fieldErr(FieldVIPGroups, -1, fmt.Sprint(groups),
				"VIP group %d of %d would need VRID %d: VRIDs are 1..255 (offset %d, %d excluded); use fewer groups (set the group count) or a lower offset",
				k, count, vrid, base, len(excluded))
		}
		for _, a := range members[1:] {
			if a.Is4() != members[0].Is4() {
				return nil, fieldErr(FieldVirtualIPs, -1, "",
					"VIP group %d would mix IPv4 %s and IPv6 %s, but one VRRP group carries one address family: order the list by family or change the group count",
					k, pick4(members[0], a), pick6(members[0], a))
			}
		}
		out = append(out, Group{Index: k, VRID: vrid, VIPs: slices.Clone(members)})
	}
	return out, nil
}

func pick4(a, b netip.Addr) netip.Addr {
	if a.Is4() {
		return a
	}
	return b
}

func pick6(a, b netip.Addr) netip.Addr {
	if a.Is6() {
		return a
	}
	return b
}
