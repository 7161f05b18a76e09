//go:build linux

package scenario

import (
	"errors"
	"fmt"
	"syscall"
	"time"

	"github.com/failoverkit/ipfailover/bench/internal/lab"
	"github.com/failoverkit/ipfailover/bench/internal/probe"
	"github.com/failoverkit/ipfailover/bench/internal/proc"
)

// FootprintGroups is the number of groups (one VIP each) of the footprint
// runs: every VIP of the /24, VRIDs 1..254.
const FootprintGroups = 254

// ProcSample is what one process used during the window.
type ProcSample struct {
	Node string `json:"node"`
	PID  int    `json:"pid"`
	Comm string `json:"comm"`
	// Ticks is utime+stime over the window, ChildTicks cutime+cstime (reaped
	// children: keepalived's check scripts), both in 1/100 s.
	Ticks      uint64 `json:"ticks"`
	ChildTicks uint64 `json:"child_ticks"`
	RSS        uint64 `json:"rss_bytes"`
	PSS        uint64 `json:"pss_bytes"`
	USS        uint64 `json:"uss_bytes"`
}

// FootprintSample is one footprint run of one implementation.
type FootprintSample struct {
	Impl       string  `json:"impl"`
	Version    int     `json:"vrrp_version"`
	IntervalMS float64 `json:"interval_ms"`
	Rep        int     `json:"rep"`
	// StartupMS is from starting the three nodes to all VIPs on n1.
	StartupMS float64 `json:"startup_ms"`
	StartupOK bool    `json:"startup_ok"`
	// WindowS is the length of the CPU window in seconds.
	WindowS float64 `json:"window_s"`
	// CPU of the master (n1) and of the first backup (n2), percent of one
	// core: the processes' own time, and with their reaped children.
	CPUMaster         float64 `json:"cpu_master_pct"`
	CPUBackup         float64 `json:"cpu_backup_pct"`
	CPUMasterChildren float64 `json:"cpu_master_with_children_pct"`
	CPUBackupChildren float64 `json:"cpu_backup_with_children_pct"`
	// Measured is set once CPU and memory were read.
	Measured bool `json:"measured"`
	// Memory of every process of the implementation on the node, summed.
	RSSMaster uint64 `json:"rss_master_bytes"`
	PSSMaster uint64 `json:"pss_master_bytes"`
	RSSBackup uint64 `json:"rss_backup_bytes"`
	PSSBackup uint64 `json:"pss_backup_bytes"`
	USSMaster uint64 `json:"uss_master_bytes"`
	USSBackup uint64 `json:"uss_backup_bytes"`
	// Distinct and Private count the node's processes by physical page
	// (see proc.Pages): an RSS of the instance that counts pages its
	// processes share once, and the part no other process maps.
	DistinctMaster uint64 `json:"distinct_master_bytes"`
	PrivateMaster  uint64 `json:"private_master_bytes"`
	DistinctBackup uint64 `json:"distinct_backup_bytes"`
	PrivateBackup  uint64 `json:"private_backup_bytes"`
	// MoveMS is from SIGTERM to n1 until all VIPs are on the backups (n2
	// or n3); OnSecondBackup is how many ended on n3 (the lower priority),
	// because n3's shorter-lived timer expired before n2's advert for that
	// group reached it (then n2 defers to preempt_delay).
	MoveMS         float64      `json:"move_ms"`
	MoveOK         bool         `json:"move_ok"`
	OnSecondBackup int          `json:"on_second_backup"`
	Procs          []ProcSample `json:"procs"`
	Error          string       `json:"error,omitempty"`
}

// Footprint runs 254 groups on the three nodes.
type Footprint struct {
	*Env
	// Window is how long CPU is measured; Settle is waited before it.
	Window, Settle time.Duration

	w1, w2, w3 *probe.AddrWatch // VIPs on n1, n2, n3, opened by the first run
}

// Run measures one implementation in mode m.
func (f *Footprint) Run(name string, m Mode, rep int) FootprintSample {
	s := FootprintSample{Impl: name, Version: m.Version, IntervalMS: ms(m.Interval), Rep: rep, WindowS: f.Window.Seconds()}
	if err := f.run(name, m, &s); err != nil {
		s.Error = err.Error()
	}
	return s
}

