package agent

import (
	"container/heap"
	"time"
)

// wheel holds every group's running timers for the loop: one runtime timer
// for the earliest deadline instead of one per group. A time.AfterFunc per
// group ran each expiry in a goroutine of its own (a master of 254 groups
// at 100 ms: 2 540 goroutines a second, 254 at once on the shared advert
// grid, their stacks kept by the runtime) and each restart of a backup's
// Master_Down_Timer was a runtime timer operation. Entries are never
// removed when a timer is stopped or restarted: an entry whose generation
// is no longer its group's armed one is dropped when it comes due.
type wheel struct {
	h     entries
	t     wheelTimer
	armed time.Time // the deadline t is set for; zero when stopped
}

// wheelTimer is the wheel's one timer: a timerfd (timerfd_linux.go) or,
// where none can be made, a runtime timer.
type wheelTimer interface {
	Reset(d time.Duration)
	Stop()
	C() <-chan time.Time
}

// runtimeTimer is a time.Timer as a wheelTimer.
type runtimeTimer struct{ *time.Timer }

func (t runtimeTimer) Reset(d time.Duration) { t.Timer.Reset(d) }
func (t runtimeTimer) Stop()                 { t.Timer.Stop() }
func (t runtimeTimer) C() <-chan time.Time   { return t.Timer.C }

type wheelEntry struct {
	at time.Time
	ev timerEvent
}

type entries []wheelEntry

func (e entries) Len() int           { return len(e) }
func (e entries) Less(i, j int) bool { return e[i].at.Before(e[j].at) }
func (e entries) Swap(i, j int)      { e[i], e[j] = e[j], e[i] }
func (e *entries) Push(x any)        { *e = append(*e, x.(wheelEntry)) }
func (e *entries) Pop() any {
	old := *e
	x := old[len(old)-1]
	*e = old[:len(old)-1]
	return x
}

// newWheel returns a wheel on a runtime timer; useTimer replaces it.
func newWheel() *wheel {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return &wheel{t: runtimeTimer{t}}
}

// useTimer makes t the wheel's timer, armed as the old one was.
func (w *wheel) useTimer(t wheelTimer) {
	w.t.Stop()
	w.t = t
	w.armed = time.Time{} // arm sets it again
}

// add schedules ev at.
func (w *wheel) add(at time.Time, ev timerEvent) { heap.Push(&w.h, wheelEntry{at, ev}) }

// arm drops the stopped and restarted timers at the front (so none of them
// wakes the loop: a backup restarts its Master_Down_Timer on every advert)
// and sets the runtime timer to the earliest live deadline.
func (w *wheel) arm() {
	for len(w.h) > 0 && stale(w.h[0].ev) {
		heap.Pop(&w.h)
	}
	if len(w.h) == 0 {
		if !w.armed.IsZero() {
			w.t.Stop()
			w.armed = time.Time{}
		}
		return
	}
	if top := w.h[0].at; !top.Equal(w.armed) {
		w.t.Reset(time.Until(top))
		w.armed = top
	}
}

// C fires when the earliest deadline has come.
func (w *wheel) C() <-chan time.Time { return w.t.C() }

// due pops the next entry due at now; ok is false when none is.
func (w *wheel) due(now time.Time) (timerEvent, bool) {
	if len(w.h) == 0 || w.h[0].at.After(now) {
		return timerEvent{}, false
	}
	return heap.Pop(&w.h).(wheelEntry).ev, true
}

// stale reports whether ev's timer was stopped or restarted since. A
// confirmation of a Master_Down_Timer expiry (timers.go) follows a timer
// that already fired, and is stale only once the timer runs again; the
// machine ignores it anyway when its generation is old.
func stale(ev timerEvent) bool {
	gen, armed := ev.g.timers[ev.kind]
	if ev.wait > 0 {
		return armed && gen != ev.gen
	}
	return !armed || gen != ev.gen
}

// onWheel handles every timer that has come due, skipping stopped and
// restarted ones.
func (a *Agent) onWheel() {
	a.wheel.armed = time.Time{} // it fired
	for {
		ev, ok := a.wheel.due(time.Now())
		if !ok {
			return
		}
		if stale(ev) {
			continue
		}
		if ev.wait == 0 {
			delete(ev.g.timers, ev.kind)
		}
		a.onTimer(ev)
	}
}
