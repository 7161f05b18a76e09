package impl

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/failoverkit/ipfailover/contract"
)

// KeepalivedConf is keepalived.conf for s in the shape the
// keepalived-ipfailover image generates (its generate_failover_config):
// the same global_defs, one vrrp_script with the image's TCP check on the
// node's own address, and per group one vrrp_instance with interface,
// virtual_router_id, priority, the preemption line, PASS authentication,
// track_script and virtual_ipaddress { <ip> dev <if> ... } with the
// group's VIPs (contract.PlanGroups, as the image cuts them).
//
// Differences, all needed to run the same scenarios: the priority is
// pinned instead of the image's address-and-random heuristic and no
// instance gets "state MASTER" (so nobody starts as master, as with our
// agent); for VRRPv3 "vrrp_version 3" is set in global_defs and the
// authentication block is left out (keepalived ignores it for VRRPv3 and
// warns); an interval other than 1 s adds "advert_int".
// It panics on a Setup that does not validate.
func KeepalivedConf(s Setup) string {
	groups, err := s.Plan()
	if err != nil {
		panic(err)
	}
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	check := "chk_" + strings.ReplaceAll(s.Name, "-", "_")
	w("! Configuration File for keepalived")
	w("global_defs {")
	w("   max_auto_priority 99")
	w("   notification_email {")
	w("     root@localhost")
	w("   }")
	w("   notification_email_from ipfailover@openshift.local")
	w("   smtp_server 127.0.0.1")
	w("   smtp_connect_timeout 30")
	w("   router_id %s", contract.ScrubbedName(s.Name))
	if s.Version == 3 {
		w("   vrrp_version 3")
	}
	w("}")
	w("vrrp_script %s {", check)
	if s.MonitorPort == 0 {
		w(`   script "true"`)
	} else {
		w(`   script "/bin/bash -c '%s'"`, tcpCheck(s))
	}
	w("   interval %d", int(s.CheckInterval/time.Second))
	w("}")
	for _, g := range groups {
		w("vrrp_instance %s {", contract.InstanceName(s.Name, g.Index))
		w("   interface %s", s.Interface)
		w("   virtual_router_id %d", g.VRID)
		w("   priority %d", s.Priority)
		w("   preempt_delay %d", int(s.PreemptDelay/time.Second))
		if s.Interval != time.Second {
			w("   advert_int %s", strconv.FormatFloat(s.Interval.Seconds(), 'f', -1, 64))
		}
		if s.Version == 2 {
			w("   authentication {")
			w("      auth_type PASS")
			w("      auth_pass %s", s.Name)
			w("   }")
		}
		w("   track_script {")
		w("      %s", check)
		w("   }")
		w("   virtual_ipaddress {")
		for _, vip := range g.VIPs {
			w("    %s dev %s", vip, s.Interface)
		}
		w("   }")
		w("}")
	}
	return b.String()
}

// KeepalivedArgs is keepalived's command line: the image's "-n
// --log-console", VRRP only, and pid files of its own named pidBase.main.pid,
// pidBase.vrrp.pid, ... (a path in the benchmark's temporary directory, so
// nothing touches /run and several instances coexist on one machine).
func KeepalivedArgs(bin, conf, pidBase string) []string {
	pid := func(kind string) string { return pidBase + "." + kind + ".pid" }
	return []string{bin, "-n", "--log-console", "--vrrp", "-f", conf,
		"--pid=" + pid("main"), "--vrrp_pid=" + pid("vrrp"), "--checkers_pid=" + pid("checkers"), "--bfd_pid=" + pid("bfd")}
}

// tcpCheck is the image's TCP check: bash connecting to the monitor port
// on the node's own address.
func tcpCheck(s Setup) string {
	return fmt.Sprintf("</dev/tcp/%s/%d", s.NodeAddr, s.MonitorPort)
}

// CheckScript is the image's TCP check as a check script for our agent.
func CheckScript(s Setup) string { return "#!/bin/bash\n" + tcpCheck(s) + "\n" }
