package e2e

import (
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// Protocol timing of every set here: VRRPv3 at 100 ms adverts. A backup
// declares the master down after Master_Down_Interval = 3 × interval +
// Skew_Time, Skew_Time = ((256 − priority) × interval) / 256 (RFC 9568
// §6.1); the lowest backup priority with three replicas is 90, so the
// bound is 300 ms + 65 ms. A graceful hand-over (priority 0) takes
// Skew_Time alone.
const (
	advertInterval = 100 * time.Millisecond
	masterDown     = 3*advertInterval + 65*time.Millisecond
	// slack covers the monitor's sampling, netlink and a loaded 2-core
	// machine; measured values are logged.
	slack = 300 * time.Millisecond
	// allowedDouble: a preempted master steps down when it hears its
	// successor's first advert.
	allowedDouble = advertInterval
	// probePort is what every set's check script probes on the node.
	probePort = 18080
)

// set is one IPFailover of the scenarios.
type set struct {
	name, namespace string
	vips            []netip.Addr
	vipSpec         string
	idOffset        int
	healthPort      int
	checkComment    string // changed to roll the pods
	remove          bool
}

func (e *env) spec(s set) string {
	var b strings.Builder
	fmt.Fprintf(&b, `apiVersion: ipfailover.failoverkit.io/v1alpha1
kind: IPFailover
metadata:
  name: %s
  namespace: %s
spec:
  virtualIPs: [%s]
  interface: %s
  image: %s
  imagePullPolicy: Never
  healthPort: %d
`, s.name, s.namespace, s.vipSpec, iface, e.image, s.healthPort)
	if s.remove {
		b.WriteString("  remove: true\n  nodes:\n")
		for _, n := range e.nodes {
			fmt.Fprintf(&b, "  - %s\n", n.name)
		}
		return b.String()
	}
	// The documentation's shape: VIPs in groups, a check script,
	// preempt_delay; replicas on every worker.
	fmt.Fprintf(&b, `  groups: %d
  replicas: %d
  nodeSelector:
    node-role.kubernetes.io/worker: ""
  checkScript: |
    #!/bin/bash
    # %s
    # Fit to hold the VIPs while the local service answers.
    exec 3<>/dev/tcp/127.0.0.1/%d
  checkInterval: 2s
  preemption:
    delay: 2s
  vrrp:
    version: 3
    advertInterval: 100ms
    idOffset: %d
`, max(1, len(s.vips)/2), len(e.nodes), s.checkComment, probePort, s.idOffset)
	return b.String()
}

// vipRange lists first..last.
func vipRange(first, last string) []netip.Addr {
	a, z := netip.MustParseAddr(first), netip.MustParseAddr(last)
	var out []netip.Addr
	for ; a.Compare(z) <= 0; a = a.Next() {
		out = append(out, a)
	}
	return out
}
