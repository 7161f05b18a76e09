package agent_test

import (
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/node/agent"
)

// syncLog is a log sink safe for the agent's goroutines.
type syncLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *syncLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestWarnsWhenAdvertsExceedTheMTU: a VRRPv3 advert for one IPv4 VIP is
// 32 bytes with its IP header; an interface MTU below that is warned
// about at start, naming the group, and a normal MTU is not.
func TestWarnsWhenAdvertsExceedTheMTU(t *testing.T) {
	for _, tc := range []struct {
		mtu  int
		warn bool
	}{{1500, false}, {31, true}} {
		logs := &syncLog{}
		r := start(t, 255, time.Hour, nil, func(d *agent.Deps, _ *rig) {
			d.Link.MTU = tc.mtu
			d.Log = slog.New(slog.NewTextHandler(logs, nil))
		})
		if !eventually(func() bool { return strings.Contains(logs.String(), "msg=transition") }) {
			t.Fatalf("MTU %d: the agent did not start:\n%s", tc.mtu, logs.String())
		}
		if got := strings.Contains(logs.String(), "do not fit the interface MTU"); got != tc.warn {
			t.Errorf("MTU %d: warned %v, want %v:\n%s", tc.mtu, got, tc.warn, logs.String())
		}
		if err := r.stop(); err != nil {
			t.Fatal(err)
		}
	}
}
