package fn

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"

	"github.com/failoverkit/ipfailover/api/v1alpha1"
	"github.com/failoverkit/ipfailover/contract"
)

// plan is one IPFailover resolved: every default applied, the contract
// configuration built and checked, ready to be expanded into objects.
type plan struct {
	ipf                *v1alpha1.IPFailover
	name               string
	namespace          string
	target             v1alpha1.Target
	image              string
	pullPolicy         corev1.PullPolicy
	replicas           int32
	serviceAccountName string
	// cfg is the env contract of the set; cfg.Env() is what the pods get.
	cfg contract.Config
	// groups are the VRRP groups with their VRIDs (empty on error).
	groups []contract.Group
	// scripts is the data of the scripts ConfigMap, nil when there is none.
	scripts map[string]string
	// envVars caches env(): every pod of the set gets the same environment.
	envVars []corev1.EnvVar
	// vipsComplete: every entry of spec.virtualIPs parsed (else each bad
	// entry was reported on its own).
	vipsComplete bool
}

// owner is the value of AnnotationOwner for the set's objects.
func (p *plan) owner() string { return p.namespace + "/" + p.name }

// removal reports whether the set is being removed.
func (p *plan) removal() bool { return p.ipf.Spec.Remove }

// keepalived reports whether the set targets OpenShift's keepalived image.
func (p *plan) keepalived() bool { return p.target == v1alpha1.TargetKeepalived }

// newPlan resolves an IPFailover: it applies the defaults, builds the env
// contract through the spec mapping (settings, in mapping.go), and reports
// every problem it finds, errors and warnings.
func newPlan(ipf *v1alpha1.IPFailover) (*plan, problems) {
	s := &ipf.Spec
	p := &plan{ipf: ipf, name: ipf.Name, namespace: ipf.Namespace}
	var out problems

	checkNames(ipf, &out)
	checkTolerations(s.Tolerations, &out)
	checkResources(s.Resources, &out)
	p.target = resolveTarget(s, &out)
	p.image, p.pullPolicy = resolveImage(s, p.target, &out)
	p.serviceAccountName = s.ServiceAccountName
	if p.serviceAccountName == "" {
		p.serviceAccountName = p.name
	}

	cfg := contract.ImageDefaults()
	for _, m := range settings {
		m.toConfig(p, &cfg, &out)
	}
	p.cfg = cfg

	checkTarget(p, &out)
	checkScheduling(p, &out)
	checkIPTablesChain(cfg.IPTablesChain, &out)

	hasIPv6 := false
	for _, r := range cfg.VIPs {
		hasIPv6 = hasIPv6 || r.First.Is6()
	}
	out = append(out, contractProblems(cfg.Validate(), func(fe *contract.FieldError) bool {
		switch {
		case fe.Field == contract.FieldConfigName && ipf.Name == "":
			return false // reported by checkNames
		case fe.Field == contract.FieldPreemption:
			// The contract quotes the variable (preempt_delay N, whole
			// seconds); the spec holds a duration.
			fe.Value = FormatDuration(cfg.Preemption.Delay)
			fe.Rule = fmt.Sprintf("the delay is whole seconds from 0s to %s (keepalived's preempt_delay)", FormatDuration(contract.MaxPreemptDelay))
			return true
		case fe.Field == contract.FieldVirtualIPs && !p.vipsComplete:
			return false // the entries were reported one by one
		case p.keepalived() && fe.Field == contract.FieldHealthPort:
			return false // the image has no health port
		case p.keepalived() && hasIPv6 && (fe.Field == contract.FieldVRRPVersion || fe.Field == contract.FieldUnicastPeers):
			return false // IPv6 is rejected as a whole for this target
		}
		return true
	})...)

	if !out.hasErrors() {
		groups, err := cfg.Groups()
		if err != nil {
			out = append(out, contractProblems(err, nil)...)
		}
		p.groups = groups
	}
	warn(p, &out)
	return p, out
}
