package announce

import (
	"testing"
	"time"
)

// TestPacerWakesPerHalfBucket: sending 254 VIPs (2 packets each) through
// the default bucket, a paced sender sleeps about once per half bucket,
// not once per VIP, and still never runs ahead of the rate.
func TestPacerWakesPerHalfBucket(t *testing.T) {
	p := newPacer(DefaultRate, DefaultBurst)
	now := time.Unix(1000, 0)
	start := now
	sleeps := 0
	for range 254 {
		for {
			w := p.wait(now, 2)
			if w == 0 {
				break
			}
			sleeps++
			now = now.Add(w)
		}
	}
	packets := 254 * 2
	if max := (packets-DefaultBurst)/(DefaultBurst/2) + 2; sleeps > max {
		t.Errorf("%d sleeps for %d packets, want at most %d", sleeps, packets, max)
	}
	if min := time.Duration(float64(packets-DefaultBurst) / DefaultRate * float64(time.Second)); now.Sub(start) < min {
		t.Errorf("%d packets in %s, faster than the rate allows (%s)", packets, now.Sub(start), min)
	}
}
