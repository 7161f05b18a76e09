package announce_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/failoverkit/ipfailover/node/announce"
	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/ndp"
)

// sent is one announcement recorded by fakeSender, with the (fake) time
// since the test started.
type sent struct {
	At   time.Duration
	What string // "arp-request 192.0.2.200", "arp-reply ...", "na 2001:db8::200 R=false"
}

// fakeSender records what it is asked to send. naFailures makes the first
// n NAs fail with ErrNoLinkLocal.
type fakeSender struct {
	mu         sync.Mutex
	start      time.Time
	log        []sent
	naFailures int
	arpErr     error
}

var fakeMAC = net.HardwareAddr{0x02, 0, 0, 0, 0, 0x0a}

func newFake() *fakeSender { return &fakeSender{start: time.Now()} }

func (f *fakeSender) HardwareAddr() net.HardwareAddr { return fakeMAC }

func (f *fakeSender) SendARP(p announce.ARP) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if p.SenderHW.String() != fakeMAC.String() || p.SenderIP != p.TargetIP {
		return fmt.Errorf("not a gratuitous ARP for our MAC: %+v", p)
	}
	if f.arpErr != nil {
		return f.arpErr
	}
	f.log = append(f.log, sent{time.Since(f.start), fmt.Sprintf("arp-%s %s", p.Op, p.SenderIP)})
	return nil
}

func (f *fakeSender) SendNA(na *ndp.NeighborAdvertisement) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.naFailures > 0 {
		f.naFailures--
		return fmt.Errorf("fake: %w", announce.ErrNoLinkLocal)
	}
	f.log = append(f.log, sent{time.Since(f.start), fmt.Sprintf("na %s R=%v", na.TargetAddress, na.Router)})
	return nil
}

func (f *fakeSender) sent() []sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sent(nil), f.log...)
}

var (
	v4 = netip.MustParseAddr("192.0.2.200")
	v6 = netip.MustParseAddr("2001:db8::200")
)

func round(at time.Duration, router bool) []sent {
	return []sent{
		{at, "arp-request 192.0.2.200"},
		{at, "arp-reply 192.0.2.200"},
		{at, fmt.Sprintf("na 2001:db8::200 R=%v", router)},
	}
}

func TestAnnounceSchedule(t *testing.T) {
	for _, tc := range []struct {
		name     string
		cfg      announce.Config
		rounds   int
		interval time.Duration
	}{
		{"defaults: 5 rounds 1s apart", announce.Config{}, 5, time.Second},
		{"3 rounds 100ms apart, router", announce.Config{Rounds: 3, Interval: 100 * time.Millisecond, Router: true}, 3, 100 * time.Millisecond},
		{"single round", announce.Config{Rounds: 1}, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newFake()
				err := announce.New(f, tc.cfg).Announce(t.Context(), []netip.Addr{v4, v6})
				if err != nil {
					t.Fatal(err)
				}
				var want []sent
				for i := range tc.rounds {
					want = append(want, round(time.Duration(i)*tc.interval, tc.cfg.Router)...)
				}
				if diff := cmp.Diff(want, f.sent()); diff != "" {
					t.Errorf("sent (-want +got):\n%s", diff)
				}
				if got, want := time.Since(f.start), time.Duration(tc.rounds-1)*tc.interval; got != want {
					t.Errorf("Announce returned after %s, want %s (no wait after the last round)", got, want)
				}
			})
		})
	}
}

// TestStopCutsBurstShort: a burst stopped between rounds sends nothing
// afterwards, and Stop returns only once the goroutine is gone.
func TestStopCutsBurstShort(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake()
		b := announce.New(f, announce.Config{}).Start(t.Context(), []netip.Addr{v4, v6})
		time.Sleep(1500 * time.Millisecond) // rounds at 0s and 1s have gone out
		if err := b.Stop(); !errors.Is(err, context.Canceled) {
			t.Errorf("Stop() = %v, want context.Canceled", err)
		}
		select {
		case <-b.Done():
		default:
			t.Fatal("Done not closed after Stop")
		}
		time.Sleep(time.Minute) // fake time: would cover every remaining round
		want := append(round(0, false), round(time.Second, false)...)
		if diff := cmp.Diff(want, f.sent()); diff != "" {
			t.Errorf("sent (-want +got):\n%s", diff)
		}
		if err := b.Stop(); !errors.Is(err, context.Canceled) {
			t.Errorf("second Stop() = %v", err)
		}
	})
}

// TestParentCancel: cancelling the caller's context stops Announce at once.
func TestParentCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake()
		ctx, cancel := context.WithCancel(t.Context())
		b := announce.New(f, announce.Config{Rounds: 10, Interval: time.Second}).Start(ctx, []netip.Addr{v4})
		time.Sleep(2500 * time.Millisecond)
		cancel()
		synctest.Wait()
		select {
		case <-b.Done():
		default:
			t.Fatal("burst still running after its parent context was cancelled")
		}
		if n := len(f.sent()); n != 6 { // 3 rounds x 2 ARP forms
			t.Errorf("%d packets sent, want 6", n)
		}
		if !errors.Is(b.Err(), context.Canceled) {
			t.Errorf("Err() = %v", b.Err())
		}
	})
}

func TestAnnounceErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// NA fails twice (link-local still tentative), then works: the
		// burst as a whole succeeded.
		f := newFake()
		f.naFailures = 2
		if err := announce.New(f, announce.Config{Rounds: 3}).Announce(t.Context(), []netip.Addr{v6}); err != nil {
			t.Errorf("NA that succeeded in round 3: Announce = %v, want nil", err)
		}
		if got := len(f.sent()); got != 1 {
			t.Errorf("%d NAs went out, want 1", got)
		}

		// NA never works, ARP does: the error names the IPv6 VIP only and
		// wraps ErrNoLinkLocal; IPv4 was announced every round regardless.
		f = newFake()
		f.naFailures = 100
		err := announce.New(f, announce.Config{Rounds: 3}).Announce(t.Context(), []netip.Addr{v6, v4})
		if !errors.Is(err, announce.ErrNoLinkLocal) {
			t.Errorf("Announce = %v, want ErrNoLinkLocal", err)
		}
		if err != nil && (!strings.Contains(err.Error(), "2001:db8::200") || strings.Contains(err.Error(), "192.0.2.200")) {
			t.Errorf("error %q should name 2001:db8::200 only", err)
		}
		if got := len(f.sent()); got != 6 {
			t.Errorf("%d ARPs went out, want 6", got)
		}

		f = newFake()
		f.arpErr = errors.New("network down")
		if err := announce.New(f, announce.Config{Rounds: 2}).Announce(t.Context(), []netip.Addr{v4}); err == nil || !strings.Contains(err.Error(), "network down") {
			t.Errorf("Announce with failing ARP = %v", err)
		}
	})
}
