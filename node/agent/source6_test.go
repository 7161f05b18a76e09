package agent_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/node/agent"
	"github.com/failoverkit/ipfailover/node/netif"
)

// linkLocals is the interface's usable link-local address as the IPv6
// SourceLookup sees it; the zero Addr means none.
type linkLocals struct {
	mu sync.Mutex
	ll netip.Addr
}

func (l *linkLocals) set(a netip.Addr) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ll = a
}

func (l *linkLocals) lookup(_ netif.Link, _ netip.Addr) (netip.Addr, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.ll.IsValid() {
		return netip.Addr{}, netif.ErrNoLinkLocal
	}
	return l.ll, nil
}

// mixed is an agent, the owner (priority 255), of an IPv4 group (vip) and
// an IPv6 group (vip6) on fakes.
type mixed struct {
	t            *testing.T
	addrs        *fakeAddrs
	conn6        *settableConn
	lls          *linkLocals
	events       chan netif.AddrEvent
	m            *agent.Metrics
	h            http.Handler
	vrid4, vrid6 string
}

var (
	vip6     = netip.MustParseAddr("2001:db8::100")
	ll1, ll2 = netip.MustParseAddr("fe80::1"), netip.MustParseAddr("fe80::2")
)

func startMixed(t *testing.T) *mixed {
	t.Helper()
	cfg := contract.ImageDefaults()
	cfg.Name = "unit"
	ranges, _, err := contract.ParseVIPEntries([]string{vip.String(), vip6.String()})
	if err != nil {
		t.Fatal(err)
	}
	cfg.VIPs, cfg.Interface, cfg.MonitorPort = ranges, "eth0", 0
	cfg.VRRPVersion, cfg.AdvertInterval, cfg.Priority = 3, 100*time.Millisecond, 255
	groups, err := cfg.Groups()
	if err != nil || len(groups) != 2 || groups[1].VIPs[0] != vip6 {
		t.Fatalf("groups %v, %v", groups, err)
	}
	j := &journal{}
	x := &mixed{t: t, addrs: newFakeAddrs(j), conn6: &settableConn{fakeConn: newFakeConn(ll1, j)}, lls: &linkLocals{ll: ll1},
		events: make(chan netif.AddrEvent, 16), m: agent.NewMetrics(),
		vrid4: strconv.Itoa(groups[0].VRID), vrid6: strconv.Itoa(groups[1].VRID)}
	a, err := agent.New(cfg, agent.Deps{
		Link: netif.Link{Name: "eth0", Index: 2}, Addrs: x.addrs, Conn4: newFakeConn(self, j), Conn6: x.conn6,
		Announcer: &fakeAnnouncer{}, AddrEvents: x.events, Source6: x.lls.lookup, Metrics: x.m, Log: slog.New(slog.DiscardHandler),
	}, agent.Options{Self: []netip.Addr{self, ll1}, ReconcileEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	x.h = a.Handler()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Error(err)
			}
		case <-time.After(5 * time.Second):
			t.Error("Run did not return within 5s of cancel")
		}
	})
	return x
}

// want waits until the groups are in the states (2 master, 3 fault), the
// IPv4 VIP is held, the IPv6 VIP is held or not, and /readyz answers code.
func (x *mixed) want(what string, s4, s6 float64, held6 bool, code int) {
	x.t.Helper()
	ready := func() int {
		w := httptest.NewRecorder()
		x.h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		return w.Code
	}
	state := func(vrid string) float64 { return gaugeWith(x.t, x.m, "ipfailover_vrrp_state", "vrid", vrid) }
	if !eventually(func() bool {
		return state(x.vrid4) == s4 && state(x.vrid6) == s6 && x.addrs.has(vip) && x.addrs.has(vip6) == held6 && ready() == code
	}) {
		x.t.Fatalf("%s: states %v/%v, IPv4 VIP %v, IPv6 VIP %v (want %v), /readyz %d (want %d)", what,
			state(x.vrid4), state(x.vrid6), x.addrs.has(vip), x.addrs.has(vip6), held6, ready(), code)
	}
}

// TestIPv6SourceLostFaultsOnlyIPv6Groups: the owner of an IPv4 and an IPv6
// group loses its link-local address, the IPv6 advert source (RFC 9568
// §5.1.2.1): the IPv6 group goes to FAULT and releases its VIP, the IPv4
// group stays master with its VIP, and /readyz stays 200 (not every group
// lacks its source). A different link-local brings the IPv6 group back,
// its adverts leaving from the new address.
func TestIPv6SourceLostFaultsOnlyIPv6Groups(t *testing.T) {
	x := startMixed(t)
	x.want("start", 2, 2, true, http.StatusOK)

	x.lls.set(netip.Addr{})
	x.events <- netif.AddrEvent{Prefix: netip.PrefixFrom(ll1, 64)}
	x.want("link-local deleted", 2, 3, false, http.StatusOK)

	x.lls.set(ll2)
	x.events <- netif.AddrEvent{Prefix: netip.PrefixFrom(ll2, 64), Added: true}
	x.want("new link-local", 2, 2, true, http.StatusOK)
	if got := x.conn6.Source(); got != ll2 {
		t.Errorf("IPv6 adverts leave from %v, want %v", got, ll2)
	}
}

// TestIPv6SendFailuresFaultOnlyIPv6Groups: IPv6 adverts that cannot be
// sent for an interval fault the IPv6 group only; the IPv4 group keeps its
// master and VIP. Once sends work, the IPv6 group comes back after the
// retry delay (1 s).
func TestIPv6SendFailuresFaultOnlyIPv6Groups(t *testing.T) {
	x := startMixed(t)
	x.want("start", 2, 2, true, http.StatusOK)
	x.conn6.fail.Store(true)
	x.want("IPv6 sends fail", 2, 3, false, http.StatusOK)
	x.conn6.fail.Store(false)
	x.want("IPv6 sends work again", 2, 2, true, http.StatusOK)
}

// settableConn is a fakeConn whose source can change
// (transport.SourceSetter) and whose sends fail while fail is set.
type settableConn struct {
	*fakeConn
	fail atomic.Bool
	mu   sync.Mutex
	src  netip.Addr
}

func (c *settableConn) Send(payload []byte, dst netip.Addr) error {
	if c.fail.Load() {
		return syscall.ENETUNREACH
	}
	return c.fakeConn.Send(payload, dst)
}

func (c *settableConn) SetSource(src netip.Addr) error {
	if !src.IsValid() {
		return errors.New("invalid source")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.src = src
	return nil
}

func (c *settableConn) Source() netip.Addr {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.src.IsValid() {
		return c.src
	}
	return c.fakeConn.Source()
}

// gaugeWith reads the gauge name with the label set to value.
func gaugeWith(t *testing.T, m *agent.Metrics, name, label, value string) float64 {
	t.Helper()
	mfs, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, s := range mf.GetMetric() {
			for _, l := range s.GetLabel() {
				if l.GetName() == label && l.GetValue() == value {
					return s.GetGauge().GetValue()
				}
			}
		}
	}
	return -1
}
