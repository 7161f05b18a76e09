package cluster

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Config says what lab to bring up.
type Config struct {
	// Dir holds the lab's state, logs, certificates and kubeconfig
	// (lab.json names them). One lab per Dir.
	Dir string
	// Bins holds kube-apiserver, kube-controller-manager, kube-scheduler
	// and kubelet.
	Bins string
	// Nodes is the number of worker nodes (0 to MaxNodes). With none, only
	// etcd and the API server run: enough to validate manifests.
	Nodes int
	// Images are image archives (docker save) imported into every node's
	// containerd.
	Images []string
	// SandboxImage is the pause image's reference (one of Images).
	SandboxImage string
	// Self is an executable that calls RunHelper first (default: this one).
	Self string
	// Log receives progress; nil: discard.
	Log *slog.Logger
}

// Timeouts of Up's waits.
const (
	apiserverTimeout  = 120 * time.Second
	containerdTimeout = 30 * time.Second
	nodeReadyTimeout  = 180 * time.Second
)

// Lab is a running lab.
type Lab struct {
	Info
	// Dir is the lab's directory.
	Dir string
	// ID starts the name of every namespace and cgroup of the lab.
	ID string
	// Server is the API server's URL as seen from the caller's namespace.
	Server string
	// Switch and ControlPlane name the switch's and the control plane's
	// network namespaces.
	Switch, ControlPlane string
}

// runDir is where a lab keeps what the kernel and daemons want on a short
// path or in memory: sockets, kubelet's and containerd's data, etcd's.
func runDir(id string) string { return filepath.Join("/run", id) }

// Up brings a lab up. On failure it removes what it created and returns
// the error; the logs stay in cfg.Dir.
func Up(ctx context.Context, cfg Config) (*Lab, error) {
	if cfg.Nodes < 0 || cfg.Nodes > MaxNodes {
		return nil, fmt.Errorf("lab: %d nodes: want 0 to %d", cfg.Nodes, MaxNodes)
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Self == "" {
		self, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("lab: %w", err)
		}
		cfg.Self = self
	}
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("lab: %w", err)
	}
	if _, err := os.Stat(filepath.Join(dir, stateFile)); err == nil {
		return nil, fmt.Errorf("lab: a lab is already up in %s (its lab.json says how to use it); take it down first (make lab-down)", dir)
	}
	for _, tool := range []string{"ip", "nsenter", "etcd", "containerd", "containerd-shim-runc-v2", "runc", "ctr"} {
		if _, err := execLookPath(tool); err != nil {
			return nil, fmt.Errorf("lab: %s is missing (Debian packages: iproute2 util-linux etcd-server containerd runc)", tool)
		}
	}
	need := []string{"kube-apiserver"}
	if cfg.Nodes > 0 {
		need = append(need, "kube-controller-manager", "kube-scheduler", "kubelet")
	}
	for _, b := range need {
		if _, err := os.Stat(filepath.Join(cfg.Bins, b)); err != nil {
			return nil, fmt.Errorf("lab: Kubernetes binary %s: %w (make k8s builds them)", b, err)
		}
	}
	id, err := newID()
	if err != nil {
		return nil, err
	}
	for _, d := range []string{dir, filepath.Join(dir, "pki"), filepath.Join(dir, "logs")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("lab: %w", err)
		}
	}
	st := &state{ID: id, Dir: dir}
	if err := st.save(); err != nil {
		return nil, fmt.Errorf("lab: %w", err)
	}
	l, err := st.up(ctx, cfg)
	if err != nil {
		if derr := Down(dir); derr != nil {
			err = errors.Join(err, fmt.Errorf("taking the half-built lab down: %w", derr))
		}
		return nil, fmt.Errorf("lab: %w (logs in %s)", err, filepath.Join(dir, "logs"))
	}
	return l, nil
}

// newID is ipfl- and five random base-36 digits: short enough for
// interface-name-sized namespace names, unique per run.
func newID() (string, error) {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	b := []byte("ipfl-")
	for range 5 {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(digits))))
		if err != nil {
			return "", err
		}
		b = append(b, digits[n.Int64()])
	}
	return string(b), nil
}

