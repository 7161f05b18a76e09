package fn

import (
	"encoding/json"
	"fmt"
	"path"
	"strconv"
	"strings"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/failoverkit/ipfailover/api/v1alpha1"
	"github.com/failoverkit/ipfailover/contract"
)

// Imported is an IPFailover read back from a hand-written workload.
type Imported struct {
	// IPFailover is the equivalent spec.
	IPFailover *v1alpha1.IPFailover
	// Source is the Deployment or DeploymentConfig it was read from.
	Source *kfn.KubeObject
}

// workload is the part of a Deployment or DeploymentConfig import reads.
type workload struct {
	obj       *kfn.KubeObject
	replicas  int32
	template  corev1.PodTemplateSpec
	container *corev1.Container
}

// Import reads every Deployment and DeploymentConfig among objs whose pod
// sets OPENSHIFT_HA_* variables (OpenShift's documented ipfailover
// Deployment, or an "oc adm ipfailover" DeploymentConfig) and returns the
// equivalent IPFailovers. The environment is decoded by
// contract.FromEnv; check and notify scripts are inlined from the
// ConfigMaps among objs that the pod mounts them from. namespace, when not
// empty, overrides the workload's namespace. Problems are results on the
// workload: errors (the IPFailover is then not returned), warnings for
// what changes in the move.
func Import(objs kfn.KubeObjects, namespace string) ([]Imported, kfn.Results) {
	var out []Imported
	var results kfn.Results
	for _, o := range objs {
		w, err := asWorkload(o)
		if err != nil {
			results = append(results, kfn.ConfigObjectResult(err.Error(), o, kfn.Error))
			continue
		}
		if w == nil {
			continue
		}
		im := importer{w: w, objs: objs}
		ipf := im.run(namespace)
		results = append(results, im.results...)
		if ipf != nil {
			out = append(out, Imported{IPFailover: ipf, Source: o})
		}
	}
	if len(out) == 0 && results.ExitCode() == 0 {
		results = append(results, kfn.GeneralResult(
			"found no Deployment or DeploymentConfig whose containers set OPENSHIFT_HA_* variables", kfn.Error))
	}
	return out, results
}

// asWorkload decodes a Deployment or DeploymentConfig (nil for other
// kinds, and for workloads without OPENSHIFT_HA_* variables). Decoding is
// lenient: the documentation's Deployment carries a stray
// spec.template.spec.privileged that no API server accepts strictly.
func asWorkload(o *kfn.KubeObject) (*workload, error) {
	gk := o.GroupKind()
	switch {
	case gk.Group == "apps" && gk.Kind == "Deployment":
	case (gk.Group == "apps.openshift.io" || gk.Group == "") && gk.Kind == "DeploymentConfig":
	default:
		return nil, nil
	}
	w := &workload{obj: o, replicas: 1}
	tmpl, found, err := o.NestedSubObject("spec", "template")
	if err != nil || !found {
		return nil, fmt.Errorf("cannot read spec.template: found %t, %v", found, err)
	}
	// Through JSON, so that the json tags of k8s.io/api apply (the SDK's
	// typed conversion goes by YAML field names), read as YAML 1.2 like
	// every input.
	data, err := yamlToJSON(tmpl.String())
	if err == nil {
		err = json.Unmarshal(data, &w.template)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read spec.template: %v", err)
	}
	if n, found, err := o.NestedInt64("spec", "replicas"); err == nil && found {
		w.replicas = int32(n)
	}
	for i := range w.template.Spec.Containers {
		c := &w.template.Spec.Containers[i]
		for _, e := range c.Env {
			if strings.HasPrefix(e.Name, "OPENSHIFT_HA_") {
				w.container = c
				return w, nil
			}
		}
	}
	return nil, nil
}

// importer turns one workload into an IPFailover.
type importer struct {
	w       *workload
	objs    kfn.KubeObjects
	results kfn.Results
	env     map[string]string
}

func (im *importer) errorf(field, format string, args ...any) {
	im.add(kfn.Error, field, format, args...)
}

func (im *importer) warnf(field, format string, args ...any) {
	im.add(kfn.Warning, field, format, args...)
}

func (im *importer) add(sev kfn.Severity, field, format string, args ...any) {
	r := kfn.ConfigObjectResult(fmt.Sprintf(format, args...), im.w.obj, sev)
	if field != "" {
		r.Field = &kfn.Field{Path: field}
	}
	im.results = append(im.results, r)
}

