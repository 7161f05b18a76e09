package agent_test

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"time"

	"github.com/failoverkit/ipfailover/node/agent"
	"github.com/failoverkit/ipfailover/node/netif"
	"github.com/failoverkit/ipfailover/node/transport"
	"github.com/failoverkit/ipfailover/node/vrrp/packet"
)

// journal records, in order, what the agent did to the fakes ("add",
// "remove", "send <priority>"), for tests about the order of effects.
type journal struct {
	mu      sync.Mutex
	entries []string
}

func (j *journal) add(e string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries = append(j.entries, e)
}

func (j *journal) snapshot() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]string(nil), j.entries...)
}

// fakeAddrs is an interface's address list: marked addresses are ours
// (added with AddVIP), unmarked ones were added by something else.
type fakeAddrs struct {
	mu     sync.Mutex
	marked map[netip.Addr]bool // address -> carries our mark
	j      *journal
}

func newFakeAddrs(j *journal) *fakeAddrs { return &fakeAddrs{marked: map[netip.Addr]bool{}, j: j} }

func (f *fakeAddrs) AddVIP(_ netif.Link, vip netip.Addr) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.marked[vip] = true
	f.j.add("add")
	return nil
}

func (f *fakeAddrs) RemoveVIP(_ netif.Link, vip netip.Addr) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.marked[vip]; ok {
		f.j.add("remove")
	}
	delete(f.marked, vip)
	return nil
}

func (f *fakeAddrs) ListVIPs(netif.Link) ([]netif.VIP, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []netif.VIP
	for a, m := range f.marked {
		if m {
			out = append(out, netif.VIP{Addr: a})
		}
	}
	return out, nil
}

// put adds an address from outside the agent, marked or not.
func (f *fakeAddrs) put(a netip.Addr, marked bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.marked[a] = marked
}

// has reports whether the address is on the interface.
func (f *fakeAddrs) has(a netip.Addr) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.marked[a]
	return ok
}

// fakeConn is a VRRP socket: Receive returns what the test injects, Send
// records the priority of every advert sent.
type fakeConn struct {
	src  netip.Addr
	in   chan transport.Packet
	j    *journal
	mu   sync.Mutex
	sent []uint8
}

func newFakeConn(src netip.Addr, j *journal) *fakeConn {
	return &fakeConn{src: src, in: make(chan transport.Packet, 16), j: j}
}

func (c *fakeConn) Receive(ctx context.Context) (transport.Packet, error) {
	select {
	case p := <-c.in:
		return p, nil
	case <-ctx.Done():
		return transport.Packet{}, ctx.Err()
	}
}

func (c *fakeConn) Send(payload []byte, dst netip.Addr) error {
	fam := packet.IPv4
	if c.src.Is6() {
		fam = packet.IPv6
	}
	adv, err := packet.Parse(payload, fam)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sent = append(c.sent, adv.Priority)
	c.j.add(fmt.Sprintf("send %d", adv.Priority))
	return nil
}

func (c *fakeConn) Source() netip.Addr { return c.src }
func (c *fakeConn) Close() error       { return nil }

// lastSent returns the priority of the last advert sent, and whether any was.
func (c *fakeConn) lastSent() (uint8, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.sent) == 0 {
		return 0, false
	}
	return c.sent[len(c.sent)-1], true
}

// fakeAnnouncer counts bursts.
type fakeAnnouncer struct {
	mu     sync.Mutex
	bursts int
}

func (f *fakeAnnouncer) Start(context.Context, []netip.Addr) agent.Stopper {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.bursts++
	return stopper{}
}

func (f *fakeAnnouncer) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.bursts
}

type stopper struct{}

func (stopper) Stop() error { return nil }

// fakeCheck is a health check whose outcome the test sets.
type fakeCheck struct {
	mu   sync.Mutex
	fail error
}

func (c *fakeCheck) Check(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fail
}

func (c *fakeCheck) String() string { return "fake" }

func (c *fakeCheck) set(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fail = err
}

// eventually polls cond every 10 ms for at most 3 s.
func eventually(cond func() bool) bool {
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}
