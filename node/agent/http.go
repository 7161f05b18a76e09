package agent

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"

	"github.com/failoverkit/ipfailover/contract"
)

// Handler serves /healthz (the loop is turning), /readyz (every group has
// started and the agent is not stopping) and /metrics.
func (a *Agent) Handler() http.Handler {
	mux := http.NewServeMux()
	maxAge := 3*a.opts.ReconcileEvery + 3*a.cfg.AdvertInterval
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if !a.Alive(maxAge) {
			http.Error(w, fmt.Sprintf("event loop has not turned for %s", maxAge), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if !a.Ready() {
			http.Error(w, "not ready: starting or stopping", http.StatusServiceUnavailable)
			return
		}
		if a.linkFault.Load() {
			http.Error(w, fmt.Sprintf("not ready: interface %s is down, has no carrier, is gone or has no address to send adverts from: every group is in FAULT", a.ifname), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	mux.Handle("GET /metrics", a.deps.Metrics.Registry.Handler())
	return mux
}

// ListenHealth binds the health and metrics port on every address. The
// agent binds it before anything else, so a port already taken (two
// failover sets on one node with the same OPENSHIFT_HA_HEALTH_PORT, whose
// probes the other set's agent would answer) is fatal at start.
func ListenHealth(port int) (net.Listener, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort("", strconv.Itoa(port)))
	if err != nil {
		hint := ""
		if errors.Is(err, syscall.EADDRINUSE) {
			hint = ": another process on this node, perhaps the agent of another failover set, already uses it; give each set its own port"
		}
		return nil, fmt.Errorf("%s=%d: cannot listen for health probes and metrics: %w%s", contract.EnvHealthPort, port, err, hint)
	}
	return ln, nil
}

// Serve serves Handler on ln until ctx ends, then closes it.
func (a *Agent) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: a.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
