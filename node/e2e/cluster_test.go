//go:build linux

package e2e

import (
	"net/netip"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/internal/nstest"
)

// hostAddrs are the addresses of every host a lab may have: the agents'
// nodes a, b and c, and a client that only watches announcements.
var hostAddrs = map[string][]string{
	"a":      {"192.0.2.11/24", "2001:db8::11/64"},
	"b":      {"192.0.2.12/24", "2001:db8::12/64"},
	"c":      {"192.0.2.13/24", "2001:db8::13/64"},
	"client": {"192.0.2.50/24", "2001:db8::50/64"},
}

// cluster is one lab running one failover set: agent nodes plus a client.
type cluster struct {
	t      *testing.T
	lab    *nstest.Lab
	cfg    contract.Config
	groups []contract.Group
	nodes  []*node
	client *nstest.Host
}

// fastSet is the failover set most scenarios use: VRRPv3 with 100 ms
// adverts, no health check (monitor port 0), preempt_delay 0, one VRRP
// group per VIP, the default VRID offset 10, replica count = hosts.
func fastSet(t *testing.T, vips ...string) contract.Config {
	t.Helper()
	cfg := contract.ImageDefaults()
	cfg.Name = "e2e"
	ranges, _, err := contract.ParseVIPEntries(vips)
	if err != nil {
		t.Fatalf("VIPs %v: %v", vips, err)
	}
	cfg.VIPs = ranges
	cfg.Interface = nstest.HostIfname
	cfg.MonitorPort = 0
	cfg.VRRPVersion = 3
	cfg.AdvertInterval = 100 * time.Millisecond
	cfg.Preemption = contract.Preemption{Delay: 0}
	return cfg
}

// newCluster builds a lab with the named agent hosts (from hostAddrs) and
// a client, for the failover set cfg. A zero ReplicaCount becomes the
// number of agent hosts. No agent is started.
func newCluster(t *testing.T, cfg contract.Config, names ...string) *cluster {
	t.Helper()
	nstest.RequirePrivileged(t)
	if cfg.ReplicaCount == 0 || cfg.ReplicaCount == contract.ImageReplicaCount {
		cfg.ReplicaCount = len(names)
	}
	groups, err := cfg.Groups()
	if err != nil {
		t.Fatalf("planning groups: %v", err)
	}
	var hcs []nstest.HostConfig
	for _, n := range append(append([]string(nil), names...), "client") {
		hcs = append(hcs, nstest.HostConfig{Name: n, Addrs: hostAddrs[n]})
	}
	c := &cluster{t: t, lab: nstest.NewLab(t, hcs...), cfg: cfg, groups: groups}
	c.client = c.lab.Host("client")
	for _, n := range names {
		c.nodes = append(c.nodes, &node{Host: c.lab.Host(n), c: c})
	}
	return c
}

// node returns the agent node of the named host.
func (c *cluster) node(name string) *node {
	c.t.Helper()
	for _, n := range c.nodes {
		if n.HostName == name {
			return n
		}
	}
	c.t.Fatalf("no agent node %q", name)
	return nil
}

// masterDown is an upper bound of the VRRP Master_Down_Interval of the set:
// 3 × the advert interval plus a skew, which is below one interval.
func (c *cluster) masterDown() time.Duration { return 4 * c.cfg.AdvertInterval }

// bound is the generous limit of every "within the VRRP bound" wait:
// three master-down intervals plus two seconds for process scheduling.
func (c *cluster) bound() time.Duration { return 3*c.masterDown() + 2*time.Second }

// group returns the group holding vip.
func (c *cluster) group(vip netip.Addr) contract.Group {
	c.t.Helper()
	for _, g := range c.groups {
		for _, v := range g.VIPs {
			if v == vip {
				return g
			}
		}
	}
	c.t.Fatalf("%s is in no group", vip)
	return contract.Group{}
}

// startAll starts an agent on every node, with the same extra variables.
func (c *cluster) startAll(extra ...string) {
	c.t.Helper()
	for _, n := range c.nodes {
		n.start(extra...)
	}
}

// sibling returns a cluster for a second failover set cfg on the same lab
// and the same hosts, as when two IPFailover sets share nodes.
func (c *cluster) sibling(cfg contract.Config) *cluster {
	c.t.Helper()
	if cfg.ReplicaCount == 0 || cfg.ReplicaCount == contract.ImageReplicaCount {
		cfg.ReplicaCount = len(c.nodes)
	}
	groups, err := cfg.Groups()
	if err != nil {
		c.t.Fatalf("planning groups: %v", err)
	}
	s := &cluster{t: c.t, lab: c.lab, cfg: cfg, groups: groups, client: c.client}
	for _, n := range c.nodes {
		s.nodes = append(s.nodes, &node{Host: n.Host, c: s})
	}
	return s
}
