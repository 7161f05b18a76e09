package agent

import (
	"net/netip"
	"slices"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/node/transport"
	"github.com/failoverkit/ipfailover/node/vrrp/fsm"
	"github.com/failoverkit/ipfailover/node/vrrp/packet"
)

// group is the runtime of one VRRP virtual router. Only the loop touches it.
type group struct {
	spec      contract.Group
	instance  string // keepalived's instance name, given to notify scripts
	vrid      string // VRID as a label value
	m         *fsm.Machine
	conn      transport.Conn
	dsts      []netip.Addr  // multicast group, or the unicast peers of the family
	advert    packet.Advert // template: Priority is set per send
	expect    packet.Group  // what received adverts must match
	timers    map[fsm.TimerKind]*time.Timer
	burst     Stopper
	refreshed time.Time // last burst restarted for fsm.AnnounceAgain
	buf       []byte
	// sent and recv are this group's advert counters, looked up once
	// (WithLabelValues hashes and locks on every call; adverts are the
	// hot path). Nil until the first advert, so idle groups export no series.
	sent, recv prometheus.Counter
	// failingSince is the first of the current run of failed sends (zero
	// while sends work); failedSends counts them since warnedSend, the
	// last warning.
	failingSince, warnedSend time.Time
	failedSends              int
	// compat is set once a peer of this IPv6 group listed only the VIPs,
	// without the virtual link-local address (see matchPeerAddrs).
	compat bool
	// healthy is the node's fitness for this group as last fed to its
	// machine (updateHealth).
	healthy bool
}

// virtualLinkLocal is the link-local address a VRRPv3 IPv6 virtual router
// advertises first (RFC 9568 §5.2.9): the EUI-64 address (RFC 4291 §2.5.1)
// of the virtual router MAC 00-00-5E-00-02-{VRID} (RFC 9568 §7.3). The agent
// does not use a virtual MAC, so it only names the router in adverts; it is
// never configured on the interface.
func virtualLinkLocal(vrid uint8) netip.Addr {
	return netip.AddrFrom16([16]byte{0xfe, 0x80, 8: 0x02, 9: 0x00, 10: 0x5e, 11: 0xff, 12: 0xfe, 13: 0x00, 14: 0x02, 15: vrid})
}

func newGroup(spec contract.Group, cfg contract.Config, prio uint8, primary netip.Addr, conn transport.Conn, dsts []netip.Addr) (*group, error) {
	version := cfg.VRRPVersion
	m, err := fsm.New(fsm.Config{
		VRID:           uint8(spec.VRID),
		Priority:       prio,
		Version:        version,
		AdvertInterval: cfg.AdvertInterval,
		Preempt:        !cfg.Preemption.Never,
		PreemptDelay:   cfg.Preemption.Delay,
		Primary:        primary,
		HealActions:    true,
	})
	if err != nil {
		return nil, err
	}
	units, err := packet.IntervalUnits(packet.Version(version), cfg.AdvertInterval)
	if err != nil {
		return nil, err
	}
	addrs := spec.VIPs
	if spec.IPv6() {
		addrs = append([]netip.Addr{virtualLinkLocal(uint8(spec.VRID))}, spec.VIPs...)
	}
	adv := packet.Advert{Version: packet.Version(version), VRID: uint8(spec.VRID), Interval: units, Addrs: addrs}
	if version == 2 {
		adv.AuthType = packet.AuthSimple
		adv.AuthData = contract.AuthPass(cfg.Name)
	}
	return &group{
		spec:     spec,
		instance: contract.InstanceName(cfg.Name, spec.Index),
		vrid:     strconv.Itoa(spec.VRID),
		m:        m,
		conn:     conn,
		dsts:     dsts,
		advert:   adv,
		expect: packet.Group{
			VRID: uint8(spec.VRID), Version: adv.Version, AuthType: adv.AuthType, AuthData: adv.AuthData,
			Interval: cfg.AdvertInterval, Addrs: addrs, Primary: conn.Source(),
		},
		timers:  make(map[fsm.TimerKind]*time.Timer),
		healthy: true,
	}, nil
}

// omitsLinkLocal reports whether a peer's address list is exactly the
// group's VIPs (in any order), without the virtual link-local address that
// RFC 9568 §5.2.9 puts first and our adverts lead with. keepalived
// configured as OpenShift's keepalived-ipfailover image configures it
// (virtual_ipaddress lists only the global VIPs) sends such adverts, and
// discards ours, whose address count differs ("unexpected ip number
// count 2, expected 1"), so both sides would be master.
func omitsLinkLocal(theirs, vips []netip.Addr) bool {
	if len(theirs) != len(vips) {
		return false
	}
	for _, a := range theirs {
		if a.IsLinkLocalUnicast() || !slices.Contains(vips, a) {
			return false
		}
	}
	return true
}

// groupSet looks groups up by VRID for packet.Validate; one per family.
type groupSet map[uint8]*group

func (s groupSet) Group(vrid uint8) (packet.Group, bool) {
	g, ok := s[vrid]
	if !ok {
		return packet.Group{}, false
	}
	return g.expect, true
}
