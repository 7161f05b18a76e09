package contract

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
)

func seqVIPs(n int) []netip.Addr {
	out := make([]netip.Addr, n)
	a := netip.MustParseAddr("192.0.2.1")
	for i := range out {
		out[i] = a
		a = a.Next()
	}
	return out
}

func TestPlanGroups(t *testing.T) {
	tests := []struct {
		name     string
		vips     int
		groups   int
		offset   int
		excluded []int
		sizes    []int
		vrids    []int
	}{
		// Behaviour of the image, verified upstream (reference §1.2).
		{"7 VIPs in 3 groups", 7, 3, 0, nil, []int{3, 2, 2}, []int{1, 2, 3}},
		{"2 VIPs, 10 groups asked", 2, 10, 10, nil, []int{1, 1}, []int{11, 12}},
		{"no groups: one per VIP", 3, 0, 10, nil, []int{1, 1, 1}, []int{11, 12, 13}},
		{"exclusions shift later groups", 4, 0, 10, []int{12, 13}, []int{1, 1, 1, 1}, []int{11, 14, 15, 16}},
		{"offset 0 starts at 1", 2, 0, 0, nil, []int{1, 1}, []int{1, 2}},
		{"last VRID is 255", 1, 0, 254, nil, []int{1}, []int{255}},
		{"1000 VIPs in 10 groups", 1000, 10, 10, nil, []int{100, 100, 100, 100, 100, 100, 100, 100, 100, 100}, []int{11, 12, 13, 14, 15, 16, 17, 18, 19, 20}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vips := seqVIPs(tt.vips)
			gs, err := PlanGroups(vips, tt.groups, tt.offset, tt.excluded)
			if err != nil {
				t.Fatal(err)
			}
			var sizes, vrids []int
			next := 0
			for i, g := range gs {
				if g.Index != i+1 {
					t.Errorf("group %d has index %d", i, g.Index)
				}
				for _, a := range g.VIPs {
					if a != vips[next] {
						t.Fatalf("group %d: VIP %s out of list order (want %s)", g.Index, a, vips[next])
					}
					next++
				}
				sizes = append(sizes, len(g.VIPs))
				vrids = append(vrids, g.VRID)
			}
			if fmt.Sprint(sizes) != fmt.Sprint(tt.sizes) || fmt.Sprint(vrids) != fmt.Sprint(tt.vrids) {
				t.Errorf("sizes %v vrids %v, want %v %v", sizes, vrids, tt.sizes, tt.vrids)
			}
		})
	}
}

func TestPlanGroupsRejects(t *testing.T) {
	mixed := []netip.Addr{netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("2001:db8::1")}
	tests := []struct {
		name     string
		vips     []netip.Addr
		groups   int
		offset   int
		excluded []int
		field    Field
		want     string
	}{
		{"VRID past 255", seqVIPs(246), 0, 10, nil, FieldVIPGroups, "group 246 of 246 would need VRID 256"},
		{"exclusion pushes past 255", seqVIPs(2), 0, 253, []int{254}, FieldExcludedVRIDs, "VRID 256: the excluded VRIDs (1) push the groups past 255"},
		{"offset 255", seqVIPs(1), 0, 255, nil, FieldVRIDOffset, "0..254"},
		{"negative groups", seqVIPs(1), -1, 0, nil, FieldVIPGroups, "positive"},
		{"excluded out of range", seqVIPs(1), 0, 0, []int{0}, FieldExcludedVRIDs, "1..255"},
		{"mixed families in a group", mixed, 1, 10, nil, FieldVirtualIPs, "mix IPv4 192.0.2.1 and IPv6 2001:db8::1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := PlanGroups(tt.vips, tt.groups, tt.offset, tt.excluded)
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want a %s error containing %q", err, tt.field, tt.want)
			}
		})
	}
	// Mixed families split across groups are fine.
	gs, err := PlanGroups(mixed, 0, 10, nil)
	if err != nil || len(gs) != 2 || gs[0].IPv6() || !gs[1].IPv6() {
		t.Fatalf("per-VIP groups of two families: %v %v", gs, err)
	}
}
