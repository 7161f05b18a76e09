package contract

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Var is one environment variable of the contract.
type Var struct {
	Name, Value string
}

// Lookup reads one environment variable, like os.LookupEnv.
type Lookup func(name string) (string, bool)

// FromEnv decodes the contract from an environment. A variable that is unset
// or empty takes the image default, as the image's ${VAR:-default} does.
// Unlike the image, a value the image would silently mangle is an error that
// names the variable; every such error is returned, joined, and the result
// is also checked with Validate.
func FromEnv(lookup Lookup) (Config, error) {
	c := ImageDefaults()
	var errs []error
	get := func(name string) (string, bool) {
		v, ok := lookup(name)
		v = strings.TrimSpace(v)
		return v, ok && v != ""
	}
	str := func(name string, dst *string) {
		if v, ok := get(name); ok {
			*dst = v
		}
	}
	num := func(f Field, dst *int) {
		v, ok := get(f.EnvName())
		if !ok {
			return
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			errs = append(errs, fieldErr(f, -1, v, "must be a whole number"))
			return
		}
		*dst = n
	}

	str(EnvConfigName, &c.Name)
	if v, ok := get(EnvVirtualIPs); ok {
		ranges, _, err := ParseVIPEntries(SplitList(v))
		if err != nil {
			errs = append(errs, err)
		}
		c.VIPs = ranges
	}
	num(FieldVIPGroups, &c.VIPGroups)
	str(EnvInterface, &c.Interface)
	num(FieldMonitorPort, &c.MonitorPort)
	num(FieldReplicaCount, &c.ReplicaCount)
	num(FieldVRIDOffset, &c.VRIDOffset)
	if v, ok := get(EnvExcludedVRIDs); ok {
		for i, f := range strings.Fields(v) {
			n, err := strconv.Atoi(f)
			if err != nil {
				errs = append(errs, fieldErr(FieldExcludedVRIDs, i, f, "must be a space-separated list of VRIDs"))
				continue
			}
			c.ExcludedVRIDs = append(c.ExcludedVRIDs, n)
		}
	}
	str(EnvIPTablesChain, &c.IPTablesChain)
	// Checked here, where the agent reads it; the renderer checks
	// spec.iptablesChain itself.
	if c.IPTablesChain != "" {
		if why := chainNameProblem(c.IPTablesChain); why != "" {
			errs = append(errs, fieldErr(FieldIPTablesChain, -1, c.IPTablesChain, "%s", why))
		}
	}
	str(EnvNFTablesRule, &c.NFTablesRule)
	str(EnvCheckScript, &c.CheckScript)
	if v, ok := get(EnvCheckInterval); ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			errs = append(errs, fieldErr(FieldCheckInterval, -1, v, "must be whole seconds"))
		} else {
			c.CheckInterval = time.Duration(n) * time.Second
		}
	}
	str(EnvNotifyScript, &c.NotifyScript)
	if v, ok := get(EnvPreemption); ok {
		p, err := ParsePreemption(v)
		if err != nil {
			errs = append(errs, fieldErr(FieldPreemption, -1, v, "%v", err))
		}
		c.Preemption = p
	}
	if v, ok := get(EnvUnicastPeers); ok {
		for i, e := range SplitList(v) {
			a, err := netip.ParseAddr(e)
			if err != nil {
				errs = append(errs, fieldErr(FieldUnicastPeers, i, e, "must be a comma-separated list of IP addresses"))
				continue
			}
			c.UnicastPeers = append(c.UnicastPeers, a)
		}
	}
	addr := func(f Field, dst *netip.Addr) {
		if v, ok := get(f.EnvName()); ok {
			a, err := netip.ParseAddr(v)
			if err != nil {
				errs = append(errs, fieldErr(f, -1, v, "must be an IP address"))
				return
			}
			*dst = a
		}
	}
	addr(FieldUnicastSource, &c.UnicastSource)
	addr(FieldMulticastSource, &c.MulticastSource)
	str(EnvAdminEmails, &c.AdminEmails)
	str(EnvSMTPServer, &c.SMTPServer)

	num(FieldVRRPVersion, &c.VRRPVersion)
	if v, ok := get(EnvAdvertInterval); ok {
		d, err := ParseInterval(v)
		if err != nil {
			errs = append(errs, fieldErr(FieldAdvertInterval, -1, v, "%v", err))
		}
		c.AdvertInterval = d
	}
	num(FieldHealthPort, &c.HealthPort)
	num(FieldPriority, &c.Priority)
	if v, ok := get(EnvNodes); ok {
		c.Nodes = SplitList(v)
	}
	str(EnvNodeName, &c.NodeName)
	str(EnvIPTablesBackend, &c.IPTablesBackend)
	check, checkErrs := readCheck(get)
	c.Check = check
	errs = append(errs, checkErrs...)

	if len(errs) > 0 {
		return c, errors.Join(errs...)
	}
	return c, c.Validate()
}

