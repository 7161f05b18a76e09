//go:build linux

package scenario

import (
	"bytes"
	"fmt"
	"net"
	"syscall"
	"time"

	"github.com/failoverkit/ipfailover/bench/internal/impl"
	"github.com/failoverkit/ipfailover/bench/internal/lab"
	"github.com/failoverkit/ipfailover/bench/internal/probe"
)

// Failure kinds.
const (
	// Graceful is SIGTERM to the master's process: it hands over with a
	// priority-0 advert and removes its VIP.
	Graceful = "graceful"
	// Hard is the master's cable pulled (its switch port down) and its
	// process killed: the backups must time out.
	Hard = "hard"
	// Kill9 is SIGKILL to the master's process alone: the VIP stays on the
	// old node, which keeps answering until the new master's gratuitous
	// ARP moves the client.
	Kill9 = "kill9"
)

// Kinds lists the failure kinds in the order they are run.
var Kinds = []string{Graceful, Hard, Kill9}

// Mode is a VRRP version and advert interval.
type Mode struct {
	Version  int
	Interval time.Duration
}

func (m Mode) String() string { return fmt.Sprintf("VRRPv%d %s", m.Version, m.Interval) }

// FailoverSample is one failover measurement.
type FailoverSample struct {
	Impl       string  `json:"impl"`
	Kind       string  `json:"kind"`
	Version    int     `json:"vrrp_version"`
	IntervalMS float64 `json:"interval_ms"`
	Rep        int     `json:"rep"`
	// PhaseMS is how long after the master's last advert the failure was
	// injected (drawn uniformly from one interval).
	PhaseMS float64 `json:"phase_ms"`
	// GapMS is from the failure to the first echo reply the client got
	// from another node's MAC.
	GapMS float64 `json:"gap_ms"`
	GapOK bool    `json:"gap_ok"`
	// TakeoverMS is from the failure to the first advert (priority > 0)
	// another node sent, as it entered the switch.
	TakeoverMS float64 `json:"takeover_ms"`
	TakeoverOK bool    `json:"takeover_ok"`
	// SinceAdvertMS is from the master's last advert before the failure to
	// the new master's first advert: what Master_Down_Interval bounds,
	// without the random phase.
	SinceAdvertMS float64 `json:"since_advert_ms"`
	// NewMaster is the node whose MAC answered first after the failure.
	NewMaster string `json:"new_master,omitempty"`
	// StartupMS is from starting the three processes to n1's first reply.
	StartupMS float64 `json:"startup_ms"`
	Error     string  `json:"error,omitempty"`
}

// Failover runs failover repetitions with a client pinging VIP 1 and a
// sniffer on the switch.
type Failover struct {
	*Env
	Pinger  *probe.Pinger
	Sniffer *probe.Sniffer
}

