package agent

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"

	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/node/announce"
	"github.com/failoverkit/ipfailover/node/check"
	"github.com/failoverkit/ipfailover/node/fw"
	"github.com/failoverkit/ipfailover/node/netif"
	"github.com/failoverkit/ipfailover/node/notify"
	"github.com/failoverkit/ipfailover/node/procexec"
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
//
// It does three jobs, in this order: find the link and the node's addresses
// (inspectHost), open the VRRP and announcement sockets on it (rt.bind),
// and prepare the firewall, check and notify adapters (scriptDeps).
func Setup(cfg contract.Config, opts SetupOptions, log *slog.Logger) (_ *Runtime, err error) {
	eff, err := effectiveCapabilities()
	if err != nil {
		return nil, fmt.Errorf("checking the agent's capabilities: %w", err)
	}
	if err := checkCapabilities(eff); err != nil {
		return nil, err
	}
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

	h, err := inspectHost(addrs, cfg, log)
	if err != nil {
		return nil, err
	}
	deps := Deps{Link: h.link, Addrs: addrs, Log: log, Metrics: NewMetrics()}
	if err := rt.bind(addrs, cfg, opts, h, &deps); err != nil {
		return nil, err
	}
	if err := scriptDeps(cfg, opts, h.primary4, log, &deps); err != nil {
		return nil, err
	}

	linkEvents, cancelLink, err := addrs.WatchLink(h.link)
	if err != nil {
		log.Warn("cannot watch the interface; losing its carrier will not fault the groups", "interface", h.link.Name, "err", err)
	} else {
		rt.closers = append(rt.closers, cancelLink)
		deps.LinkEvents = linkEvents
	}
	o := opts.Options
	o.Self = append([]netip.Addr{h.primary4}, h.self...)
	if !h.primary4.IsValid() {
		o.Self = h.self
	}
	a, err := New(cfg, deps, o)
	if err != nil {
		return nil, err
	}
	rt.Agent = a
	return rt, nil
}

// host is what Setup learns about the link before opening anything on it.
type host struct {
	link         netif.Link
	need4, need6 bool         // some group is IPv4, IPv6
	self         []netip.Addr // the link's own addresses
	primary4     netip.Addr   // the link's primary IPv4 address, if any
}

// inspectHost resolves the link, the families the groups need and the
// node's own addresses, and refuses VIPs that are the node's own.
func inspectHost(addrs *netif.Manager, cfg contract.Config, log *slog.Logger) (host, error) {
	var h host
	link, err := resolveLink(addrs, cfg.Interface, log)
	if err != nil {
		return h, err
	}
	h.link = link
	groups, err := cfg.Groups()
	if err != nil {
		return h, err
	}
	for _, g := range groups {
		h.need4 = h.need4 || !g.IPv6()
		h.need6 = h.need6 || g.IPv6()
	}
	if h.self, err = ownAddresses(link); err != nil {
		return h, err
	}
	if err := vipsNotOwn(link, groups); err != nil {
		return h, err
	}
	if p, err := addrs.PrimaryIPv4(link); err == nil {
		h.primary4 = p.Addr()
	} else if h.need4 {
		return h, fmt.Errorf("interface %s (%s) has no IPv4 address to send VRRP adverts from: %w", link.Name, contract.EnvInterface, err)
	}
	return h, nil
}

// bind opens the VRRP and announcement sockets on the link and fills the
// binding part of deps, including the rebinding the agent does when the
// interface is re-created.
func (rt *Runtime) bind(addrs *netif.Manager, cfg contract.Config, opts SetupOptions, h host, deps *Deps) error {
	b := &binder{cfg: cfg, addrs: addrs, need4: h.need4, need6: h.need6, self: h.self, announce: opts.Announce, llWait: opts.LinkLocalWait}
	var src netip.Addr
	if h.need4 {
		src = h.primary4
		configured := ""
		if cfg.Unicast() && cfg.UnicastSource.IsValid() {
			src, configured = cfg.UnicastSource, contract.EnvUnicastSource
		} else if !cfg.Unicast() && cfg.MulticastSource.IsValid() {
			src, configured = cfg.MulticastSource, contract.EnvMulticastSource
		}
		if configured != "" && !slices.Contains(h.self, src) {
			// Adverts from an address the node lacks fail or are dropped:
			// the backups would take over while this node holds the VIPs.
			return fmt.Errorf("%s=%s: interface %s has no such address (it has %v): set the node's own address or leave it empty", configured, src, h.link.Name, h.self)
		}
		b.source = followSource(addrs, configured == "")
		deps.Source4 = b.source
	}
	if h.need6 {
		deps.Source6 = followLinkLocal(addrs)
	}
	bd, err := b.open(h.link, src)
	if err != nil {
		return err
	}
	// The agent swaps bindings when the interface is re-created; whichever
	// is current when the runtime closes is closed then.
	current := bd
	rt.closers = append(rt.closers, func() { current.Close() })
	deps.Conn4, deps.Conn6, deps.Announcer, deps.AddrEvents = bd.Conn4, bd.Conn6, bd.Announcer, bd.AddrEvents
	deps.Rebind = func(name string, cur netip.Addr) (*Binding, error) {
		nb, err := b.rebind(name, cur)
		if err == nil {
			current = nb
		}
		return nb, err
	}
	deps.Binding = bd
	return nil
}

