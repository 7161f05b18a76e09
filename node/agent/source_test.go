package agent_test

import (
	"errors"
	"net/netip"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/node/agent"
	"github.com/failoverkit/ipfailover/node/netif"
)

// failingConn is a fakeConn whose sends fail while fail is set.
type failingConn struct {
	*fakeConn
	fail atomic.Bool
}

func (c *failingConn) Send(payload []byte, dst netip.Addr) error {
	if c.fail.Load() {
		return syscall.ENETUNREACH
	}
	return c.fakeConn.Send(payload, dst)
}

// TestSendFailuresFaultAndRecover: a master (the address owner, priority
// 255) whose sends fail for an advert interval goes to FAULT and releases
// its VIP; once sends work it comes back on its own (after the retry
// delay, 1s) and holds the VIP again.
func TestSendFailuresFaultAndRecover(t *testing.T) {
	var fc *failingConn
	r := start(t, 255, time.Hour, nil, func(d *agent.Deps, r *rig) {
		fc = &failingConn{fakeConn: r.conn}
		d.Conn4 = fc
	})
	state := func() float64 { return r.counter("ipfailover_vrrp_state") }
	if !eventually(func() bool { return state() == 2 && r.addrs.has(vip) }) {
		t.Fatalf("not master: %v", state())
	}
	fc.fail.Store(true)
	if !eventually(func() bool { return state() == 3 && !r.addrs.has(vip) }) {
		t.Fatalf("sends fail, state %v, VIP held %v", state(), r.addrs.has(vip))
	}
	if r.counter("ipfailover_vrrp_send_errors_total") == 0 {
		t.Error("no send error counted")
	}
	fc.fail.Store(false)
	if !eventually(func() bool { return state() == 2 && r.addrs.has(vip) }) {
		t.Fatalf("sends work again, state %v, VIP held %v", state(), r.addrs.has(vip))
	}
}

// TestSourceLostFaultsAndReturns: when the address adverts leave from
// leaves the interface, every group goes to FAULT at the address event;
// when it is back, they return.
func TestSourceLostFaultsAndReturns(t *testing.T) {
	var gone atomic.Bool
	r := start(t, 255, time.Hour, nil, func(d *agent.Deps, _ *rig) {
		d.Source4 = func(_ netif.Link, cur netip.Addr) (netip.Addr, error) {
			if gone.Load() {
				return netip.Addr{}, errors.New("no IPv4 address")
			}
			return cur, nil
		}
	})
	state := func() float64 { return r.counter("ipfailover_vrrp_state") }
	if !eventually(func() bool { return state() == 2 }) {
		t.Fatalf("not master: %v", state())
	}
	gone.Store(true)
	r.events <- netif.AddrEvent{Prefix: netip.PrefixFrom(self, 24)}
	if !eventually(func() bool { return state() == 3 && !r.addrs.has(vip) }) {
		t.Fatalf("source gone, state %v", state())
	}
	gone.Store(false)
	r.events <- netif.AddrEvent{Prefix: netip.PrefixFrom(self, 24), Added: true}
	if !eventually(func() bool { return state() == 2 && r.addrs.has(vip) }) {
		t.Fatalf("source back, state %v", state())
	}
}
