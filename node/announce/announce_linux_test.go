//go:build linux

package announce_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/internal/nstest"
	"github.com/failoverkit/ipfailover/node/announce"
	"github.com/mdlayher/packet"
	"golang.org/x/sys/unix"
)

func announceLab(t *testing.T) *nstest.Lab {
	t.Helper()
	nstest.RequirePrivileged(t)
	return nstest.NewLab(t,
		nstest.HostConfig{Name: "a", Addrs: []string{"192.0.2.11/24", "2001:db8::11/64"}},
		nstest.HostConfig{Name: "b", Addrs: []string{"192.0.2.12/24", "2001:db8::12/64"}},
		nstest.HostConfig{Name: "client", Addrs: []string{"192.0.2.100/24", "2001:db8::100/64"}},
	)
}

// capture collects the ARP frames arriving on the client's eth0.
type capture struct {
	mu     sync.Mutex
	frames [][]byte
	done   chan struct{}
}

func startCapture(t *testing.T, h *nstest.Host) *capture {
	t.Helper()
	var c *packet.Conn
	if err := h.Do(func() error {
		ifi, err := net.InterfaceByName(nstest.HostIfname)
		if err != nil {
			return err
		}
		c, err = packet.Listen(ifi, packet.Raw, unix.ETH_P_ARP, nil)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	cp := &capture{done: make(chan struct{})}
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	go func() {
		defer close(cp.done)
		buf := make([]byte, 2048)
		for {
			n, _, err := c.ReadFrom(buf)
			if err != nil {
				return
			}
			cp.mu.Lock()
			cp.frames = append(cp.frames, append([]byte(nil), buf[:n]...))
			cp.mu.Unlock()
		}
	}()
	t.Cleanup(func() { _ = c.Close(); <-cp.done })
	return cp
}

func (c *capture) has(frame []byte) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, f := range c.frames {
		if len(f) >= len(frame) && bytes.Equal(f[:len(frame)], frame) {
			return true
		}
	}
	return false
}

// TestAnnounceMovesClientCache: the client's neighbour cache points the VIPs
// at b; a announces them; the cache then points at a, for IPv4 and IPv6.
func TestAnnounceMovesClientCache(t *testing.T) {
	lab := announceLab(t)
	a, b, client := lab.Host("a"), lab.Host("b"), lab.Host("client")
	a.MustRun("ip", "addr", "add", "192.0.2.200/32", "dev", "eth0")
	a.MustRun("ip", "addr", "add", "2001:db8::200/128", "dev", "eth0", "nodad")
	for _, v := range []string{"192.0.2.200", "2001:db8::200"} {
		client.MustRun("ip", "neigh", "replace", v, "lladdr", b.MAC.String(), "dev", "eth0", "nud", "stale")
		if out := client.MustRun("ip", "neigh", "show", v, "dev", "eth0"); !strings.Contains(out, b.MAC.String()) {
			t.Fatalf("precondition: client entry for %s = %q, want b's MAC %s", v, out, b.MAC)
		}
	}
	capt := startCapture(t, client)

	s, err := announce.NewLinkSender("eth0", announce.InNamespace(a.NsHandle()))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := s.HardwareAddr().String(); got != a.MAC.String() {
		t.Fatalf("sender MAC %s, want a's %s", got, a.MAC)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	vips := []netip.Addr{netip.MustParseAddr("192.0.2.200"), netip.MustParseAddr("2001:db8::200")}
	if err := announce.New(s, announce.Config{Rounds: 2, Interval: 50 * time.Millisecond}).Announce(ctx, vips); err != nil {
		t.Fatal(err)
	}

	for _, v := range []string{"192.0.2.200", "2001:db8::200"} {
		nstest.WaitFor(t, 3*time.Second, "client's entry for "+v+" to point at a", func() error {
			out := client.MustRun("ip", "neigh", "show", v, "dev", "eth0")
			if !strings.Contains(out, a.MAC.String()) {
				return fmt.Errorf("ip neigh show %s: %q", v, strings.TrimSpace(out))
			}
			return nil
		})
	}

	// The frames on the wire: kernel-built Ethernet header + our payload.
	eth := append(append(append([]byte{}, bcast...), a.MAC...), 0x08, 0x06)
	for _, p := range []announce.ARP{
		announce.GratuitousRequest(a.MAC, vips[0]),
		announce.GratuitousReply(a.MAC, vips[0]),
	} {
		payload, err := p.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		want := append(append([]byte{}, eth...), payload...)
		nstest.WaitFor(t, 2*time.Second, "the "+p.Op.String()+" frame at the client", func() error {
			if !capt.has(want) {
				return fmt.Errorf("no frame % x", want)
			}
			return nil
		})
	}
}

func TestLinkSenderRefusals(t *testing.T) {
	lab := announceLab(t)
	a := lab.Host("a")
	if _, err := announce.NewLinkSender("eth9", announce.InNamespace(a.NsHandle())); err == nil || !strings.Contains(err.Error(), `"eth9"`) {
		t.Errorf("NewLinkSender(eth9) = %v, want an error naming eth9", err)
	}
	if _, err := announce.NewLinkSender("lo", announce.InNamespace(a.NsHandle())); !errors.Is(err, announce.ErrNotEthernet) {
		t.Errorf("NewLinkSender(lo) = %v, want ErrNotEthernet", err)
	}
}

// TestNAWaitsForLinkLocal: with no usable link-local, NA fails with the
// retryable ErrNoLinkLocal (DAD pending, or IPv6 off) while ARP works; once
// the link-local is usable, the same sender sends.
func TestNAWaitsForLinkLocal(t *testing.T) {
	lab := announceLab(t)
	b := lab.Host("b")
	b.Sysctl("net.ipv6.conf.eth0.accept_dad", "1")
	b.Sysctl("net.ipv6.neigh.eth0.retrans_time_ms", "800")
	b.MustRun("ip", "link", "set", "eth0", "down")
	b.MustRun("ip", "link", "set", "eth0", "up")

	s, err := announce.NewLinkSender("eth0", announce.InNamespace(b.NsHandle()))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ann := announce.New(s, announce.Config{Rounds: 1})
	v6 := []netip.Addr{netip.MustParseAddr("2001:db8::200")}
	if err := ann.Announce(context.Background(), v6); !errors.Is(err, announce.ErrNoLinkLocal) {
		t.Errorf("NA during DAD: %v, want ErrNoLinkLocal", err)
	}
	if err := ann.Announce(context.Background(), []netip.Addr{netip.MustParseAddr("192.0.2.200")}); err != nil {
		t.Errorf("ARP during DAD: %v", err)
	}
	b.WaitLinkLocal(3 * time.Second)
	if err := ann.Announce(context.Background(), v6); err != nil {
		t.Errorf("NA after DAD: %v", err)
	}

	b.Sysctl("net.ipv6.conf.eth0.disable_ipv6", "1")
	if err := ann.Announce(context.Background(), v6); err == nil {
		t.Error("NA with IPv6 disabled: no error")
	}
	if err := ann.Announce(context.Background(), v6); !errors.Is(err, announce.ErrNoLinkLocal) {
		t.Errorf("NA with IPv6 disabled, after reopen: %v, want ErrNoLinkLocal", err)
	}
}
