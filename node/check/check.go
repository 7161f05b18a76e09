// Package check runs the failover set's health check: the check script when
// one is configured, otherwise a TCP connect to the monitor port on the
// node's own address (what the image's `</dev/tcp/<node ip>/<port>` does),
// or nothing when the port is 0.
//
// Like keepalived with the image's configuration (interval N, timeout =
// interval, rise 1, fall 1, weight 0) one failed run reports a failure and
// one good run reports a recovery; a run that outlives the interval counts
// as a failure. A script is judged by its exit status alone (see procexec:
// children it leaves behind neither delay nor fail it, and are killed).
package check

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/failoverkit/ipfailover/node/procexec"
)

// Checker runs one health check.
type Checker interface {
	// Check returns nil when the node is healthy.
	Check(ctx context.Context) error
	// String describes the check for logs.
	String() string
}

// TCP connects to Addr; success means something is listening.
type TCP struct{ Addr netip.AddrPort }

// Check dials Addr and closes the connection at once.
func (c TCP) Check(ctx context.Context) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", c.Addr.String())
	if err != nil {
		return fmt.Errorf("tcp check of %s: %w", c.Addr, err)
	}
	return conn.Close()
}

func (c TCP) String() string { return "tcp " + c.Addr.String() }

// Script runs an executable; exit status 0 means healthy.
type Script struct {
	Path string
}

// Check runs the script until it exits or ctx ends.
func (c Script) Check(ctx context.Context) error {
	deadline, ok := ctx.Deadline()
	timeout := time.Hour
	if ok {
		timeout = time.Until(deadline)
	}
	out, err := procexec.Run(ctx, timeout, c.Path)
	if err != nil {
		if out != "" {
			return fmt.Errorf("check script: %w; output: %s", err, out)
		}
		return fmt.Errorf("check script: %w", err)
	}
	return nil
}

func (c Script) String() string { return "script " + c.Path }

// For picks the checker the contract asks for: the script when set, a TCP
// connect to the monitor port on nodeIP otherwise (127.0.0.1 when the node
// has no IPv4 address, as the image does), or nil when the port is 0.
func For(script string, monitorPort int, nodeIP netip.Addr) Checker {
	switch {
	case script != "":
		return Script{Path: script}
	case monitorPort == 0:
		return nil
	}
	if !nodeIP.IsValid() {
		nodeIP = netip.MustParseAddr("127.0.0.1")
	}
	return TCP{Addr: netip.AddrPortFrom(nodeIP, uint16(monitorPort))}
}

// Result is one check run.
type Result struct {
	OK  bool
	Err error
}

// Run checks every interval, each run bounded by the interval, and sends
// every result to report until ctx ends. The first check runs at once.
// When ctx ends, a check in flight is stopped (a script and everything it
// started are killed) before Run returns.
func Run(ctx context.Context, c Checker, interval time.Duration, report func(Result)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		rctx, cancel := context.WithTimeout(ctx, interval)
		err := c.Check(rctx)
		cancel()
		if ctx.Err() != nil {
			return
		}
		report(Result{OK: err == nil, Err: err})
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Describe returns a human description of the configured check for logs.
func Describe(c Checker) string {
	if c == nil {
		return "none (monitor port 0)"
	}
	return c.String()
}
