package cluster

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// node returns worker i's description.
func (st *state) node(i int) node {
	return node{index: i, name: NodeName(i), netns: fmt.Sprintf("%s-w%d", st.ID, i+1), dir: filepath.Join(st.RunDir, NodeName(i))}
}

// switchPort is worker i's veth on the switch's bridge.
func switchPort(i int) string { return fmt.Sprintf("w%d", i+1) }

func (st *state) logPath(name string) string { return filepath.Join(st.Dir, "logs", name+".log") }

func (st *state) daemonsCgroup() string { return st.Cgroup + "/daemons" }

func (st *state) kubeconfig(n node) string { return filepath.Join(st.Dir, n.name+".kubeconfig") }

// startDaemon starts a daemon and records it.
func (st *state) startDaemon(netns, cgroup, name string, args []string, env ...string) error {
	pr, err := start(daemon{name: name, netns: netns, cgroup: cgroup, log: st.logPath(name), env: env, args: args})
	if err != nil {
		return err
	}
	st.Procs = append(st.Procs, pr)
	return st.save()
}

func (st *state) startContainerd(ctx context.Context, n node) error {
	if err := st.startDaemon(n.netns, st.daemonsCgroup(), n.name+"-containerd", containerdArgs(n)); err != nil {
		return err
	}
	return waitFor(ctx, containerdTimeout, n.name+"'s containerd", func() error {
		if err := st.checkAlive(); err != nil {
			return err
		}
		_, err := ctr(n, "version")
		return err
	})
}

func (st *state) startKubelet(n node) error {
	return st.startDaemon(n.netns, st.daemonsCgroup(), n.name+"-kubelet", kubeletArgs(st.Bins, n, st.kubeconfig(n)))
}

// nodeIndex finds a worker by name.
func (st *state) nodeIndex(name string) (int, error) {
	for i := range MaxNodes {
		if NodeName(i) == name && slices.Contains(st.Namespaces, st.node(i).netns) {
			return i, nil
		}
	}
	return 0, fmt.Errorf("lab: no node %s", name)
}

// FailNode makes worker name fail as a crashed machine would: its link to
// the switch goes down, then its kubelet, its containerd and everything in
// its pods' cgroups are killed at once. Its addresses stay, as a crashed
// machine's would until it reboots.
func FailNode(dir, name string) error {
	st, err := loadState(dir)
	if err != nil {
		return err
	}
	i, err := st.nodeIndex(name)
	if err != nil {
		return err
	}
	if _, err := run("ip", "-n", st.Switch, "link", "set", switchPort(i), "down"); err != nil {
		return err
	}
	var keep []Proc
	for _, p := range st.Procs {
		if p.Name == name+"-kubelet" || p.Name == name+"-containerd" {
			if err := p.Kill(); err != nil {
				return err
			}
			continue
		}
		keep = append(keep, p)
	}
	st.Procs = keep
	if err := st.save(); err != nil {
		return err
	}
	// The pods, and the shims that containerd left (they live in the
	// daemons' cgroup: those whose command line names this node's socket).
	if err := killCgroup(st.Cgroup + "/" + name); err != nil {
		return err
	}
	return killShims(st.daemonsCgroup(), st.node(i).containerdSocket())
}

// RestartNode brings a failed worker back as a rebooted machine: addresses
// other than its own are gone, its link comes up, containerd and kubelet
// start again.
func RestartNode(ctx context.Context, dir, name string) error {
	st, err := loadState(dir)
	if err != nil {
		return err
	}
	i, err := st.nodeIndex(name)
	if err != nil {
		return err
	}
	n := st.node(i)
	if _, err := run("ip", "-n", n.netns, "addr", "flush", "dev", Interface); err != nil {
		return err
	}
	if _, err := run("ip", "-n", n.netns, "addr", "add", fmt.Sprintf("%s/%d", nodeAddr(i), HostNet.Bits()), "dev", Interface); err != nil {
		return err
	}
	if _, err := run("ip", "-n", st.Switch, "link", "set", switchPort(i), "up"); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, containerdTimeout+time.Second)
	defer cancel()
	if err := st.startContainerd(ctx, n); err != nil {
		return err
	}
	return st.startKubelet(n)
}

// killShims kills the containerd shims of one node's containerd: the
// processes in cgroup whose command line names its socket.
func killShims(cgroup, socket string) error {
	for _, pid := range cgroupPIDs(cgroup) {
		cmdline, err := readCmdline(pid)
		if err != nil || !strings.Contains(cmdline, socket) {
			continue
		}
		st, err := startTime(pid)
		if err != nil {
			continue
		}
		if err := (Proc{Name: "shim", PID: pid, Start: st}).Kill(); err != nil {
			return err
		}
	}
	return nil
}
