//go:build linux

package e2e

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/internal/nstest"
)

// Modes of a healthServer.
const (
	serveOK   = iota // 200
	serveFail        // 503
	serveHang        // no answer until the client gives up
)

// healthServer is an HTTP health endpoint in a node's namespace whose
// answer the test switches. Its socket is opened inside the namespace
// (nstest's Do); the test process serves it.
type healthServer struct {
	mode atomic.Int32
	srv  *http.Server
}

func newHealthServer(t *testing.T, n *node, port int) *healthServer {
	t.Helper()
	h := &healthServer{}
	h.srv = &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch h.mode.Load() {
		case serveFail:
			w.WriteHeader(http.StatusServiceUnavailable)
		case serveHang:
			select { // bounded: the agent's check gives up after its timeout
			case <-r.Context().Done():
			case <-time.After(time.Minute):
			}
		}
	})}
	ln := listenIn(t, n, port)
	served := make(chan error, 1)
	go func() { served <- h.srv.Serve(ln) }()
	t.Cleanup(func() {
		h.srv.Close()
		if err := <-served; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("health server: %v", err)
		}
	})
	return h
}

// listenIn opens a TCP listener on port of every address of n's namespace.
func listenIn(t *testing.T, n *node, port int) net.Listener {
	t.Helper()
	var ln net.Listener
	if err := n.Do(func() (err error) {
		ln, err = net.Listen("tcp", fmt.Sprintf(":%d", port))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

// TestDeclarativeChecks runs the agent's own checks, no script involved:
// node a GETs http://<its address>:8080/healthz, node b connects to
// <its address>:5432. Each failure mode of a's endpoint (a 503, an answer
// that never comes within the check interval) puts every group of a into
// FAULT, so b masters them; one good answer brings a back (preemption).
// Closing b's port faults b; reopening it recovers b.
func TestDeclarativeChecks(t *testing.T) {
	t.Parallel()
	cfg := fastSet(t, "192.0.2.100-101")
	cfg.CheckInterval = time.Second
	c := newCluster(t, cfg, "a", "b")
	a, b := c.node("a"), c.node("b")
	web := newHealthServer(t, a, 8080)
	db := listenIn(t, b, 5432)
	a.start("OPENSHIFT_HA_PRIORITY=200", contract.EnvCheckHTTP+"=http://:8080/healthz", contract.EnvCheckHTTPStatus+"=200-299")
	b.start("OPENSHIFT_HA_PRIORITY=100", contract.EnvCheckTCP+"=:5432")

	// allIn waits until every group of n is in state, and the invariants hold.
	allIn := func(n *node, state int, what string) {
		t.Helper()
		nstest.WaitFor(t, c.bound()+3*cfg.CheckInterval, what, func() error {
			v, err := c.observe()
			if err != nil {
				return err
			}
			for _, g := range c.groups {
				if v.states[n][g.VRID] != state {
					return fmt.Errorf("group %d: %v", g.Index, v)
				}
			}
			return c.check(v)
		})
	}
	allIn(a, stateMaster, "a to master every group")

	web.mode.Store(serveFail)
	allIn(a, stateFault, "every group of a in FAULT on a 503")
	allIn(b, stateMaster, "b to master every group")
	web.mode.Store(serveOK)
	allIn(a, stateMaster, "a to master every group again after one good answer")

	web.mode.Store(serveHang)
	allIn(a, stateFault, "every group of a in FAULT on an answer that outlasts the interval")
	web.mode.Store(serveOK)
	allIn(a, stateMaster, "a to recover from the hang")

	for _, want := range []string{"status 503, want 200-299", "context deadline exceeded", "health check passes again"} {
		if !strings.Contains(a.proc.Output(), want) {
			t.Errorf("a's log lacks %q", want)
		}
	}

	db.Close()
	allIn(b, stateFault, "every group of b in FAULT once its port is closed")
	listenIn(t, b, 5432)
	allIn(b, stateBackup, "b back to BACKUP once its port answers")
	if out := b.proc.Output(); !strings.Contains(out, "connection refused") {
		t.Errorf("b's log lacks the refused connection:\n%s", out)
	}
}
