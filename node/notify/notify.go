// Package notify calls the operator's notify script on every VRRP state
// transition, the way keepalived 2.x calls a vrrp_instance's notify script:
//
//	<script> INSTANCE <instance name> <MASTER|BACKUP|FAULT|STOP> <priority>
//
// Calls run on one worker goroutine, in transition order, each with a
// timeout, so a slow or hanging script delays later notifications but never
// a failover. A call is judged by the script's exit status; children it
// leaves behind are killed (see procexec) and never delay the next call. The queue is bounded; when it is full a notification is
// dropped and counted rather than blocking the VRRP loop.
package notify

import (
	"context"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/failoverkit/ipfailover/node/procexec"
)

// Event is one transition to report.
type Event struct {
	Instance string // e.g. "ipfailover_VIP_1"
	State    string // MASTER, BACKUP, FAULT or STOP
	Priority int
}

// Args are the script's arguments for the event, as keepalived passes them.
func (e Event) Args() []string {
	return []string{"INSTANCE", e.Instance, e.State, strconv.Itoa(e.Priority)}
}

// Notifier queues events for the script.
type Notifier struct {
	script  string
	timeout time.Duration
	log     *slog.Logger
	queue   chan Event
	dropped atomic.Uint64
	done    chan struct{}
	ctx     context.Context // cancelled when Close gives up waiting
	cancel  context.CancelFunc
	failed  func(procexec.Reason)
}

// QueueLen bounds the number of notifications waiting for the script.
const QueueLen = 1024

// New starts a notifier for script. Stop it with Close. A nil *Notifier
// (no script configured) accepts and ignores events. failed, when not nil,
// learns why each failed call failed (on the worker goroutine).
func New(script string, timeout time.Duration, log *slog.Logger, failed func(procexec.Reason)) *Notifier {
	if script == "" {
		return nil
	}
	if failed == nil {
		failed = func(procexec.Reason) {}
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := &Notifier{script: script, timeout: timeout, log: log, queue: make(chan Event, QueueLen), done: make(chan struct{}), ctx: ctx, cancel: cancel, failed: failed}
	go n.work()
	return n
}

// Notify queues e without blocking.
func (n *Notifier) Notify(e Event) {
	if n == nil {
		return
	}
	select {
	case n.queue <- e:
	default:
		n.dropped.Add(1)
		n.log.Warn("notify queue full, dropping notification", "instance", e.Instance, "state", e.State)
	}
}

// Dropped counts notifications lost to a full queue.
func (n *Notifier) Dropped() uint64 {
	if n == nil {
		return 0
	}
	return n.dropped.Load()
}

// Close runs the notifications already queued (each still bounded by the
// timeout) and stops the worker. When ctx ends first, the running script is
// killed and the rest of the queue is dropped; Close returns only once the
// worker has stopped, so no script outlives it.
func (n *Notifier) Close(ctx context.Context) {
	if n == nil {
		return
	}
	close(n.queue)
	select {
	case <-n.done:
	case <-ctx.Done():
		n.cancel()
		<-n.done
	}
	n.cancel()
}

func (n *Notifier) work() {
	defer close(n.done)
	for e := range n.queue {
		if n.ctx.Err() != nil {
			n.dropped.Add(1)
			continue
		}
		out, err := procexec.Run(n.ctx, n.timeout, n.script, e.Args()...)
		if err != nil {
			reason := procexec.ReasonOf(err)
			n.failed(reason)
			n.log.Warn("notify script failed", "instance", e.Instance, "state", e.State, "reason", string(reason), "err", err, "output", out)
			continue
		}
		n.log.Debug("notify script ran", "instance", e.Instance, "state", e.State)
	}
}
