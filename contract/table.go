package contract

import (
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// variable is one row of the contract: everything there is to know about
// one environment variable.
type variable struct {
	// name is the variable.
	name string
	// field names it in findings (FieldUnknown for variables nothing
	// validates).
	field Field
	// agentOnly: only our agent reads it (the image ignores it, so a
	// Deployment for OpenShift's keepalived-ipfailover image can leave it
	// out).
	agentOnly bool
	// def is the image default, as the variable's text ("" for none):
	// ImageDefaults is every default decoded, and FromEnv starts from it.
	def string
	// codec decodes the value into a Config (FromEnv) and encodes it back
	// (Env).
	codec
	// write says when Env writes the variable.
	write writing
}

// codec is how one variable reads into a Config and writes out of it.
type codec struct {
	// decode reads v (trimmed, never empty: an empty variable takes the
	// default) into d's Config, or adds the rule v breaks to d.
	decode func(d *decoder, f Field, v string)
	// encode is the variable's text for c; for a variable written only
	// when set, "" leaves it out.
	encode func(c Config) string
}

// writing says when Env writes a variable.
type writing int

const (
	// always: written even when empty, so the reader's default never
	// matters. Env writes these first, in table order.
	always writing = iota
	// whenSet: written when encode is not "", after every always
	// variable, in table order.
	whenSet
	// never: Env leaves it out (the no-op variables, the mail settings,
	// the NFTABLES_RULE switch that the chain supersedes, and the node
	// name the downward API gives each pod).
	never
)

// variables is the contract, one row per variable, the image's and ours,
// in KnownVars order (which is also the order FromEnv decodes in, so its
// errors come in this order). KnownVars, AgentOnly, Field.EnvName,
// ImageDefaults, FromEnv and Env are all derived from it: a new variable is
// a name constant, a Field, a Config field and one row here.
var variables = []variable{
	{EnvConfigName, FieldConfigName, false, DefaultConfigName, text(func(c *Config) *string { return &c.Name }), always},
	{EnvVirtualIPs, FieldVirtualIPs, false, "", vipList, always},
	{EnvVIPGroups, FieldVIPGroups, false, "", number(func(c *Config) *int { return &c.VIPGroups }), always},
	{EnvInterface, FieldInterface, false, "", text(func(c *Config) *string { return &c.Interface }), always},
	{EnvMonitorPort, FieldMonitorPort, false, strconv.Itoa(DefaultMonitorPort), number(func(c *Config) *int { return &c.MonitorPort }), always},
	{EnvReplicaCount, FieldReplicaCount, false, strconv.Itoa(ImageReplicaCount), number(func(c *Config) *int { return &c.ReplicaCount }), always},
	{EnvVRIDOffset, FieldVRIDOffset, false, strconv.Itoa(DefaultVRIDOffset), number(func(c *Config) *int { return &c.VRIDOffset }), always},
	{EnvExcludedVRIDs, FieldExcludedVRIDs, false, "", vridList, always},
	{EnvIPTablesChain, FieldIPTablesChain, false, "", chainName, always},
	{EnvNFTablesRule, FieldUnknown, false, "", text(func(c *Config) *string { return &c.NFTablesRule }), never},
	{EnvCheckScript, FieldCheckScript, false, "", text(func(c *Config) *string { return &c.CheckScript }), always},
	{EnvCheckInterval, FieldCheckInterval, false, seconds(DefaultCheckInterval), checkInterval, always},
	{EnvNotifyScript, FieldNotifyScript, false, "", text(func(c *Config) *string { return &c.NotifyScript }), always},
	{EnvPreemption, FieldPreemption, false, Preemption{Delay: DefaultPreemptDelay}.String(), preemption, always},
	{EnvUnicastPeers, FieldUnicastPeers, false, "", peerList, always},
	{EnvUnicastSource, FieldUnicastSource, false, "", address(func(c *Config) *netip.Addr { return &c.UnicastSource }), whenSet},
	{EnvMulticastSource, FieldMulticastSource, false, "", address(func(c *Config) *netip.Addr { return &c.MulticastSource }), whenSet},
	{EnvAdminEmails, FieldUnknown, false, DefaultAdminEmails, text(func(c *Config) *string { return &c.AdminEmails }), never},
	{EnvSMTPServer, FieldUnknown, false, DefaultSMTPServer, text(func(c *Config) *string { return &c.SMTPServer }), never},
	{EnvUseUnicast, FieldUnknown, false, "", ignored, never},
	{EnvSelector, FieldUnknown, false, "", ignored, never},
	{EnvVRRPVersion, FieldVRRPVersion, true, strconv.Itoa(DefaultVRRPVersion), number(func(c *Config) *int { return &c.VRRPVersion }), always},
	{EnvAdvertInterval, FieldAdvertInterval, true, DefaultAdvertInterval.String(), advertInterval, always},
	{EnvHealthPort, FieldHealthPort, true, strconv.Itoa(DefaultHealthPort), number(func(c *Config) *int { return &c.HealthPort }), always},
	{EnvPriority, FieldPriority, true, "", zeroUnset(number(func(c *Config) *int { return &c.Priority })), whenSet},
	{EnvNodes, FieldNodes, true, "", nodeList, whenSet},
	{EnvNodeName, FieldNodeName, true, "", text(func(c *Config) *string { return &c.NodeName }), never},
	{EnvIPTablesBackend, FieldIPTablesBackend, true, DefaultIPTablesBackend, text(func(c *Config) *string { return &c.IPTablesBackend }), always},
	{EnvCheckTCP, FieldCheckTCP, true, "", checkTCP, whenSet},
	{EnvCheckHTTP, FieldCheckHTTP, true, "", checkHTTP, whenSet},
	{EnvCheckHTTPStatus, FieldCheckHTTPStatus, true, "", checkHTTPStatus, whenSet},
	{EnvCheckTimeout, FieldCheckTimeout, true, "", checkTimeout, whenSet},
	{EnvCheckTLSInsecure, FieldCheckTLSInsecure, true, "", checkTLSInsecure, whenSet},
}

// agentOnly and fieldEnv index variables.
var agentOnly, fieldEnv = func() (map[string]bool, map[Field]string) {
	only, env := map[string]bool{}, map[Field]string{}
	for _, v := range variables {
		if v.agentOnly {
			only[v.name] = true
		}
		if v.field != FieldUnknown {
			env[v.field] = v.name
		}
	}
	return only, env
}()

// AgentOnly reports whether only our agent reads the variable, so a
// Deployment for OpenShift's keepalived-ipfailover image can leave it out.
func AgentOnly(name string) bool { return agentOnly[name] }

// KnownVars lists every variable of the contract, the image's and ours, in
// a fixed order.
func KnownVars() []string {
	names := make([]string, len(variables))
	for i, v := range variables {
		names[i] = v.name
	}
	return names
}

// imageDefaults is every row's default decoded; a default that does not
// decode is a bug in the table, which TestVariablesTable reports.
var imageDefaults, imageDefaultErrs = func() (Config, []error) {
	var c Config
	d := &decoder{c: &c, set: func(string) bool { return false }}
	for _, v := range variables {
		if v.def != "" {
			v.decode(d, v.field, v.def)
		}
	}
	return c, d.errs
}()

// ImageDefaults is the configuration the image (and so our agent) assumes
// for every variable that is unset or empty: the table's defaults.
func ImageDefaults() Config { return imageDefaults }

// decoder is FromEnv's state: the configuration decoded so far, which
// variables are set (for the declarative check's variables, which depend
// on each other) and the errors found.
type decoder struct {
	c    *Config
	set  func(name string) bool
	errs []error
}

func (d *decoder) fail(err error) { d.errs = append(d.errs, err) }

// text is a string variable, taken as it is.
func text(p func(*Config) *string) codec {
	return codec{
		decode: func(d *decoder, _ Field, v string) { *p(d.c) = v },
		encode: func(c Config) string { return *p(&c) },
	}
}

// number is a whole number 0 or more.
func number(p func(*Config) *int) codec {
	return codec{
		decode: func(d *decoder, f Field, v string) {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				d.fail(fieldErr(f, -1, v, "must be a whole number"))
				return
			}
			*p(d.c) = n
		},
		encode: func(c Config) string { return strconv.Itoa(*p(&c)) },
	}
}

