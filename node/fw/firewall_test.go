package fw

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeTable models iptables for one family: chains of rules, printed back
// the way iptables-nft does (-p vrrp, /32 suffixes, quoted comments).
type fakeTable struct {
	mu      sync.Mutex
	chains  map[string][][]string // chain -> rule specs (canonical form)
	inserts int
	deletes int
	slow    time.Duration // widens races in List
}

var errFakeNoChain = errors.New("iptables: No chain/target/match by that name.")

func newFakeTable(chains ...string) *fakeTable {
	t := &fakeTable{chains: map[string][][]string{}}
	for _, c := range chains {
		t.chains[c] = nil
	}
	return t
}

// canon rewrites a spec the way iptables would print it back.
func canon(spec []string) []string {
	out := slices.Clone(spec)
	for i := 0; i+1 < len(out); i++ {
		switch out[i] {
		case "-p":
			if out[i+1] == "112" {
				out[i+1] = "vrrp"
			}
		case "-s", "-d":
			if !strings.Contains(out[i+1], "/") {
				if strings.Contains(out[i+1], ":") {
					out[i+1] += "/128"
				} else {
					out[i+1] += "/32"
				}
			}
		}
	}
	return out
}

func (t *fakeTable) List(table, chain string) ([]string, error) {
	time.Sleep(t.slow)
	t.mu.Lock()
	defer t.mu.Unlock()
	rules, ok := t.chains[chain]
	if !ok {
		// What iptables-nft 1.8.9 really says about a missing chain.
		return nil, fmt.Errorf("iptables v1.8.9 (nf_tables): chain `%s' in table `filter' is incompatible, use 'nft' tool", chain)
	}
	out := []string{"-P " + chain + " ACCEPT"}
	for _, r := range rules {
		parts := []string{"-A", chain}
		for _, a := range r {
			parts = append(parts, quote(a))
		}
		out = append(out, strings.Join(parts, " "))
	}
	return out, nil
}

func (t *fakeTable) ChainExists(table, chain string) (bool, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, ok := t.chains[chain]
	return ok, nil
}

func (t *fakeTable) Insert(table, chain string, pos int, spec ...string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	rules, ok := t.chains[chain]
	if !ok {
		return errFakeNoChain
	}
	t.inserts++
	t.chains[chain] = slices.Insert(rules, pos-1, canon(spec))
	return nil
}

func (t *fakeTable) Delete(table, chain string, spec ...string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := canon(spec)
	for i, r := range t.chains[chain] {
		if slices.Equal(r, c) {
			t.deletes++
			t.chains[chain] = slices.Delete(t.chains[chain], i, i+1)
			return nil
		}
	}
	return errFakeNoChain // iptables: "Bad rule (does a matching rule exist...)"
}

func (t *fakeTable) append(chain string, spec ...string) {
	t.chains[chain] = append(t.chains[chain], canon(spec))
}

// rules returns the chain as joined specs.
func (t *fakeTable) rules(chain string) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []string
	for _, r := range t.chains[chain] {
		out = append(out, strings.Join(r, " "))
	}
	return out
}

// newFakeManager returns a Manager on fake tables; a nil table models a
// family whose binary is not installed.
func newFakeManager(t *testing.T, name string, v4, v6 *fakeTable) *Manager {
	t.Helper()
	m := &Manager{marker: Marker(name), table: "filter", backend: BackendNFT,
		notExist: func(err error) bool { return errors.Is(err, errFakeNoChain) }}
	m.newTable = func(f Family) (table, error) {
		ft := v4
		if f == IPv6 {
			ft = v6
		}
		if ft == nil {
			return nil, fmt.Errorf("fake %s: %w", f, ErrNotInstalled)
		}
		return ft, nil
	}
	return m
}

var (
	mc4   = MulticastRule(IPv4)
	mc6   = MulticastRule(IPv6)
	peerA = UnicastRule(netip.MustParseAddr("192.0.2.12"))
	peerB = UnicastRule(netip.MustParseAddr("192.0.2.13"))
	peer6 = UnicastRule(netip.MustParseAddr("2001:db8::12"))
)

