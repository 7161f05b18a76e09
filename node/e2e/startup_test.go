//go:build linux

package e2e

import (
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/contract"
)

// TestStartUpFaultsAreFatalAndNamed starts the agent where it cannot
// work: its health port already taken (two failover sets on one node with
// the same port, whose probes the other set's agent would answer), without
// CAP_NET_ADMIN or CAP_NET_RAW, on an interface that does not exist, with
// a check script that cannot run, a VIP that is the node's own address,
// an iptables chain that does not exist or cannot, a multicast source the
// node lacks or of the wrong family. Each time it exits at once (status 1,
// or 2 for an invalid environment), naming the variable or the capability
// and the cause.
func TestStartUpFaultsAreFatalAndNamed(t *testing.T) {
	t.Parallel()
	c := newCluster(t, fastSet(t, "192.0.2.100"), "a")
	a := c.node("a")
	port := strconv.Itoa(c.cfg.HealthPort)
	var taken net.Listener
	if err := a.Do(func() error {
		var err error
		taken, err = net.Listen("tcp", ":"+port)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	// The other cases use a free port, so that only their fault stops them.
	free := contract.EnvHealthPort + "=" + strconv.Itoa(c.cfg.HealthPort+1)
	dir := t.TempDir()
	dos := writeScript(t, dir, "dos.sh", "exit 0\r")
	if err := writeCRLF(dos); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		code   int      // exit status; 0 means 1 (2: the environment is invalid)
		prefix []string // run before the agent, e.g. setpriv
		extra  []string
		words  []string
	}{
		{name: "health port taken", words: []string{contract.EnvHealthPort + "=" + port, "address already in use"}},
		{name: "no CAP_NET_ADMIN", prefix: []string{"setpriv", "--bounding-set", "-net_admin"}, extra: []string{free}, words: []string{"CAP_NET_ADMIN"}},
		{name: "no CAP_NET_RAW", prefix: []string{"setpriv", "--bounding-set", "-net_raw"}, extra: []string{free}, words: []string{"CAP_NET_RAW"}},
		{name: "missing interface", extra: []string{free, contract.EnvInterface + "=nope0"}, words: []string{contract.EnvInterface, "nope0", "not found"}},
		{name: "VIP is the node's address", extra: []string{free, contract.EnvVirtualIPs + "=192.0.2.11"}, words: []string{contract.EnvVirtualIPs, "192.0.2.11 is the node's own address"}},
		{name: "iptables chain missing", extra: []string{free, contract.EnvIPTablesChain + "=NOSUCH"}, words: []string{contract.EnvIPTablesChain + "=NOSUCH"}},
		{name: "iptables chain with a blank", code: 2, extra: []string{free, contract.EnvIPTablesChain + "=bad chain"}, words: []string{contract.EnvIPTablesChain, "no blanks"}},
		{name: "IPv6 multicast source", code: 2, extra: []string{free, contract.EnvMulticastSource + "=2001:db8::11"}, words: []string{contract.EnvMulticastSource, "link-local"}},
		{name: "multicast source not ours", extra: []string{free, contract.EnvMulticastSource + "=192.0.2.99"}, words: []string{contract.EnvMulticastSource + "=192.0.2.99", "no such address"}},
		{name: "check script missing", extra: []string{free, contract.EnvCheckScript + "=" + dir + "/nope.sh"}, words: []string{contract.EnvCheckScript, "does not exist"}},
		{name: "check script with CRLF", extra: []string{free, contract.EnvCheckScript + "=" + dos}, words: []string{contract.EnvCheckScript, `DOS line endings`}},
	} {
		args := append([]string{"env", "-i"}, a.env(tc.extra...)...)
		args = append(append(args, tc.prefix...), agentBin, "run")
		start := time.Now()
		out, err := a.Run(args...)
		code := max(tc.code, 1)
		if err == nil || !strings.Contains(err.Error(), "exit status "+strconv.Itoa(code)) {
			t.Errorf("%s: %v, want exit status %d; output:\n%s", tc.name, err, code, out)
			continue
		}
		if el := time.Since(start); el > 5*time.Second {
			t.Errorf("%s: exited after %v", tc.name, el)
		}
		for _, w := range tc.words {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output does not say %q:\n%s", tc.name, w, out)
			}
		}
	}
}
