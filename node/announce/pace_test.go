package announce_test

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/failoverkit/ipfailover/node/announce"
)

// vipRange returns n IPv4 VIPs from first on.
func vipRange(first string, n int) []netip.Addr {
	a := netip.MustParseAddr(first)
	out := make([]netip.Addr, n)
	for i := range out {
		out[i], a = a, a.Next()
	}
	return out
}

// TestPacingNeverExceedsRate: many bursts of many VIPs at once (a master
// taking over 254 groups of four VIPs, as keepalived would send them all
// at once): in every window of every length, the packets sent stay within
// Burst + Rate × window, and every announcement still goes out.
func TestPacingNeverExceedsRate(t *testing.T) {
	for _, tc := range []struct {
		name        string
		rate        float64
		burst       int
		groups, per int
	}{
		{"defaults, 254 groups of 4 VIPs", 0, 0, 254, 4},
		{"100/s burst 10, 20 groups of 3", 100, 10, 20, 3},
		{"odd burst 3 (one VIP costs 2)", 50, 3, 5, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rate, burst := tc.rate, tc.burst
				if rate == 0 {
					rate, burst = announce.DefaultRate, announce.DefaultBurst
				}
				f := newFake()
				a := announce.New(f, announce.Config{Rounds: 2, Interval: time.Second, Rate: tc.rate, Burst: tc.burst})
				var bursts []*announce.Burst
				for g := range tc.groups {
					first := netip.AddrFrom4([4]byte{10, byte(g >> 6), byte(g&63) * 4, 1}).String()
					bursts = append(bursts, a.Start(t.Context(), vipRange(first, tc.per)))
				}
				for _, b := range bursts {
					<-b.Done()
					if err := b.Err(); err != nil {
						t.Fatal(err)
					}
				}
				log := f.sent()
				if want := tc.groups * tc.per * 2 * 2; len(log) != want {
					t.Fatalf("%d packets sent, want %d", len(log), want)
				}
				for i := range log {
					for j := i; j < len(log); j++ {
						w := log[j].At - log[i].At
						if limit := float64(burst) + rate*w.Seconds() + 1e-9; float64(j-i+1) > limit {
							t.Fatalf("%d packets within %s (from %s), limit %.1f (burst %d, %.0f/s)", j-i+1, w, log[i].At, limit, burst, rate)
						}
					}
				}
			})
		})
	}
}

// TestPacingFirstRoundFirst: when pacing stretches a round past the
// interval, the first announcement of every VIP of every burst goes out
// before any repeat.
func TestPacingFirstRoundFirst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake()
		a := announce.New(f, announce.Config{Rounds: 3, Interval: 100 * time.Millisecond, Rate: 100, Burst: 4})
		b1 := a.Start(t.Context(), vipRange("10.0.0.1", 10))
		time.Sleep(50 * time.Millisecond)
		b2 := a.Start(t.Context(), vipRange("10.0.1.1", 10))
		<-b1.Done()
		<-b2.Done()
		seen := map[string]int{}
		var rounds []int
		for _, s := range f.sent() {
			if !strings.HasPrefix(s.What, "arp-request") {
				continue
			}
			rounds = append(rounds, seen[s.What])
			seen[s.What]++
		}
		if len(rounds) != 60 {
			t.Fatalf("%d requests, want 60", len(rounds))
		}
		if !slices.IsSorted(rounds[:20]) || slices.Max(rounds[:20]) != 0 {
			t.Errorf("the first 20 requests are not the first round of both bursts: rounds %v", rounds)
		}
	})
}

// TestUnpaced: a negative rate sends everything at once.
func TestUnpaced(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake()
		if err := announce.New(f, announce.Config{Rounds: 1, Rate: -1}).Announce(t.Context(), vipRange("10.0.0.1", 500)); err != nil {
			t.Fatal(err)
		}
		log := f.sent()
		if len(log) != 1000 || log[len(log)-1].At != 0 {
			t.Errorf("%d packets, the last after %s; want 1000 at once", len(log), log[len(log)-1].At)
		}
	})
}
