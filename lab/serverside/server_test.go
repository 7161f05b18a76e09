package serverside

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"testing"
	"time"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/failoverkit/ipfailover/internal/nstest"
	"github.com/failoverkit/ipfailover/lab/cluster"
)

func TestMain(m *testing.M) {
	cluster.RunHelper() // the lab's forwarder runs as this binary
	os.Exit(m.Run())
}

// server is the lab's control plane alone (cluster.Up with no nodes): etcd
// and a real kube-apiserver, reached through the lab's forwarder with the
// admin certificate.
type server struct {
	base string
	hc   *http.Client
}

// startServer brings a control plane up for t, and down when t ends.
// IPFLAB_BINS (make test-lab sets it) names the Kubernetes binaries.
func startServer(t *testing.T) *server {
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
	rc, err := clientcmd.BuildConfigFromFlags("", l.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	hc, err := rest.HTTPClientFor(rc)
	if err != nil {
		t.Fatal(err)
	}
	return &server{base: rc.Host, hc: hc}
}

// Do sends a request and returns the status and body.
func (s *server) Do(ctx context.Context, method, path, contentType string, body []byte) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.base+path, r)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	return resp.StatusCode, data, err
}
