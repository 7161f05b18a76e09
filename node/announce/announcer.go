package announce

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/failoverkit/ipfailover/node/netif"
	"github.com/mdlayher/ndp"
)

// Defaults of Config.
const (
	DefaultRounds   = 5
	DefaultInterval = time.Second
)

// ErrNoLinkLocal means an NA could not be sent because the link has no
// usable IPv6 link-local address yet (none, or still tentative). It is
// transient: the next round or burst retries. It is netif's error of the
// same name, so one errors.Is test covers both packages.
var ErrNoLinkLocal = netif.ErrNoLinkLocal

// Sender sends announcements on one link. LinkSender is the real one; tests
// pass fakes.
type Sender interface {
	// SendARP broadcasts one ARP packet on the link.
	SendARP(p ARP) error
	// SendNA sends one neighbour advertisement to ff02::1 on the link. An
	// error wrapping ErrNoLinkLocal is transient.
	SendNA(na *ndp.NeighborAdvertisement) error
	// HardwareAddr is the link's MAC, announced as the VIPs' owner.
	HardwareAddr() net.HardwareAddr
}

// Config tunes an Announcer. Zero values mean the defaults.
type Config struct {
	// Rounds is how many times every announcement is sent, the first one
	// immediately (default 5).
	Rounds int
	// Interval separates the rounds (default 1s).
	Interval time.Duration
	// Router sets the R flag of neighbour advertisements; see
	// UnsolicitedNA. Default false.
	Router bool
	// Rate and Burst pace the packets of all bursts together: at most
	// Burst back to back, Rate a second on average (defaults DefaultRate
	// and DefaultBurst); a negative Rate sends unpaced.
	Rate  float64
	Burst int
}

// Announcer announces VIPs on one link. It is safe for concurrent use if
// its Sender is. Its bursts share one goroutine, which runs while a burst
// is pending, and one pacer: announcements go out in order of round (the
// first announcement of every VIP before any repeat), then of due time.
type Announcer struct {
	s        Sender
	rounds   int
	interval time.Duration
	router   bool

	mu      sync.Mutex // guards the fields below and every send
	pacer   *pacer
	q       queue
	running bool          // the sending goroutine runs
	kick    chan struct{} // wakes it early: a burst was added or ended
}

// New returns an Announcer sending through s.
func New(s Sender, cfg Config) *Announcer {
	a := &Announcer{s: s, rounds: cfg.Rounds, interval: cfg.Interval, router: cfg.Router, kick: make(chan struct{}, 1)}
	if a.rounds <= 0 {
		a.rounds = DefaultRounds
	}
	if a.interval <= 0 {
		a.interval = DefaultInterval
	}
	rate, burst := cfg.Rate, cfg.Burst
	switch {
	case rate < 0:
		rate = math.Inf(1)
	case rate == 0:
		rate = DefaultRate
	}
	if burst <= 0 {
		burst = DefaultBurst
	}
	a.pacer = newPacer(rate, burst)
	return a
}

// Announce sends, for every VIP, the gratuitous ARP request and reply
// (IPv4) or the unsolicited NA (IPv6), then repeats after each Interval
// until Rounds rounds have been sent, paced with the Announcer's other
// bursts. It blocks until then, or until ctx is cancelled: nothing is sent
// once ctx is done, and Announce returns at once with ctx's error.
//
// A failing send does not stop the burst. Announce returns nil if every
// announcement went out at least once; otherwise it returns, for each VIP
// never announced, the last error seen (joined).
func (a *Announcer) Announce(ctx context.Context, vips []netip.Addr) error {
	b := a.Start(ctx, vips)
	<-b.done
	return b.err
}

// announceOne sends the announcement(s) of one VIP once.
func (a *Announcer) announceOne(mac net.HardwareAddr, vip netip.Addr) error {
	if vip.Is4() {
		// Both forms, request first; see GratuitousReply.
		errReq := a.s.SendARP(GratuitousRequest(mac, vip))
		errRep := a.s.SendARP(GratuitousReply(mac, vip))
		if errReq != nil && errRep != nil {
			return errors.Join(errReq, errRep)
		}
		return nil
	}
	na, err := UnsolicitedNA(vip, mac, a.router)
	if err != nil {
		return err
	}
	return a.s.SendNA(na)
}

