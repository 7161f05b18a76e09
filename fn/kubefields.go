package fn

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// The Kubernetes types the spec embeds (tolerations, resources) are
// checked by the API server's rules for a pod, so that what the renderer
// accepts the server accepts. Those rules live in
// k8s.io/kubernetes/pkg/apis/core/validation, which is not a library
// (importing it pulls in most of the kube-apiserver and needs replace
// directives for every k8s.io staging module); they are restated here,
// following that package as of Kubernetes v1.34 (ValidateTolerations,
// ValidateContainerResourceRequirements), on top of the parts that do live
// in k8s.io/apimachinery (label names and values, quantities). The lab
// test (lab/) proves them against a real kube-apiserver.

// checkTolerations applies ValidateTolerations.
func checkTolerations(tols []corev1.Toleration, out *problems) {
	for i, t := range tols {
		at := index("spec.tolerations", i)
		if t.Key != "" {
			for _, e := range metav1validation.ValidateLabelName(t.Key, field.NewPath(at+".key")) {
				out.errorf(e.Field, "%q is not a taint key: %s", t.Key, e.Detail)
			}
		}
		switch t.Operator {
		case corev1.TolerationOpEqual, "":
			if t.Key == "" {
				out.errorf(at+".operator", "must be Exists when key is empty (an empty key with Exists tolerates every taint)")
			}
			if errs := validation.IsValidLabelValue(t.Value); len(errs) > 0 {
				out.errorf(at+".value", "%q is not a taint value: %s", t.Value, strings.Join(errs, "; "))
			}
		case corev1.TolerationOpExists:
			if t.Value != "" {
				out.errorf(at+".value", "must be empty when operator is Exists (it tolerates every value of the key): drop value %q, or use operator Equal", t.Value)
			}
		default:
			out.errorf(at+".operator", "%q is not a toleration operator: use Equal or Exists", t.Operator)
		}
		switch t.Effect {
		case "", corev1.TaintEffectNoSchedule, corev1.TaintEffectPreferNoSchedule, corev1.TaintEffectNoExecute:
		default:
			out.errorf(at+".effect", "%q is not a taint effect: use NoSchedule, PreferNoSchedule or NoExecute, or omit it for all three", t.Effect)
		}
		if t.TolerationSeconds != nil && t.Effect != corev1.TaintEffectNoExecute {
			out.errorf(at+".tolerationSeconds", "applies to effect NoExecute only: set effect: NoExecute, or drop it")
		}
	}
}

// checkResources applies ValidateContainerResourceRequirements to the
// container's resources (the pods declare no resource claims).
func checkResources(r *corev1.ResourceRequirements, out *problems) {
	if r == nil {
		return
	}
	for i, c := range r.Claims {
		out.errorf(index("spec.resources.claims", i), "%q: the pods declare no resource claims for a container to use: drop it", c.Name)
	}
	for _, kind := range []struct {
		name string
		list corev1.ResourceList
	}{{"limits", r.Limits}, {"requests", r.Requests}} {
		for _, rn := range sortedKeys(kind.list) {
			name, q := string(rn), kind.list[rn]
			at := mapKey("spec.resources."+kind.name, name)
			if msg := resourceNameProblem(name); msg != "" {
				out.errorf(at, "%s", msg)
				continue
			}
			if q.Sign() < 0 {
				out.errorf(at, "%s is negative", q.String())
			}
			if extendedResource(name) && q.MilliValue()%1000 != 0 {
				out.errorf(at, "%s: an extended resource takes whole numbers", q.String())
			}
			if size, ok := strings.CutPrefix(name, corev1.ResourceHugePagesPrefix); ok {
				if page := resource.MustParse(size); q.Value()%page.Value() != 0 {
					out.errorf(at, "%s is not a multiple of the page size %s", q.String(), size)
				}
			}
		}
	}
	for _, rn := range sortedKeys(r.Requests) {
		name, req := string(rn), r.Requests[rn]
		lim, limited := r.Limits[rn]
		at := mapKey("spec.resources.requests", name)
		switch {
		case resourceNameProblem(name) != "":
		case (extendedResource(name) || hugePages(name)) && !limited:
			out.errorf(at, "needs a limit too: %s cannot be overcommitted, so set limits.%s to %s", name, name, req.String())
		case (extendedResource(name) || hugePages(name)) && req.Cmp(lim) != 0:
			out.errorf(at, "%s must equal limits.%s (%s): %s cannot be overcommitted", req.String(), name, lim.String(), name)
		case limited && req.Cmp(lim) > 0:
			out.errorf(at, "%s is more than limits.%s (%s)", req.String(), name, lim.String())
		}
	}
	hasHugePages, hasCPUOrMemory := false, false
	for _, list := range []corev1.ResourceList{r.Limits, r.Requests} {
		for name := range list {
			hasHugePages = hasHugePages || hugePages(string(name))
			hasCPUOrMemory = hasCPUOrMemory || name == corev1.ResourceCPU || name == corev1.ResourceMemory
		}
	}
	if hasHugePages && !hasCPUOrMemory {
		out.errorf("spec.resources", "huge pages need a cpu or memory request or limit too")
	}
}

// resourceNameProblem says why name cannot be a container resource, or
// returns "": cpu, memory, ephemeral-storage, hugepages-<size>, any
// qualified name in the kubernetes.io domain, or an extended resource (a
// qualified name outside it).
func resourceNameProblem(name string) string {
	switch corev1.ResourceName(name) {
	case corev1.ResourceCPU, corev1.ResourceMemory, corev1.ResourceEphemeralStorage:
		return ""
	}
	if size, ok := strings.CutPrefix(name, corev1.ResourceHugePagesPrefix); ok {
		if q, err := resource.ParseQuantity(size); err != nil || q.Sign() <= 0 {
			return fmt.Sprintf("%q is not a huge page size such as hugepages-2Mi", name)
		}
		return ""
	}
	if errs := validation.IsQualifiedName(name); len(errs) > 0 {
		return fmt.Sprintf("%q is not a resource name: %s", name, strings.Join(errs, "; "))
	}
	domain, _, qualified := strings.Cut(name, "/")
	switch {
	case !qualified:
		return fmt.Sprintf("%q is not a container resource: use cpu, memory, ephemeral-storage, hugepages-<size>, or an extended resource such as example.com/device", name)
	case nativeDomain(domain):
		return "" // the server takes any name in its own domain
	case !extendedResource(name):
		return fmt.Sprintf("%q is not an extended resource name (no requests. prefix): use a name such as example.com/device", name)
	}
	return ""
}

// nativeDomain reports whether a resource name's domain is Kubernetes'
// own (kubernetes.io and its subdomains).
func nativeDomain(domain string) bool {
	return domain == "kubernetes.io" || strings.HasSuffix(domain, ".kubernetes.io")
}

// extendedResource reports whether name is an extended resource: a
// qualified name with a domain other than kubernetes.io, not "requests.*".
func extendedResource(name string) bool {
	domain, _, qualified := strings.Cut(name, "/")
	return qualified && !strings.HasPrefix(name, "requests.") && !nativeDomain(domain)
}

func hugePages(name string) bool { return strings.HasPrefix(name, corev1.ResourceHugePagesPrefix) }
