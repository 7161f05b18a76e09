package contract

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MaxPreemptDelay is keepalived's upper bound for preempt_delay.
const MaxPreemptDelay = 1000 * time.Second

// Preemption is the OPENSHIFT_HA_PREEMPTION policy. The image pastes the
// value into keepalived.conf as a line; the two meaningful lines are
// "preempt_delay N" and "nopreempt".
type Preemption struct {
	// Never is keepalived's nopreempt: a backup never takes over from a live master.
	Never bool
	// Delay is keepalived's preempt_delay: a higher-priority backup takes
	// over from a live lower-priority master only this long after start-up.
	// A dead master is replaced at once either way.
	Delay time.Duration
}

// String is the keepalived line: "nopreempt" or "preempt_delay N".
func (p Preemption) String() string {
	if p.Never {
		return "nopreempt"
	}
	return "preempt_delay " + strconv.Itoa(int(p.Delay/time.Second))
}

// ParsePreemption reads "nopreempt" or "preempt_delay N" (0..1000 seconds).
// Anything else is an error, including the documentation's typo
// "preempt_nodelay 300", which keepalived would not understand either.
func ParsePreemption(s string) (Preemption, error) {
	f := strings.Fields(s)
	switch {
	case len(f) == 1 && f[0] == "nopreempt":
		return Preemption{Never: true}, nil
	case len(f) == 2 && f[0] == "preempt_delay":
		n, err := strconv.Atoi(f[1])
		if err != nil || n < 0 || time.Duration(n)*time.Second > MaxPreemptDelay {
			return Preemption{}, fmt.Errorf("preempt_delay takes whole seconds 0..1000, got %q", f[1])
		}
		return Preemption{Delay: time.Duration(n) * time.Second}, nil
	}
	return Preemption{}, fmt.Errorf("must be \"nopreempt\" or \"preempt_delay N\" (N in 0..1000 seconds)")
}
