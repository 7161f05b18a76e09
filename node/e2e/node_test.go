//go:build linux

package e2e

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/internal/nstest"
)

// readyWait bounds an agent's start-up, until /readyz answers 200.
const readyWait = 15 * time.Second

// exitWait bounds an agent's exit after SIGTERM.
const exitWait = 10 * time.Second

// node is an agent host of a cluster; proc is its current agent process.
type node struct {
	*nstest.Host
	c    *cluster
	proc *nstest.Process
	runs int // agents started on this node so far
}

// env is the agent's whole environment: PATH (for iptables and scripts),
// the set's contract as contract.Config.Env writes it, this node's name,
// then extra NAME=value overrides, later ones winning.
func (n *node) env(extra ...string) []string {
	vars := []string{"PATH=" + os.Getenv("PATH")}
	for _, v := range n.c.cfg.Env() {
		vars = append(vars, v.Name+"="+v.Value)
	}
	vars = append(vars, contract.EnvNodeName+"="+n.HostName)
	vars = append(vars, extra...)
	// `env -i` applies assignments in order, so the last one wins, but
	// keep the list free of duplicates so it reads like the pod's env.
	seen := map[string]int{}
	var out []string
	for _, v := range vars {
		name, _, _ := strings.Cut(v, "=")
		if i, ok := seen[name]; ok {
			out[i] = v
			continue
		}
		seen[name] = len(out)
		out = append(out, v)
	}
	return out
}

// start runs `ipfailover-node run` on the node with a clean environment
// (see env) and waits until its /readyz and /healthz answer 200. The agent's output is
// logged if the test fails.
func (n *node) start(extra ...string) {
	n.c.t.Helper()
	args := append([]string{"env", "-i"}, n.env(extra...)...)
	p := n.Start(append(args, agentBin, "run")...)
	n.proc = p
	n.runs++
	run := n.runs
	n.c.t.Cleanup(func() {
		if n.c.t.Failed() {
			n.c.t.Logf("agent #%d on %s:\n%s", run, n.HostName, p.Output())
		}
	})
	nstest.WaitFor(n.c.t, readyWait, "agent on "+n.HostName+" to be ready", func() error {
		select {
		case <-p.Done():
			return fmt.Errorf("agent exited during start-up:\n%s", p.Output())
		default:
		}
		for _, path := range []string{"/readyz", "/healthz"} {
			code, body, err := n.get(path)
			if err != nil {
				return err
			}
			if code != http.StatusOK {
				return fmt.Errorf("%s: %d %s", path, code, body)
			}
		}
		return nil
	})
}

// term sends SIGTERM to the agent and waits until it has exited with
// status 0.
func (n *node) term() {
	n.c.t.Helper()
	if err := syscall.Kill(n.proc.PID(), syscall.SIGTERM); err != nil {
		n.c.t.Fatalf("SIGTERM to the agent on %s: %v", n.HostName, err)
	}
	select {
	case <-n.proc.Done():
	case <-time.After(exitWait):
		n.c.t.Fatalf("agent on %s still running %s after SIGTERM", n.HostName, exitWait)
	}
	if out := n.proc.Output(); !strings.Contains(out, "msg=stopped") {
		n.c.t.Fatalf("agent on %s did not stop cleanly after SIGTERM:\n%s", n.HostName, out)
	}
}

// kill SIGKILLs the agent: nothing of its shutdown runs.
func (n *node) kill() {
	n.c.t.Helper()
	if err := n.proc.Stop(); err != nil {
		n.c.t.Fatal(err)
	}
}

// cleanup runs `ipfailover-node cleanup` with the set's environment and
// returns its output and error (nil means exit status 0).
func (n *node) cleanup(extra ...string) (string, error) {
	args := append([]string{"env", "-i"}, n.env(extra...)...)
	return n.Run(append(args, agentBin, "cleanup")...)
}
