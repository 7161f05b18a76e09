// Package apiserver starts a throw-away etcd and a standalone
// kube-apiserver on 127.0.0.1 for a test: no nodes, no controllers, just
// the API server's validation, admission and storage, which is what
// "would the server accept this object" needs. Everything it starts is
// stopped, by its own process handle, and its files are removed when the
// test ends.
//
// It is a minimal starter (issue 11) for the lab module; the lab's own
// standalone server package can replace it.
package apiserver

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// Server is a running kube-apiserver.
type Server struct {
	// URL is its base URL, https://127.0.0.1:<port>.
	URL string
	// Token authenticates as a member of system:masters.
	Token string
	// Client talks to it (its certificate is self-signed).
	Client *http.Client
}

// Binaries where the server's programs are: KubeAPIServer is the
// kube-apiserver binary, Etcd the etcd binary.
type Binaries struct {
	KubeAPIServer, Etcd string
}

// startTimeout bounds the wait for etcd and the API server to be ready.
const startTimeout = 90 * time.Second

// Start starts etcd and kube-apiserver and returns once /readyz answers.
// The API server allows privileged containers (the Keepalived target),
// authorizes by RBAC and authenticates one static token.
func Start(t testing.TB, bin Binaries) *Server {
	t.Helper()
	dir := t.TempDir()
	ports := freePorts(t, 3)
	etcdURL := "http://127.0.0.1:" + strconv.Itoa(ports[0])
	start(t, dir, "etcd", bin.Etcd,
		"--name=lab", "--data-dir="+filepath.Join(dir, "etcd"),
		"--listen-client-urls="+etcdURL, "--advertise-client-urls="+etcdURL,
		"--listen-peer-urls=http://127.0.0.1:"+strconv.Itoa(ports[1]),
		"--initial-advertise-peer-urls=http://127.0.0.1:"+strconv.Itoa(ports[1]),
		"--initial-cluster=lab=http://127.0.0.1:"+strconv.Itoa(ports[1]),
		"--log-level=warn")

	key := filepath.Join(dir, "sa.key")
	writeKey(t, key)
	token := "lab-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	tokens := filepath.Join(dir, "tokens.csv")
	if err := os.WriteFile(tokens, []byte(token+",lab-admin,lab-admin,system:masters\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	start(t, dir, "kube-apiserver", bin.KubeAPIServer,
		"--etcd-servers="+etcdURL,
		"--bind-address=127.0.0.1",
		// Only written into the (unreconciled) endpoints: no traffic.
		"--advertise-address=192.0.2.1",
		"--endpoint-reconciler-type=none",
		"--secure-port="+strconv.Itoa(ports[2]),
		"--cert-dir="+filepath.Join(dir, "certs"),
		"--token-auth-file="+tokens,
		"--authorization-mode=RBAC",
		"--service-account-issuer=https://kubernetes.default.svc",
		"--service-account-key-file="+key,
		"--service-account-signing-key-file="+key,
		"--service-cluster-ip-range=198.51.100.0/24",
		"--allow-privileged=true",
		"--profiling=false")

	s := &Server{
		URL:   "https://127.0.0.1:" + strconv.Itoa(ports[2]),
		Token: token,
		Client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
			TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, // its own self-signed certificate, on loopback
		}},
	}
	deadline := time.Now().Add(startTimeout)
	for {
		code, body, err := s.Do(context.Background(), http.MethodGet, "/readyz", "", nil)
		if err == nil && code == http.StatusOK {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("kube-apiserver not ready after %v: %d %s %v (logs in %s)", startTimeout, code, body, err, dir)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// Do sends a request with the admin token and returns the status and body.
func (s *Server) Do(ctx context.Context, method, path, contentType string, body []byte) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.URL+path, r)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+s.Token)
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	return resp.StatusCode, data, err
}

// start runs a program for the test's lifetime, its output in dir, and
// stops it (by its PID) at cleanup.
func start(t testing.TB, dir, name, path string, args ...string) {
	t.Helper()
	logf, err := os.Create(filepath.Join(dir, name+".log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		t.Fatalf("starting %s: %v", name, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Errorf("%s (pid %d) did not exit within 10s of SIGKILL", name, cmd.Process.Pid)
		}
		logf.Close()
		if t.Failed() {
			if data, err := os.ReadFile(logf.Name()); err == nil {
				t.Logf("%s log (tail):\n%s", name, tail(data, 4000))
			}
		}
	})
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// freePorts finds n free TCP ports on 127.0.0.1.
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	var ls []net.Listener
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

// writeKey writes a fresh ECDSA key, the service accounts' signing key.
func writeKey(t testing.TB, path string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// FindBinaries locates kube-apiserver (KUBE_APISERVER, else in
// IPFLAB_BINS as make test-lab sets it, else the newest
// bin/cache/k8s*/kube-apiserver under root) and etcd (ETCD, else etcd on
// $PATH).
func FindBinaries(root string) (Binaries, error) {
	var b Binaries
	b.KubeAPIServer = os.Getenv("KUBE_APISERVER")
	if dir := os.Getenv("IPFLAB_BINS"); b.KubeAPIServer == "" && dir != "" {
		b.KubeAPIServer = filepath.Join(dir, "kube-apiserver")
	}
	if b.KubeAPIServer == "" {
		found, _ := filepath.Glob(filepath.Join(root, "bin", "cache", "k8s*", "kube-apiserver"))
		if len(found) == 0 {
			return b, errors.New("no kube-apiserver: set KUBE_APISERVER, or build it with hack/k8s-build.sh (bin/cache/k8s*/)")
		}
		b.KubeAPIServer = found[len(found)-1]
	}
	b.Etcd = os.Getenv("ETCD")
	if b.Etcd == "" {
		p, err := exec.LookPath("etcd")
		if err != nil {
			return b, fmt.Errorf("no etcd on $PATH (Debian: apt-get install etcd-server): %w", err)
		}
		b.Etcd = p
	}
	return b, nil
}
