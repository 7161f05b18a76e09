package fn

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/failoverkit/ipfailover/api/v1alpha1"
	"github.com/failoverkit/ipfailover/contract"
)

// setting is one row of the spec ↔ contract mapping: the spec field that
// sets one setting of the env contract, both ways.
type setting struct {
	// at maps the contract Fields the row sets to the spec path their
	// findings point at ("" for a Field the spec has no field for: its
	// findings point at "spec").
	at map[contract.Field]string
	// toConfig resolves the spec field into cfg (the renderer, newPlan),
	// applying the spec's default and reporting what is wrong with it.
	toConfig func(p *plan, cfg *contract.Config, out *problems)
	// toSpec writes the decoded contract back into the spec (the importer),
	// leaving out what equals the spec's default, and warns about what
	// changes in the move. It is nil only for metadata.name, which
	// importer.run names the IPFailover by before the spec is written.
	toSpec func(im *importer, s *v1alpha1.IPFailoverSpec, cfg contract.Config)
}

func at(f contract.Field, path string) map[contract.Field]string {
	return map[contract.Field]string{f: path}
}

// settings is the mapping, one row per setting. newPlan runs toConfig and
// importer.spec runs toSpec over it in this order, which is the order
// their findings are reported in. A new setting is one row here, next to
// its row in contract's table. (Set in init: the rows report problems at
// spec paths, which specFields derives from the rows.)
var settings []setting

func init() {
	settings = mapping()
	for _, s := range settings {
		for f, p := range s.at {
			if p != "" {
				specFields[f] = p
			}
		}
	}
}