// zeroUnset writes 0, the "unset" of an optional number, as "".
func zeroUnset(k codec) codec {
	enc := k.encode
	k.encode = func(c Config) string {
		if s := enc(c); s != "0" {
			return s
		}
		return ""
	}
	return k
}

// address is one IP address; the zero Addr is written as "".
func address(p func(*Config) *netip.Addr) codec {
	return codec{
		decode: func(d *decoder, f Field, v string) {
			a, err := netip.ParseAddr(v)
			if err != nil {
				d.fail(fieldErr(f, -1, v, "must be an IP address"))
				return
			}
			*p(d.c) = a
		},
		encode: func(c Config) string {
			if a := *p(&c); a.IsValid() {
				return a.String()
			}
			return ""
		},
	}
}

// seconds is a duration as the image's whole seconds.
func seconds(d time.Duration) string { return strconv.Itoa(int(d / time.Second)) }

// ignored is a variable the contract accepts and nobody reads.
var ignored = codec{
	decode: func(*decoder, Field, string) {},
	encode: func(Config) string { return "" },
}

var vipList = codec{
	decode: func(d *decoder, _ Field, v string) {
		ranges, _, err := ParseVIPEntries(SplitList(v))
		if err != nil {
			d.fail(err)
		}
		d.c.VIPs = ranges
	},
	encode: func(c Config) string { return FormatVIPs(c.VIPs) },
}

