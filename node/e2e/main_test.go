//go:build linux

// Package e2e proves the node agent end to end: real ipfailover-node
// processes in network namespaces built by internal/nstest, observed only
// from outside, the way an operator would: the addresses on each host's
// eth0 (`ip -o addr`), the agent's /metrics and /readyz, a client's
// neighbour table, the notify script's output, `iptables -S`, and the log
// of a real keepalived peer.
//
// TestMain builds the agent binary once; every scenario starts agents with
// NS.Start, so nstest kills them (and deletes every namespace) when the
// test ends, also when it fails half-way. Every wait is bounded, and no
// assertion is on speed: a fast path is proved by its mechanism (the
// transition reason in the metrics), and bounds are generous multiples of
// the VRRP master-down interval.
//
// The scenarios run in parallel, each in its own lab. They need root and
// skip without it, except under CI=true where they fail instead.
package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// agentBin is the ipfailover-node binary built by TestMain.
var agentBin string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "ipfailover-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	agentBin, err = buildAgent(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	return m.Run()
}

// buildAgent compiles ./cmd/node of this module into dir.
func buildAgent(dir string) (string, error) {
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	if root == "." || root == "" {
		return "", fmt.Errorf("not inside a Go module (go env GOMOD = %q)", gomod)
	}
	bin := filepath.Join(dir, "ipfailover-node")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/node")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the agent: %w\n%s", err, out)
	}
	return bin, nil
}
