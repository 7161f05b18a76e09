package cli

import (
	kfn "github.com/kptdev/krm-functions-sdk/go/fn"

	"github.com/failoverkit/ipfailover/api/v1alpha1"
	"github.com/failoverkit/ipfailover/fn"
)

// Settings of the files mode (the Argo CD plugin's generate command) that
// come from the environment. Each fills in a field an IPFailover leaves
// unset; a value written in the spec always wins. The other modes ignore
// them: a KRM function's output depends on its package alone.
//
// Each setting is looked up first as ARGOCD_ENV_<name> — what Argo CD makes
// of an Application's spec.source.plugin.env entry <name> — so that one
// Application can override the sidecar's own environment, then as <name>.
const (
	// EnvNamespace is the namespace of IPFailovers without
	// metadata.namespace. Unset, Argo CD's ARGOCD_APP_NAMESPACE (the
	// Application's destination namespace) is used, where Argo CD would
	// have put a namespace-less object anyway.
	EnvNamespace = "IPFAILOVER_NAMESPACE"
	// EnvAgentImage is the image of IPFailovers with target Agent (or no
	// target) and no spec.image: a mirror of the node agent image, say.
	EnvAgentImage = "IPFAILOVER_AGENT_IMAGE"

	// EnvArgoPrefix is the prefix Argo CD gives an Application's plugin env.
	EnvArgoPrefix = "ARGOCD_ENV_"
	// EnvArgoAppNamespace is set by Argo CD to the Application's
	// destination namespace.
	EnvArgoAppNamespace = "ARGOCD_APP_NAMESPACE"
)

// setting returns the value of a setting (see EnvNamespace), or "".
func setting(lookup func(string) (string, bool), name string) string {
	if v, ok := lookup(EnvArgoPrefix + name); ok && v != "" {
		return v
	}
	v, _ := lookup(name)
	return v
}

// applySettings fills in the fields the environment settings provide on
// every IPFailover of objs. Objects whose spec is malformed are left alone:
// validation reports them.
func applySettings(objs kfn.KubeObjects, lookup func(string) (string, bool)) {
	namespace := setting(lookup, EnvNamespace)
	if namespace == "" {
		namespace, _ = lookup(EnvArgoAppNamespace)
	}
	image := setting(lookup, EnvAgentImage)
	for _, o := range objs {
		if !fn.IsIPFailover(o) {
			continue
		}
		// Only a namespace that is missing: one of the wrong type is left
		// for validation to report.
		if ns, _, err := o.NestedString("metadata", "namespace"); namespace != "" && err == nil && ns == "" {
			_ = o.SetNamespace(namespace)
		}
		if image == "" {
			continue
		}
		target, _, errT := o.NestedString("spec", "target")
		current, _, errI := o.NestedString("spec", "image")
		if errT != nil || errI != nil || current != "" || (target != "" && target != string(v1alpha1.TargetAgent)) {
			continue
		}
		_ = o.SetNestedString(image, "spec", "image")
	}
}
