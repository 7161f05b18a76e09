package agent

import (
	"time"

	"github.com/failoverkit/ipfailover/node/vrrp/fsm"
)

// A Master_Down_Timer expiry first waits confirmPark, once, for the
// receivers to have their turn, and then confirmDelay each time the
// group's socket still holds a datagram; confirmTries bounds the waits
// (onTimer).
const (
	confirmPark  = 250 * time.Microsecond
	confirmDelay = time.Millisecond
	confirmTries = 5
)

// queuedConn is a Conn that can tell whether a datagram waits in its
// socket (transport's Conns can).
type queuedConn interface {
	Queued() (bool, error)
}

// onTimer hands a timer expiry to its machine. A Master_Down_Timer expiry
// first lets the adverts that arrived before it have their turn: after a
// stall of the process (CPU starvation, a long GC pause, SIGSTOP) the
// expired timer and the adverts that would have reset it are ready at
// once, and the timer comes first, since the Go runtime polls sockets only
// when no goroutine is runnable. Taking over then, with a live master's
// adverts waiting in the socket, makes two masters until the next advert,
// and with nopreempt keeps the VIPs on the wrong node; RFC 9568 §6.4.2
// takes over only when no advert arrived for the whole interval. So the
// expiry is confirmed confirmDelay later, again while the group's socket
// still holds a datagram (at most confirmTries times), by which time the
// receivers have queued what the socket held; the queued adverts are
// handled before it, and one that resets the timer makes this expiry stale
// (its generation), which the machine ignores.
//
// The first wait only has to park the loop once: with the loop parked the
// runtime polls the sockets, and a receiver woken by the poller reads the
// socket and queues what it read before the loop runs again (on the one P,
// cmd/node), so a datagram of before the expiry is then queued or still
// in the socket, where SIOCINQ sees it and the next wait is confirmDelay.
// It was confirmDelay too (1 ms, 1.2–1.8 ms on the runtime's timer), all
// of it added to every takeover; confirmPark on the wheel's timerfd costs
// 0.25 ms, and the waits while the socket holds a datagram are unchanged.
func (a *Agent) onTimer(te timerEvent) {
	if te.kind == fsm.MasterDownTimer && te.wait < confirmTries && (te.wait == 0 || a.socketHolds(te.g)) {
		wait := confirmDelay
		if te.wait == 0 {
			wait = confirmPark
		}
		te.wait++
		a.wheel.add(time.Now().Add(wait), te) // wheel.go, on its timerfd
		return
	}
	a.drainPackets()
	a.apply(te.g, te.g.m.Handle(fsm.TimerFired{Timer: te.kind, Gen: te.gen}))
}

// socketHolds reports whether a datagram waits in the group's socket; false
// when the Conn cannot tell.
func (a *Agent) socketHolds(g *group) bool {
	q, ok := g.conn.(queuedConn)
	if !ok {
		return false
	}
	held, err := q.Queued()
	return err == nil && held
}

// drainPackets handles the packets the receivers have queued, without
// waiting for more.
func (a *Agent) drainPackets() {
	for {
		select {
		case p := <-a.packets:
			a.onPacket(p)
		default:
			return
		}
	}
}