func (st *state) up(ctx context.Context, cfg Config) (*Lab, error) {
	log := cfg.Log
	l := &Lab{Dir: st.Dir, ID: st.ID, Switch: st.ID + "-sw", ControlPlane: st.ID + "-cp"}
	run := runDir(st.ID)
	if err := os.MkdirAll(run, 0o755); err != nil {
		return nil, err
	}
	st.RunDir = run
	st.Bins = cfg.Bins
	st.Switch = l.Switch
	st.Cgroup = st.ID
	if err := st.save(); err != nil {
		return nil, err
	}
	if err := makeCgroup(st.Cgroup + "/daemons"); err != nil {
		return nil, err
	}
	logPath := st.logPath

	// The network: a switch, the control plane, the nodes, the client.
	log.Info("network", "switch", l.Switch)
	if err := st.newSwitch(l.Switch); err != nil {
		return nil, err
	}
	if err := st.attach(l.Switch, l.ControlPlane, "cp", ControlPlaneAddr); err != nil {
		return nil, err
	}
	nodes := make([]node, cfg.Nodes)
	for i := range nodes {
		nodes[i] = st.node(i)
		if err := st.attach(l.Switch, nodes[i].netns, switchPort(i), nodeAddr(i)); err != nil {
			return nil, err
		}
		l.Nodes = append(l.Nodes, NodeInfo{Name: nodes[i].name, Netns: nodes[i].netns, Address: nodeAddr(i).String(), Interface: Interface})
	}
	l.Client = ClientInfo{Netns: st.ID + "-client", Address: ClientAddr.String()}
	if err := st.attach(l.Switch, l.Client.Netns, "client", ClientAddr); err != nil {
		return nil, err
	}

	// Certificates and kubeconfigs.
	p, err := newPKI(filepath.Join(st.Dir, "pki"))
	if err != nil {
		return nil, err
	}
	if err := p.controlPlaneCerts(); err != nil {
		return nil, err
	}

	// The forwarder: a listener on 127.0.0.1 here, served from inside the
	// control-plane namespace.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	lf, err := ln.(*net.TCPListener).File()
	ln.Close()
	if err != nil {
		return nil, err
	}
	defer lf.Close()
	l.Server = "https://" + ln.Addr().String()
	l.Kubeconfig = filepath.Join(st.Dir, "kubeconfig")
	if err := p.writeKubeconfig(l.Kubeconfig, l.Server, "admin"); err != nil {
		return nil, err
	}
	local := apiserverURL(netipLoopback)
	for _, c := range []string{"controller-manager", "scheduler"} {
		if err := p.writeKubeconfig(filepath.Join(st.Dir, c+".kubeconfig"), local, c); err != nil {
			return nil, err
		}
	}

	startIn := st.startDaemon
	daemons := st.daemonsCgroup()
	pr, err := start(daemon{name: "forwarder", netns: l.ControlPlane, cgroup: daemons, log: logPath("forwarder"),
		env:   []string{roleEnv + "=" + roleForward, forwardToEnv + "=" + netipAddrPort(ControlPlaneAddr, APIServerPort)},
		files: []*os.File{lf}, args: []string{cfg.Self}})
	if err != nil {
		return nil, err
	}
	st.Procs = append(st.Procs, pr)

	// The control plane.
	etcdDir := filepath.Join(run, "etcd")
	log.Info("control plane", "netns", l.ControlPlane, "server", l.Server)
	if err := startIn(l.ControlPlane, daemons, "etcd", etcdArgs(etcdDir)); err != nil {
		return nil, err
	}
	if err := startIn(l.ControlPlane, daemons, "kube-apiserver", apiserverArgs(cfg.Bins, p)); err != nil {
		return nil, err
	}
	client, err := newClient(l.Kubeconfig)
	if err != nil {
		return nil, err
	}
	if err := waitFor(ctx, apiserverTimeout, "the API server to be ready", func() error {
		if err := st.checkAlive(); err != nil {
			return err
		}
		return client.ready(ctx)
	}); err != nil {
		return nil, err
	}
	if cfg.Nodes > 0 {
		if err := startIn(l.ControlPlane, daemons, "kube-controller-manager", controllerManagerArgs(cfg.Bins, filepath.Join(st.Dir, "controller-manager.kubeconfig"), p)); err != nil {
			return nil, err
		}
		if err := startIn(l.ControlPlane, daemons, "kube-scheduler", schedulerArgs(cfg.Bins, filepath.Join(st.Dir, "scheduler.kubeconfig"))); err != nil {
			return nil, err
		}
	}

	// The nodes: containerd, the images, kubelet.
	if err := st.recordSysctls(); err != nil {
		return nil, err
	}
	remote := apiserverURL(ControlPlaneAddr)
	for _, n := range nodes {
		log.Info("node", "name", n.name, "netns", n.netns, "address", nodeAddr(n.index))
		cg := st.Cgroup + "/" + n.name
		if err := makeCgroup(cg); err != nil {
			return nil, err
		}
		if err := p.nodeCerts(n); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(n.dir, 0o755); err != nil {
			return nil, err
		}
		if err := writeNodeConfig(n, p, "/"+cg, cfg.SandboxImage); err != nil {
			return nil, err
		}
		if err := p.writeKubeconfig(st.kubeconfig(n), remote, n.name); err != nil {
			return nil, err
		}
		if err := st.startContainerd(ctx, n); err != nil {
			return nil, err
		}
		for _, img := range cfg.Images {
			if err := importImage(n, img); err != nil {
				return nil, err
			}
		}
		if err := st.startKubelet(n); err != nil {
			return nil, err
		}
	}
	if cfg.Nodes > 0 {
		if err := waitFor(ctx, nodeReadyTimeout, "every node to be Ready", func() error {
			if err := st.checkAlive(); err != nil {
				return err
			}
			return client.nodesReady(ctx, cfg.Nodes)
		}); err != nil {
			return nil, err
		}
		for _, n := range nodes {
			if err := client.labelWorker(ctx, n.name); err != nil {
				return nil, err
			}
		}
	}
	if err := writeJSON(filepath.Join(st.Dir, infoFile), l.Info); err != nil {
		return nil, err
	}
	return l, nil
}

// checkAlive fails when a daemon of the lab has exited, naming its log.
func (st *state) checkAlive() error {
	for _, p := range st.Procs {
		if !p.Alive() {
			return fmt.Errorf("%s exited (see %s)", p.Name, p.Log)
		}
	}
	return nil
}

// waitFor polls cond every 250 ms until it succeeds or timeout passes.
func waitFor(ctx context.Context, timeout time.Duration, what string, cond func() error) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		err := cond()
		if err == nil {
			return nil
		}
		if strings.Contains(err.Error(), " exited (see ") {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting %s for %s: %w", timeout, what, err)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// Load reads the lab that is up in dir.
func Load(dir string) (*Info, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if _, err := loadState(dir); err != nil {
		return nil, err
	}
	var info Info
	if err := readJSON(filepath.Join(dir, infoFile), &info); err != nil {
		return nil, err
	}
	return &info, nil
}
