//go:build linux

package scenario

import (
	"fmt"
	"net/netip"
	"syscall"
	"time"

	"github.com/failoverkit/ipfailover/bench/internal/lab"
	"github.com/failoverkit/ipfailover/bench/internal/probe"
)

// The scale run: past the 255 VRIDs an interface has (RFC 9568 §5.2.3),
// a set grows by VIPs per group. ScaleGroups groups of ScalePerGroup VIPs
// each (OPENSHIFT_HA_VIP_GROUPS=254), IPv6 from lab.ScaleNet: an IPv4
// TEST-NET holds 254.
const (
	ScaleGroups   = 254
	ScalePerGroup = 4
)

// ScaleVIPs returns the scale run's VIPs: 2001:db8:1::1, ::2, ...
func ScaleVIPs() []netip.Addr {
	out := make([]netip.Addr, 0, ScaleGroups*ScalePerGroup)
	a := lab.ScaleNet.Addr()
	for range ScaleGroups * ScalePerGroup {
		a = a.Next()
		out = append(out, a)
	}
	return out
}

// ScaleSample is one scale run of one implementation.
type ScaleSample struct {
	Impl       string  `json:"impl"`
	Version    int     `json:"vrrp_version"`
	IntervalMS float64 `json:"interval_ms"`
	Rep        int     `json:"rep"`
	VIPs       int     `json:"vips"`
	Groups     int     `json:"groups"`
	// StartupMS is from starting n1 alone until all VIPs are on it.
	StartupMS float64 `json:"startup_ms"`
	StartupOK bool    `json:"startup_ok"`
	// MoveMS is from SIGTERM to n1 until n2 and n3 hold every VIP;
	// OnSecondBackup is how many of them n3 took.
	MoveMS         float64 `json:"move_ms"`
	MoveOK         bool    `json:"move_ok"`
	OnSecondBackup int     `json:"on_second_backup"`
	// HardMS is from pulling n2's cable (the new master of most groups)
	// until n3 holds every VIP.
	HardMS float64 `json:"hard_ms"`
	HardOK bool    `json:"hard_ok"`
	Error  string  `json:"error,omitempty"`
}

// Scale runs ScaleGroups groups of ScalePerGroup IPv6 VIPs on the three
// nodes: start, move after SIGTERM, move after a hard failure.
type Scale struct {
	*Env
	// Settle is waited between the backups being ready and SIGTERM.
	Settle time.Duration

	w [3]*probe.AddrWatch // the scale VIPs on n1, n2, n3, opened by the first run
}

// Run measures one implementation in mode m (VRRPv3: IPv6 has no VRRPv2).
func (sc *Scale) Run(name string, m Mode, rep int) ScaleSample {
	vips := ScaleVIPs()
	s := ScaleSample{Impl: name, Version: m.Version, IntervalMS: ms(m.Interval), Rep: rep, VIPs: len(vips), Groups: ScaleGroups}
	if err := sc.run(name, m, vips, &s); err != nil {
		s.Error = err.Error()
	}
	return s
}

func (sc *Scale) run(name string, m Mode, vips []netip.Addr, s *ScaleSample) error {
	if err := sc.reset(); err != nil {
		return fmt.Errorf("resetting the lab: %w", err)
	}
	for _, h := range sc.Lab.Nodes {
		if err := h.RemoveAddrsIn(lab.ScaleNet); err != nil {
			return fmt.Errorf("resetting the lab: %w", err)
		}
	}
	if sc.w[0] == nil {
		for i, h := range sc.Lab.Nodes {
			if err := h.EnableIPv6(); err != nil {
				return err
			}
			link, err := h.NL.LinkByName(lab.Ifname)
			if err != nil {
				return fmt.Errorf("%s/%s: %w", h.Role, lab.Ifname, err)
			}
			w, err := probe.WatchAddrs(h.NsHandle(), link.Attrs().Index, lab.ScaleNet)
			if err != nil {
				return fmt.Errorf("watching the VIPs of %s: %w", h.Role, err)
			}
			sc.Cleanups.Add("stop watching the scale VIPs of "+h.Role, func() error { w.Close(); return nil })
			sc.w[i] = w
		}
	}
	w1, w2, w3 := sc.w[0], sc.w[1], sc.w[2]
	for _, w := range sc.w {
		if err := w.Err(); err != nil {
			return fmt.Errorf("watching the VIPs: %w", err)
		}
	}
	n := len(vips)
	setup := baseSetup(vips, m.Version, m.Interval)
	setup.Groups = ScaleGroups
	st := newSet(name, setup, fmt.Sprintf("scale-v%d-%s-%d", m.Version, m.Interval, s.Rep))
	defer func() {
		if err := st.stop(); err != nil {
			sc.Log.Warn("stopping a set", "err", err)
		}
	}()
	start := time.Now()
	if err := sc.startNode(st, 0); err != nil {
		return err
	}
	at, ok := w1.WaitCount(start, start.Add(60*time.Second), func(c int) bool { return c == n })
	if !ok {
		return fmt.Errorf("n1 holds %d of %d VIPs after 60s; its log ends:\n%s", w1.Count(), n, tail(sc.logPath(st, sc.Lab.Nodes[0]), 15))
	}
	s.StartupMS, s.StartupOK = ms(at.Sub(start)), true
	if err := sc.startBackups(st, time.Now().Add(60*time.Second)); err != nil {
		return err
	}
	time.Sleep(sc.Settle)
	if c := w2.Count() + w3.Count(); c != 0 {
		return fmt.Errorf("the backups hold %d VIPs while n1 is master", c)
	}

	t0 := time.Now()
	if err := st.procs[0].Signal(syscall.SIGTERM); err != nil {
		return err
	}
	if err := waitUntil(t0.Add(30*time.Second), func() bool { return w2.Count()+w3.Count() == n }); err != nil {
		return fmt.Errorf("the backups hold %d+%d of %d VIPs 30s after n1 was stopped", w2.Count(), w3.Count(), n)
	}
	at = w2.LastChange()
	if l3 := w3.LastChange(); l3.After(at) {
		at = l3
	}
	s.MoveMS, s.MoveOK, s.OnSecondBackup = ms(at.Sub(t0)), true, w3.Count()
	st.procs[0].Wait(10 * time.Second)

	// A hard failure of the new master: n2's cable pulled; n3 takes its
	// groups after Master_Down_Interval.
	t1 := time.Now()
	if err := sc.Lab.Nodes[1].SetCarrier(false); err != nil {
		return err
	}
	if err := waitUntil(t1.Add(30*time.Second), func() bool { return w3.Count() == n }); err != nil {
		return fmt.Errorf("n3 holds %d of %d VIPs 30s after n2's cable was pulled", w3.Count(), n)
	}
	s.HardMS, s.HardOK = ms(w3.LastChange().Sub(t1)), true
	return nil
}

// waitUntil polls cond every 2 ms until it holds or the deadline passes.
func waitUntil(deadline time.Time, cond func() bool) error {
	for !cond() {
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out")
		}
		time.Sleep(2 * time.Millisecond)
	}
	return nil
}
