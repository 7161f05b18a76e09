package announce

import (
	"fmt"
	"net"
	"net/netip"

	"github.com/mdlayher/ndp"
)

// UnsolicitedNA returns the Neighbour Advertisement that announces vip at
// mac (RFC 4861 §4.4, sent as in §7.2.6 to the all-nodes group ff02::1):
//
//   - Solicited = 0: nobody asked;
//   - Override = 1: replace whatever link-layer address caches hold;
//   - Router = router. RFC 5798 §6.4.2 sets R because a VRRP address is a
//     router address. For a service VIP that no host uses as its default
//     router, R=1 would wrongly mark the entry as a router, and R=0 sent for
//     an address hosts do use as a router removes it from their default
//     router lists (RFC 4861 §7.2.5). So it is a setting, false by default;
//     set it only when the VIP is a gateway.
//   - one Target Link-Layer Address option carrying mac (§4.6.1).
func UnsolicitedNA(vip netip.Addr, mac net.HardwareAddr, router bool) (*ndp.NeighborAdvertisement, error) {
	if !vip.Is6() || vip.Is4In6() {
		return nil, fmt.Errorf("announce: neighbour advertisement for %v: not an IPv6 address", vip)
	}
	if len(mac) != 6 {
		return nil, fmt.Errorf("announce: neighbour advertisement for %v: hardware address %q is not 6 bytes", vip, mac)
	}
	return &ndp.NeighborAdvertisement{
		Router:        router,
		Solicited:     false,
		Override:      true,
		TargetAddress: vip.WithZone(""),
		Options: []ndp.Option{&ndp.LinkLayerAddress{
			Direction: ndp.Target,
			Addr:      append(net.HardwareAddr(nil), mac...),
		}},
	}, nil
}
