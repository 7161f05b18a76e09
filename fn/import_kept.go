package fn

import (
	"fmt"
	"strings"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/failoverkit/ipfailover/api/v1alpha1"
	"github.com/failoverkit/ipfailover/contract"
)

// keepImage carries the workload's image over: OpenShift's
// keepalived-ipfailover image keeps running (target Keepalived) with its
// pull policy and pull secrets, so that an import changes the
// declaration, not the software on the nodes. Another image cannot be
// told apart from a mirror of either target: it is not carried over, with
// a warning.
func (im *importer) keepImage(s *v1alpha1.IPFailoverSpec) {
	c := im.w.container
	pod := &im.w.template.Spec
	s.ImagePullSecrets = pod.ImagePullSecrets
	if c.ImagePullPolicy != "" && c.ImagePullPolicy != corev1.PullIfNotPresent {
		s.ImagePullPolicy = c.ImagePullPolicy
	}
	switch imageTarget(c.Image) {
	case v1alpha1.TargetKeepalived:
		s.Target = v1alpha1.TargetKeepalived
		if c.Image != DefaultKeepalivedImage {
			s.Image = c.Image
		}
	case v1alpha1.TargetAgent:
		if c.Image != DefaultAgentImage {
			s.Image = c.Image
		}
	default:
		im.warnf(containerPath(im.w, "image"), "%q is not carried over: it is neither OpenShift's keepalived-ipfailover image nor the failoverkit agent, so the spec takes target Agent and its default image; set spec.image (with spec.target: Keepalived for a mirror of OpenShift's image)", c.Image)
	}
}

// containerPath is the path of a field of the workload's container.
func containerPath(w *workload, field string) string {
	for i := range w.template.Spec.Containers {
		if &w.template.Spec.Containers[i] == w.container {
			return fmt.Sprintf("spec.template.spec.containers[%d].%s", i, field)
		}
	}
	return "spec.template.spec.containers." + field
}

// importedPod are the pod fields import carries over, or that the
// renderer writes as the workload had them (hostNetwork, the
// documentation's host mounts).
var importedPod = map[string]bool{
	"containers": true, "serviceAccountName": true, "serviceAccount": true, "nodeSelector": true,
	"tolerations": true, "priorityClassName": true, "imagePullSecrets": true, "hostNetwork": true,
	"volumes": true, "dnsPolicy": true, "restartPolicy": true,
}

// importedContainer are the container fields import carries over or
// replaces with the target's own (the probe, the privileges).
var importedContainer = map[string]bool{
	"name": true, "image": true, "imagePullPolicy": true, "env": true, "volumeMounts": true,
	"resources": true, "livenessProbe": true, "securityContext": true, "terminationMessagePath": true,
	"terminationMessagePolicy": true,
}

// documentedHostPaths are the host directories of the documentation's
// Deployment, which the Keepalived target mounts too.
var documentedHostPaths = map[string]bool{"/lib/modules": true, "/": true, "/etc/sysconfig": true}

// droppedVars are the OPENSHIFT_HA_* variables that the contract accepts
// but the spec has no field for, with why dropping them changes nothing.
var droppedVars = map[string]string{
	contract.EnvUseUnicast:  "the image never read it; spec.vrrp.unicastPeers alone selects unicast",
	contract.EnvSelector:    "the image never read it; spec.nodeSelector selects the nodes",
	contract.EnvAdminEmails: "no mail is sent (keepalived sends none without smtp_alert)",
	contract.EnvSMTPServer:  "no mail is sent (keepalived sends none without smtp_alert)",
}

// warnDropped warns about every field of the workload that the IPFailover
// does not carry over, so that nothing disappears silently: pod and
// container fields outside importedPod and importedContainer (including
// fields no pod has, such as the documentation's stray pod-level
// privileged), the other containers, the Deployment's strategy, the pod
// labels, and the variables of droppedVars.
func (im *importer) warnDropped() {
	w := im.w
	if pod, found, err := w.obj.NestedSubObject("spec", "template", "spec"); err == nil && found {
		for _, k := range objectKeys(&pod) {
			switch {
			case importedPod[k]:
			case k == "privileged":
				im.warnf("spec.template.spec.privileged", "is not carried over: pods have no such field (the API server drops or rejects it); the Keepalived target's container is privileged, the agent's needs no privilege")
			default:
				im.warnf("spec.template.spec."+k, "is not carried over: the renderer writes the pod itself; see docs/renderer.md for what it renders")
			}
		}
	}
	if cs, found, err := w.obj.NestedSlice("spec", "template", "spec", "containers"); err == nil && found {
		for i, c := range cs {
			if i < len(w.template.Spec.Containers) && &w.template.Spec.Containers[i] != w.container {
				im.warnf(fmt.Sprintf("spec.template.spec.containers[%d]", i), "container %q is not carried over: the set runs one container", c.GetString("name"))
				continue
			}
			for _, k := range objectKeys(c) {
				if importedContainer[k] {
					continue
				}
				reason := "the renderer writes the container itself"
				if k == "ports" {
					reason = "two pods of a set are kept off one node by pod anti-affinity, not by a host port"
				}
				im.warnf(containerPath(w, k), "is not carried over: %s", reason)
			}
		}
	}
	for i, v := range w.template.Spec.Volumes {
		switch {
		case v.ConfigMap != nil: // the scripts, inlined (or reported) by script
		case v.HostPath != nil && documentedHostPaths[v.HostPath.Path]:
		default:
			im.warnf(fmt.Sprintf("spec.template.spec.volumes[%d]", i), "volume %q is not carried over: the renderer mounts what the target needs (see docs/renderer.md)", v.Name)
		}
	}
	if _, found, _ := w.obj.NestedSubObject("spec", "strategy"); found {
		im.warnf("spec.strategy", "is not carried over: the Deployment rolls one node at a time (RollingUpdate, maxUnavailable 1, maxSurge 0)")
	}
	if labels := w.template.Labels; len(labels) > 0 {
		im.warnf("spec.template.metadata.labels", "%s are not carried over: the pods are labelled app.kubernetes.io/name: %s, app.kubernetes.io/instance: <name>; select them by those (oc get pod -l app.kubernetes.io/instance=<name>)", formatLabels(labels), AppName)
	}
	for _, e := range w.container.Env {
		if why, ok := droppedVars[e.Name]; ok {
			im.warnf(e.Name, "is not carried over: %s", why)
		}
	}
}

// objectKeys are the keys of a sub-object, in order.
func objectKeys(o *kfn.SubObject) []string {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(o.String()), &doc); err != nil || len(doc.Content) == 0 {
		return nil
	}
	n := doc.Content[0]
	var keys []string
	for i := 0; n.Kind == yaml.MappingNode && i+1 < len(n.Content); i += 2 {
		keys = append(keys, n.Content[i].Value)
	}
	return keys
}

func formatLabels(l map[string]string) string {
	parts := make([]string, 0, len(l))
	for _, k := range sortedKeys(l) {
		parts = append(parts, k+"="+l[k])
	}
	return "labels " + strings.Join(parts, ", ")
}
