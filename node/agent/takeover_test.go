package agent_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/node/agent"
	"github.com/failoverkit/ipfailover/node/netif"
)

// batchAddrs is fakeAddrs with AddVIPs, as *netif.Manager has it; each
// VIP the call adds takes perVIP, as the kernel's addition does.
type batchAddrs struct {
	*fakeAddrs
	perVIP time.Duration
	calls  [][]netip.Addr
}

func (b *batchAddrs) AddVIPs(l netif.Link, vips []netip.Addr) error {
	b.fakeAddrs.mu.Lock()
	b.calls = append(b.calls, slices.Clone(vips))
	b.fakeAddrs.mu.Unlock()
	for _, v := range vips {
		time.Sleep(b.perVIP)
		if err := b.AddVIP(l, v); err != nil {
			return err
		}
	}
	return nil
}

func (b *batchAddrs) callLens() []int {
	b.fakeAddrs.mu.Lock()
	defer b.fakeAddrs.mu.Unlock()
	var lens []int
	for _, c := range b.calls {
		lens = append(lens, len(c))
	}
	return lens
}

// masterAtOnce returns an agent of groups groups of 3 IPv4 VIPs each, at
// priority 255 (master at once) and 100 ms adverts, on fakes; each VIP
// added takes perVIP.
func masterAtOnce(t *testing.T, groups int, perVIP time.Duration) (*agent.Agent, *journal, *batchAddrs, *fakeAnnouncer) {
	t.Helper()
	cfg := contract.ImageDefaults()
	cfg.Name = "unit"
	ranges, _, err := contract.ParseVIPEntries([]string{fmt.Sprintf("192.0.2.1-%d", 3*groups)})
	if err != nil {
		t.Fatal(err)
	}
	cfg.VIPs, cfg.VIPGroups, cfg.VRIDOffset = ranges, groups, 0
	cfg.Interface, cfg.MonitorPort, cfg.VRRPVersion = "eth0", 0, 3
	cfg.AdvertInterval, cfg.CheckInterval = 100*time.Millisecond, time.Second
	cfg.Priority = 255
	j := &journal{}
	addrs := &batchAddrs{fakeAddrs: newFakeAddrs(j), perVIP: perVIP}
	ann := &fakeAnnouncer{}
	a, err := agent.New(cfg, agent.Deps{
		Link: netif.Link{Name: "eth0", Index: 2}, Addrs: addrs, Conn4: newFakeConn(self, j), Announcer: ann,
		Metrics: agent.NewMetrics(), Log: slog.New(slog.DiscardHandler),
	}, agent.Options{Self: []netip.Addr{self}, ReconcileEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return a, j, addrs, ann
}

// TestTakeoverSendsAdvertsBeforeAddingVIPs: 20 groups of 3 VIPs becoming
// master together send all 20 adverts before any VIP is added, then add
// all 60 VIPs, each group's in one AddVIPs call, and start 20 bursts.
func TestTakeoverSendsAdvertsBeforeAddingVIPs(t *testing.T) {
	a, j, addrs, ann := masterAtOnce(t, 20, 0)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	defer cancel()
	if !eventually(func() bool { return ann.count() == 20 }) {
		t.Fatalf("%d bursts, want 20", ann.count())
	}
	entries := j.snapshot()
	firstAdd := slices.Index(entries, "add")
	if firstAdd < 0 {
		t.Fatalf("no VIP added: %v", entries)
	}
	if sends := slices.DeleteFunc(slices.Clone(entries[:firstAdd]), func(e string) bool { return e != "send 255" }); len(sends) < 20 {
		t.Errorf("%d adverts before the first VIP was added, want all 20: %v", len(sends), entries)
	}
	lens, sum := addrs.callLens(), 0
	for _, n := range lens {
		sum += n
		if n%3 != 0 {
			t.Errorf("an AddVIPs call of %d VIPs splits a group of 3: %v", n, lens)
		}
	}
	if sum != 60 {
		t.Errorf("AddVIPs calls of %v VIPs, want 60 in all", lens)
	}

	// Stopping: all 20 goodbyes (priority 0) before the first VIP goes.
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return within 5s")
	}
	entries = j.snapshot()
	firstRemove := slices.Index(entries, "remove")
	if firstRemove < 0 {
		t.Fatalf("no VIP removed at shutdown: %v", entries)
	}
	if n := len(slices.DeleteFunc(slices.Clone(entries[:firstRemove]), func(e string) bool { return e != "send 0" })); n != 20 {
		t.Errorf("%d goodbyes before the first VIP was removed, want 20: %v", n, entries[firstAdd:])
	}
	if n := strings.Count(strings.Join(entries, ","), "remove"); n != 60 {
		t.Errorf("%d VIPs removed at shutdown, want 60", n)
	}
}

// TestTakeoverAddsVIPsInChunks: 60 groups becoming master together, each
// VIP taking 1 ms to add (the kernel's cost at a thousand addresses is a
// third to a half of that), add their 180 VIPs in chunks of about
// chunkBudget, and the loop sends the groups' next adverts, due 100 ms
// after the first, between two chunks rather than after the last one.
func TestTakeoverAddsVIPsInChunks(t *testing.T) {
	a, j, addrs, ann := masterAtOnce(t, 60, time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("Run did not return within 5s")
		}
	}()
	if !eventually(func() bool { return ann.count() == 60 }) {
		t.Fatalf("%d bursts, want 60", ann.count())
	}
	lens := addrs.callLens()
	// 10 ms of 1 ms additions is 10 VIPs, three or four groups; twice that
	// leaves room for a loaded machine's slow chunk.
	if len(lens) < 5 || slices.Max(lens) > 21 {
		t.Errorf("AddVIPs calls of %v VIPs, want chunks of at most 21", lens)
	}
	entries := j.snapshot()
	firstAdd, lastAdd := slices.Index(entries, "add"), -1
	for i, e := range entries {
		if e == "add" {
			lastAdd = i
		}
	}
	if firstAdd < 0 {
		t.Fatalf("no VIP added: %v", entries)
	}
	if n := len(slices.DeleteFunc(slices.Clone(entries[firstAdd:lastAdd]), func(e string) bool { return e != "send 255" })); n < 60 {
		t.Errorf("%d adverts sent while VIPs were being added, want at least the 60 due 100 ms after the first (calls %v)", n, lens)
	}
}
