package contract

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"time"
)

// genConfig is a valid Config in the form Env writes and FromEnv reads back
// (IPv6 VIPs as single addresses, as Env spells them; the variables Env never
// writes at their defaults), drawn from r. Every setting Env writes varies.
func genConfig(r *rand.Rand) Config {
	c := ImageDefaults()
	c.Name = pickName(r, "ipf", 1+r.IntN(20))
	c.VRRPVersion = 2 + r.IntN(2)

	// VIPs: IPv4 entries (addresses and ranges, ascending, disjoint), then
	// on v3 IPv6 addresses; groups never mix families.
	has4, has6 := false, false
	octet := 1 + r.IntN(20)
	for n := r.IntN(4); n >= 0 && octet < 240; n-- {
		first := netip.AddrFrom4([4]byte{192, 0, 2, byte(octet)})
		last := netip.AddrFrom4([4]byte{192, 0, 2, byte(octet + r.IntN(3))})
		c.VIPs = append(c.VIPs, Range{first, last})
		octet = int(last.As4()[3]) + 1 + r.IntN(5)
		has4 = true
	}
	if c.VRRPVersion == 3 && r.IntN(2) == 0 {
		if r.IntN(3) == 0 {
			c.VIPs = nil
			has4 = false
		}
		for i := range 1 + r.IntN(3) {
			c.VIPs = append(c.VIPs, one(netip.MustParseAddr(fmt.Sprintf("2001:db8::%x", 0x10+i))))
		}
		has6 = true
	}
	if !(has4 && has6) && r.IntN(2) == 0 {
		c.VIPGroups = 1 + r.IntN(len(c.Addrs()))
	}
	c.VRIDOffset = r.IntN(200)
	for range r.IntN(4) {
		c.ExcludedVRIDs = append(c.ExcludedVRIDs, 1+r.IntN(255))
	}
	c.Interface = pick(r, "", "eth0", "br-ex", "ens3")
	c.HealthPort = 1024 + r.IntN(1000)
	c.MonitorPort = pick(r, 0, 80, 30060, 2100+r.IntN(60000))
	c.ReplicaCount = 1 + r.IntN(MaxReplicas)
	c.IPTablesChain = pick(r, "", DefaultIPTablesChain, pickName(r, "C", 1+r.IntN(MaxChainNameLen-1)))
	c.CheckScript = pick(r, "", "/etc/ipfailover/scripts/check.sh")
	c.NotifyScript = pick(r, "", "/etc/ipfailover/scripts/notify.sh")
	c.CheckInterval = time.Duration(1+r.IntN(3600)) * time.Second
	if r.IntN(3) == 0 {
		c.Preemption = Preemption{Never: true}
	} else {
		c.Preemption = Preemption{Delay: time.Duration(r.IntN(1001)) * time.Second}
	}
	if r.IntN(2) == 0 {
		if has4 {
			c.UnicastPeers = append(c.UnicastPeers, netip.MustParseAddr("198.51.100.1"), netip.MustParseAddr("198.51.100.2"))
		}
		if has6 {
			c.UnicastPeers = append(c.UnicastPeers, netip.MustParseAddr("2001:db8:1::1"))
		}
	}
	c.UnicastSource = pick(r, netip.Addr{}, netip.MustParseAddr("198.51.100.7"), netip.MustParseAddr("2001:db8:1::7"))
	c.MulticastSource = pick(r, netip.Addr{}, netip.MustParseAddr("198.51.100.8"))
	if c.VRRPVersion == 2 {
		c.AdvertInterval = time.Duration(1+r.IntN(255)) * time.Second
	} else {
		c.AdvertInterval = time.Duration(1+r.IntN(4095)) * MinV3Interval
	}
	c.Priority = r.IntN(256)
	for i := range r.IntN(4) {
		c.Nodes = append(c.Nodes, fmt.Sprintf("worker-%d", i))
	}
	c.IPTablesBackend = pick(r, "auto", "nft", "legacy")
	if c.CheckScript == "" {
		c.Check = genCheck(r, c)
	}
	return c
}

// genCheck is nil or a declarative check valid for c.
func genCheck(r *rand.Rand, c Config) *Check {
	var k *Check
	port := 1 + r.IntN(65535)
	if port == c.HealthPort {
		port++
	}
	switch r.IntN(4) {
	case 0:
		return nil
	case 1:
		k = &Check{Kind: CheckTCP, Host: pick(r, "", "198.51.100.9", "2001:db8:1::9"), Port: port}
	default:
		kind := pick(r, CheckHTTP, CheckHTTPS)
		k = NewHTTPCheck(kind, pick(r, "", "198.51.100.9", "2001:db8:1::9", "svc.example.com"), port, pick(r, "/", "/healthz", "/ready?full=1"))
		k.StatusMin = 100 + r.IntN(500)
		k.StatusMax = k.StatusMin + r.IntN(600-k.StatusMin)
		k.InsecureSkipVerify = kind == CheckHTTPS && r.IntN(2) == 0
	}
	if r.IntN(2) == 0 {
		k.Timeout = time.Duration(1+r.IntN(int(c.CheckInterval/time.Millisecond))) * time.Millisecond
	}
	return k
}

func one(a netip.Addr) Range { return Range{a, a} }

func pick[T any](r *rand.Rand, choices ...T) T { return choices[r.IntN(len(choices))] }

// pickName is prefix followed by letters, digits, '-' and '_', n runes in all.
func pickName(r *rand.Rand, prefix string, n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
	b := []byte(prefix)
	for len(b) < n {
		b = append(b, alphabet[r.IntN(len(alphabet))])
	}
	return string(b[:max(n, 1)])
}
