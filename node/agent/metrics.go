package agent

import "github.com/failoverkit/ipfailover/node/metrics"

// Metrics are the agent's Prometheus series, on their own registry.
type Metrics struct {
	Registry     *metrics.Registry
	State        metrics.GaugeVec
	Transitions  metrics.CounterVec
	AdvertsSent  metrics.CounterVec
	AdvertsRecv  metrics.CounterVec
	Dropped      metrics.CounterVec
	Checksums    metrics.CounterVec
	SendErrors   metrics.CounterVec
	Checks       metrics.CounterVec
	CheckUp      metrics.Gauge
	LinkUp       metrics.Gauge
	Reasserted   metrics.Counter
	Strays       metrics.Counter
	Refreshes    metrics.Counter
	VIPErrors    metrics.Counter
	ScriptErrors metrics.CounterVec
	AddrCompat   metrics.GaugeVec
	notifyDropFn func() float64
}

// NewMetrics registers the agent's series (and go_goroutines and the
// process's CPU and resident memory) on a new registry.
func NewMetrics() *Metrics {
	r := metrics.NewRegistry()
	m := &Metrics{Registry: r}
	m.State = r.NewGaugeVec("ipfailover_vrrp_state",
		"VRRP state per group: 0 init, 1 backup, 2 master, 3 fault.",
		"instance", "vrid")
	m.Transitions = r.NewCounterVec("ipfailover_vrrp_transitions_total",
		"VRRP state transitions per group, by target state and reason.",
		"instance", "vrid", "to", "reason")
	m.AdvertsSent = r.NewCounterVec("ipfailover_vrrp_adverts_sent_total",
		"VRRP advertisements sent per group.",
		"vrid")
	m.AdvertsRecv = r.NewCounterVec("ipfailover_vrrp_adverts_received_total",
		"Valid VRRP advertisements received per group.",
		"vrid")
	m.Dropped = r.NewCounterVec("ipfailover_vrrp_packets_dropped_total",
		"Received VRRP packets discarded, by reason.",
		"reason")
	m.Checksums = r.NewCounterVec("ipfailover_vrrp_checksum_form_total",
		"Accepted adverts by the checksum form that matched (VRRPv3 over IPv4 has two in the wild).",
		"form")
	m.SendErrors = r.NewCounterVec("ipfailover_vrrp_send_errors_total",
		"Advertisements that could not be sent, per group.",
		"vrid")
	m.Checks = r.NewCounterVec("ipfailover_check_results_total",
		"Health check runs by result.",
		"result")
	m.CheckUp = r.NewGauge("ipfailover_check_up",
		"1 while the last health check passed.")
	m.LinkUp = r.NewGauge("ipfailover_link_up",
		"1 while the VRRP interface is up and has carrier; 0 puts every group into FAULT.")
	m.Reasserted = r.NewCounter("ipfailover_vips_reasserted_total",
		"VIPs found missing on a master (removed by something else) and added back.")
	m.Strays = r.NewCounter("ipfailover_vips_stray_removed_total",
		"VIPs found on the interface while their group was not master (added by something else, or a failed removal) and removed.")
	m.Refreshes = r.NewCounter("ipfailover_announce_refreshes_total",
		"Announcement bursts a master restarted on hearing another master it outranks (after a partition heals or a link returns).")
	m.VIPErrors = r.NewCounter("ipfailover_vip_errors_total",
		"Failed attempts to add or remove a VIP (retried by the reconcile loop).")
	r.NewCounterFunc("ipfailover_notify_dropped_total",
		"Notify script calls dropped because the queue was full.", func() float64 {
			if m.notifyDropFn == nil {
				return 0
			}
			return m.notifyDropFn()
		})
	m.ScriptErrors = r.NewCounterVec("ipfailover_script_failures_total",
		"Failed check and notify script runs, by script and reason: exit-status, timeout, or why it could not start (file-not-found, interpreter-not-found, shebang-ends-in-cr, not-executable, not-a-program, cannot-start).",
		"script", "reason")
	m.AddrCompat = r.NewGaugeVec("ipfailover_vrrp_addr_list_compat",
		"1 when an IPv6 group sends the VIPs without the virtual link-local address, to match a peer (keepalived as OpenShift's image configures it) that accepts no other list.",
		"vrid")
	r.RegisterProcess()
	return m
}
