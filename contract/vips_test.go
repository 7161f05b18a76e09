package contract

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
)

func TestParseRangeAccepts(t *testing.T) {
	tests := []struct {
		in          string
		first, last string
		n           int
		canonical   string
	}{
		{"192.0.2.10", "192.0.2.10", "192.0.2.10", 1, "192.0.2.10"},
		{"192.0.2.10-12", "192.0.2.10", "192.0.2.12", 3, "192.0.2.10-12"},
		{"192.0.2.10-192.0.2.12", "192.0.2.10", "192.0.2.12", 3, "192.0.2.10-12"},
		{"192.0.2.10-10", "192.0.2.10", "192.0.2.10", 1, "192.0.2.10"},
		{"198.51.100.0-255", "198.51.100.0", "198.51.100.255", 256, "198.51.100.0-255"},
		{"2001:db8::a-f", "2001:db8::a", "2001:db8::f", 6, "2001:db8::a-f"},
		{"2001:DB8::A-F", "2001:db8::a", "2001:db8::f", 6, "2001:db8::a-f"},
		{"2001:db8::a-2001:db8::F", "2001:db8::a", "2001:db8::f", 6, "2001:db8::a-f"},
		{"2001:db8::10", "2001:db8::10", "2001:db8::10", 1, "2001:db8::10"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := ParseRange(tt.in)
			if err != nil {
				t.Fatalf("ParseRange(%q): %v", tt.in, err)
			}
			if r.First != netip.MustParseAddr(tt.first) || r.Last != netip.MustParseAddr(tt.last) {
				t.Errorf("got %s..%s, want %s..%s", r.First, r.Last, tt.first, tt.last)
			}
			if r.Len() != tt.n || len(r.Addrs()) != tt.n {
				t.Errorf("Len %d, len(Addrs) %d, want %d", r.Len(), len(r.Addrs()), tt.n)
			}
			if r.String() != tt.canonical {
				t.Errorf("String() = %q, want %q", r.String(), tt.canonical)
			}
		})
	}
}

