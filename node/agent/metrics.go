package agent

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are the agent's Prometheus series, on their own registry.
type Metrics struct {
	Registry     *prometheus.Registry
	State        *prometheus.GaugeVec
	Transitions  *prometheus.CounterVec
	AdvertsSent  *prometheus.CounterVec
	AdvertsRecv  *prometheus.CounterVec
	Dropped      *prometheus.CounterVec
	Checksums    *prometheus.CounterVec
	SendErrors   *prometheus.CounterVec
	Checks       *prometheus.CounterVec
	CheckUp      prometheus.Gauge
	LinkUp       prometheus.Gauge
	Reasserted   prometheus.Counter
	Strays       prometheus.Counter
	Refreshes    prometheus.Counter
	VIPErrors    prometheus.Counter
	NotifyDrops  prometheus.CounterFunc
	ScriptErrors *prometheus.CounterVec
	AddrCompat   *prometheus.GaugeVec
	notifyDropFn func() float64
}

// NewMetrics registers the agent's series (and the Go and process
// collectors) on a new registry.
func NewMetrics() *Metrics {
	m := &Metrics{Registry: prometheus.NewRegistry()}
	m.State = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "ipfailover_vrrp_state",
		Help: "VRRP state per group: 0 init, 1 backup, 2 master, 3 fault.",
	}, []string{"instance", "vrid"})
	m.Transitions = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ipfailover_vrrp_transitions_total",
		Help: "VRRP state transitions per group, by target state and reason.",
	}, []string{"instance", "vrid", "to", "reason"})
	m.AdvertsSent = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ipfailover_vrrp_adverts_sent_total",
		Help: "VRRP advertisements sent per group.",
	}, []string{"vrid"})
	m.AdvertsRecv = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ipfailover_vrrp_adverts_received_total",
		Help: "Valid VRRP advertisements received per group.",
	}, []string{"vrid"})
	m.Dropped = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ipfailover_vrrp_packets_dropped_total",
		Help: "Received VRRP packets discarded, by reason.",
	}, []string{"reason"})
	m.Checksums = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ipfailover_vrrp_checksum_form_total",
		Help: "Accepted adverts by the checksum form that matched (VRRPv3 over IPv4 has two in the wild).",
	}, []string{"form"})
	m.SendErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ipfailover_vrrp_send_errors_total",
		Help: "Advertisements that could not be sent, per group.",
	}, []string{"vrid"})
	m.Checks = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ipfailover_check_results_total",
		Help: "Health check runs by result.",
	}, []string{"result"})
	m.CheckUp = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "ipfailover_check_up",
		Help: "1 while the last health check passed.",
	})
	m.LinkUp = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "ipfailover_link_up",
		Help: "1 while the VRRP interface is up and has carrier; 0 puts every group into FAULT.",
	})
	m.Reasserted = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "ipfailover_vips_reasserted_total",
		Help: "VIPs found missing on a master (removed by something else) and added back.",
	})
	m.Strays = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "ipfailover_vips_stray_removed_total",
		Help: "VIPs found on the interface while their group was not master (added by something else, or a failed removal) and removed.",
	})
	m.Refreshes = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "ipfailover_announce_refreshes_total",
		Help: "Announcement bursts a master restarted on hearing another master it outranks (after a partition heals or a link returns).",
	})
	m.VIPErrors = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "ipfailover_vip_errors_total",
		Help: "Failed attempts to add or remove a VIP (retried by the reconcile loop).",
	})
	m.NotifyDrops = prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "ipfailover_notify_dropped_total",
		Help: "Notify script calls dropped because the queue was full.",
	}, func() float64 {
		if m.notifyDropFn == nil {
			return 0
		}
		return m.notifyDropFn()
	})
	m.ScriptErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ipfailover_script_failures_total",
		Help: "Failed check and notify script runs, by script and reason: exit-status, timeout, or why it could not start (file-not-found, interpreter-not-found, shebang-ends-in-cr, not-executable, not-a-program, cannot-start).",
	}, []string{"script", "reason"})
	m.AddrCompat = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "ipfailover_vrrp_addr_list_compat",
		Help: "1 when an IPv6 group sends the VIPs without the virtual link-local address, to match a peer (keepalived as OpenShift's image configures it) that accepts no other list.",
	}, []string{"vrid"})
	m.Registry.MustRegister(m.ScriptErrors, m.AddrCompat, m.State, m.Transitions, m.AdvertsSent, m.AdvertsRecv, m.Dropped, m.Checksums,
		m.SendErrors, m.Checks, m.CheckUp, m.LinkUp, m.Reasserted, m.Strays, m.Refreshes, m.VIPErrors, m.NotifyDrops,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
