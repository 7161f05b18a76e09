//go:build linux

package netif

import (
	"errors"
	"fmt"
	"net"
	"sync"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netlink/nl"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// dumpRetries bounds how often an interrupted address dump is retried.
const dumpRetries = 5

// Manager reads and changes the addresses of interfaces in one network
// namespace. It is safe for concurrent use; every call is one or a few
// netlink round trips.
type Manager struct {
	ns    netns.NsHandle   // namespace of every socket (the caller's); None: the calling thread's
	h     *netlink.Handle  // link lookups
	rt    *nl.SocketHandle // our own address requests (IFA_PROTO support)
	proto uint8

	closeOnce sync.Once
}

// Option configures a Manager.
type Option func(*Manager)

// WithAddrProto sets the IFA_PROTO value that marks our VIPs (default
// DefaultAddrProto). Every agent and cleanup job of a cluster must use the
// same value.
func WithAddrProto(p uint8) Option { return func(m *Manager) { m.proto = p } }

// Open returns a Manager whose netlink sockets live in namespace ns. Pass
// netns.None() for the namespace of the calling thread: then no namespace
// is ever entered (setns needs CAP_SYS_ADMIN, which the agent's pod does not
// have), sockets are created where the caller runs, and subscriptions are
// opened in the namespace of the thread that calls Subscribe or WatchLink:
// the agent runs every thread in the host's namespace. The caller keeps
// ownership of ns and must keep it open until Close.
func Open(ns netns.NsHandle, opts ...Option) (*Manager, error) {
	m := &Manager{ns: ns, proto: DefaultAddrProto}
	for _, o := range opts {
		o(m)
	}
	h, err := netlink.NewHandleAt(m.ns, unix.NETLINK_ROUTE)
	if err != nil {
		return nil, fmt.Errorf("netif: netlink handle in namespace %s: %w", m.ns, err)
	}
	s, err := nl.GetNetlinkSocketAt(m.ns, netns.None(), unix.NETLINK_ROUTE)
	if err != nil {
		h.Close()
		return nil, fmt.Errorf("netif: netlink socket in namespace %s: %w", m.ns, err)
	}
	m.h, m.rt = h, &nl.SocketHandle{Socket: s}
	return m, nil
}

// Close releases the sockets. Subscriptions must be cancelled separately.
func (m *Manager) Close() error {
	m.closeOnce.Do(func() {
		m.h.Close()
		m.rt.Close()
	})
	return nil
}

// LinkByName resolves an interface by name. A missing interface is an error
// wrapping ErrLinkNotFound; there is no fallback to another interface.
//
// Equivalent to: `ip link show dev $name`
func (m *Manager) LinkByName(name string) (Link, error) {
	l, err := m.h.LinkByName(name)
	if err != nil {
		var nf netlink.LinkNotFoundError
		if errors.As(err, &nf) || errors.Is(err, unix.ENODEV) {
			return Link{}, fmt.Errorf("interface %q: %w", name, ErrLinkNotFound)
		}
		return Link{}, fmt.Errorf("looking up interface %q: %w", name, err)
	}
	a := l.Attrs()
	return Link{
		Name:      a.Name,
		Index:     a.Index,
		MAC:       append(net.HardwareAddr(nil), a.HardwareAddr...),
		MTU:       a.MTU,
		EncapType: a.EncapType,
		Up:        a.Flags&net.FlagUp != 0,
		Running:   a.RawFlags&unix.IFF_RUNNING != 0,
	}, nil
}

// addrs dumps the addresses of one interface, all families.
//
// Equivalent to: `ip -d addr show dev $link`
func (m *Manager) addrs(link Link) ([]addrMsg, error) {
	var err error
	for range dumpRetries {
		var msgs [][]byte
		req := nl.NewNetlinkRequest(unix.RTM_GETADDR, unix.NLM_F_DUMP)
		req.Sockets = map[int]*nl.SocketHandle{unix.NETLINK_ROUTE: m.rt}
		// The kernel filters by index only with strict checking; filter
		// below as well.
		req.AddRawData(addrMsg{Index: uint32(link.Index)}.appendBinary(nil))
		msgs, err = req.Execute(unix.NETLINK_ROUTE, unix.RTM_NEWADDR)
		if errors.Is(err, netlink.ErrDumpInterrupted) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("listing addresses of %q: %w", link.Name, err)
		}
		var out []addrMsg
		for _, b := range msgs {
			a, perr := parseAddrMsg(b)
			if perr != nil {
				return nil, fmt.Errorf("listing addresses of %q: %w", link.Name, perr)
			}
			if int(a.Index) == link.Index {
				out = append(out, a)
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("listing addresses of %q: dump interrupted %d times: %w", link.Name, dumpRetries, err)
}

// addrRequest sends one RTM_NEWADDR/RTM_DELADDR and waits for the ack.
func (m *Manager) addrRequest(typ, flags int, msg addrMsg) error {
	req := nl.NewNetlinkRequest(typ, flags|unix.NLM_F_ACK)
	req.Sockets = map[int]*nl.SocketHandle{unix.NETLINK_ROUTE: m.rt}
	req.AddRawData(msg.appendBinary(nil))
	_, err := req.Execute(unix.NETLINK_ROUTE, 0)
	return err
}

// nsOption is the Namespace of a subscription: nil for the caller's own
// namespace, so that subscribing never calls setns.
func (m *Manager) nsOption() *netns.NsHandle {
	if !m.ns.IsOpen() {
		return nil
	}
	ns := m.ns
	return &ns
}