// ParseInterval reads an advertisement interval: a Go duration ("100ms",
// "1s") or a number of seconds as keepalived's advert_int takes it ("1", "0.1").
func ParseInterval(v string) (time.Duration, error) {
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		if f <= 0 || f > MaxV3Interval.Seconds() {
			return 0, fmt.Errorf("must be between 10ms and 40.95s")
		}
		return time.Duration(f * float64(time.Second)).Round(time.Millisecond), nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("must be a duration such as 1s or 100ms")
	}
	return d, nil
}

// Env is the configuration written as environment variables, every
// behaviour-bearing variable explicitly and in a fixed order, so that the
// reader's defaults never matter. The no-op variables (USE_UNICAST,
// SELECTOR) and the mail settings are left out; the optional source
// addresses, the pinned priority, the node list and the declarative check
// appear only when set.
func (c Config) Env() []Var {
	excluded := make([]string, len(c.ExcludedVRIDs))
	for i, x := range c.ExcludedVRIDs {
		excluded[i] = strconv.Itoa(x)
	}
	peers := make([]string, len(c.UnicastPeers))
	for i, p := range c.UnicastPeers {
		peers[i] = p.String()
	}
	vars := []Var{
		{EnvConfigName, c.Name},
		{EnvVirtualIPs, FormatVIPs(c.VIPs)},
		{EnvVIPGroups, strconv.Itoa(c.VIPGroups)},
		{EnvInterface, c.Interface},
		{EnvMonitorPort, strconv.Itoa(c.MonitorPort)},
		{EnvReplicaCount, strconv.Itoa(c.ReplicaCount)},
		{EnvVRIDOffset, strconv.Itoa(c.VRIDOffset)},
		{EnvExcludedVRIDs, strings.Join(excluded, " ")},
		{EnvIPTablesChain, c.IPTablesChain},
		{EnvCheckScript, c.CheckScript},
		{EnvCheckInterval, strconv.Itoa(int(c.CheckInterval / time.Second))},
		{EnvNotifyScript, c.NotifyScript},
		{EnvPreemption, c.Preemption.String()},
		{EnvUnicastPeers, strings.Join(peers, ",")},
		{EnvVRRPVersion, strconv.Itoa(c.VRRPVersion)},
		{EnvAdvertInterval, c.AdvertInterval.String()},
		{EnvHealthPort, strconv.Itoa(c.HealthPort)},
		{EnvIPTablesBackend, c.IPTablesBackend},
	}
	if c.UnicastSource.IsValid() {
		vars = append(vars, Var{EnvUnicastSource, c.UnicastSource.String()})
	}
	if c.MulticastSource.IsValid() {
		vars = append(vars, Var{EnvMulticastSource, c.MulticastSource.String()})
	}
	if c.Priority != 0 {
		vars = append(vars, Var{EnvPriority, strconv.Itoa(c.Priority)})
	}
	if len(c.Nodes) > 0 {
		vars = append(vars, Var{EnvNodes, strings.Join(c.Nodes, ",")})
	}
	return append(vars, c.Check.env()...)
}
