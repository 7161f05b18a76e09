package agent_test

import (
	"context"
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

// batchAddrs is fakeAddrs with AddVIPs, as *netif.Manager has it.
type batchAddrs struct {
	*fakeAddrs
	calls [][]netip.Addr
}

func (b *batchAddrs) AddVIPs(l netif.Link, vips []netip.Addr) error {
	b.fakeAddrs.mu.Lock()
	b.calls = append(b.calls, slices.Clone(vips))
	b.fakeAddrs.mu.Unlock()
	for _, v := range vips {
		if err := b.AddVIP(l, v); err != nil {
			return err
		}
	}
	return nil
}

// TestTakeoverSendsAdvertsBeforeAddingVIPs: 20 groups of 3 VIPs becoming
// master together send all 20 adverts before any VIP is added, then add
// all 60 VIPs in one AddVIPs call and start 20 bursts.
func TestTakeoverSendsAdvertsBeforeAddingVIPs(t *testing.T) {
	cfg := contract.ImageDefaults()
	cfg.Name = "unit"
	ranges, _, err := contract.ParseVIPEntries([]string{"192.0.2.101-160"})
	if err != nil {
		t.Fatal(err)
	}
	cfg.VIPs, cfg.VIPGroups, cfg.VRIDOffset = ranges, 20, 0
	cfg.Interface, cfg.MonitorPort, cfg.VRRPVersion = "eth0", 0, 3
	cfg.AdvertInterval, cfg.CheckInterval = 100*time.Millisecond, time.Second
	cfg.Priority = 255 // master at once
	j := &journal{}
	addrs := &batchAddrs{fakeAddrs: newFakeAddrs(j)}
	ann := &fakeAnnouncer{}
	a, err := agent.New(cfg, agent.Deps{
		Link: netif.Link{Name: "eth0", Index: 2}, Addrs: addrs, Conn4: newFakeConn(self, j), Announcer: ann,
		Metrics: agent.NewMetrics(), Log: slog.New(slog.DiscardHandler),
	}, agent.Options{Self: []netip.Addr{self}, ReconcileEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
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
	addrs.fakeAddrs.mu.Lock()
	calls := addrs.calls
	addrs.fakeAddrs.mu.Unlock()
	if len(calls) != 1 || len(calls[0]) != 60 {
		lens := []int{}
		for _, c := range calls {
			lens = append(lens, len(c))
		}
		t.Errorf("AddVIPs calls of %v VIPs, want one of 60", lens)
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