func TestParseRangeRejects(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "empty entry"},
		{"192.0.2.0/24", "CIDR"},
		{"192.0.2.10/32", "CIDR"},
		{"192.0.2.10 192.0.2.11", "white space"},
		{"192.0.2.12-10", "descending"},
		{"2001:db8::f-a", "descending"},
		{"192.0.2.250-256", "past 255"},
		{"192.0.2.256", "past 255"},
		{"192.0.2.1-2-3", "exactly one '-'"},
		{"not-an-address", "not an IP address or a range"},
		{"192.0.2.10-198.51.100.12", "only the last octet"},
		{"2001:db8::a-2001:db9::f", "only the last hextet"},
		{"192.0.2.10-2001:db8::1", "mixes IPv4 and IPv6"},
		{"2001:db8::a-g", "hexadecimal"},
		{"2001:db8::a-10000", "hexadecimal"},
		{"192.0.2.1-x", "decimal octet"},
		{"banana", "not an IP address"},
		{"::ffff:192.0.2.1", "IPv4-mapped"},
		{"fe80::1%eth0", "zone"},
		{"224.0.0.18", "not a usable unicast VIP"},
		{"0.0.0.0", "not a usable unicast VIP"},
		{"127.0.0.1", "not a usable unicast VIP"},
		{"fe80::1", "not a usable unicast VIP"},
		{"255.255.255.255", "not a usable unicast VIP"},
		{"192.0.2.1-010", "leading zero"},
		{"255.255.255.250-255", "not a usable unicast VIP"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseRange(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ParseRange(%q) error = %v, want one containing %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestParseVIPEntries(t *testing.T) {
	ranges, addrs, err := ParseVIPEntries([]string{"192.0.2.10-12", "2001:db8::a", "198.51.100.7"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ranges) != 3 || len(addrs) != 5 {
		t.Fatalf("got %d ranges, %d addrs", len(ranges), len(addrs))
	}
	if addrs[3] != netip.MustParseAddr("2001:db8::a") {
		t.Errorf("order not kept: %v", addrs)
	}

	_, _, err = ParseVIPEntries([]string{"192.0.2.10-12", "198.51.100.1", "192.0.2.11"})
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Index != 2 || fe.Other != 0 || fe.Rule != "duplicate VIP 192.0.2.11" {
		t.Fatalf("duplicate: got %#v", fe)
	}
	if err.Error() != `OPENSHIFT_HA_VIRTUAL_IPS entry 3 "192.0.2.11": duplicate VIP 192.0.2.11 (also entry 1)` {
		t.Errorf("message %q does not name the variable and both entries", err)
	}

	// Every finding is reported, not just the first.
	_, _, err = ParseVIPEntries([]string{"192.0.2.1/32", "192.0.2.5-3", "192.0.2.7", "192.0.2.7"})
	if n := strings.Count(err.Error(), "OPENSHIFT_HA_VIRTUAL_IPS entry"); n != 3 {
		t.Errorf("want 3 findings, got %d: %v", n, err)
	}

	_, _, err = ParseVIPEntries([]string{"192.0.2.1", "192.0.2.2/32"})
	if !errors.As(err, &fe) || fe.Index != 1 || fe.Field != FieldVirtualIPs {
		t.Fatalf("CIDR: got %v", err)
	}

	big := []string{"2001:db8::0-ffff"}
	if _, _, err := ParseVIPEntries(big); err == nil || !strings.Contains(err.Error(), "4096") {
		t.Fatalf("oversize list: got %v", err)
	}
}

func TestSplitList(t *testing.T) {
	if got := SplitList("  "); got != nil {
		t.Errorf("blank: %q", got)
	}
	got := SplitList(" 192.0.2.1 ,192.0.2.2-3")
	if len(got) != 2 || got[0] != "192.0.2.1" || got[1] != "192.0.2.2-3" {
		t.Errorf("got %q", got)
	}
	// The image's "space-separated" example is one entry with spaces: an error, not 101 VIPs.
	if _, _, err := ParseVIPEntries(SplitList("10.1.1.100-102 10.1.1.200-200 10.42.42.42")); err == nil {
		t.Error("space-separated list accepted")
	}
}

func TestFormatVIPs(t *testing.T) {
	ranges, _, err := ParseVIPEntries([]string{"192.0.2.10-12", "2001:db8::a-c", "2001:db8::1", "198.51.100.1-198.51.100.2"})
	if err != nil {
		t.Fatal(err)
	}
	want := "192.0.2.10-12,2001:db8::a,2001:db8::b,2001:db8::c,2001:db8::1,198.51.100.1-2"
	if got := FormatVIPs(ranges); got != want {
		t.Errorf("FormatVIPs = %q, want %q", got, want)
	}
}

// FuzzVIPList checks that any accepted list formats to a value that parses
// back to the same addresses, and that rejected input never panics.
func FuzzVIPList(f *testing.F) {
	for _, s := range []string{"192.0.2.10-12", "192.0.2.10-192.0.2.12", "2001:db8::a-F", "1.1.1.1-2,2001:db8::1", "192.0.2.0/24", "", "1.2.3.4-1.2.3.4-5", "::ffff:1.2.3.4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ranges, addrs, err := ParseVIPEntries(SplitList(s))
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != FieldVirtualIPs {
				t.Fatalf("error %v is not a FieldError of the VIP list", err)
			}
			return
		}
		if len(addrs) > MaxVIPs {
			t.Fatalf("%d VIPs accepted", len(addrs))
		}
		n := 0
		for _, r := range ranges {
			if r.Last.Less(r.First) || r.First.Is4() != r.Last.Is4() {
				t.Fatalf("bad range %v", r)
			}
			n += r.Len()
		}
		if n != len(addrs) {
			t.Fatalf("lengths %d != %d", n, len(addrs))
		}
		_, again, err := ParseVIPEntries(SplitList(FormatVIPs(ranges)))
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", FormatVIPs(ranges), s, err)
		}
		if len(again) != len(addrs) {
			t.Fatalf("round trip changed the list: %v -> %v", addrs, again)
		}
		for i := range again {
			if again[i] != addrs[i] {
				t.Fatalf("round trip changed entry %d: %s -> %s", i, addrs[i], again[i])
			}
		}
	})
}
