package fn

import (
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// deployment runs the set: one pod per node (required anti-affinity on the
// hostname), pinned to spec.nodes or selected by spec.nodeSelector, rolled
// one node at a time without surge so that at most one node's VIPs move at
// once and a surge pod never waits for a free node.
func (p *plan) deployment() *appsv1.Deployment {
	s := &p.ipf.Spec
	vols := p.volumes(false)
	spec := p.podSpec(p.failoverContainer(vols), vols)
	spec.Affinity = p.affinity()
	if len(s.Nodes) == 0 {
		spec.NodeSelector = s.NodeSelector
	}
	tmpl := metav1.ObjectMeta{Labels: objectLabels(p.name, ComponentFailover)}
	if p.scripts != nil {
		tmpl.Annotations = map[string]string{AnnotationScriptsHash: scriptsHash(p.scripts)}
	}
	return &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: p.meta(p.name, ComponentFailover),
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr(p.replicas),
			Selector: &metav1.LabelSelector{MatchLabels: selectorLabels(p.name)},
			Strategy: appsv1.DeploymentStrategy{
				Type: appsv1.RollingUpdateDeploymentStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDeployment{
					MaxUnavailable: ptr(intstr.FromInt32(1)),
					MaxSurge:       ptr(intstr.FromInt32(0)),
				},
			},
			Template: corev1.PodTemplateSpec{ObjectMeta: tmpl, Spec: spec},
		},
	}
}

// affinity keeps two pods of the set off one node and, when spec.nodes is
// given, on the listed nodes.
func (p *plan) affinity() *corev1.Affinity {
	a := &corev1.Affinity{PodAntiAffinity: &corev1.PodAntiAffinity{
		RequiredDuringSchedulingIgnoredDuringExecution: []corev1.PodAffinityTerm{{
			LabelSelector: &metav1.LabelSelector{MatchLabels: selectorLabels(p.name)},
			TopologyKey:   HostnameLabel,
		}},
	}}
	if nodes := p.ipf.Spec.Nodes; len(nodes) > 0 {
		// One term per node, ORed: a field selector on metadata.name
		// takes exactly one value. Pinning by the node's name rather than
		// by its kubernetes.io/hostname label works for every node name
		// (up to 253 characters; a label value holds 63) and on clouds
		// whose hostname label differs from the name.
		terms := make([]corev1.NodeSelectorTerm, len(nodes))
		for i, n := range nodes {
			terms[i] = corev1.NodeSelectorTerm{MatchFields: []corev1.NodeSelectorRequirement{{
				Key:      NodeNameField,
				Operator: corev1.NodeSelectorOpIn,
				Values:   []string{n},
			}}}
		}
		a.NodeAffinity = &corev1.NodeAffinity{
			RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{NodeSelectorTerms: terms},
		}
	}
	return a
}

// cleanupJob removes the set from one node (spec.nodeName). It has no
// ttlSecondsAfterFinished: a GitOps tool would recreate a Job that deletes
// itself, and run the cleanup again.
func (p *plan) cleanupJob(node string) *batchv1.Job {
	vols := p.volumes(true)
	spec := p.podSpec(p.cleanupContainer(vols), vols)
	spec.RestartPolicy = corev1.RestartPolicyNever
	// Bound to the node by name, past the scheduler: it runs on a
	// cordoned node too, which is where a removal often happens.
	spec.NodeName = node
	meta := p.meta(jobName(p.name, node), ComponentCleanup)
	meta.Annotations[AnnotationNode] = node
	return &batchv1.Job{
		TypeMeta:   metav1.TypeMeta{APIVersion: "batch/v1", Kind: "Job"},
		ObjectMeta: meta,
		Spec: batchv1.JobSpec{
			BackoffLimit: ptr(int32(CleanupBackoffLimit)),
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: objectLabels(p.name, ComponentCleanup)},
				Spec:       spec,
			},
		},
	}
}

// setObjects are the set's objects in apply order except the cleanup
// Jobs: ServiceAccount, RoleBindings, scripts ConfigMap, Deployment — or,
// on removal, ServiceAccount and RoleBindings, followed by one cleanup Job
// per node of cleanupNodes (see plan.nodes).
func (p *plan) setObjects() []any {
	out := []any{p.serviceAccount()}
	for _, rb := range p.roleBindings() {
		out = append(out, rb)
	}
	if p.removal() {
		return out
	}
	if cm := p.scriptsConfigMap(); cm != nil {
		out = append(out, cm)
	}
	return append(out, p.deployment())
}

// cleanupNodes are the nodes that get a cleanup Job: spec.nodes on
// removal, none otherwise.
func (p *plan) cleanupNodes() []string {
	if !p.removal() {
		return nil
	}
	return p.ipf.Spec.Nodes
}