// NewFailover opens the probes: the pinger in the client namespace (every
// pingEvery), the sniffer in the switch namespace on every node's port.
// Both are closed by the cleanups.
func NewFailover(e *Env, pingEvery time.Duration) (*Failover, error) {
	f := &Failover{Env: e}
	vip := VIPs(1)[0]
	err := e.Lab.Client.Do(func() error {
		link, err := e.Lab.Client.NL.LinkByName(lab.Ifname)
		if err != nil {
			return err
		}
		f.Pinger, err = probe.NewPinger(link.Attrs().Index, vip, pingEvery)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("opening the pinger in the client namespace: %w", err)
	}
	e.Cleanups.Add("close the pinger", f.Pinger.Close)
	var ports []int
	for _, h := range e.Lab.Nodes {
		ports = append(ports, h.PortIndex)
	}
	err = e.Lab.Switch.Do(func() error {
		var err error
		f.Sniffer, err = probe.NewSniffer(ports)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("opening the sniffer in the switch namespace: %w", err)
	}
	e.Cleanups.Add("close the sniffer", f.Sniffer.Close)
	f.Pinger.Start()
	f.Sniffer.Start()
	return f, nil
}

// Run measures one failover of implementation name: start it on the three
// nodes, wait until n1 is master and the client reaches it, inject the
// failure at a random point of n1's advert cycle, and time the takeover.
func (f *Failover) Run(name, kind string, m Mode, rep int) FailoverSample {
	s := FailoverSample{Impl: name, Kind: kind, Version: m.Version, IntervalMS: ms(m.Interval), Rep: rep}
	if err := f.run(name, kind, m, &s); err != nil {
		s.Error = err.Error()
	}
	return s
}

func (f *Failover) run(name, kind string, m Mode, s *FailoverSample) error {
	if err := f.reset(); err != nil {
		return fmt.Errorf("resetting the lab: %w", err)
	}
	f.Pinger.Reset()
	f.Sniffer.Reset()
	master := f.Lab.Nodes[0]
	tag := fmt.Sprintf("failover-%s-v%d-%s-%d", kind, m.Version, m.Interval, s.Rep)
	// n1 alone first, so it is master without a race against the backups'
	// timers (at 100 ms they expire only 19 ms apart), then the backups.
	st := newSet(name, baseSetup(VIPs(1), m.Version, m.Interval), tag)
	defer func() {
		if err := st.stop(); err != nil {
			f.Log.Warn("stopping a set", "err", err)
		}
	}()
	start := time.Now()
	if err := f.startNode(st, 0); err != nil {
		return err
	}
	deadline := start.Add(3*impl.MasterDown(Priorities[0], m.Interval) + 10*time.Second)
	first, ok := f.Pinger.WaitReply(start, deadline, func(mac net.HardwareAddr) bool { return bytes.Equal(mac, master.MAC) })
	if !ok {
		return fmt.Errorf("n1 never answered the client as master; its log ends:\n%s", tail(f.logPath(st, master), 15))
	}
	s.StartupMS = ms(first.At.Sub(start))
	if err := f.startBackups(st, time.Now().Add(15*time.Second)); err != nil {
		return err
	}
	// Stable: the backups run, and n1 still advertises.
	fromMaster := func(a probe.Advert) bool { return a.Port == master.PortIndex && a.Priority > 0 }
	last, ok := f.Sniffer.WaitAdvert(time.Now(), time.Now().Add(3*m.Interval+time.Second), fromMaster)
	if !ok {
		return fmt.Errorf("n1 answers but sends no adverts")
	}
	for _, a := range f.Sniffer.Adverts() {
		if a.Port != master.PortIndex && a.Priority > 0 {
			return fmt.Errorf("a backup (%s) advertised before the failure", a.Src)
		}
	}

	// A random point of the advert cycle: last advert + U[0, interval). If
	// noticing the advert took longer than the drawn offset, aim at the
	// same offset in the next cycle.
	offset := time.Duration(f.Rand.Int64N(int64(m.Interval)))
	target := last.At.Add(offset)
	for time.Until(target) < time.Millisecond {
		target = target.Add(m.Interval)
	}
	time.Sleep(time.Until(target))

	t0, err := f.inject(kind, st.procs[0], master)
	if err != nil {
		return err
	}
	// The actual phase: from n1's last advert before the failure.
	var lastAt time.Time
	for _, a := range f.Sniffer.Adverts() {
		if fromMaster(a) && !a.At.After(t0) {
			lastAt = a.At
		}
	}
	s.PhaseMS = ms(t0.Sub(lastAt))

	deadline = t0.Add(2*impl.MasterDown(backupPriority, m.Interval) + time.Second)
	if r, ok := f.Pinger.WaitReply(t0, deadline, func(mac net.HardwareAddr) bool { return !bytes.Equal(mac, master.MAC) }); ok {
		s.GapMS, s.GapOK, s.NewMaster = ms(r.At.Sub(t0)), true, f.nodeOfMAC(r.MAC)
	}
	if a, ok := f.Sniffer.WaitAdvert(t0, deadline, func(a probe.Advert) bool { return a.Port != master.PortIndex && a.Priority > 0 }); ok {
		s.TakeoverMS, s.TakeoverOK = ms(a.At.Sub(t0)), true
		s.SinceAdvertMS = ms(a.At.Sub(lastAt))
	}
	if kind == Graceful {
		st.procs[0].Wait(5 * time.Second)
	}
	if !s.GapOK || !s.TakeoverOK {
		return fmt.Errorf("no takeover within %s (reply from a new MAC: %t, advert from a new master: %t)",
			deadline.Sub(t0), s.GapOK, s.TakeoverOK)
	}
	return nil
}

// inject causes the failure and returns the time it was caused.
func (f *Failover) inject(kind string, p *lab.Process, h *lab.Host) (time.Time, error) {
	t0 := time.Now()
	switch kind {
	case Graceful:
		return t0, p.Signal(syscall.SIGTERM)
	case Hard:
		if err := h.SetCarrier(false); err != nil {
			return t0, err
		}
		return t0, p.KillGroup()
	case Kill9:
		return t0, p.KillGroup()
	}
	return t0, fmt.Errorf("unknown failure kind %q", kind)
}

// ms converts a duration to float milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