// scriptDeps prepares the adapters that act on the host beside VRRP: the
// iptables rule, the health check and the notify script. A check script that
// cannot run is fatal; a notify script that cannot run is only a warning.
func scriptDeps(cfg contract.Config, opts SetupOptions, primary4 netip.Addr, log *slog.Logger, deps *Deps) error {
	if cfg.FirewallChain() != "" {
		backend, err := fw.ParseBackend(cfg.IPTablesBackend)
		if err != nil {
			return fmt.Errorf("%s: %w", contract.EnvIPTablesBackend, err)
		}
		m, err := fw.New(fw.Config{Name: cfg.Name, Backend: backend})
		if err != nil {
			return fmt.Errorf("setting up iptables: %w", err)
		}
		deps.Firewall = m
	}
	if cfg.CheckScript != "" {
		if err := procexec.Diagnose(cfg.CheckScript); err != nil {
			return fmt.Errorf("%s=%q: %w", contract.EnvCheckScript, cfg.CheckScript, err)
		}
	}
	var err error
	if deps.Checker, err = check.ForConfig(cfg, primary4); err != nil {
		return err
	}
	notifyTimeout := opts.NotifyTimeout
	if notifyTimeout == 0 {
		notifyTimeout = 10 * time.Second
	}
	if cfg.NotifyScript != "" {
		if err := procexec.Diagnose(cfg.NotifyScript); err != nil {
			// Notifications do not decide who holds a VIP: say so loudly
			// and keep going; every call will fail the same way.
			log.Warn("the notify script cannot run", "variable", contract.EnvNotifyScript, "reason", string(procexec.ReasonOf(err)), "err", err)
		}
	}
	notifyFailures := deps.Metrics.ScriptErrors.MustCurryWith(prometheus.Labels{"script": "notify"})
	deps.Notifier = notify.New(cfg.NotifyScript, notifyTimeout, log, func(r procexec.Reason) {
		notifyFailures.WithLabelValues(string(r)).Inc()
	})
	return nil
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

// effectiveCapabilities returns the CapEff field of /proc/self/status.
func effectiveCapabilities() (string, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "CapEff:"); ok {
			return strings.TrimSpace(v), nil
		}
	}
	return "", errors.New("/proc/self/status has no CapEff line")
}

// followSource looks the IPv4 advert source up after an address change:
// the current one while the interface has it; otherwise, when follow is
// set, the interface's primary IPv4 address (a configured source is never
// replaced).
func followSource(m *netif.Manager, follow bool) SourceLookup {
	return func(link netif.Link, cur netip.Addr) (netip.Addr, error) {
		have, err := ownAddresses(link)
		if err != nil {
			// Netlink failed, the address may well be there: keep it.
			return cur, nil
		}
		if slices.Contains(have, cur) {
			return cur, nil
		}
		if !follow {
			return netip.Addr{}, fmt.Errorf("the configured source %s is no longer on %s", cur, link.Name)
		}
		p, err := m.PrimaryIPv4(link)
		if err != nil {
			if errors.Is(err, netif.ErrNoPrimaryIPv4) {
				return netip.Addr{}, err
			}
			return cur, nil
		}
		return p.Addr(), nil
	}
}

// followLinkLocal looks the IPv6 advert source up after an address change.
// RFC 9568 §5.1.2.1 makes it the interface's link-local address: the
// current one while it is usable, otherwise another usable one (deleted
// and a different fe80:: added). None is an error: deleted, or tentative
// while DAD runs, since the kernel refuses to send from it.
func followLinkLocal(m *netif.Manager) SourceLookup {
	return func(link netif.Link, cur netip.Addr) (netip.Addr, error) {
		ll, err := m.LinkLocalIPv6Prefer(link, cur)
		switch {
		case err == nil:
			return ll.WithZone(""), nil
		case errors.Is(err, netif.ErrNoLinkLocal), errors.Is(err, netif.ErrTentative), errors.Is(err, netif.ErrDADFailed):
			return netip.Addr{}, err
		}
		// Netlink failed, the address may well be there: keep it.
		return cur, nil
	}
}

// vipsNotOwn refuses a VIP that is one of the node's own addresses on the
// interface (present with a prefix shorter than a host route: the agent's
// VIPs are /32 and /128): the agent would remove the node's address when
// it is not master.
func vipsNotOwn(link netif.Link, groups []contract.Group) error {
	nl, err := netlink.LinkByIndex(link.Index)
	if err != nil {
		return fmt.Errorf("interface %s: %w", link.Name, err)
	}
	list, err := netlink.AddrList(nl, netlink.FAMILY_ALL)
	if err != nil {
		return fmt.Errorf("listing addresses of %s: %w", link.Name, err)
	}
	for _, a := range list {
		ip, ok := netip.AddrFromSlice(a.IP)
		if !ok {
			continue
		}
		ip = ip.Unmap()
		ones, bits := a.Mask.Size()
		if ones == bits {
			continue // a host route: a VIP left behind, removed at start
		}
		for _, g := range groups {
			if slices.Contains(g.VIPs, ip) {
				return fmt.Errorf("%s: %s is the node's own address on %s (%s/%d), not a virtual IP: remove it from the list",
					contract.EnvVirtualIPs, ip, link.Name, ip, ones)
			}
		}
	}
	return nil
}
