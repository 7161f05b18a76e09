package agent

import (
	"time"

	"github.com/failoverkit/ipfailover/node/vrrp/fsm"
)

// confirmDelay is how long a Master_Down_Timer expiry waits, each time,
// for the adverts that arrived before it; confirmTries bounds the waits
// (onTimer).
const (
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
func (a *Agent) onTimer(te timerEvent) {
	if te.kind == fsm.MasterDownTimer && te.wait < confirmTries && (te.wait == 0 || a.socketHolds(te.g)) {
		te.wait++
		time.AfterFunc(confirmDelay, func() {
			select {
			case a.timers <- te:
			case <-a.done:
			}
		})
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
