//go:build linux

package netif_test

import (
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/node/netif"
)

// TestWatchLinkFollowsCarrierAndAdminState watches a host's eth0: the first
// event is the current state (usable), then carrier loss, carrier return,
// `ip link set down` and `up` each report the new state, and LinkByName
// agrees. cancel closes the channel.
func TestWatchLinkFollowsCarrierAndAdminState(t *testing.T) {
	l, m, link := lab(t)
	a := l.Host("a")
	if !link.Running || !link.Usable() {
		t.Fatalf("LinkByName(eth0) = %+v: want up and running", link)
	}
	events, cancel, err := m.WatchLink(link)
	if err != nil {
		t.Fatal(err)
	}
	// next waits for an event with the wanted state, skipping repeats.
	next := func(what string, want bool) {
		t.Helper()
		deadline := time.After(3 * time.Second)
		for {
			select {
			case ev, ok := <-events:
				if !ok {
					t.Fatalf("%s: subscription closed", what)
				}
				if ev.Err != nil {
					t.Fatalf("%s: %v", what, ev.Err)
				}
				if ev.Usable == want {
					return
				}
			case <-deadline:
				t.Fatalf("%s: no event with Usable=%v within 3s", what, want)
			}
		}
	}
	next("current state", true)
	for _, step := range []struct {
		what   string
		change func()
		want   bool
	}{
		{"carrier lost", func() { a.SetCarrier(false) }, false},
		{"carrier back", func() { a.SetCarrier(true) }, true},
		{"set down", func() { a.MustRun("ip", "link", "set", "eth0", "down") }, false},
		{"set up", func() { a.MustRun("ip", "link", "set", "eth0", "up") }, true},
	} {
		step.change()
		next(step.what, step.want)
		if got, err := m.LinkByName("eth0"); err != nil || got.Usable() != step.want {
			t.Errorf("%s: LinkByName = %+v, %v; want Usable %v", step.what, got, err, step.want)
		}
	}
	cancel()
	cancel()
	timeout := time.After(time.Second)
	for {
		select {
		case _, ok := <-events:
			if !ok {
				return
			}
		case <-timeout:
			t.Fatal("event channel not closed after cancel")
		}
	}
}

// TestLinkUsable pins the rule: up and running.
func TestLinkUsable(t *testing.T) {
	for _, tc := range []struct {
		up, running, want bool
	}{{true, true, true}, {true, false, false}, {false, true, false}, {false, false, false}} {
		if got := (netif.Link{Up: tc.up, Running: tc.running}).Usable(); got != tc.want {
			t.Errorf("Link{Up: %v, Running: %v}.Usable() = %v, want %v", tc.up, tc.running, got, tc.want)
		}
	}
}

// TestWatchLinkFollowsTheNameAcrossRecreation deletes eth0 and creates an
// interface of the same name again: the watch reports it gone, then the
// new one, with its new index.
func TestWatchLinkFollowsTheNameAcrossRecreation(t *testing.T) {
	l, m, link := lab(t)
	a := l.Host("a")
	events, cancel, err := m.WatchLink(link)
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()
	wait := func(what string, ok func(netif.LinkEvent) bool) netif.LinkEvent {
		t.Helper()
		deadline := time.After(3 * time.Second)
		for {
			select {
			case ev := <-events:
				if ev.Err != nil {
					t.Fatalf("%s: %v", what, ev.Err)
				}
				if ok(ev) {
					return ev
				}
			case <-deadline:
				t.Fatalf("%s: no such event within 3s", what)
			}
		}
	}
	wait("current state", func(ev netif.LinkEvent) bool { return ev.Usable && ev.Index == link.Index })
	a.MustRun("ip", "link", "del", "eth0")
	wait("eth0 gone", func(ev netif.LinkEvent) bool { return ev.Gone && !ev.Usable })
	a.MustRun("ip", "link", "add", "eth0", "type", "veth", "peer", "name", "eth0p")
	a.MustRun("ip", "link", "set", "eth0p", "up")
	a.MustRun("ip", "link", "set", "eth0", "up")
	ev := wait("eth0 back", func(ev netif.LinkEvent) bool { return ev.Usable })
	if ev.Index == link.Index || ev.Index == 0 {
		t.Errorf("re-created eth0 has index %d, the old one had %d", ev.Index, link.Index)
	}
}