func mapping() []setting {
	return []setting{
		{at: at(contract.FieldConfigName, "metadata.name"),
			toConfig: func(p *plan, cfg *contract.Config, _ *problems) { cfg.Name = p.name }},
		{at: at(contract.FieldInterface, "spec.interface"),
			toConfig: func(p *plan, cfg *contract.Config, out *problems) { cfg.Interface = resolveInterface(&p.ipf.Spec, out) },
			toSpec: func(im *importer, s *v1alpha1.IPFailoverSpec, cfg contract.Config) {
				switch cfg.Interface {
				case "":
					im.warnf(contract.EnvInterface, "is unset: the image used the first of enp0s3, enp0s8, eth1, ens3 that exists, else the default route's interface; the spec defaults to %s, so set spec.interface", contract.DefaultInterface)
				case contract.DefaultInterface:
				default:
					s.Interface = cfg.Interface
				}
			}},
		{at: at(contract.FieldVirtualIPs, "spec.virtualIPs"),
			toConfig: func(p *plan, cfg *contract.Config, out *problems) {
				var vipProblems problems
				cfg.VIPs, p.vipsComplete, vipProblems = parseVIPs(p.ipf.Spec.VirtualIPs)
				*out = append(*out, vipProblems...)
			},
			toSpec: func(_ *importer, s *v1alpha1.IPFailoverSpec, cfg contract.Config) {
				for _, r := range cfg.VIPs {
					s.VirtualIPs = append(s.VirtualIPs, r.String())
				}
			}},
		{at: at(contract.FieldVIPGroups, "spec.groups"),
			toConfig: func(p *plan, cfg *contract.Config, _ *problems) { cfg.VIPGroups = int(p.ipf.Spec.Groups) },
			toSpec:   func(_ *importer, s *v1alpha1.IPFailoverSpec, cfg contract.Config) { s.Groups = int32(cfg.VIPGroups) }},
		optionalPort(contract.FieldMonitorPort, "spec.monitorPort", contract.DefaultMonitorPort,
			func(s *v1alpha1.IPFailoverSpec) **int32 { return &s.MonitorPort }, func(c *contract.Config) *int { return &c.MonitorPort }),
		{at: at(contract.FieldReplicaCount, "spec.replicas"),
			toConfig: func(p *plan, cfg *contract.Config, out *problems) {
				p.replicas = resolveReplicas(&p.ipf.Spec, out)
				cfg.ReplicaCount = int(p.replicas)
			},
			toSpec: func(im *importer, s *v1alpha1.IPFailoverSpec, cfg contract.Config) {
				w := im.w
				if cfg.ReplicaCount != int(w.replicas) {
					im.warnf(contract.EnvReplicaCount, "is %d but the workload runs %d replicas: the spec takes the replica count", cfg.ReplicaCount, w.replicas)
				}
				switch {
				case len(cfg.Nodes) > 0 && int(w.replicas) != len(cfg.Nodes),
					len(cfg.Nodes) == 0 && w.replicas != contract.DefaultReplicaCount:
					s.Replicas = &w.replicas
				}
			}},
		{at: at(contract.FieldNodes, "spec.nodes"),
			toConfig: func(p *plan, cfg *contract.Config, _ *problems) { cfg.Nodes = p.ipf.Spec.Nodes },
			toSpec: func(_ *importer, s *v1alpha1.IPFailoverSpec, cfg contract.Config) {
				if len(cfg.Nodes) > 0 {
					s.Nodes = cfg.Nodes
				}
			}},
		{at: at(contract.FieldIPTablesChain, "spec.iptablesChain"),
			toConfig: func(p *plan, cfg *contract.Config, _ *problems) {
				cfg.IPTablesChain = contract.DefaultIPTablesChain
				if c := p.ipf.Spec.IPTablesChain; c != nil {
					cfg.IPTablesChain = *c
				}
			},
			toSpec: func(_ *importer, s *v1alpha1.IPFailoverSpec, cfg contract.Config) {
				if chain := cfg.FirewallChain(); chain != contract.DefaultIPTablesChain {
					s.IPTablesChain = &chain
				}
			}},
		// The scripts travel in the scripts ConfigMap, whose data the check
		// script's row builds for both.
		withScriptsData(scriptFile(contract.FieldCheckScript, "spec.checkScript", CheckScriptKey,
			func(s *v1alpha1.IPFailoverSpec) *string { return &s.CheckScript }, func(c *contract.Config) *string { return &c.CheckScript })),
		scriptFile(contract.FieldNotifyScript, "spec.notifyScript", NotifyScriptKey,
			func(s *v1alpha1.IPFailoverSpec) *string { return &s.NotifyScript }, func(c *contract.Config) *string { return &c.NotifyScript }),
		{at: at(contract.FieldCheckInterval, "spec.checkInterval"),
			toConfig: func(p *plan, cfg *contract.Config, _ *problems) {
				if ci := p.ipf.Spec.CheckInterval; ci != nil {
					cfg.CheckInterval = ci.Duration
				}
			},
			toSpec: func(_ *importer, s *v1alpha1.IPFailoverSpec, cfg contract.Config) {
				if cfg.CheckInterval != contract.DefaultCheckInterval {
					s.CheckInterval = dur(cfg.CheckInterval)
				}
			}},
		// The declarative check comes after both the scripts (a recognised
		// check script becomes spec.check) and the check interval (which
		// bounds a recognised curl's --max-time).
		{at: map[contract.Field]string{
			contract.FieldCheckTCP:         "spec.check.tcp",
			contract.FieldCheckHTTP:        "spec.check.http",
			contract.FieldCheckHTTPStatus:  "spec.check.http.expectedStatus",
			contract.FieldCheckTimeout:     "spec.check.timeout",
			contract.FieldCheckTLSInsecure: "spec.check.http.insecureSkipTLSVerify",
		},
			toConfig: func(p *plan, cfg *contract.Config, out *problems) { cfg.Check = resolveCheck(p, out) },
			toSpec: func(im *importer, s *v1alpha1.IPFailoverSpec, cfg contract.Config) {
				if cfg.Check != nil || s.Target != v1alpha1.TargetKeepalived {
					im.importCheck(s, cfg) // keepalived runs scripts only: with it, a script stays one
				}
			}},
		{at: at(contract.FieldPreemption, "spec.preemption.delay"),
			toConfig: func(p *plan, cfg *contract.Config, out *problems) {
				cfg.Preemption = resolvePreemption(p.ipf.Spec.Preemption, out)
			},
			toSpec: func(_ *importer, s *v1alpha1.IPFailoverSpec, cfg contract.Config) {
				switch {
				case cfg.Preemption.Never:
					s.Preemption = &v1alpha1.Preemption{Never: true}
				case cfg.Preemption.Delay != contract.DefaultPreemptDelay:
					s.Preemption = &v1alpha1.Preemption{Delay: dur(cfg.Preemption.Delay)}
				}
			}},
		// The VRID offset is always written: images before 4.20 defaulted to 0.
		{at: at(contract.FieldVRIDOffset, "spec.vrrp.idOffset"),
			toConfig: func(p *plan, cfg *contract.Config, _ *problems) {
				if v := p.ipf.Spec.VRRP; v != nil && v.IDOffset != nil {
					cfg.VRIDOffset = int(*v.IDOffset)
				}
			},
			toSpec: (*importer).specVRIDOffset},
		{at: at(contract.FieldVRRPVersion, "spec.vrrp.version"),
			toConfig: func(p *plan, cfg *contract.Config, _ *problems) {
				if v := p.ipf.Spec.VRRP; v != nil && v.Version != 0 {
					cfg.VRRPVersion = int(v.Version)
				}
			},
			toSpec: func(_ *importer, s *v1alpha1.IPFailoverSpec, cfg contract.Config) {
				if cfg.VRRPVersion != contract.DefaultVRRPVersion {
					specVRRP(s).Version = int32(cfg.VRRPVersion)
				}
			}},
		{at: at(contract.FieldAdvertInterval, "spec.vrrp.advertInterval"),
			toConfig: func(p *plan, cfg *contract.Config, _ *problems) {
				if v := p.ipf.Spec.VRRP; v != nil && v.AdvertInterval != nil {
					cfg.AdvertInterval = v.AdvertInterval.Duration
				}
			},
			toSpec: func(_ *importer, s *v1alpha1.IPFailoverSpec, cfg contract.Config) {
				if cfg.AdvertInterval != contract.DefaultAdvertInterval {
					specVRRP(s).AdvertInterval = dur(cfg.AdvertInterval)
				}
			}},
		{at: at(contract.FieldExcludedVRIDs, "spec.vrrp.excludedIDs"),
			toConfig: func(p *plan, cfg *contract.Config, _ *problems) {
				if v := p.ipf.Spec.VRRP; v != nil {
					for _, x := range v.ExcludedIDs {
						cfg.ExcludedVRIDs = append(cfg.ExcludedVRIDs, int(x))
					}
				}
			},
			toSpec: func(_ *importer, s *v1alpha1.IPFailoverSpec, cfg contract.Config) {
				for _, x := range cfg.ExcludedVRIDs {
					v := specVRRP(s)
					v.ExcludedIDs = append(v.ExcludedIDs, int32(x))
				}
			}},
		{at: at(contract.FieldUnicastPeers, "spec.vrrp.unicastPeers"),
			toConfig: func(p *plan, cfg *contract.Config, out *problems) {
				if v := p.ipf.Spec.VRRP; v != nil {
					cfg.UnicastPeers = parsePeers(v.UnicastPeers, out)
				}
			},
			toSpec: func(_ *importer, s *v1alpha1.IPFailoverSpec, cfg contract.Config) {
				for _, a := range cfg.UnicastPeers {
					v := specVRRP(s)
					v.UnicastPeers = append(v.UnicastPeers, a.String())
				}
			}},
		optionalPort(contract.FieldHealthPort, "spec.healthPort", contract.DefaultHealthPort,
			func(s *v1alpha1.IPFailoverSpec) **int32 { return &s.HealthPort }, func(c *contract.Config) *int { return &c.HealthPort }),
		// Settings of the contract the spec has no field for: the renderer
		// leaves their defaults, the importer says they are dropped.
		notInSpec(contract.FieldUnicastSource),
		notInSpec(contract.FieldMulticastSource),
		notInSpec(contract.FieldPriority),
	}
}