var vridList = codec{
	decode: func(d *decoder, f Field, v string) {
		for i, e := range strings.Fields(v) {
			n, err := strconv.Atoi(e)
			if err != nil {
				d.fail(fieldErr(f, i, e, "must be a space-separated list of VRIDs"))
				continue
			}
			d.c.ExcludedVRIDs = append(d.c.ExcludedVRIDs, n)
		}
	},
	encode: func(c Config) string {
		out := make([]string, len(c.ExcludedVRIDs))
		for i, x := range c.ExcludedVRIDs {
			out[i] = strconv.Itoa(x)
		}
		return strings.Join(out, " ")
	},
}

// chainName is checked here, where the agent reads it; the renderer checks
// spec.iptablesChain itself.
var chainName = codec{
	decode: func(d *decoder, f Field, v string) {
		d.c.IPTablesChain = v
		if why := chainNameProblem(v); why != "" {
			d.fail(fieldErr(f, -1, v, "%s", why))
		}
	},
	encode: func(c Config) string { return c.IPTablesChain },
}

var checkInterval = codec{
	decode: func(d *decoder, f Field, v string) {
		n, err := strconv.Atoi(v)
		if err != nil {
			d.fail(fieldErr(f, -1, v, "must be whole seconds"))
			return
		}
		d.c.CheckInterval = time.Duration(n) * time.Second
	},
	encode: func(c Config) string { return seconds(c.CheckInterval) },
}

var preemption = codec{
	decode: func(d *decoder, f Field, v string) {
		p, err := ParsePreemption(v)
		if err != nil {
			d.fail(fieldErr(f, -1, v, "%v", err))
		}
		d.c.Preemption = p
	},
	encode: func(c Config) string { return c.Preemption.String() },
}

var peerList = codec{
	decode: func(d *decoder, f Field, v string) {
		for i, e := range SplitList(v) {
			a, err := netip.ParseAddr(e)
			if err != nil {
				d.fail(fieldErr(f, i, e, "must be a comma-separated list of IP addresses"))
				continue
			}
			d.c.UnicastPeers = append(d.c.UnicastPeers, a)
		}
	},
	encode: func(c Config) string {
		out := make([]string, len(c.UnicastPeers))
		for i, p := range c.UnicastPeers {
			out[i] = p.String()
		}
		return strings.Join(out, ",")
	},
}

var advertInterval = codec{
	decode: func(d *decoder, f Field, v string) {
		iv, err := ParseInterval(v)
		if err != nil {
			d.fail(fieldErr(f, -1, v, "%v", err))
		}
		d.c.AdvertInterval = iv
	},
	encode: func(c Config) string { return c.AdvertInterval.String() },
}

var nodeList = codec{
	decode: func(d *decoder, _ Field, v string) { d.c.Nodes = SplitList(v) },
	encode: func(c Config) string { return strings.Join(c.Nodes, ",") },
}