func (f *Footprint) run(name string, m Mode, s *FootprintSample) error {
	if err := f.reset(); err != nil {
		return fmt.Errorf("resetting the lab: %w", err)
	}
	n1 := f.Lab.Nodes[0]
	var err error
	for i, w := range []**probe.AddrWatch{&f.w1, &f.w2, &f.w3} {
		if *w == nil {
			if *w, err = f.watch(f.Lab.Nodes[i]); err != nil {
				return err
			}
		}
	}
	w1, w2, w3 := f.w1, f.w2, f.w3
	for _, w := range []*probe.AddrWatch{w1, w2, w3} {
		if err := w.Err(); err != nil {
			return fmt.Errorf("watching the VIPs: %w", err)
		}
	}

	tag := fmt.Sprintf("footprint-v%d-%s-%d", m.Version, m.Interval, s.Rep)
	// n1 alone first (the time until all VIPs are on it is its own), then
	// the backups.
	st := newSet(name, baseSetup(VIPs(FootprintGroups), m.Version, m.Interval), tag)
	defer func() {
		if err := st.stop(); err != nil {
			f.Log.Warn("stopping a set", "err", err)
		}
	}()
	start := time.Now()
	if err := f.startNode(st, 0); err != nil {
		return err
	}
	all := func(n int) bool { return n == FootprintGroups }
	at, ok := w1.WaitCount(start, start.Add(60*time.Second), all)
	if !ok {
		return fmt.Errorf("n1 holds %d of %d VIPs after 60s; its log ends:\n%s", w1.Count(), FootprintGroups, tail(f.logPath(st, n1), 15))
	}
	s.StartupMS, s.StartupOK = ms(at.Sub(start)), true
	if err := f.startBackups(st, time.Now().Add(60*time.Second)); err != nil {
		return err
	}
	time.Sleep(f.Settle)
	if err := f.measure(st, s); err != nil {
		return err
	}
	s.Measured = true
	if c := w2.Count() + w3.Count(); c != 0 {
		return fmt.Errorf("the backups hold %d VIPs while n1 is master", c)
	}

	t0 := time.Now()
	if err := st.procs[0].Signal(syscall.SIGTERM); err != nil {
		return err
	}
	// Moved: the backups together hold every VIP. It became true with the
	// later of their last changes.
	deadline := t0.Add(30 * time.Second)
	for w2.Count()+w3.Count() != FootprintGroups {
		if time.Now().After(deadline) {
			return fmt.Errorf("the backups hold %d+%d of %d VIPs 30s after n1 was stopped", w2.Count(), w3.Count(), FootprintGroups)
		}
		time.Sleep(2 * time.Millisecond)
	}
	at = w2.LastChange()
	if l3 := w3.LastChange(); l3.After(at) {
		at = l3
	}
	s.MoveMS, s.MoveOK, s.OnSecondBackup = ms(at.Sub(t0)), true, w3.Count()
	st.procs[0].Wait(10 * time.Second)
	return nil
}

func (f *Footprint) watch(h *lab.Host) (*probe.AddrWatch, error) {
	link, err := h.NL.LinkByName(lab.Ifname)
	if err != nil {
		return nil, fmt.Errorf("%s/%s: %w", h.Role, lab.Ifname, err)
	}
	w, err := probe.WatchAddrs(h.NsHandle(), link.Attrs().Index, lab.VIPNet)
	if err != nil {
		return nil, fmt.Errorf("watching the VIPs of %s: %w", h.Role, err)
	}
	f.Cleanups.Add("stop watching the VIPs of "+h.Role, func() error { w.Close(); return nil })
	return w, nil
}

// measure reads the CPU ticks of every process of the set on n1 and n2
// before and after the window, and their memory at the end.
func (f *Footprint) measure(st *set, s *FootprintSample) error {
	type node struct {
		role string
		pids []int
		t0   map[int]proc.Stat
	}
	var nodes []*node
	for i, p := range st.procs[:2] {
		pids, err := proc.Tree(p.PID())
		if err != nil {
			return err
		}
		n := &node{role: f.Lab.Nodes[i].Role, pids: pids, t0: map[int]proc.Stat{}}
		for _, pid := range pids {
			if stat, err := proc.ReadStat(pid); err == nil {
				n.t0[pid] = stat
			}
		}
		nodes = append(nodes, n)
	}
	begin := time.Now()
	time.Sleep(f.Window)
	elapsed := time.Since(begin).Seconds()
	var errs []error
	for i, n := range nodes {
		var ticks, child uint64
		var rss, pss, uss uint64
		var live []int
		for _, pid := range n.pids {
			before, ok := n.t0[pid]
			after, err := proc.ReadStat(pid)
			if !ok || err != nil {
				continue // a check script that ended within the window
			}
			mem, err := proc.ReadMem(pid)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			ps := ProcSample{
				Node: n.role, PID: pid, Comm: after.Comm,
				Ticks:      after.UTime + after.STime - before.UTime - before.STime,
				ChildTicks: after.CUTime + after.CSTime - before.CUTime - before.CSTime,
				RSS:        mem.RSS, PSS: mem.PSS, USS: mem.USS,
			}
			s.Procs = append(s.Procs, ps)
			live = append(live, pid)
			ticks += ps.Ticks
			child += ps.ChildTicks
			rss += mem.RSS
			pss += mem.PSS
			uss += mem.USS
		}
		pages, err := proc.ReadPages(live)
		if err != nil {
			errs = append(errs, err)
		}
		pct := func(t uint64) float64 { return float64(t) / proc.ClockTick / elapsed * 100 }
		if i == 0 {
			s.CPUMaster, s.CPUMasterChildren, s.RSSMaster, s.PSSMaster, s.USSMaster = pct(ticks), pct(ticks+child), rss, pss, uss
			s.DistinctMaster, s.PrivateMaster = pages.Distinct, pages.Private
		} else {
			s.CPUBackup, s.CPUBackupChildren, s.RSSBackup, s.PSSBackup, s.USSBackup = pct(ticks), pct(ticks+child), rss, pss, uss
			s.DistinctBackup, s.PrivateBackup = pages.Distinct, pages.Private
		}
	}
	return errors.Join(errs...)
}
