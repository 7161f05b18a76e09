package probe

import (
	"sync"
	"time"
)

// eventLog is an append-only, resettable record shared by a reader
// goroutine (writer) and the scenario (reader).
type eventLog[T any] struct {
	mu     sync.Mutex
	events []T
}

func (l *eventLog[T]) add(e T) {
	l.mu.Lock()
	l.events = append(l.events, e)
	l.mu.Unlock()
}

// snapshot returns a copy of the events recorded so far.
func (l *eventLog[T]) snapshot() []T {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]T(nil), l.events...)
}

func (l *eventLog[T]) reset() {
	l.mu.Lock()
	l.events = nil
	l.mu.Unlock()
}

// pollEvery is how often WaitFor looks at the record. The precision of the
// figures comes from the kernel timestamps, not from this period.
const pollEvery = 2 * time.Millisecond

// waitFor polls the record until match finds an event or the deadline
// passes, and returns the first match.
func waitFor[T any](l *eventLog[T], deadline time.Time, match func(T) bool) (T, bool) {
	seen := 0
	for {
		evs := l.snapshot()
		if seen > len(evs) {
			seen = 0 // reset meanwhile
		}
		for _, e := range evs[seen:] {
			if match(e) {
				return e, true
			}
		}
		seen = len(evs)
		if time.Now().After(deadline) {
			var zero T
			return zero, false
		}
		time.Sleep(pollEvery)
	}
}
