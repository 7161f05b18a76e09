//go:build linux

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"text/template"
	"time"

	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/internal/nstest"
)

// keepalivedConf is keepalived.conf in the shape the keepalived-ipfailover
// image generates it (openshift-ipfailover.md §2.1, §2.4): global_defs,
// one vrrp_script shared by all instances, then per group a vrrp_instance
// with interface, virtual_router_id, priority, the preemption line, PASS
// authentication with the raw config name, track_script and the VIPs with
// their device. No state MASTER: the test decides the master by priority.
var keepalivedConf = template.Must(template.New("keepalived.conf").Parse(`! Configuration File for keepalived
global_defs {
   max_auto_priority    99
   notification_email {
     root@localhost
   }
   notification_email_from ipfailover@openshift.local
   smtp_server 127.0.0.1
   smtp_connect_timeout 30
   router_id {{.RouterID}}
}
vrrp_script {{.Script}} {
   script "true"
   interval {{.CheckInterval}}
}
{{range .Groups}}vrrp_instance {{.Instance}} {
   interface {{$.Interface}}
   virtual_router_id {{.VRID}}
   priority {{$.Priority}}
   {{$.Preemption}}
   authentication {
      auth_type PASS
      auth_pass {{$.Name}}
   }
   track_script {
      {{$.Script}}
   }
   virtual_ipaddress {
{{range .VIPs}}    {{.}} dev {{$.Interface}}
{{end}}   }
}
{{end}}`))

// keepalived is a real keepalived 2.x peer on a lab host, run as the image
// runs it (-n --log-console) but VRRP only, with its pid files and
// configuration in the test's temporary directory.
type keepalived struct {
	t    *testing.T
	host *nstest.Host
	cfg  contract.Config
	proc *nstest.Process
}

// start writes the configuration for the given priority and starts
// keepalived on the host.
func (k *keepalived) start(priority int) {
	k.t.Helper()
	groups, err := k.cfg.Groups()
	if err != nil {
		k.t.Fatal(err)
	}
	type instance struct {
		Instance string
		VRID     int
		VIPs     []string
	}
	data := struct {
		RouterID, Script, Name, Interface, Preemption string
		CheckInterval, Priority                       int
		Groups                                        []instance
	}{
		RouterID:      contract.ScrubbedName(k.cfg.Name),
		Script:        "chk_" + strings.ReplaceAll(k.cfg.Name, "-", "_"),
		Name:          k.cfg.Name,
		Interface:     k.cfg.Interface,
		Preemption:    k.cfg.Preemption.String(),
		CheckInterval: int(k.cfg.CheckInterval / time.Second),
		Priority:      priority,
	}
	for _, g := range groups {
		in := instance{Instance: contract.InstanceName(k.cfg.Name, g.Index), VRID: g.VRID}
		for _, v := range g.VIPs {
			in.VIPs = append(in.VIPs, v.String())
		}
		data.Groups = append(data.Groups, in)
	}
	dir := k.t.TempDir()
	conf := filepath.Join(dir, "keepalived.conf")
	var b strings.Builder
	if err := keepalivedConf.Execute(&b, data); err != nil {
		k.t.Fatal(err)
	}
	if err := os.WriteFile(conf, []byte(b.String()), 0o644); err != nil {
		k.t.Fatal(err)
	}
	p := k.host.Start("keepalived", "-n", "-l", "-G", "-D", "--vrrp", "-f", conf,
		"-p", filepath.Join(dir, "keepalived.pid"),
		"-r", filepath.Join(dir, "vrrp.pid"),
		"-c", filepath.Join(dir, "checkers.pid"))
	k.proc = p
	k.t.Cleanup(func() {
		if k.t.Failed() {
			k.t.Logf("keepalived.conf on %s:\n%s\nkeepalived on %s:\n%s", k.host.HostName, b.String(), k.host.HostName, p.Output())
		}
	})
}

// term stops keepalived with SIGTERM and waits until it has exited.
func (k *keepalived) term() {
	k.t.Helper()
	if err := syscall.Kill(k.proc.PID(), syscall.SIGTERM); err != nil {
		k.t.Fatal(err)
	}
	select {
	case <-k.proc.Done():
	case <-time.After(exitWait):
		k.t.Fatalf("keepalived still running %s after SIGTERM", exitWait)
	}
}

// entered counts keepalived's "Entering <state> STATE" log lines.
func (k *keepalived) entered(state string) int {
	return strings.Count(k.proc.Output(), fmt.Sprintf("Entering %s STATE", state))
}
