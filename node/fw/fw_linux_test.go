//go:build linux

package fw_test

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/failoverkit/ipfailover/internal/nstest"
	"github.com/failoverkit/ipfailover/node/fw"
)

var (
	mc4   = fw.MulticastRule(fw.IPv4)
	mc6   = fw.MulticastRule(fw.IPv6)
	peer4 = fw.UnicastRule(netip.MustParseAddr("192.0.2.12"))
	peer6 = fw.UnicastRule(netip.MustParseAddr("2001:db8::12"))
	gone4 = fw.UnicastRule(netip.MustParseAddr("192.0.2.13"))
)

// binaries returns the iptables and ip6tables binaries of a backend.
func binaries(backend fw.Backend) (string, string) {
	return "iptables-" + string(backend), "ip6tables-" + string(backend)
}

// wrappers writes scripts that run a backend's binaries inside ns through
// `ip netns exec`, so a Manager can be used from any goroutine without
// ever acting on the test binary's own namespace. If ns is gone, `ip
// netns exec` fails; it never falls back.
func wrappers(t *testing.T, ns *nstest.NS, backend fw.Backend) *fw.Commands {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for _, b := range []string{"iptables-" + string(backend), "ip6tables-" + string(backend)} {
		real, err := exec.LookPath(b)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, b)
		script := fmt.Sprintf("#!/bin/sh\nexec ip netns exec %s %s \"$@\"\n", ns.Name, real)
		if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return &fw.Commands{IPv4: paths[0], IPv6: paths[1]}
}

// ruleLines returns the lines of `<bin> -S chain` in ns that carry marker.
func ruleLines(t *testing.T, ns *nstest.NS, bin, chain, marker string) []string {
	t.Helper()
	var out []string
	for _, l := range strings.Split(ns.MustRun(bin, "-w", "-S", chain), "\n") {
		if strings.Contains(l, marker) {
			out = append(out, l)
		}
	}
	return out
}

// assertRootClean checks, read-only, that no rule with marker exists in the
// test binary's own namespace, in any backend or family. Legacy tables are
// read only if the kernel already has some there (reading never creates
// them then).
func assertRootClean(t *testing.T, marker string) {
	t.Helper()
	saves := []string{"iptables-nft-save", "ip6tables-nft-save"}
	for file, save := range map[string]string{
		"/proc/self/net/ip_tables_names":  "iptables-legacy-save",
		"/proc/self/net/ip6_tables_names": "ip6tables-legacy-save",
	} {
		if b, err := os.ReadFile(file); err == nil && strings.TrimSpace(string(b)) != "" {
			saves = append(saves, save)
		}
	}
	for _, s := range saves {
		out, err := exec.Command(s).CombinedOutput()
		if err != nil {
			t.Fatalf("%s in the root namespace: %v: %s", s, err, out)
		}
		if strings.Contains(string(out), marker) {
			t.Errorf("rule with marker %s found in the root namespace (%s):\n%s", marker, s, out)
		}
	}
}

