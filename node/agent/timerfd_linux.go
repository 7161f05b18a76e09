package agent

import (
	"errors"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// The wheel's timer is a timerfd. A runtime timer is late by up to a
// millisecond whenever the process sleeps in the poller: Go's netpoll
// waits with epoll's millisecond timeout, truncated (runtime/
// netpoll_epoll.go), so a deadline 41.25 ms away wakes the process after
// 41 ms, finds 0.25 ms left and sleeps a whole millisecond more. Measured
// on a backup (VRRPv3 100 ms, graceful): the Master_Down_Timer fired
// 1.09–1.20 ms after its deadline, and the 1 ms confirmation took
// 1.20–1.80 ms. A timerfd is a kernel hrtimer on CLOCK_MONOTONIC (the
// clock of Go's monotonic readings) whose expiry makes its descriptor
// readable, which ends epoll's wait at once: the poller wakes within the
// timer slack (50 µs) of the deadline.

// fdTimer is a one-shot timer on a timerfd, read by one goroutine through
// the runtime's poller. Its channel has room for one expiry; an expiry
// from before a Reset or Stop may still be delivered, which the wheel
// tolerates (it pops only what is due).
type fdTimer struct {
	fd   int
	f    *os.File
	c    chan time.Time
	done chan struct{}
}

func newFDTimer() (*fdTimer, error) {
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return nil, err
	}
	t := &fdTimer{fd: fd, f: os.NewFile(uintptr(fd), "timerfd"), c: make(chan time.Time, 1), done: make(chan struct{})}
	go t.read()
	return t, nil
}

// read forwards expiries until the timer is closed.
func (t *fdTimer) read() {
	defer close(t.done)
	var buf [8]byte // the number of expiries
	for {
		if _, err := t.f.Read(buf[:]); err != nil {
			if errors.Is(err, os.ErrClosed) {
				return
			}
			// Not expected of a timerfd (EAGAIN and EINTR are the
			// poller's); retry rather than leave the wheel without a
			// timer, paced.
			time.Sleep(time.Millisecond)
			continue
		}
		select {
		case t.c <- time.Now():
		default: // one pending expiry is enough
		}
	}
}

func (t *fdTimer) C() <-chan time.Time { return t.c }

// Reset arms the timer to expire d from now (at once when d ≤ 0).
func (t *fdTimer) Reset(d time.Duration) {
	if d <= 0 {
		d = 1 // a zero it_value disarms
	}
	t.settime(unix.NsecToTimespec(int64(d)))
}

// Stop disarms the timer.
func (t *fdTimer) Stop() { t.settime(unix.Timespec{}) }

func (t *fdTimer) settime(v unix.Timespec) {
	// It cannot fail for a valid descriptor and value; the wheel re-arms
	// on every loop turn.
	_ = unix.TimerfdSettime(t.fd, 0, &unix.ItimerSpec{Value: v}, nil)
}

// Close releases the descriptor and waits, bounded, for the reader.
func (t *fdTimer) Close() {
	t.f.Close()
	select {
	case <-t.done:
	case <-time.After(time.Second):
	}
}
