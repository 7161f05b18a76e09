package announce

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
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
}

// Announcer announces VIPs on one link. It holds no state between bursts
// and is safe for concurrent use if its Sender is.
type Announcer struct {
	s        Sender
	rounds   int
	interval time.Duration
	router   bool
}

// New returns an Announcer sending through s.
func New(s Sender, cfg Config) *Announcer {
	a := &Announcer{s: s, rounds: cfg.Rounds, interval: cfg.Interval, router: cfg.Router}
	if a.rounds <= 0 {
		a.rounds = DefaultRounds
	}
	if a.interval <= 0 {
		a.interval = DefaultInterval
	}
	return a
}

// Announce sends, for every VIP, the gratuitous ARP request and reply
// (IPv4) or the unsolicited NA (IPv6), then repeats after each Interval
// until Rounds rounds have been sent. It blocks until then, or until ctx is
// cancelled: nothing is sent once ctx is done, and Announce returns at
// once with ctx's error.
//
// A failing send does not stop the burst. Announce returns nil if every
// announcement went out at least once; otherwise it returns, for each VIP
// never announced, the last error seen (joined).
func (a *Announcer) Announce(ctx context.Context, vips []netip.Addr) error {
	mac := a.s.HardwareAddr()
	lastErr := make(map[netip.Addr]error, len(vips)) // VIP -> last error, nil once sent
	for _, v := range vips {
		lastErr[v] = errors.New("never attempted")
	}
	var timer *time.Timer
	for round := range a.rounds {
		if round > 0 {
			if timer == nil {
				timer = time.NewTimer(a.interval)
				defer timer.Stop()
			} else {
				timer.Reset(a.interval)
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-timer.C:
			}
		}
		for _, v := range vips {
			if err := ctx.Err(); err != nil {
				return err
			}
			err := a.announceOne(mac, v)
			if prev := lastErr[v]; prev == nil {
				continue // already announced once: that is what counts
			}
			lastErr[v] = err
		}
	}
	var errs []error
	for _, v := range vips {
		if err := lastErr[v]; err != nil {
			errs = append(errs, fmt.Errorf("announcing %s: %w", v, err))
		}
	}
	return errors.Join(errs...)
}

// announceOne sends the announcement(s) of one VIP once.
func (a *Announcer) announceOne(mac net.HardwareAddr, vip netip.Addr) error {
	vip = vip.Unmap()
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

// Burst is an announcement running in its own goroutine.
type Burst struct {
	cancel context.CancelFunc
	done   chan struct{}
	err    error // set before done is closed
}

// Start runs Announce in a new goroutine and returns at once. Use it when
// becoming master; call Stop when leaving it.
func (a *Announcer) Start(ctx context.Context, vips []netip.Addr) *Burst {
	ctx, cancel := context.WithCancel(ctx)
	b := &Burst{cancel: cancel, done: make(chan struct{})}
	vips = append([]netip.Addr(nil), vips...)
	go func() {
		defer close(b.done)
		defer cancel()
		b.err = a.Announce(ctx, vips)
	}()
	return b
}

// Stop cancels the burst and waits until its goroutine has returned: once
// Stop returns, the burst sends nothing more. It returns the burst's result
// (context.Canceled if it was cut short). Stop is idempotent.
func (b *Burst) Stop() error {
	b.cancel()
	<-b.done
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
