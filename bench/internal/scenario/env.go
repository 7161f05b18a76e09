//go:build linux

// Package scenario runs the benchmark's measurements on a lab: failover
// as the client and the wire see it, the footprint of 254 groups, and the
// renderer's cost.
package scenario

import (
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/failoverkit/ipfailover/bench/internal/impl"
	"github.com/failoverkit/ipfailover/bench/internal/lab"
)

// Implementation names, as they appear in the results.
const (
	Ours       = "ours"
	Keepalived = "keepalived"
	// OursScript is our agent running the health check as a check script
	// (#!/bin/bash, </dev/tcp/ADDR/PORT: one fork and exec per run, as
	// keepalived's vrrp_script), instead of its own in-process TCP connect
	// (the monitor port check, the same checker as a declarative
	// check.tcp). Only with -impls; the comparison table leaves it out.
	OursScript = "ours-script"
)

// Env is what every scenario needs.
type Env struct {
	Lab      *lab.Lab
	Cleanups *lab.Cleanups
	// Dir holds configuration files, pid files and process logs.
	Dir string
	// OursBin and KeepalivedBin are the two implementations' binaries.
	OursBin, KeepalivedBin string
	// OursEnv is added to our agent's environment (experiments only).
	OursEnv []string
	Log     *slog.Logger
	Rand    *rand.Rand
}

// Priorities are pinned per node, the same for both implementations: n1
// is master, n2 the first backup, n3 the second.
var Priorities = []int{200, 150, 100}

// backupPriority is the priority of the node that takes over (n2).
const backupPriority = 150

// monitorPort is the port the health check connects to: the image's
// default, served on every node by the benchmark.
const monitorPort = 80

// baseSetup is the failover set both implementations run, before the
// per-node priority and address.
func baseSetup(vips []netip.Addr, version int, interval time.Duration) impl.Setup {
	return impl.Setup{
		Name:          "bench",
		Interface:     lab.Ifname,
		VIPs:          vips,
		VRIDOffset:    0, // 254 groups need VRIDs 1..254
		Version:       version,
		Interval:      interval,
		PreemptDelay:  300 * time.Second,
		MonitorPort:   monitorPort,
		CheckInterval: 2 * time.Second,
		Replicas:      len(Priorities),
	}
}

// VIPs returns the first n VIPs of the VIP subnet: 198.51.100.1, .2, ...
func VIPs(n int) []netip.Addr {
	out := make([]netip.Addr, 0, n)
	a := lab.VIPNet.Addr()
	for range n {
		a = a.Next()
		out = append(out, a)
	}
	return out
}

// ServeChecks starts the TCP service the health check of every node
// connects to.
func (e *Env) ServeChecks() error {
	for _, h := range e.Lab.Nodes {
		if err := h.ServeTCP(e.Cleanups, h.Addr, monitorPort); err != nil {
			return err
		}
	}
	return nil
}

// set is one implementation running on the nodes; procs[i] runs on node i.
type set struct {
	impl  string
	tag   string
	setup impl.Setup
	procs []*lab.Process
}

// newSet prepares implementation name with s on every node; tag names the
// logs. Nodes are started one by one with startNode.
func newSet(name string, s impl.Setup, tag string) *set {
	return &set{impl: name, tag: tag, setup: s}
}

// logPath is the log file of the set's process on host h.
func (e *Env) logPath(st *set, h *lab.Host) string {
	return filepath.Join(e.Dir, fmt.Sprintf("%s-%s-%s.log", st.tag, st.impl, h.Role))
}

// startNode starts the set's implementation on node i with priority
// Priorities[i].
func (e *Env) startNode(st *set, i int) error {
	h := e.Lab.Nodes[i]
	ns := st.setup
	ns.NodeAddr, ns.Priority = h.Addr, Priorities[i]
	if err := ns.Validate(); err != nil {
		return err
	}
	logPath := e.logPath(st, h)
	base := strings.TrimSuffix(logPath, ".log")
	var p *lab.Process
	var err error
	switch st.impl {
	case Ours:
		p, err = h.Start(e.Cleanups, st.impl+"@"+h.Role, logPath, append(impl.OursEnv(ns), e.OursEnv...), impl.OursArgs(e.OursBin)...)
	case OursScript:
		script := base + ".check.sh"
		if err := os.WriteFile(script, []byte(impl.CheckScript(ns)), 0o755); err != nil {
			return fmt.Errorf("writing %s: %w", script, err)
		}
		env := append(impl.OursEnv(ns), "OPENSHIFT_HA_CHECK_SCRIPT="+script)
		p, err = h.Start(e.Cleanups, st.impl+"@"+h.Role, logPath, append(env, e.OursEnv...), impl.OursArgs(e.OursBin)...)
	case Keepalived:
		conf := base + ".conf"
		if err := os.WriteFile(conf, []byte(impl.KeepalivedConf(ns)), 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", conf, err)
		}
		p, err = h.Start(e.Cleanups, st.impl+"@"+h.Role, logPath, nil, impl.KeepalivedArgs(e.KeepalivedBin, conf, base)...)
	default:
		return fmt.Errorf("unknown implementation %q", st.impl)
	}
	if err != nil {
		return err
	}
	st.procs = append(st.procs, p)
	return nil
}

// backupMarker is the log line each implementation writes when a group
// enters Backup.
var backupMarker = map[string]string{Ours: "to=Backup", OursScript: "to=Backup", Keepalived: "Entering BACKUP STATE"}

// startBackups starts nodes 1.. (node 0, the master, already runs) and
// waits, until deadline, until each has logged that all its groups are in
// Backup.
func (e *Env) startBackups(st *set, deadline time.Time) error {
	for i := 1; i < len(e.Lab.Nodes); i++ {
		if err := e.startNode(st, i); err != nil {
			return err
		}
	}
	groups, err := st.setup.Plan()
	if err != nil {
		return err
	}
	for _, h := range e.Lab.Nodes[1:] {
		if err := waitLog(e.logPath(st, h), backupMarker[st.impl], len(groups), deadline); err != nil {
			return fmt.Errorf("%s on %s: %w", st.impl, h.Role, err)
		}
	}
	return nil
}

// waitLog polls a log file until marker occurs count times or the
// deadline passes.
func waitLog(path, marker string, count int, deadline time.Time) error {
	for {
		b, err := os.ReadFile(path)
		if err == nil && strings.Count(string(b), marker) >= count {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%q not logged %d times in %s; the log ends:\n%s", marker, count, path, tail(path, 10))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop kills every process of the set (SIGKILL to each process group) and
// waits until they are reaped.
func (st *set) stop() error {
	var errs []error
	for _, p := range st.procs {
		if !p.Kill(5 * time.Second) {
			errs = append(errs, fmt.Errorf("%s (pid %d) did not end after SIGKILL", p.Name, p.PID()))
		}
	}
	return errors.Join(errs...)
}

// reset returns the lab to its initial state between runs: every port up,
// no VIP left on any node, an empty neighbour table on the client.
func (e *Env) reset() error {
	var errs []error
	for _, h := range e.Lab.Nodes {
		errs = append(errs, h.SetCarrier(true), h.RemoveVIPs())
	}
	errs = append(errs, e.Lab.Client.FlushNeighbours())
	return errors.Join(errs...)
}

// nodeOfMAC names the node owning mac, or "?".
func (e *Env) nodeOfMAC(mac []byte) string {
	for _, h := range e.Lab.Nodes {
		if string(h.MAC) == string(mac) {
			return h.Role
		}
	}
	return "?"
}

// tail returns the last lines of a process log, for error messages.
func tail(path string, lines int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	all := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}