// packets is what announcing vip once costs: two ARP forms or one NA.
func packets(vip netip.Addr) int {
	if vip.Is4() {
		return 2
	}
	return 1
}

// Burst is one announcement of a set of VIPs, sent by its Announcer's
// goroutine. Its fields are guarded by the Announcer's mutex.
type Burst struct {
	a       *Announcer
	mac     net.HardwareAddr
	vips    []netip.Addr
	lastErr []error // per VIP: the last error, nil once sent
	round   int     // rounds completed
	pos     int     // next VIP of the round
	due     time.Time
	stopCtx func() bool
	ended   bool
	done    chan struct{}
	err     error // set before done is closed
}

var errNeverAttempted = errors.New("never attempted")

// Start queues a burst and returns at once. Use it when becoming master;
// call Stop when leaving it. Cancelling ctx stops the burst too.
func (a *Announcer) Start(ctx context.Context, vips []netip.Addr) *Burst {
	b := &Burst{a: a, mac: a.s.HardwareAddr(), done: make(chan struct{}), due: time.Now()}
	for _, v := range vips {
		b.vips = append(b.vips, v.Unmap())
		b.lastErr = append(b.lastErr, errNeverAttempted)
	}
	a.mu.Lock()
	if len(b.vips) == 0 || ctx.Err() != nil {
		b.ended, b.err = true, ctx.Err()
		close(b.done)
		a.mu.Unlock()
		return b
	}
	a.q.bursts = append(a.q.bursts, b)
	if !a.running {
		a.running = true
		go a.run()
	} else {
		a.wake()
	}
	a.mu.Unlock()
	b.stopCtx = context.AfterFunc(ctx, func() { a.end(b, ctx.Err()) })
	return b
}

func (a *Announcer) wake() {
	select {
	case a.kick <- struct{}{}:
	default:
	}
}

// end removes b from the queue with err as its result, unless it ended.
func (a *Announcer) end(b *Burst, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.endLocked(b, err)
}

func (a *Announcer) endLocked(b *Burst, err error) {
	if b.ended {
		return
	}
	b.ended, b.err = true, err
	a.q.remove(b)
	close(b.done)
	a.wake()
}

// run sends the queued bursts' announcements, paced, until none is left.
// The time is read here and passed to the pure queue and pacer.
func (a *Announcer) run() {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		a.mu.Lock()
		now := time.Now()
		b, wait, ok := a.q.next(now)
		if !ok {
			a.running = false
			a.mu.Unlock()
			return
		}
		if b != nil {
			if w := a.pacer.wait(now, packets(b.vips[b.pos])); w > 0 {
				b, wait = nil, w
			}
		}
		if b != nil {
			a.sendNext(b, now)
			a.mu.Unlock()
			continue
		}
		a.mu.Unlock()
		timer.Reset(wait)
		select {
		case <-timer.C:
		case <-a.kick:
			timer.Stop()
		}
	}
}

// sendNext announces b's next VIP and moves b on: to the next VIP, the
// next round one Interval after this one ended, or its end.
func (a *Announcer) sendNext(b *Burst, now time.Time) {
	err := a.announceOne(b.mac, b.vips[b.pos])
	if b.lastErr[b.pos] != nil {
		b.lastErr[b.pos] = err // once sent, it stays announced
	}
	if b.pos++; b.pos < len(b.vips) {
		return
	}
	b.pos, b.round = 0, b.round+1
	if b.round < a.rounds {
		b.due = now.Add(a.interval)
		return
	}
	var errs []error
	for i, err := range b.lastErr {
		if err != nil {
			errs = append(errs, fmt.Errorf("announcing %s: %w", b.vips[i], err))
		}
	}
	a.endLocked(b, errors.Join(errs...))
}

// Stop ends the burst: once Stop returns, it sends nothing more. It
// returns the burst's result (context.Canceled if it was cut short). Stop
// is idempotent.
func (b *Burst) Stop() error {
	if b.stopCtx != nil {
		b.stopCtx()
	}
	b.a.end(b, context.Canceled)
	return b.err
}

// Done is closed when the burst has finished or been stopped.
func (b *Burst) Done() <-chan struct{} { return b.done }

// Err returns the burst's result once Done is closed, and nil before.
func (b *Burst) Err() error {
	select {
	case <-b.done:
		return b.err
	default:
		return nil
	}
}
