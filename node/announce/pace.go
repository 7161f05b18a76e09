package announce

import (
	"math"
	"time"
)

// Pacing defaults of Config: at most DefaultBurst packets back to back and
// DefaultRate packets a second on average, over every burst of the
// Announcer (its link) together.
//
// keepalived does not pace by default (vrrp_garp_interval and
// vrrp_gna_interval are 0): a master of 254 groups of four VIPs sends 2 032
// gratuitous ARPs at once, five times over. Switches that route the VLAN
// punt ARP to their CPU through a policer and drop the excess, so the
// announcements meant to move the clients are lost: ArubaOS-Switch's
// control-plane policing limits station ARP to 512 packets a second by
// default, ArubaOS-CX documents 1 000 for ARP broadcasts, and Linux's own
// receive backlog (net.core.netdev_max_backlog) is 1 000 packets per CPU.
// 500 a second stays under the lowest of these; a set of 254 single-VIP
// groups (508 ARP packets a round) still sends a round in about a second,
// and a group of one VIP (the failover case) sends its two packets at once.
const (
	DefaultRate  = 500
	DefaultBurst = 32
)

// pacer is a token bucket (pure: the caller passes the time): Burst tokens
// at most, Rate tokens a second, one token per packet.
type pacer struct {
	rate   float64 // tokens per second; +Inf: unpaced
	burst  float64
	tokens float64
	last   time.Time
}

func newPacer(rate float64, burst int) *pacer {
	return &pacer{rate: rate, burst: float64(burst), tokens: float64(burst)}
}

// wait returns how long from now n packets must wait; 0 means they may go
// now, and their tokens are taken. n larger than the burst waits for a
// full bucket and then takes it all (it can never fit otherwise). A
// caller that has to wait is told to wait until half the bucket has
// refilled, not just its n tokens, so a paced run wakes up once per half
// bucket (16 packets by default) rather than once per announcement.
func (p *pacer) wait(now time.Time, n int) time.Duration {
	if math.IsInf(p.rate, 1) {
		return 0
	}
	if !p.last.IsZero() {
		p.tokens = min(p.burst, p.tokens+now.Sub(p.last).Seconds()*p.rate)
	}
	p.last = now
	need := min(float64(n), p.burst)
	if p.tokens >= need {
		p.tokens -= need
		return 0
	}
	refill := max(need, math.Floor(p.burst/2))
	return time.Duration(math.Ceil((refill - p.tokens) / p.rate * float64(time.Second)))
}

// queue orders the bursts of an Announcer (pure): the next announcement is
// the due burst of the lowest round, then the one due first, so that the
// first announcement of every VIP of a new master goes out before the
// repeats of older bursts.
type queue struct {
	bursts []*Burst
}

// next returns the burst whose next VIP goes now, or, when none is due,
// how long until one is (ok false with an empty queue).
func (q *queue) next(now time.Time) (b *Burst, wait time.Duration, ok bool) {
	var soonest time.Time
	for _, c := range q.bursts {
		if !c.due.After(now) {
			if b == nil || c.round < b.round || (c.round == b.round && c.due.Before(b.due)) {
				b = c
			}
		} else if soonest.IsZero() || c.due.Before(soonest) {
			soonest = c.due
		}
	}
	if b != nil {
		return b, 0, true
	}
	if soonest.IsZero() {
		return nil, 0, false
	}
	return nil, soonest.Sub(now), true
}

func (q *queue) remove(b *Burst) {
	for i, c := range q.bursts {
		if c == b {
			q.bursts = append(q.bursts[:i], q.bursts[i+1:]...)
			return
		}
	}
}