func (im *importer) run(namespace string) *v1alpha1.IPFailover {
	w := im.w
	im.env = map[string]string{}
	for _, e := range w.container.Env {
		if e.ValueFrom != nil {
			im.errorf(e.Name, "comes from valueFrom: import needs literal values")
			continue
		}
		im.env[e.Name] = e.Value
	}
	im.unknownVars()
	cfg, err := contract.FromEnv(func(n string) (string, bool) { v, ok := im.env[n]; return v, ok })
	for _, e := range flatten(err) {
		if fe, ok := e.(*contract.FieldError); ok {
			msg := fieldMessage(fe)
			if fe.Index >= 0 {
				msg = fmt.Sprintf("entry %d: %s", fe.Index+1, msg)
			}
			im.errorf(fe.Field.EnvName(), "%s", msg)
		} else {
			im.errorf("", "%v", e)
		}
	}
	if err != nil {
		return nil
	}

	ipf := &v1alpha1.IPFailover{
		TypeMeta:   metav1.TypeMeta{APIVersion: v1alpha1.APIVersion, Kind: v1alpha1.Kind},
		ObjectMeta: metav1.ObjectMeta{Name: im.name(cfg.Name), Namespace: im.namespace(namespace)},
	}
	im.spec(&ipf.Spec, cfg, ipf.Name)
	if im.results.ExitCode() != 0 {
		return nil
	}
	return ipf
}

// name keeps OPENSHIFT_HA_CONFIG_NAME when it can name the set: it is the
// VRRP password (first 8 bytes) and the keepalived instance names the
// notify script receives, so keeping it lets old and new pods talk during
// the move.
func (im *importer) name(configName string) string {
	if len(validation.IsDNS1123Label(configName)) == 0 {
		return configName
	}
	name := im.w.obj.GetName()
	if contract.AuthPass(name) != contract.AuthPass(configName) {
		im.warnf(contract.EnvConfigName, "%q cannot name an IPFailover, so it is named %q: its VRRP password (the first 8 characters) differs, so old and new pods ignore each other's adverts; do not run them side by side", configName, name)
	}
	return name
}

func (im *importer) namespace(override string) string {
	switch {
	case override != "":
		return override
	case im.w.obj.GetNamespace() != "":
		return im.w.obj.GetNamespace()
	}
	im.warnf("metadata.namespace", "is not set: the IPFailover goes to namespace default (use -n to choose)")
	return "default"
}

// spec fills the spec from the decoded contract through the spec mapping
// (settings, in mapping.go), writing only what differs from the spec's
// defaults, except the VRID offset, which is always written; then the pod
// settings it carries over.
func (im *importer) spec(s *v1alpha1.IPFailoverSpec, cfg contract.Config, name string) {
	w := im.w
	pod := &w.template.Spec
	s.NodeSelector = pod.NodeSelector
	for _, m := range settings {
		if _, check := m.at[contract.FieldCheckTCP]; check {
			im.keepImage(s) // the image decides the target, on which the check's import depends
		}
		if m.toSpec != nil {
			m.toSpec(im, s, cfg)
		}
	}
	if sa := pod.ServiceAccountName; sa != "" && sa != name {
		s.ServiceAccountName = sa
	}
	s.Tolerations = pod.Tolerations
	s.PriorityClassName = pod.PriorityClassName
	if r := w.container.Resources; len(r.Limits) > 0 || len(r.Requests) > 0 {
		s.Resources = &r
	}
	im.warnDropped()
}

// specVRIDOffset writes spec.vrrp.idOffset, always: an unset offset meant 0
// before 4.20 and 10 since, so the spec says which the workload had.
func (im *importer) specVRIDOffset(s *v1alpha1.IPFailoverSpec, cfg contract.Config) {
	w := im.w
	v := specVRRP(s)
	v.IDOffset = i32(cfg.VRIDOffset)
	if _, set := im.env[contract.EnvVRIDOffset]; !set {
		switch old, known := imageBefore420(w.container.Image); {
		case known && old:
			v.IDOffset = i32(0)
			im.warnf(contract.EnvVRIDOffset, "is unset and image %s predates 4.20, whose default was 0: the spec says 0 explicitly, keeping the VRIDs", w.container.Image)
		case !known:
			im.warnf(contract.EnvVRIDOffset, "is unset: images before 4.20 used 0 (VRIDs from 1), 4.20 and later %d; the spec says %d explicitly, so check which image ran (%s)", contract.DefaultVRIDOffset, cfg.VRIDOffset, w.container.Image)
		}
	}
}

