package sim

import (
	"container/heap"
	"time"
)

// Scheduler is a discrete-event scheduler over virtual time: callbacks run
// in time order, and callbacks due at the same instant run in the order
// they were scheduled, so every run is deterministic. Virtual time starts
// at zero and only moves when Run advances it.
type Scheduler struct {
	now   time.Duration
	seq   uint64
	queue eventQueue
	// after, if set, runs after every callback (the network uses it to
	// check invariants and record who is master).
	after func()
}

// Now returns the current virtual time.
func (s *Scheduler) Now() time.Duration { return s.now }

// At schedules fn at virtual time t, or now if t is in the past.
func (s *Scheduler) At(t time.Duration, fn func()) {
	s.seq++
	heap.Push(&s.queue, &event{at: max(t, s.now), seq: s.seq, fn: fn})
}

// After schedules fn d from now.
func (s *Scheduler) After(d time.Duration, fn func()) { s.At(s.now+d, fn) }

// Run runs every callback due up to and including until, then sets the
// clock to until.
func (s *Scheduler) Run(until time.Duration) {
	for s.queue.Len() > 0 && s.queue[0].at <= until {
		e := heap.Pop(&s.queue).(*event)
		s.now = e.at
		e.fn()
		if s.after != nil {
			s.after()
		}
	}
	s.now = max(s.now, until)
}

type event struct {
	at  time.Duration
	seq uint64
	fn  func()
}

// eventQueue is a min-heap on (at, seq).
type eventQueue []*event

// Len, Less, Swap, Push and Pop implement heap.Interface.
func (q eventQueue) Len() int { return len(q) }

// Less orders by time, then by scheduling order.
func (q eventQueue) Less(i, j int) bool {
	if q[i].at != q[j].at {
		return q[i].at < q[j].at
	}
	return q[i].seq < q[j].seq
}

// Swap swaps two events.
func (q eventQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }

// Push adds an event.
func (q *eventQueue) Push(x any) { *q = append(*q, x.(*event)) }

// Pop removes the last event.
func (q *eventQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}
