package agent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"

	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/node/announce"
	"github.com/failoverkit/ipfailover/node/check"
	"github.com/failoverkit/ipfailover/node/fw"
	"github.com/failoverkit/ipfailover/node/netif"
	"github.com/failoverkit/ipfailover/node/notify"
	"github.com/failoverkit/ipfailover/node/transport"
)

// Runtime is an agent wired to the real kernel interfaces of the calling
// thread's network namespace.
type Runtime struct {
	*Agent
	closers []func()
}

// Close releases sockets, the netlink subscription and handles. It is safe
// on a nil Runtime.
func (r *Runtime) Close() {
	if r == nil {
		return
	}
	for i := len(r.closers) - 1; i >= 0; i-- {
		r.closers[i]()
	}
}

// SetupOptions tune the real wiring.
type SetupOptions struct {
	Options
	// Announce tunes the gratuitous ARP / NA bursts.
	Announce announce.Config
	// LinkLocalWait bounds the wait for a usable IPv6 link-local address
	// (DAD); 0 means 10s.
	LinkLocalWait time.Duration
}

// Setup resolves the interface and opens every adapter cfg needs. Errors
// name the setting at fault. Nothing is changed on the host yet: Run does that.
func Setup(cfg contract.Config, opts SetupOptions, log *slog.Logger) (_ *Runtime, err error) {
	rt := &Runtime{}
	defer func() {
		if err != nil {
			rt.Close()
		}
	}()
	addrs, err := netif.Open(netns.None())
	if err != nil {
		return nil, fmt.Errorf("opening netlink: %w", err)
	}
	rt.closers = append(rt.closers, func() { addrs.Close() })

	link, err := resolveLink(addrs, cfg.Interface, log)
	if err != nil {
		return nil, err
	}
	groups, err := cfg.Groups()
	if err != nil {
		return nil, err
	}
	need4, need6 := false, false
	for _, g := range groups {
		need4 = need4 || !g.IPv6()
		need6 = need6 || g.IPv6()
	}
	self, err := ownAddresses(link)
	if err != nil {
		return nil, err
	}
	var primary4 netip.Addr
	if p, err := addrs.PrimaryIPv4(link); err == nil {
		primary4 = p.Addr()
	} else if need4 {
		return nil, fmt.Errorf("interface %s (%s) has no IPv4 address to send VRRP adverts from: %w", link.Name, contract.EnvInterface, err)
	}
	ifi, err := net.InterfaceByIndex(link.Index)
	if err != nil {
		return nil, fmt.Errorf("interface %s: %w", link.Name, err)
	}
	deps := Deps{Link: link, Addrs: addrs, Log: log, Metrics: NewMetrics()}
	if need4 {
		src := primary4
		if cfg.Unicast() && cfg.UnicastSource.IsValid() {
			src = cfg.UnicastSource
		} else if !cfg.Unicast() && cfg.MulticastSource.IsValid() {
			src = cfg.MulticastSource
		}
		c, err := transport.ListenIPv4(ifi, src, self, !cfg.Unicast())
		if err != nil {
			return nil, err
		}
		rt.closers = append(rt.closers, func() { c.Close() })
		deps.Conn4 = c
	}
	if need6 {
		ll, err := waitLinkLocal(addrs, link, opts.LinkLocalWait)
		if err != nil {
			return nil, err
		}
		c, err := transport.ListenIPv6(ifi, ll, self, !cfg.Unicast())
		if err != nil {
			return nil, err
		}
		rt.closers = append(rt.closers, func() { c.Close() })
		deps.Conn6 = c
	}
	sender, err := announce.NewLinkSender(link.Name)
	if err != nil {
		return nil, fmt.Errorf("opening the announcement socket on %s: %w", link.Name, err)
	}
	rt.closers = append(rt.closers, func() { sender.Close() })
	ann := announce.New(sender, opts.Announce)
	deps.Announcer = AnnouncerFunc(func(ctx context.Context, vips []netip.Addr) Stopper { return ann.Start(ctx, vips) })

	if cfg.FirewallChain() != "" {
		backend, err := fw.ParseBackend(cfg.IPTablesBackend)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", contract.EnvIPTablesBackend, err)
		}
		m, err := fw.New(fw.Config{Name: cfg.Name, Backend: backend})
		if err != nil {
			return nil, fmt.Errorf("setting up iptables: %w", err)
		}
		deps.Firewall = m
	}
	if deps.Checker, err = check.ForConfig(cfg, primary4); err != nil {
		return nil, err
	}
	notifyTimeout := opts.NotifyTimeout
	if notifyTimeout == 0 {
		notifyTimeout = 10 * time.Second
	}
	deps.Notifier = notify.New(cfg.NotifyScript, notifyTimeout, log)

	events, cancel, err := addrs.Subscribe(link)
	if err != nil {
		log.Warn("cannot subscribe to address changes; relying on periodic reconcile", "err", err)
	} else {
		rt.closers = append(rt.closers, cancel)
		deps.AddrEvents = events
	}
	linkEvents, cancelLink, err := addrs.WatchLink(link)
	if err != nil {
		log.Warn("cannot watch the interface; losing its carrier will not fault the groups", "interface", link.Name, "err", err)
	} else {
		rt.closers = append(rt.closers, cancelLink)
		deps.LinkEvents = linkEvents
	}
	o := opts.Options
	o.Self = append([]netip.Addr{primary4}, self...)
	if !primary4.IsValid() {
		o.Self = self
	}
	a, err := New(cfg, deps, o)
	if err != nil {
		return nil, err
	}
	rt.Agent = a
	return rt, nil
}

