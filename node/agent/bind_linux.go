package agent

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/node/announce"
	"github.com/failoverkit/ipfailover/node/netif"
	"github.com/failoverkit/ipfailover/node/transport"
)

// binder opens what is bound to one incarnation of the interface (its
// index): the VRRP sockets, the announcement socket and the address
// subscription. The agent asks for a new Binding when the interface is
// deleted and created again under the same name.
type binder struct {
	cfg          contract.Config
	addrs        *netif.Manager
	need4, need6 bool
	self         []netip.Addr
	source       SourceLookup
	announce     announce.Config
	llWait       time.Duration
}

// open binds to link, with IPv4 adverts leaving from src4.
func (b *binder) open(link netif.Link, src4 netip.Addr) (_ *Binding, err error) {
	bd := &Binding{Link: link}
	defer func() {
		if err != nil {
			bd.Close()
		}
	}()
	ifi, err := net.InterfaceByIndex(link.Index)
	if err != nil {
		return nil, fmt.Errorf("interface %s: %w", link.Name, err)
	}
	if b.need4 {
		c, err := transport.ListenIPv4(ifi, src4, b.self, !b.cfg.Unicast())
		if err != nil {
			return nil, needCap(err, capNetRaw, "the VRRP socket")
		}
		bd.closers = append(bd.closers, func() { c.Close() })
		bd.Conn4 = c
	}
	if b.need6 {
		ll, err := waitLinkLocal(b.addrs, link, b.llWait)
		if err != nil {
			return nil, err
		}
		c, err := transport.ListenIPv6(ifi, ll, b.self, !b.cfg.Unicast())
		if err != nil {
			return nil, needCap(err, capNetRaw, "the VRRP socket")
		}
		bd.closers = append(bd.closers, func() { c.Close() })
		bd.Conn6 = c
	}
	sender, err := announce.NewLinkSender(link.Name)
	if err != nil {
		return nil, needCap(fmt.Errorf("opening the announcement socket on %s: %w", link.Name, err), capNetRaw, "announcing VIPs (gratuitous ARP, unsolicited NA)")
	}
	bd.closers = append(bd.closers, func() { sender.Close() })
	ann := announce.New(sender, b.announce)
	bd.Announcer = AnnouncerFunc(func(ctx context.Context, vips []netip.Addr) Stopper { return ann.Start(ctx, vips) })
	events, cancel, err := b.addrs.Subscribe(link)
	if err != nil {
		return nil, fmt.Errorf("subscribing to the address changes of %s: %w", link.Name, err)
	}
	bd.closers = append(bd.closers, cancel)
	bd.AddrEvents = events
	return bd, nil
}

// rebind looks the interface up again by name and binds to it; cur is the
// current IPv4 advert source.
func (b *binder) rebind(name string, cur netip.Addr) (*Binding, error) {
	link, err := b.addrs.LinkByName(name)
	if err != nil {
		return nil, err
	}
	src := cur
	if b.need4 {
		if src, err = b.source(link, cur); err != nil {
			return nil, err
		}
	}
	// A shorter DAD wait than at start: the loop is waiting.
	short := *b
	short.llWait = rebindLinkLocalWait
	return short.open(link, src)
}

// rebindLinkLocalWait bounds the wait for the IPv6 link-local address of
// a re-created interface; a tentative one makes the rebind fail and retry.
const rebindLinkLocalWait = 100 * time.Millisecond
