package serverside

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/internal/apicheck"
	"github.com/failoverkit/ipfailover/internal/nstest"
	"github.com/failoverkit/ipfailover/lab/cluster"
)

func TestMain(m *testing.M) {
	cluster.RunHelper() // the lab's forwarder runs as this binary
	os.Exit(m.Run())
}

// startServer brings the lab's control plane alone up for t (cluster.Up
// with no nodes: etcd and a real kube-apiserver, reached through the lab's
// forwarder with the admin certificate), and down when t ends. It returns
// the admin kubeconfig and a client for it. IPFLAB_BINS (make test-lab
// sets it) names the Kubernetes binaries.
func startServer(t *testing.T) (kubeconfig string, c *apicheck.Client) {
	t.Helper()
	nstest.RequirePrivileged(t)
	nstest.RequireCommands(t, "etcd", "nsenter")
	bins := os.Getenv("IPFLAB_BINS")
	if bins == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("IPFLAB_BINS is not set: run the suite with make test-lab")
		}
		t.Skip("IPFLAB_BINS is not set: run the suite with make test-lab")
	}
	dir, err := os.MkdirTemp("", "ipflab-serverside-")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	l, err := cluster.Up(ctx, cluster.Config{Dir: dir, Bins: bins, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := cluster.Down(dir); err != nil {
			t.Errorf("taking the control plane down: %v", err)
		}
		os.RemoveAll(dir)
	})
	c, err = apicheck.Load(l.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	return l.Kubeconfig, c
}