// optionalPort is the row of an optional port of the spec: nil keeps the
// contract's default, and import writes only a port other than it.
func optionalPort(f contract.Field, path string, def int, spec func(*v1alpha1.IPFailoverSpec) **int32, cfg func(*contract.Config) *int) setting {
	return setting{
		at: at(f, path),
		toConfig: func(p *plan, c *contract.Config, _ *problems) {
			if v := *spec(&p.ipf.Spec); v != nil {
				*cfg(c) = int(*v)
			}
		},
		toSpec: func(_ *importer, s *v1alpha1.IPFailoverSpec, c contract.Config) {
			if v := *cfg(&c); v != def {
				*spec(s) = i32(v)
			}
		},
	}
}

// scriptFile is the row of a script of the spec: the pod runs it from the
// scripts ConfigMap as ScriptsDir/key; import inlines it from the
// workload's ConfigMap.
func scriptFile(f contract.Field, path, key string, spec func(*v1alpha1.IPFailoverSpec) *string, cfg func(*contract.Config) *string) setting {
	return setting{
		at: at(f, path),
		toConfig: func(p *plan, c *contract.Config, _ *problems) {
			if *spec(&p.ipf.Spec) != "" {
				*cfg(c) = ScriptsDir + "/" + key
			}
		},
		toSpec: func(im *importer, s *v1alpha1.IPFailoverSpec, c contract.Config) {
			*spec(s) = im.script(f.EnvName(), *cfg(&c))
		},
	}
}

// withScriptsData makes a row build the scripts ConfigMap's data first.
func withScriptsData(row setting) setting {
	toConfig := row.toConfig
	row.toConfig = func(p *plan, c *contract.Config, out *problems) {
		p.scripts = resolveScripts(&p.ipf.Spec, out)
		toConfig(p, c, out)
	}
	return row
}

// notInSpec is the row of a contract setting the spec has no field for.
func notInSpec(f contract.Field) setting {
	return setting{
		at:       at(f, ""),
		toConfig: func(*plan, *contract.Config, *problems) {},
		toSpec: func(im *importer, _ *v1alpha1.IPFailoverSpec, _ contract.Config) {
			if _, set := im.env[f.EnvName()]; set {
				im.warnf(f.EnvName(), "is not carried over: the spec has no such setting")
			}
		},
	}
}

// specFields maps each field of the env contract to the spec field that
// sets it (the settings' at columns). Fields the spec does not expose map
// to "spec".
var specFields = map[contract.Field]string{}

// specVRRP is spec.vrrp, created when the spec has none yet.
func specVRRP(s *v1alpha1.IPFailoverSpec) *v1alpha1.VRRP {
	if s.VRRP == nil {
		s.VRRP = &v1alpha1.VRRP{}
	}
	return s.VRRP
}

func i32(v int) *int32 { x := int32(v); return &x }

func dur(d time.Duration) *metav1.Duration { return &metav1.Duration{Duration: d} }
