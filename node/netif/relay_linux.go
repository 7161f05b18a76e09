//go:build linux

package netif

import (
	"errors"
	"fmt"
	"sync"
)

// eventBuffer is the capacity of a subscription's channel.
const eventBuffer = 32

// relay runs one netlink subscription and forwards its updates as events:
// subscribe starts it (writing to updates until done is closed, reporting
// errors to onErr), convert turns an update into an event (false drops it),
// and failed makes the last event when the subscription ends by itself.
//
// The returned channel is closed after cancel, or after the failed event.
// cancel is idempotent and returns once the relay goroutine has finished,
// so no event is sent afterwards. The netlink goroutine closes updates
// once its socket is closed (after done) or fails; the relay always drains
// it, so it never blocks.
func relay[U, E any](what string,
	subscribe func(updates chan U, done chan struct{}, onErr func(error)) error,
	convert func(U) (E, bool), failed func(error) E,
) (<-chan E, func(), error) {
	updates := make(chan U, eventBuffer)
	done := make(chan struct{})

	// failure is the first error the netlink goroutine reported; guarded by
	// mu because the callback runs on that goroutine.
	var mu sync.Mutex
	var failure error
	onErr := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if failure == nil {
			failure = err
		}
	}
	if err := subscribe(updates, done, onErr); err != nil {
		close(done)
		return nil, nil, fmt.Errorf("subscribing to %s: %w", what, err)
	}

	out := make(chan E, eventBuffer)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		defer close(out)
		for u := range updates {
			ev, ok := convert(u)
			if !ok {
				continue
			}
			select {
			case out <- ev:
			case <-done:
			}
		}
		select {
		case <-done:
			return // cancelled: the socket error is ours
		default:
		}
		mu.Lock()
		err := failure
		mu.Unlock()
		if err == nil {
			err = errors.New("subscription closed by netlink")
		}
		select {
		case out <- failed(fmt.Errorf("%s: %w", what, err)):
		case <-done:
		}
	}()

	var once sync.Once
	cancel := func() {
		once.Do(func() { close(done) })
		<-finished
	}
	return out, cancel, nil
}
