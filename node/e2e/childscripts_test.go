//go:build linux

package e2e

import (
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/internal/nstest"
)

// TestScriptsThatLeaveChildrenOrHang runs check and notify scripts that
// misbehave the way real ones do: they exit 0 but leave a background
// child holding their output, in their process group or in a session of
// its own (setsid), or they hang. As with keepalived the exit status
// decides: such a check passes, and the node masters its VIP; a hanging
// check times out and faults the node; a notify script's children delay
// no later notification. In every case SIGTERM ends the agent within the
// bound, and no process a script started outlives it.
func TestScriptsThatLeaveChildrenOrHang(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		check  string // body of the check script; "" for none
		notify string // body of the notify script (after the call is logged); "" for none
		fault  bool   // the check fails: the node must end in FAULT
	}{
		{name: "check background child", check: "sleep 3600 & echo $! >> $PIDS; exit 0"},
		{name: "check setsid child", check: "setsid sleep 3600 & echo $! >> $PIDS; exit 0"},
		{name: "check hangs", check: "setsid sleep 3600 & echo $! >> $PIDS; echo $$ >> $PIDS; sleep 3600", fault: true},
		{name: "notify setsid child", notify: "setsid sleep 3600 & echo $! >> $PIDS; exit 0"},
		{name: "notify hangs", notify: "setsid sleep 3600 & echo $! >> $PIDS; echo $$ >> $PIDS; sleep 3600"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := fastSet(t, "192.0.2.100")
			cfg.CheckInterval = time.Second
			c := newCluster(t, cfg, "a")
			a := c.node("a")
			dir := t.TempDir()
			pids := filepath.Join(dir, "pids")
			calls := filepath.Join(dir, "calls")
			extra := []string{"PIDS=" + pids}
			// Whatever the agent leaves behind (the processes that carry
			// this test's PIDS) is killed by PID when the test ends.
			t.Cleanup(func() {
				for _, pid := range scriptProcesses(pids) {
					_ = syscall.Kill(pid, syscall.SIGKILL)
				}
			})
			if tc.check != "" {
				extra = append(extra, contract.EnvCheckScript+"="+writeScript(t, dir, "check.sh", tc.check))
			}
			if tc.notify != "" {
				body := fmt.Sprintf("echo \"$3\" >> %q\n%s", calls, tc.notify)
				extra = append(extra, contract.EnvNotifyScript+"="+writeScript(t, dir, "notify.sh", body))
			}
			a.start(extra...)
			vrid := c.groups[0].VRID
			want := stateMaster
			if tc.fault {
				want = stateFault
			}
			nstest.WaitFor(t, c.bound()+3*cfg.CheckInterval, "a "+stateName(want), func() error {
				st, err := a.states()
				if err != nil {
					return err
				}
				if st[vrid] != want {
					return fmt.Errorf("a is %s", stateName(st[vrid]))
				}
				return nil
			})
			m := a.mustMetrics()
			if tc.check != "" && !tc.fault {
				// Results keep coming: the check runs every interval.
				ok0 := m.sum("ipfailover_check_results_total", map[string]string{"result": "ok"})
				nstest.WaitFor(t, 4*cfg.CheckInterval, "two more passing checks", func() error {
					if ok := a.mustMetrics().sum("ipfailover_check_results_total", map[string]string{"result": "ok"}); ok < ok0+2 {
						return fmt.Errorf("%v passing checks since", ok-ok0)
					}
					return nil
				})
				if up := m.sum("ipfailover_check_up", nil); up != 1 {
					t.Errorf("ipfailover_check_up = %v", up)
				}
			}
			if tc.fault {
				if n := m.sum("ipfailover_script_failures_total", map[string]string{"script": "check", "reason": "timeout"}); n == 0 {
					t.Errorf("no check timeout counted")
				}
				if h, err := holds(a.Host, []netip.Addr{netip.MustParseAddr("192.0.2.100")}); err != nil || len(h) != 0 {
					t.Errorf("a in FAULT holds %v (%v)", h, err)
				}
			}
			a.term()
			if tc.notify != "" {
				b, _ := os.ReadFile(calls)
				lines := strings.Fields(string(b))
				// A hanging script is killed at shutdown, and the calls
				// still queued behind it are dropped.
				if want := []string{"BACKUP", "MASTER", "STOP"}; tc.fault || strings.Contains(tc.name, "hangs") {
					if len(lines) == 0 || lines[0] != "BACKUP" {
						t.Errorf("notify calls: %q, want BACKUP first", lines)
					}
				} else if strings.Join(lines, " ") != strings.Join(want, " ") {
					t.Errorf("notify calls: %q, want %q", lines, want)
				}
			}
			if _, err := os.Stat(pids); err != nil {
				t.Fatalf("the script never ran: %v", err)
			}
			if left := scriptProcesses(pids); len(left) > 0 {
				t.Errorf("processes started by a script outlived the agent: %v", left)
			}
		})
	}
}

// scriptProcesses lists the live processes whose environment has
// PIDS=pids: those the scripts of one scenario started.
func scriptProcesses(pids string) []int {
	needle := []byte("PIDS=" + pids + "\x00")
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		if env, err := os.ReadFile("/proc/" + e.Name() + "/environ"); err == nil && bytes.Contains(env, needle) {
			out = append(out, pid)
		}
	}
	return out
}