const (
	ours      = `-d 224.0.0.18/32 -p vrrp -m comment --comment failoverkit-vrrp:cfg -j ACCEPT`
	oursPeerA = `-s 192.0.2.12/32 -p vrrp -m comment --comment failoverkit-vrrp:cfg -j ACCEPT`
	oursPeerB = `-s 192.0.2.13/32 -p vrrp -m comment --comment failoverkit-vrrp:cfg -j ACCEPT`
	ours6     = `-d ff02::12/128 -p vrrp -m comment --comment failoverkit-vrrp:cfg -j ACCEPT`
	imageRule = `-d 224.0.0.18/32 -j ACCEPT` // OpenShift keepalived image
	otherCfg  = `-d 224.0.0.18/32 -p vrrp -m comment --comment failoverkit-vrrp:other -j ACCEPT`
	ssh       = `-p tcp --dport 22 -j ACCEPT`
)

func TestEnsureIdempotentAndOrdered(t *testing.T) {
	v4, v6 := newFakeTable("INPUT"), newFakeTable("INPUT")
	v4.append("INPUT", strings.Fields(ssh)...)
	m := newFakeManager(t, "cfg", v4, v6)
	for range 3 {
		if err := m.Ensure("INPUT", mc4, peerA, mc6, mc4); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff([]string{ours, oursPeerA, ssh}, v4.rules("INPUT")); diff != "" {
		t.Errorf("IPv4 chain (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{ours6}, v6.rules("INPUT")); diff != "" {
		t.Errorf("IPv6 chain (-want +got):\n%s", diff)
	}
	if v4.inserts != 2 || v6.inserts != 1 || v4.deletes+v6.deletes != 0 {
		t.Errorf("inserts %d/%d deletes %d/%d: want 2/1 inserts on the first call only", v4.inserts, v6.inserts, v4.deletes, v6.deletes)
	}
}

func TestEnsureLeavesPresentRuleWhereItIs(t *testing.T) {
	v4 := newFakeTable("INPUT")
	v4.append("INPUT", strings.Fields(ssh)...)
	v4.append("INPUT", mc4.spec("failoverkit-vrrp:cfg")...)
	m := newFakeManager(t, "cfg", v4, nil)
	if err := m.Ensure("INPUT", mc4); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{ssh, ours}, v4.rules("INPUT")); diff != "" {
		t.Errorf("chain (-want +got):\n%s", diff)
	}
}

func TestEnsureDedupesAndDropsStale(t *testing.T) {
	v4 := newFakeTable("INPUT")
	for range 3 {
		v4.append("INPUT", mc4.spec("failoverkit-vrrp:cfg")...)
	}
	v4.append("INPUT", peerB.spec("failoverkit-vrrp:cfg")...) // peer left the list
	v4.append("INPUT", strings.Fields(imageRule)...)
	v4.append("INPUT", mc4.spec("failoverkit-vrrp:other")...)
	// Our marker on a rule we did not write this way: altered, so stale.
	v4.append("INPUT", "-i", "eth0", "-d", "224.0.0.18/32", "-p", "112", "-m", "comment", "--comment", "failoverkit-vrrp:cfg", "-j", "ACCEPT")
	m := newFakeManager(t, "cfg", v4, nil)
	if err := m.Ensure("INPUT", mc4, peerA); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{oursPeerA, ours, imageRule, otherCfg}, v4.rules("INPUT")); diff != "" {
		t.Errorf("chain (-want +got):\n%s", diff)
	}
}

func TestEnsureMissingChain(t *testing.T) {
	v4 := newFakeTable("INPUT")
	m := newFakeManager(t, "cfg", v4, nil)
	err := m.Ensure("FAILOVER", mc4)
	if !errors.Is(err, ErrChainNotFound) || !strings.Contains(err.Error(), `"FAILOVER"`) {
		t.Errorf("Ensure(FAILOVER) = %v, want ErrChainNotFound naming the chain", err)
	}
	if _, ok := v4.chains["FAILOVER"]; ok || v4.inserts != 0 {
		t.Error("chain created or rule inserted")
	}
	// A family that is not installed is an error only if rules need it.
	if err := m.Ensure("INPUT", mc6); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("Ensure(IPv6 rule) without ip6tables = %v, want ErrNotInstalled", err)
	}
	if err := m.Ensure("INPUT", mc4); err != nil {
		t.Errorf("Ensure(IPv4 rule) without ip6tables = %v", err)
	}
	if err := m.Ensure("INPUT", Rule{Family: IPv6, Peer: netip.MustParseAddr("192.0.2.1")}); err == nil {
		t.Error("invalid rule accepted")
	}
}

