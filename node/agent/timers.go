package agent

import (
	"time"

	"github.com/failoverkit/ipfailover/node/vrrp/fsm"
)

// confirmDelay is how long a Master_Down_Timer expiry waits for the
// adverts that arrived before it (onTimer).
const confirmDelay = time.Millisecond

// onTimer hands a timer expiry to its machine. A Master_Down_Timer expiry
// first lets the adverts that arrived before it have their turn: after a
// stall of the process (CPU starvation, a long GC pause, SIGSTOP) the
// expired timer and the adverts that would have reset it are ready at
// once, and the timer comes first, since the Go runtime polls sockets only
// when no goroutine is runnable. Taking over then, with a live master's
// adverts waiting in the socket, makes two masters until the next advert,
// and with nopreempt keeps the VIPs on the wrong node; RFC 9568 §6.4.2
// takes over only when no advert arrived for the whole interval. So the
// expiry is confirmed once, confirmDelay later, by which time the
// receivers have queued what the socket holds, and the queued adverts are
// handled before it: one that resets the timer makes this expiry stale
// (its generation), and the machine ignores it.
func (a *Agent) onTimer(te timerEvent) {
	if te.kind == fsm.MasterDownTimer && !te.confirmed {
		te.confirmed = true
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
