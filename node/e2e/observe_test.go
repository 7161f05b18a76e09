//go:build linux

package e2e

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/failoverkit/ipfailover/internal/nstest"
)

// httpTimeout bounds one request to an agent's health port.
const httpTimeout = 2 * time.Second

// get fetches path from the agent's health port over HTTP from inside the
// node's namespace (the agent listens there, on every address).
func (n *node) get(path string) (code int, body string, err error) {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(n.c.cfg.HealthPort))
	err = n.Do(func() error {
		d := net.Dialer{Timeout: httpTimeout}
		conn, err := d.Dial("tcp", addr)
		if err != nil {
			return err
		}
		defer conn.Close()
		if err := conn.SetDeadline(time.Now().Add(httpTimeout)); err != nil {
			return err
		}
		req, err := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
		if err != nil {
			return err
		}
		req.Close = true
		if err := req.Write(conn); err != nil {
			return err
		}
		resp, err := http.ReadResponse(bufio.NewReader(conn), req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		code, body = resp.StatusCode, string(b)
		return err
	})
	return code, body, err
}

// metrics scrapes the agent's /metrics.
func (n *node) metrics() (metrics, error) {
	code, body, err := n.get("/metrics")
	if err != nil {
		return nil, fmt.Errorf("scraping %s: %w", n.HostName, err)
	}
	if code != http.StatusOK {
		return nil, fmt.Errorf("scraping %s: HTTP %d", n.HostName, code)
	}
	return parseMetrics(body)
}

// mustMetrics is metrics that fails the test on error.
func (n *node) mustMetrics() metrics {
	n.c.t.Helper()
	m, err := n.metrics()
	if err != nil {
		n.c.t.Fatal(err)
	}
	return m
}

// VRRP states as the agent's ipfailover_vrrp_state gauge reports them.
const (
	stateInit   = 0
	stateBackup = 1
	stateMaster = 2
	stateFault  = 3
)

// stateName names a value of ipfailover_vrrp_state.
func stateName(v int) string {
	switch v {
	case stateInit:
		return "INIT"
	case stateBackup:
		return "BACKUP"
	case stateMaster:
		return "MASTER"
	case stateFault:
		return "FAULT"
	}
	return fmt.Sprintf("state(%d)", v)
}

// states returns the agent's VRRP state per VRID.
func (n *node) states() (map[int]int, error) {
	m, err := n.metrics()
	if err != nil {
		return nil, err
	}
	out := map[int]int{}
	for _, s := range m.all("ipfailover_vrrp_state") {
		vrid, err := strconv.Atoi(s.labels["vrid"])
		if err != nil {
			return nil, fmt.Errorf("ipfailover_vrrp_state with vrid %q", s.labels["vrid"])
		}
		out[vrid] = int(s.value)
	}
	return out, nil
}

// ifAddr is one address line of `ip -o addr show dev eth0`.
type ifAddr struct {
	Prefix netip.Prefix
	Line   string // the whole line, for flags such as dadfailed
}

// addrs lists eth0's addresses as `ip -n <ns> -o addr show dev eth0` prints them.
func addrs(h *nstest.Host) ([]ifAddr, error) {
	out, err := runHost("ip", "-n", h.Name, "-o", "addr", "show", "dev", nstest.HostIfname)
	if err != nil {
		return nil, err
	}
	var list []ifAddr
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		for i := 0; i+1 < len(f); i++ {
			if f[i] != "inet" && f[i] != "inet6" {
				continue
			}
			p, err := netip.ParsePrefix(f[i+1])
			if err != nil {
				return nil, fmt.Errorf("parsing %q: %w", line, err)
			}
			list = append(list, ifAddr{Prefix: p, Line: line})
			break
		}
	}
	return list, nil
}

// holds reports which of vips are on the host's eth0, as host routes
// (/32 or /128, the only form the agent adds).
func holds(h *nstest.Host, vips []netip.Addr) (map[netip.Addr]bool, error) {
	list, err := addrs(h)
	if err != nil {
		return nil, err
	}
	out := map[netip.Addr]bool{}
	for _, a := range list {
		for _, v := range vips {
			if a.Prefix.Addr() == v {
				if a.Prefix.Bits() != v.BitLen() {
					return nil, fmt.Errorf("%s holds %s, want a /%d host address", h.HostName, a.Prefix, v.BitLen())
				}
				out[v] = true
			}
		}
	}
	return out, nil
}

// neighMAC returns the link-layer address the host's neighbour table has
// for ip (`ip -n <ns> neigh show <ip> dev eth0`), or "" if it has none.
func neighMAC(h *nstest.Host, ip netip.Addr) (string, error) {
	out, err := runHost("ip", "-n", h.Name, "neigh", "show", ip.String(), "dev", nstest.HostIfname)
	if err != nil {
		return "", err
	}
	f := strings.Fields(out)
	for i := 0; i+1 < len(f); i++ {
		if f[i] == "lladdr" {
			return f[i+1], nil
		}
	}
	return "", nil
}
