package fw

import (
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplitRuleLine(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		err  error
	}{
		{`-A INPUT -d 224.0.0.18/32 -p vrrp -m comment --comment "failoverkit-vrrp:cfg" -j ACCEPT`,
			[]string{"-A", "INPUT", "-d", "224.0.0.18/32", "-p", "vrrp", "-m", "comment", "--comment", "failoverkit-vrrp:cfg", "-j", "ACCEPT"}, nil},
		{`-A INPUT -s 192.0.2.1/32 -m comment --comment "x y\"z\\" -j ACCEPT`,
			[]string{"-A", "INPUT", "-s", "192.0.2.1/32", "-m", "comment", "--comment", `x y"z\`, "-j", "ACCEPT"}, nil},
		{`-A INPUT -m comment --comment plain -j ACCEPT`,
			[]string{"-A", "INPUT", "-m", "comment", "--comment", "plain", "-j", "ACCEPT"}, nil},
		{`-A INPUT -m comment --comment "" -j ACCEPT`,
			[]string{"-A", "INPUT", "-m", "comment", "--comment", "", "-j", "ACCEPT"}, nil},
		{"  -P   INPUT ACCEPT \n", []string{"-P", "INPUT", "ACCEPT"}, nil},
		{`-A INPUT --comment "open`, nil, errUnterminated},
	} {
		got, err := splitRuleLine(tc.in)
		if !errors.Is(err, tc.err) {
			t.Errorf("splitRuleLine(%q) error %v, want %v", tc.in, err, tc.err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("splitRuleLine(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestParseRuleLineMatches(t *testing.T) {
	mc4, mc6 := MulticastRule(IPv4), MulticastRule(IPv6)
	peer := UnicastRule(netip.MustParseAddr("192.0.2.12"))
	for _, tc := range []struct {
		line    string
		comment string
		match   []Rule // rules it must match; every other of mc4, mc6, peer must not
	}{
		{`-A INPUT -d 224.0.0.18/32 -p vrrp -m comment --comment "failoverkit-vrrp:a" -j ACCEPT`, "failoverkit-vrrp:a", []Rule{mc4}},
		{`-A INPUT -d 224.0.0.18 -p 112 -m comment --comment "failoverkit-vrrp:a" -j ACCEPT`, "failoverkit-vrrp:a", []Rule{mc4}},
		{`-A INPUT -d ff02::12/128 -p vrrp -m comment --comment "failoverkit-vrrp:a" -j ACCEPT`, "failoverkit-vrrp:a", []Rule{mc6}},
		{`-A INPUT -s 192.0.2.12/32 -p vrrp -m comment --comment "failoverkit-vrrp:a" -j ACCEPT`, "failoverkit-vrrp:a", []Rule{peer}},
		// Not exactly our rule: must not match anything.
		{`-A INPUT -d 224.0.0.18/32 -j ACCEPT`, "", nil}, // OpenShift image's rule
		{`-A INPUT -d 224.0.0.18/32 -p vrrp -m comment --comment "failoverkit-vrrp:a" -j DROP`, "failoverkit-vrrp:a", nil},
		{`-A INPUT ! -d 224.0.0.18/32 -p vrrp -m comment --comment "failoverkit-vrrp:a" -j ACCEPT`, "failoverkit-vrrp:a", nil},
		{`-A INPUT -i eth0 -d 224.0.0.18/32 -p vrrp -m comment --comment "failoverkit-vrrp:a" -j ACCEPT`, "failoverkit-vrrp:a", nil},
		{`-A INPUT -d 224.0.0.0/24 -p vrrp -m comment --comment "failoverkit-vrrp:a" -j ACCEPT`, "failoverkit-vrrp:a", nil},
		{`-A INPUT -s 192.0.2.12/32 -d 224.0.0.18/32 -p vrrp -j ACCEPT`, "", nil},
	} {
		r, ok, err := parseRuleLine(tc.line)
		if err != nil || !ok {
			t.Fatalf("parseRuleLine(%q) = %v, %v", tc.line, ok, err)
		}
		if r.chain != "INPUT" || r.comment != tc.comment {
			t.Errorf("%q: chain %q comment %q", tc.line, r.chain, r.comment)
		}
		for _, rule := range []Rule{mc4, mc6, peer} {
			if got, want := r.matches(rule), slices.Contains(tc.match, rule); got != want {
				t.Errorf("%q matches %s = %v, want %v", tc.line, rule, got, want)
			}
		}
	}
	for _, line := range []string{"-P INPUT ACCEPT", "-N FAILOVER", "", "-A"} {
		if _, ok, err := parseRuleLine(line); ok || err != nil {
			t.Errorf("parseRuleLine(%q) = ok %v err %v, want not a rule", line, ok, err)
		}
	}
}

// FuzzParseRuleLine: never panics; a parsed rule's args, written back the
// way iptables quotes them, parse to the same rule.
func FuzzParseRuleLine(f *testing.F) {
	f.Add(`-A INPUT -d 224.0.0.18/32 -p vrrp -m comment --comment "failoverkit-vrrp:a" -j ACCEPT`)
	f.Add(`-A INPUT -s 192.0.2.1/32 -m comment --comment "x y\"z\\" -j ACCEPT`)
	f.Add(`-A X ! -s ::1 -j RETURN`)
	f.Fuzz(func(t *testing.T, line string) {
		r, ok, err := parseRuleLine(line)
		if err != nil || !ok {
			return
		}
		parts := []string{"-A", quote(r.chain)}
		for _, a := range r.args {
			parts = append(parts, quote(a))
		}
		r2, ok2, err := parseRuleLine(strings.Join(parts, " "))
		if err != nil || !ok2 {
			t.Fatalf("re-parse of %q: ok %v err %v", line, ok2, err)
		}
		if diff := cmp.Diff(r, r2, cmp.AllowUnexported(listedRule{}), cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); diff != "" {
			t.Fatalf("round trip of %q (-first +second):\n%s", line, diff)
		}
	})
}

// quote writes a token like xtables_save_string does.
func quote(s string) string {
	if s != "" && strings.Trim(s, "_-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") == "" {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(`"\'`, s[i]) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

func TestMarker(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"ipfailover", "failoverkit-vrrp:ipfailover"},
		{"OpenShift-IPFailover", "failoverkit-vrrp:OpenShift-IPFailover"},
		{`ipf ha"x`, "failoverkit-vrrp:ipf_ha_x"},
		{"ipf.ha_1", "failoverkit-vrrp:ipf.ha_1"},
	} {
		if got := Marker(tc.in); got != tc.want {
			t.Errorf("Marker(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := Marker(strings.Repeat("x", 500)); len(got) != maxMarkerLen {
		t.Errorf("long marker has %d bytes, want %d", len(got), maxMarkerLen)
	}
}

func TestRuleSpecAndValidate(t *testing.T) {
	for _, tc := range []struct {
		r    Rule
		want string
	}{
		{MulticastRule(IPv4), "-d 224.0.0.18/32 -p 112 -m comment --comment M -j ACCEPT"},
		{MulticastRule(IPv6), "-d ff02::12/128 -p 112 -m comment --comment M -j ACCEPT"},
		{UnicastRule(netip.MustParseAddr("::ffff:192.0.2.12")), "-s 192.0.2.12/32 -p 112 -m comment --comment M -j ACCEPT"},
		{UnicastRule(netip.MustParseAddr("2001:db8::12")), "-s 2001:db8::12/128 -p 112 -m comment --comment M -j ACCEPT"},
	} {
		if err := tc.r.validate(); err != nil {
			t.Errorf("%s: %v", tc.r, err)
		}
		if got := strings.Join(tc.r.spec("M"), " "); got != tc.want {
			t.Errorf("%s spec = %q, want %q", tc.r, got, tc.want)
		}
	}
	for _, bad := range []Rule{
		{},
		{Family: IPv6, Peer: netip.MustParseAddr("192.0.2.1")},
		{Family: IPv4, Peer: netip.MustParseAddr("224.0.0.18")},
		UnicastRule(netip.MustParseAddr("0.0.0.0")),
	} {
		if err := bad.validate(); err == nil {
			t.Errorf("%+v validated", bad)
		}
	}
}