func TestEnsureConcurrent(t *testing.T) {
	v4 := newFakeTable("INPUT")
	v4.slow = 2 * time.Millisecond
	// Two Managers, as two components of one process might have.
	m1 := newFakeManager(t, "cfg", v4, nil)
	m2 := newFakeManager(t, "cfg", v4, nil)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		m := m1
		if i%2 == 1 {
			m = m2
		}
		wg.Go(func() { errs <- m.Ensure("INPUT", mc4, peerA) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff([]string{ours, oursPeerA}, v4.rules("INPUT")); diff != "" {
		t.Errorf("chain after concurrent Ensure (-want +got):\n%s", diff)
	}
}

func TestRemove(t *testing.T) {
	v4, v6 := newFakeTable("INPUT"), newFakeTable("INPUT")
	m := newFakeManager(t, "cfg", v4, v6)
	v4.append("INPUT", strings.Fields(imageRule)...)
	v4.append("INPUT", mc4.spec("failoverkit-vrrp:other")...)
	if err := m.Ensure("INPUT", mc4, peerA, mc6, peer6); err != nil {
		t.Fatal(err)
	}
	v4.append("INPUT", mc4.spec("failoverkit-vrrp:cfg")...) // a duplicate from a racing process
	for range 2 {
		if err := m.Remove("INPUT"); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff([]string{imageRule, otherCfg}, v4.rules("INPUT")); diff != "" {
		t.Errorf("IPv4 chain after Remove (-want +got):\n%s", diff)
	}
	if got := v6.rules("INPUT"); len(got) != 0 {
		t.Errorf("IPv6 chain after Remove: %v", got)
	}
	if err := m.Remove("NOPE"); err != nil {
		t.Errorf("Remove on a missing chain = %v, want nil", err)
	}
	if err := newFakeManager(t, "cfg", v4, nil).Remove("INPUT"); err != nil {
		t.Errorf("Remove without ip6tables = %v, want nil", err)
	}
}

func TestParseBackend(t *testing.T) {
	for in, want := range map[string]Backend{"": BackendAuto, "auto": BackendAuto, "NFT": BackendNFT, " legacy ": BackendLegacy} {
		if got, err := ParseBackend(in); err != nil || got != want {
			t.Errorf("ParseBackend(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseBackend("iptables"); err == nil {
		t.Error(`ParseBackend("iptables") accepted`)
	}
}

func TestChoose(t *testing.T) {
	on := func(hint bool, rules int) observation { return observation{available: true, hint: hint, rules: rules} }
	off := observation{}
	for _, tc := range []struct {
		name        string
		nft, legacy observation
		want        Backend
	}{
		{"nothing installed", off, off, BackendDefault},
		{"only nft", on(false, 0), off, BackendNFT},
		{"only legacy", off, on(false, 0), BackendLegacy},
		{"kubelet hint in nft", on(true, 3), on(false, 900), BackendNFT},
		{"kubelet hint in legacy", on(false, 900), on(true, 3), BackendLegacy},
		{"hint in both: nft", on(true, 1), on(true, 1), BackendNFT},
		{"more legacy rules", on(false, 10), on(false, 11), BackendLegacy},
		{"more nft rules", on(false, 11), on(false, 10), BackendNFT},
		{"empty host: nft", on(false, 0), on(false, 0), BackendNFT},
	} {
		if got := choose(tc.nft, tc.legacy); got != tc.want {
			t.Errorf("%s: choose = %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestDetectProbes(t *testing.T) {
	saves := map[string]string{
		"iptables-nft-save":    "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n",
		"iptables-legacy-save": "*mangle\n:KUBE-IPTABLES-HINT - [0:0]\nCOMMIT\n",
	}
	for _, tc := range []struct {
		name       string
		tables     string // content of ip_tables_names
		want       Backend
		wantLegacy bool // whether iptables-legacy-save must run
	}{
		{"no legacy tables: legacy-save not run", "", BackendNFT, false},
		{"legacy tables with the kubelet hint", "mangle\nfilter\n", BackendLegacy, true},
	} {
		var ran []string
		p := prober{
			lookPath: func(s string) (string, error) { return "/usr/sbin/" + s, nil },
			output: func(name string, args ...string) (string, error) {
				ran = append(ran, name)
				return saves[name], nil
			},
			readFile: func(string) ([]byte, error) { return []byte(tc.tables), nil },
		}
		got, err := p.detect()
		if err != nil || got != tc.want {
			t.Errorf("%s: detect = %s, %v; want %s", tc.name, got, err, tc.want)
		}
		if slices.Contains(ran, "iptables-legacy-save") != tc.wantLegacy {
			t.Errorf("%s: ran %v", tc.name, ran)
		}
	}
}