// resolveLink finds the configured interface, or the default route's
// interface when none is configured; a named interface that does not exist
// is an error, never a silent fallback.
func resolveLink(m *netif.Manager, name string, log *slog.Logger) (netif.Link, error) {
	if name != "" {
		l, err := m.LinkByName(name)
		if err != nil {
			return netif.Link{}, fmt.Errorf("%s=%q: %w", contract.EnvInterface, name, err)
		}
		return l, nil
	}
	// Equivalent to: ip route get 192.0.2.1 -- a lookup in the routing
	// table, nothing is sent.
	routes, err := netlink.RouteGet(net.IPv4(192, 0, 2, 1))
	if err != nil || len(routes) == 0 || routes[0].LinkIndex == 0 {
		return netif.Link{}, fmt.Errorf("%s is not set and there is no default route to pick an interface from: set it", contract.EnvInterface)
	}
	nl, err := netlink.LinkByIndex(routes[0].LinkIndex)
	if err != nil {
		return netif.Link{}, fmt.Errorf("default route interface: %w", err)
	}
	log.Info("no interface configured: using the default route's", "interface", nl.Attrs().Name)
	return m.LinkByName(nl.Attrs().Name)
}

// ownAddresses lists every address on the link, so adverts from this node
// are never taken for a peer's.
func ownAddresses(link netif.Link) ([]netip.Addr, error) {
	nl, err := netlink.LinkByIndex(link.Index)
	if err != nil {
		return nil, fmt.Errorf("interface %s: %w", link.Name, err)
	}
	list, err := netlink.AddrList(nl, netlink.FAMILY_ALL)
	if err != nil {
		return nil, fmt.Errorf("listing addresses of %s: %w", link.Name, err)
	}
	var out []netip.Addr
	for _, a := range list {
		if ip, ok := netip.AddrFromSlice(a.IP); ok {
			out = append(out, ip.Unmap())
		}
	}
	return out, nil
}

func waitLinkLocal(m *netif.Manager, link netif.Link, wait time.Duration) (netip.Addr, error) {
	if wait == 0 {
		wait = 10 * time.Second
	}
	deadline := time.Now().Add(wait)
	for {
		ll, err := m.LinkLocalIPv6(link)
		if err == nil {
			return ll.WithZone(""), nil
		}
		if !errors.Is(err, netif.ErrTentative) || time.Now().After(deadline) {
			return netip.Addr{}, fmt.Errorf("IPv6 VRRP on %s needs a usable link-local address: %w", link.Name, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
