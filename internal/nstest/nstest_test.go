//go:build linux

package nstest_test

import (
	"errors"
	"net"
	"net/netip"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/internal/nstest"
	"github.com/vishvananda/netns"
)

func twoHosts(t *testing.T) *nstest.Lab {
	t.Helper()
	return nstest.NewLab(t,
		nstest.HostConfig{Name: "a", Addrs: []string{"192.0.2.11/24", "2001:db8::11/64"}},
		nstest.HostConfig{Name: "b", Addrs: []string{"192.0.2.12/24", "2001:db8::12/64"}},
	)
}

// TestLabLifecycle builds a lab in a subtest, checks that hosts reach each
// other over IPv4, IPv6 global and IPv6 link-local, and that after the
// subtest nothing it created is left: no namespace, no process.
func TestLabLifecycle(t *testing.T) {
	nstest.RequirePrivileged(t)
	var names []string
	var pid int
	t.Run("build", func(t *testing.T) {
		lab := twoHosts(t)
		a, b := lab.Host("a"), lab.Host("b")
		names = lab.Namespaces()
		if len(names) != 3 {
			t.Fatalf("Namespaces() = %v, want switch + 2 hosts", names)
		}
		list, err := hostCmd("ip", "netns", "list")
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			if !strings.Contains(list, n) {
				t.Errorf("namespace %s not in `ip netns list` while the lab is up:\n%s", n, list)
			}
		}
		bLL := b.WaitLinkLocal(time.Second).WithZone(nstest.HostIfname)
		for _, dst := range []netip.Addr{b.Addr(4), b.Addr(6), bLL} {
			if err := a.Ping(dst, 3*time.Second); err != nil {
				t.Errorf("a -> %s: %v", dst, err)
			}
		}
		if err := b.Ping(a.Addr(4), 3*time.Second); err != nil {
			t.Errorf("b -> a: %v", err)
		}
		if len(a.MAC) != 6 || a.MAC.String() == b.MAC.String() {
			t.Errorf("MACs a=%s b=%s: want two distinct Ethernet addresses", a.MAC, b.MAC)
		}
		p := a.Start("sleep", "60")
		pid = p.PID()
		if err := syscall.Kill(pid, 0); err != nil {
			t.Fatalf("background process %d not running: %v", pid, err)
		}
		_ = a.Handle() // opened here, must be closed by the harness
	})
	if len(names) == 0 {
		t.Fatal("subtest did not build the lab")
	}
	list, err := hostCmd("ip", "netns", "list")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if strings.Contains(list, n) {
			t.Errorf("namespace %s still present after cleanup:\n%s", n, list)
		}
	}
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("background process %d still exists after cleanup (kill 0: %v)", pid, err)
	}
}

// TestDo checks that Do runs in the namespace, leaves the caller's thread
// where it was, and that a socket created inside keeps working outside.
func TestDo(t *testing.T) {
	nstest.RequirePrivileged(t)
	lab := twoHosts(t)
	a, b := lab.Host("a"), lab.Host("b")

	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	before, err := netns.Get()
	if err != nil {
		t.Fatal(err)
	}
	defer before.Close()

	var ifnames []string
	var conn net.PacketConn
	err = a.Do(func() error {
		ifs, err := net.Interfaces()
		if err != nil {
			return err
		}
		for _, ifi := range ifs {
			ifnames = append(ifnames, ifi.Name)
		}
		conn, err = net.ListenPacket("udp4", "192.0.2.11:0")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	slices.Sort(ifnames)
	if !slices.Equal(ifnames, []string{"eth0", "lo"}) {
		t.Errorf("interfaces seen inside Do = %v, want [eth0 lo]", ifnames)
	}

	after, err := netns.Get()
	if err != nil {
		t.Fatal(err)
	}
	defer after.Close()
	if !after.Equal(before) || after.Equal(a.NsHandle()) {
		t.Errorf("caller's thread changed namespace: before %s after %s", before, after)
	}

	// The socket stays in a's namespace: it can reach b.
	var peer net.PacketConn
	if err := b.Do(func() error {
		var err error
		peer, err = net.ListenPacket("udp4", "192.0.2.12:0")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	if _, err := conn.WriteTo([]byte("hi"), peer.LocalAddr()); err != nil {
		t.Fatalf("write from a's socket outside Do: %v", err)
	}
	_ = peer.SetReadDeadline(time.Now().Add(3 * time.Second))
	buf := make([]byte, 16)
	n, from, err := peer.ReadFrom(buf)
	if err != nil || string(buf[:n]) != "hi" {
		t.Fatalf("b read %q from %v: %v", buf[:n], from, err)
	}
	if got := from.(*net.UDPAddr).IP.String(); got != "192.0.2.11" {
		t.Errorf("datagram came from %s, want 192.0.2.11", got)
	}

	if err := a.Do(func() error { panic("boom") }); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("Do with a panicking function returned %v, want an error naming the panic", err)
	}
}

// TestCutRestore checks the partition helpers.
func TestCutRestore(t *testing.T) {
	nstest.RequirePrivileged(t)
	lab := twoHosts(t)
	a, b := lab.Host("a"), lab.Host("b")
	if err := a.Ping(b.Addr(4), 3*time.Second); err != nil {
		t.Fatalf("before Cut: %v", err)
	}
	b.Cut()
	if err := a.Ping(b.Addr(4), 400*time.Millisecond); err == nil {
		t.Fatal("a reached b while b was cut off")
	}
	if out := b.MustRun("ip", "-o", "link", "show", "eth0"); !strings.Contains(out, "LOWER_UP") {
		t.Errorf("Cut took eth0's carrier away: %s", out)
	}
	b.Restore()
	if err := a.Ping(b.Addr(4), 3*time.Second); err != nil {
		t.Fatalf("after Restore: %v", err)
	}
	b.SetCarrier(false)
	nstest.WaitFor(t, 2*time.Second, "b's carrier loss", func() error {
		if out := b.MustRun("ip", "-o", "link", "show", "eth0"); strings.Contains(out, "LOWER_UP") {
			return errors.New(out)
		}
		return nil
	})
	b.SetCarrier(true)
}

func TestIsTestNet(t *testing.T) {
	for _, tc := range []struct {
		addr string
		want bool
	}{
		{"192.0.2.200", true},
		{"198.51.100.1", true},
		{"2001:db8::200", true},
		{"::ffff:192.0.2.1", true},
		{"203.0.113.1", false},
		{"10.0.0.1", false},
		{"2001:db9::1", false},
		{"fe80::1", false},
	} {
		if got := nstest.IsTestNet(netip.MustParseAddr(tc.addr)); got != tc.want {
			t.Errorf("IsTestNet(%s) = %v, want %v", tc.addr, got, tc.want)
		}
	}
}

// hostCmd runs a read-only command in the test binary's namespace.
func hostCmd(args ...string) (string, error) {
	out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
	return string(out), err
}
