package agent

import (
	"context"
	"net/netip"

	"github.com/failoverkit/ipfailover/node/netif"
)

// Addresses adds and removes VIPs on the interface; *netif.Manager implements it.
type Addresses interface {
	AddVIP(link netif.Link, vip netip.Addr) error
	RemoveVIP(link netif.Link, vip netip.Addr) error
	ListVIPs(link netif.Link) ([]netif.VIP, error)
}

// Announcer starts a gratuitous ARP / unsolicited NA burst for VIPs; the
// returned Stopper ends it at once. *announce.Announcer implements it
// through announcerFunc.
type Announcer interface {
	Start(ctx context.Context, vips []netip.Addr) Stopper
}

// Stopper stops a running burst and waits for it; *announce.Burst implements it.
type Stopper interface {
	Stop() error
}

// AnnouncerFunc adapts a function to Announcer.
type AnnouncerFunc func(ctx context.Context, vips []netip.Addr) Stopper

// Start calls f.
func (f AnnouncerFunc) Start(ctx context.Context, vips []netip.Addr) Stopper { return f(ctx, vips) }
