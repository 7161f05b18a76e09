package agent

import "time"

// Advert timers share a grid. A master of many groups otherwise sends each
// group's advert on a timer of its own, spread over the interval by when
// each group became master and by the loop's delays, and every backup
// wakes up for each of them: the Go runtime's cost per wake-up (poller,
// hand-off to the loop, sysmon's polling) is most of a backup's CPU
// (docs/benchmarks.md). Rounding every advert timer's deadline up to a
// grid of advertGrid(interval) makes the groups' adverts leave together,
// one timer pass and one burst on the wire, which a backup reads in one
// wake-up. The interval grows by less than one grid step (5% of it), far
// inside the three intervals a backup waits (RFC 9568 §6.1,
// Master_Down_Interval); Master_Down_Timer, which decides how fast a
// backup takes over, is never rounded.

// advertGrid is the grid of a group's advert timers: a twentieth of the
// interval.
func advertGrid(interval time.Duration) time.Duration { return interval / 20 }

// alignUp returns after, lengthened so that now+after falls on a multiple
// of grid (of the Unix epoch), by less than grid. Pure: the caller reads
// the clock.
func alignUp(now time.Time, after, grid time.Duration) time.Duration {
	if grid <= 0 {
		return after
	}
	rem := time.Duration(now.Add(after).UnixNano() % int64(grid))
	if rem == 0 {
		return after
	}
	return after + grid - rem
}
