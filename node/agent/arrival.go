package agent

import "time"

// Timers run from the advert's arrival. RFC 9568 §6.4.2 resets a backup's
// Master_Down_Timer when an advert arrives; the agent learns of it later,
// after the receiving goroutine's hand-off to the loop and whatever the
// loop was doing (a few hundred microseconds idle, milliseconds under
// load), and every such delay lengthened Master_Down_Interval and so the
// takeover after the master's last advert. transport gives each packet the
// kernel's receive time (SO_TIMESTAMPNS); the timers an advert starts run
// from that time. The machine stays pure: it still asks for durations, and
// the loop picks their origin.

// maxArrivalAge bounds how far before now an arrival time may move a
// timer's origin. The kernel's timestamp is wall-clock time, so a clock
// step forward between the arrival and the loop would otherwise shorten
// the timer by the step; a bound of a few loop delays keeps that harm
// within what the loop's own lateness costs, and an older advert (a stall
// of the process) runs from now less the bound, as before from now.
const maxArrivalAge = 20 * time.Millisecond

// arrivalAt returns when a packet the kernel received at rx (wall clock;
// zero when unknown) arrived, on now's monotonic clock: now, moved back by
// the packet's age when that is in [0, maxArrivalAge], by maxArrivalAge
// when older. Pure: the caller reads the clock.
func arrivalAt(now, rx time.Time) time.Time {
	if rx.IsZero() {
		return now
	}
	age := now.Round(0).Sub(rx) // wall clock: rx has no monotonic reading
	switch {
	case age <= 0:
		return now
	case age > maxArrivalAge:
		age = maxArrivalAge
	}
	return now.Add(-age)
}
