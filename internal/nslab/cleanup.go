package nslab

import (
	"log/slog"
	"sync"
)

// Cleanups is a last-in-first-out list of undo steps. Everything the lab
// creates (namespaces, processes, sockets) registers its removal here right
// after creating it, so that a failure half-way, a panic or a Ctrl-C still
// removes it. Run runs every step once; a step added after Run runs at once.
type Cleanups struct {
	mu     sync.Mutex
	steps  []step
	done   bool
	report func(step string, err error)
}

type step struct {
	what string
	fn   func() error
}

// NewCleanups returns an empty list that logs failed steps to log.
func NewCleanups(log *slog.Logger) *Cleanups {
	return NewCleanupsFunc(func(what string, err error) {
		log.Warn("cleanup step failed", "step", what, "err", err)
	})
}

// NewCleanupsFunc returns an empty list that hands failed steps to report
// (a test adapter reports them with t.Errorf).
func NewCleanupsFunc(report func(step string, err error)) *Cleanups {
	return &Cleanups{report: report}
}

// Add registers fn, described by what (e.g. "delete namespace vb1x-n1").
func (c *Cleanups) Add(what string, fn func() error) {
	c.mu.Lock()
	if !c.done {
		c.steps = append(c.steps, step{what, fn})
		c.mu.Unlock()
		return
	}
	c.mu.Unlock()
	c.runStep(step{what, fn})
}

// Run runs every registered step, newest first, once. It is safe to call
// from a signal handler goroutine while other goroutines still work: steps
// are idempotent removals by name or PID.
func (c *Cleanups) Run() {
	c.mu.Lock()
	steps := c.steps
	c.steps, c.done = nil, true
	c.mu.Unlock()
	for i := len(steps) - 1; i >= 0; i-- {
		c.runStep(steps[i])
	}
}

func (c *Cleanups) runStep(s step) {
	if err := s.fn(); err != nil {
		c.report(s.what, err)
	}
}
