package impl

import (
	"strconv"
	"strings"
	"time"
)

// OursEnv is the environment of ipfailover-node for s: the image's
// variables plus our own for the VRRP version, the interval and the pinned
// priority.
func OursEnv(s Setup) []string {
	vips := make([]string, len(s.VIPs))
	for i, v := range s.VIPs {
		vips[i] = v.String()
	}
	return []string{
		"OPENSHIFT_HA_CONFIG_NAME=" + s.Name,
		"OPENSHIFT_HA_VIRTUAL_IPS=" + strings.Join(vips, ","),
		"OPENSHIFT_HA_VIP_GROUPS=" + strconv.Itoa(s.Groups), // 0: one group per VIP
		"OPENSHIFT_HA_NETWORK_INTERFACE=" + s.Interface,
		"OPENSHIFT_HA_MONITOR_PORT=" + strconv.Itoa(s.MonitorPort),
		"OPENSHIFT_HA_CHECK_INTERVAL=" + strconv.Itoa(int(s.CheckInterval/time.Second)),
		"OPENSHIFT_HA_REPLICA_COUNT=" + strconv.Itoa(s.Replicas),
		"OPENSHIFT_HA_VRRP_ID_OFFSET=" + strconv.Itoa(s.VRIDOffset),
		"OPENSHIFT_HA_PREEMPTION=preempt_delay " + strconv.Itoa(int(s.PreemptDelay/time.Second)),
		"OPENSHIFT_HA_IPTABLES_CHAIN=", // no firewall rule: keepalived adds none either
		"OPENSHIFT_HA_VRRP_VERSION=" + strconv.Itoa(s.Version),
		"OPENSHIFT_HA_ADVERT_INTERVAL=" + s.Interval.String(),
		"OPENSHIFT_HA_PRIORITY=" + strconv.Itoa(s.Priority),
	}
}

// OursArgs is the command line of ipfailover-node for a run.
func OursArgs(bin string) []string { return []string{bin, "--log-level", "info", "run"} }