// unknownVars warns about OPENSHIFT_HA_* variables the contract does not
// know (typos, which the image ignores silently).
func (im *importer) unknownVars() {
	known := map[string]bool{}
	for _, v := range contract.KnownVars() {
		known[v] = true
	}
	for _, e := range im.w.container.Env {
		if strings.HasPrefix(e.Name, "OPENSHIFT_HA_") && !known[e.Name] {
			im.warnf(e.Name, "is not a variable of the contract (the image ignores it): not carried over")
		}
	}
}

// script inlines the script at file, which must come from a ConfigMap
// volume of the pod whose ConfigMap is among the input objects.
func (im *importer) script(envName, file string) string {
	if file == "" {
		return ""
	}
	pod := &im.w.template.Spec
	var mount *corev1.VolumeMount
	for i, m := range im.w.container.VolumeMounts {
		switch {
		case m.SubPath != "" && file == m.MountPath,
			m.SubPath == "" && strings.HasPrefix(file, strings.TrimSuffix(m.MountPath, "/")+"/"):
			if mount == nil || len(m.MountPath) > len(mount.MountPath) {
				mount = &im.w.container.VolumeMounts[i]
			}
		}
	}
	if mount == nil {
		im.errorf(envName, "%s is not on a volume of the container: import can only inline scripts from ConfigMap volumes; write spec.%s by hand", file, scriptField(envName))
		return ""
	}
	var vol *corev1.Volume
	for i := range pod.Volumes {
		if pod.Volumes[i].Name == mount.Name {
			vol = &pod.Volumes[i]
		}
	}
	if vol == nil || vol.ConfigMap == nil {
		im.errorf(envName, "%s is on volume %q, which is not a ConfigMap: import can only inline scripts from ConfigMap volumes; write spec.%s by hand", file, mount.Name, scriptField(envName))
		return ""
	}
	rel := mount.SubPath
	if rel == "" {
		rel = strings.TrimPrefix(file, strings.TrimSuffix(mount.MountPath, "/")+"/")
	}
	key := rel
	if len(vol.ConfigMap.Items) > 0 {
		key = ""
		for _, it := range vol.ConfigMap.Items {
			if path.Clean(it.Path) == path.Clean(rel) {
				key = it.Key
			}
		}
		if key == "" {
			im.errorf(envName, "%s: volume %q maps no key of ConfigMap %q to %s", file, vol.Name, vol.ConfigMap.Name, rel)
			return ""
		}
	}
	ns := im.w.obj.GetNamespace()
	for _, o := range im.objs {
		if o.GetKind() != "ConfigMap" || o.GetName() != vol.ConfigMap.Name || (o.GetNamespace() != ns && o.GetNamespace() != "" && ns != "") {
			continue
		}
		text, found, _ := o.NestedString("data", key)
		if !found {
			im.errorf(envName, "%s: ConfigMap %q has no key %q", file, vol.ConfigMap.Name, key)
			return ""
		}
		return text
	}
	nsFlag := ""
	if ns != "" {
		nsFlag = " -n " + ns
	}
	// The rest still imports: a partial spec the user completes beats
	// none.
	im.warnf(envName, "%s comes from ConfigMap %q (volume %q), which is not among the input files, so spec.%s is left out of the import: pass the ConfigMap too and import again, e.g. oc get configmap %s%s -o yaml > %s.yaml",
		file, vol.ConfigMap.Name, vol.Name, scriptField(envName), vol.ConfigMap.Name, nsFlag, vol.ConfigMap.Name)
	return ""
}

func scriptField(envName string) string {
	if envName == contract.EnvNotifyScript {
		return "notifyScript"
	}
	return "checkScript"
}

// releaseTag matches the OpenShift release in an image tag: v3.11, v4.19,
// 4.20.0-….
var releaseTag = lazyRegexp(`:v?(\d+)\.(\d+)`)

// imageBefore420 reports whether an image's tag names an OpenShift release
// before 4.20 (default VRID offset 0), and whether the tag tells at all.
func imageBefore420(image string) (old, known bool) {
	m := releaseTag().FindStringSubmatch(image[strings.LastIndex(image, "/")+1:])
	if m == nil {
		return false, false
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	return major < 4 || major == 4 && minor < 20, true
}
