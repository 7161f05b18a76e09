package e2e

import (
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes"

	"github.com/failoverkit/ipfailover/internal/nstest"
	"github.com/failoverkit/ipfailover/lab/cluster"
)

// iface is the VRRP interface on every node.
const iface = cluster.Interface

// env is the lab as the scenarios use it.
type env struct {
	lab       *cluster.Lab
	cs        *kubernetes.Clientset
	renderBin string
	image     string
	nodes     []*node
	client    *nstest.NS
}

// labVars are the variables make test-lab sets.
var labVars = []string{"IPFLAB_BINS", "IPFLAB_IMAGES", "IPFLAB_NODE_IMAGE", "IPFLAB_RENDER"}

// newEnv brings a three-node lab up for t, and down when t ends.
func newEnv(t *testing.T) *env {
	t.Helper()
	nstest.RequirePrivileged(t)
	nstest.RequireCommands(t, "etcd", "containerd", "runc", "ctr", "nsenter", "kubectl")
	for _, v := range labVars {
		if os.Getenv(v) == "" {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is not set: run the suite with make test-lab", v)
			}
			t.Skipf("%s is not set: run the suite with make test-lab", v)
		}
	}
	archives, err := filepath.Glob(filepath.Join(os.Getenv("IPFLAB_IMAGES"), "*.tar"))
	if err != nil || len(archives) == 0 {
		t.Fatalf("no image archives in %s (make lab-images)", os.Getenv("IPFLAB_IMAGES"))
	}
	dir, err := os.MkdirTemp("", "ipflab-e2e-")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	l, err := cluster.Up(ctx, cluster.Config{
		Dir: dir, Bins: os.Getenv("IPFLAB_BINS"), Nodes: 3, Images: archives,
		SandboxImage: "localhost/failoverkit/pause:lab",
		Log:          slog.New(slog.NewTextHandler(testWriter{t}, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := cluster.Down(dir); err != nil {
			t.Errorf("taking the lab down: %v", err)
		}
		os.RemoveAll(dir)
	})
	t.Logf("lab up in %v: %d nodes Ready", time.Since(start).Round(time.Millisecond), len(l.Nodes))
	e := &env{lab: l, renderBin: os.Getenv("IPFLAB_RENDER"), image: os.Getenv("IPFLAB_NODE_IMAGE")}
	if e.cs, err = cluster.NewClientset(l.Kubeconfig); err != nil {
		t.Fatal(err)
	}
	for _, n := range l.Nodes {
		ns := nstest.Attach(t, n.Netns)
		link, err := ns.Handle().LinkByName(n.Interface)
		if err != nil {
			t.Fatal(err)
		}
		e.nodes = append(e.nodes, &node{name: n.Name, ns: ns, mac: link.Attrs().HardwareAddr.String()})
	}
	e.client = nstest.Attach(t, l.Client.Netns)
	return e
}

// node returns the node called name.
func (e *env) node(t *testing.T, name string) *node {
	t.Helper()
	for _, n := range e.nodes {
		if n.name == name {
			return n
		}
	}
	t.Fatalf("no node %s", name)
	return nil
}

// testWriter sends the lab's progress log to t.Log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// listener is a TCP port a check script probes, served from inside a
// node's namespace: closing it makes that node's check fail.
type listener struct{ ln net.Listener }

func (e *env) listen(t *testing.T, n *node, addr string) *listener {
	t.Helper()
	var ln net.Listener
	if err := n.ns.Do(func() error {
		var err error
		ln, err = net.Listen("tcp", addr)
		return err
	}); err != nil {
		t.Fatalf("%s: listening on %s: %v", n.name, addr, err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	l := &listener{ln: ln}
	t.Cleanup(l.close)
	return l
}

func (l *listener) close() { _ = l.ln.Close() }