func TestEnsureRemoveBackends(t *testing.T) {
	nstest.RequirePrivileged(t)
	for _, backend := range []fw.Backend{fw.BackendNFT, fw.BackendLegacy} {
		t.Run(string(backend), func(t *testing.T) {
			bin4, bin6 := binaries(backend)
			nstest.RequireCommands(t, bin4, bin6)
			ns := nstest.NewNS(t, "fw")
			name := fmt.Sprintf("fwtest-%d-%s", os.Getpid(), backend)
			m, err := fw.New(fw.Config{Name: name, Backend: backend, Commands: wrappers(t, ns, backend)})
			if err != nil {
				t.Fatal(err)
			}
			marker := m.Marker()
			// Foreign rules that must survive everything below.
			ns.MustRun(bin4, "-w", "-A", "INPUT", "-d", "224.0.0.18/32", "-j", "ACCEPT")
			ns.MustRun(bin4, "-w", "-A", "INPUT", "-d", "224.0.0.18/32", "-p", "112", "-m", "comment", "--comment", "failoverkit-vrrp:other", "-j", "ACCEPT")
			ns.MustRun(bin4, "-w", "-N", "FAILOVER")

			// A stale peer from an earlier configuration.
			if err := m.Ensure("INPUT", gone4); err != nil {
				t.Fatal(err)
			}
			// Repeated, then concurrent.
			for range 3 {
				if err := m.Ensure("INPUT", mc4, peer4, mc6, peer6); err != nil {
					t.Fatal(err)
				}
			}
			var wg sync.WaitGroup
			errs := make(chan error, 6)
			for range 6 {
				wg.Go(func() { errs <- m.Ensure("INPUT", mc4, peer4, mc6, peer6) })
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}

			got4 := ruleLines(t, ns, bin4, "INPUT", marker)
			got6 := ruleLines(t, ns, bin6, "INPUT", marker)
			want4 := []string{
				"-A INPUT -d 224.0.0.18/32 -p vrrp -m comment --comment \"" + marker + "\" -j ACCEPT",
				"-A INPUT -s 192.0.2.12/32 -p vrrp -m comment --comment \"" + marker + "\" -j ACCEPT",
			}
			want6 := []string{
				"-A INPUT -d ff02::12/128 -p vrrp -m comment --comment \"" + marker + "\" -j ACCEPT",
				"-A INPUT -s 2001:db8::12/128 -p vrrp -m comment --comment \"" + marker + "\" -j ACCEPT",
			}
			if strings.Join(got4, "\n") != strings.Join(want4, "\n") {
				t.Errorf("%s -S INPUT, our rules:\n%s\nwant each once, at the top, in order:\n%s", bin4, strings.Join(got4, "\n"), strings.Join(want4, "\n"))
			}
			if strings.Join(got6, "\n") != strings.Join(want6, "\n") {
				t.Errorf("%s -S INPUT, our rules:\n%s\nwant:\n%s", bin6, strings.Join(got6, "\n"), strings.Join(want6, "\n"))
			}
			all4 := ns.MustRun(bin4, "-w", "-S", "INPUT")
			if lines := strings.Split(strings.TrimSpace(all4), "\n"); len(lines) < 3 || !strings.Contains(lines[1], marker) || !strings.Contains(lines[2], marker) {
				t.Errorf("our rules are not the first of INPUT:\n%s", all4)
			}
			assertRootClean(t, marker)

			// A user chain works; a missing chain is an error naming it and
			// is not created.
			if err := m.Ensure("FAILOVER", mc4); err != nil {
				t.Fatal(err)
			}
			if n := len(ruleLines(t, ns, bin4, "FAILOVER", marker)); n != 1 {
				t.Errorf("FAILOVER holds %d of our rules, want 1", n)
			}
			err = m.Ensure("NOPE", mc4)
			if !errors.Is(err, fw.ErrChainNotFound) || !strings.Contains(err.Error(), `"NOPE"`) {
				t.Errorf("Ensure(NOPE) = %v, want ErrChainNotFound naming NOPE", err)
			}
			if out := ns.MustRun(bin4, "-w", "-S"); strings.Contains(out, "NOPE") {
				t.Errorf("chain NOPE was created:\n%s", out)
			}

			for range 2 {
				for _, c := range []string{"INPUT", "FAILOVER"} {
					if err := m.Remove(c); err != nil {
						t.Fatal(err)
					}
				}
			}
			if got := append(ruleLines(t, ns, bin4, "INPUT", marker), ruleLines(t, ns, bin6, "INPUT", marker)...); len(got) != 0 {
				t.Errorf("rules left after Remove:\n%s", strings.Join(got, "\n"))
			}
			if got := ruleLines(t, ns, bin4, "FAILOVER", marker); len(got) != 0 {
				t.Errorf("rules left in FAILOVER after Remove: %v", got)
			}
			rest := ns.MustRun(bin4, "-w", "-S", "INPUT")
			if !strings.Contains(rest, "-A INPUT -d 224.0.0.18/32 -j ACCEPT") || !strings.Contains(rest, "failoverkit-vrrp:other") {
				t.Errorf("Remove deleted foreign rules:\n%s", rest)
			}
			assertRootClean(t, marker)
		})
	}
}

// TestDetect runs detection inside a fresh namespace on a thread locked
// there (iptables children inherit the thread's namespace).
func TestDetect(t *testing.T) {
	nstest.RequirePrivileged(t)
	nstest.RequireCommands(t, "iptables-nft", "iptables-legacy", "iptables-nft-save", "iptables-legacy-save")
	detect := func(ns *nstest.NS) fw.Backend {
		t.Helper()
		var b fw.Backend
		var backendOfNew fw.Backend
		if err := ns.Do(func() error {
			var err error
			if b, err = fw.Detect(); err != nil {
				return err
			}
			m, err := fw.New(fw.Config{Name: "detect"})
			if err != nil {
				return err
			}
			backendOfNew = m.Backend()
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if backendOfNew != b {
			t.Errorf("New(auto) chose %s, Detect %s", backendOfNew, b)
		}
		return b
	}

	ns := nstest.NewNS(t, "det")
	if got := detect(ns); got != fw.BackendNFT {
		t.Errorf("empty namespace: %s, want nft", got)
	}
	if out := ns.MustRun("cat", "/proc/net/ip_tables_names"); strings.TrimSpace(out) != "" {
		t.Errorf("detection instantiated legacy tables: %q", out)
	}
	ns.MustRun("iptables-legacy", "-w", "-t", "mangle", "-N", "KUBE-IPTABLES-HINT")
	if got := detect(ns); got != fw.BackendLegacy {
		t.Errorf("kubelet hint in legacy: %s, want legacy", got)
	}
	ns.MustRun("iptables-nft", "-w", "-t", "mangle", "-N", "KUBE-KUBELET-CANARY")
	if got := detect(ns); got != fw.BackendNFT {
		t.Errorf("kubelet hint in both: %s, want nft", got)
	}

	ns2 := nstest.NewNS(t, "det2")
	ns2.MustRun("iptables-nft", "-w", "-A", "INPUT", "-s", "192.0.2.1", "-j", "ACCEPT")
	ns2.MustRun("iptables-legacy", "-w", "-A", "INPUT", "-s", "192.0.2.1", "-j", "ACCEPT")
	ns2.MustRun("iptables-legacy", "-w", "-A", "INPUT", "-s", "192.0.2.2", "-j", "ACCEPT")
	if got := detect(ns2); got != fw.BackendLegacy {
		t.Errorf("more legacy rules: %s, want legacy", got)
	}
}
