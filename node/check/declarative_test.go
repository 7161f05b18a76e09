package check

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/contract"
)

func TestForConfig(t *testing.T) {
	ip := netip.MustParseAddr("192.0.2.11")
	cfg := contract.ImageDefaults()
	cfg.CheckScript = "/x/check.sh"
	if c, err := ForConfig(cfg, ip); err != nil || c.String() != "script /x/check.sh" {
		t.Errorf("without a declarative check: %v, %v", c, err)
	}
	cfg.CheckScript = ""
	tests := []struct {
		check *contract.Check
		want  string
	}{
		{&contract.Check{Kind: contract.CheckTCP, Port: 8080}, "tcp 192.0.2.11:8080"},
		{&contract.Check{Kind: contract.CheckTCP, Host: "2001:db8::1", Port: 80, Timeout: time.Second}, "tcp [2001:db8::1]:80, timeout 1s"},
		{&contract.Check{Kind: contract.CheckTCP, Port: 80, Timeout: 5 * time.Second}, "tcp 192.0.2.11:80"}, // not shorter than the interval
		{contract.NewHTTPCheck(contract.CheckHTTPS, "", 8443, "/healthz"), "http GET https://192.0.2.11:8443/healthz, status 200-399"},
	}
	for _, tt := range tests {
		cfg.Check = tt.check
		c, err := ForConfig(cfg, ip)
		if err != nil || c.String() != tt.want {
			t.Errorf("%+v: %v, %v; want %s", tt.check, c, err, tt.want)
		}
	}
}

// TestHTTP: the status decides, redirects are not followed, a server that
// does not answer in time fails, and https verifies unless told not to.
func TestHTTP(t *testing.T) {
	hang := make(chan struct{})
	defer close(hang)
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/teapot", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/teapot", http.StatusFound) })
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	tlsSrv := httptest.NewTLSServer(mux)
	defer tlsSrv.Close()

	tests := []struct {
		name, url string
		min, max  int
		insecure  bool
		want      string // "" passes
	}{
		{"ok", srv.URL + "/ok", 200, 399, false, ""},
		{"status out of range", srv.URL + "/teapot", 200, 399, false, "status 418, want 200-399"},
		{"status in a custom range", srv.URL + "/teapot", 418, 418, false, ""},
		{"redirect not followed", srv.URL + "/moved", 200, 299, false, "status 302"},
		{"redirect passes 200-399", srv.URL + "/moved", 200, 399, false, ""},
		{"hang past the timeout", srv.URL + "/hang", 200, 399, false, "context deadline exceeded"},
		{"https verifies by default: a self-signed certificate fails", tlsSrv.URL + "/ok", 200, 399, false, "certificate"},
		{"https opt-out", tlsSrv.URL + "/ok", 200, 399, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Only the hanging server needs a short deadline; the others get
			// room for a TLS handshake on a loaded machine (300 ms for all
			// timed out the self-signed case once at load 18).
			timeout := 10 * time.Second
			if strings.HasSuffix(tt.url, "/hang") {
				timeout = 300 * time.Millisecond
			}
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			err := NewHTTP(tt.url, tt.min, tt.max, tt.insecure).Check(ctx)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("failed: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/"
	ln.Close()
	if err := NewHTTP(closed, 200, 399, false).Check(context.Background()); err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("closed port: %v", err)
	}
}

// TestBounded: the timeout ends a run that would outlast it.
func TestBounded(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close() // accepts (the kernel's backlog) but never answers
	c := Bounded{Checker: NewHTTP("http://"+ln.Addr().String()+"/", 200, 399, false), Timeout: 100 * time.Millisecond}
	start := time.Now()
	err = c.Check(context.Background())
	if err == nil || time.Since(start) > 10*time.Second {
		t.Errorf("a server that never answers: %v after %v", err, time.Since(start))
	}
}
