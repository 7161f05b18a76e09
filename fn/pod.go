package fn

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/failoverkit/ipfailover/contract"
)

// env is the container environment: every variable of contract.Config.Env
// (minus the agent-only ones for Keepalived, see contract.AgentOnly), plus, for the agent, the node name
// from the downward API.
func (p *plan) env() []corev1.EnvVar {
	if p.envVars == nil {
		p.envVars = p.buildEnv()
	}
	return p.envVars
}

func (p *plan) buildEnv() []corev1.EnvVar {
	var out []corev1.EnvVar
	for _, v := range p.cfg.Env() {
		if p.keepalived() && contract.AgentOnly(v.Name) {
			continue
		}
		out = append(out, corev1.EnvVar{Name: v.Name, Value: v.Value})
	}
	if !p.keepalived() {
		out = append(out, corev1.EnvVar{
			Name: contract.EnvNodeName,
			ValueFrom: &corev1.EnvVarSource{
				FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "spec.nodeName"},
			},
		})
	}
	return out
}

// volume is a pod volume with its container mount.
type volume struct {
	volume corev1.Volume
	mount  corev1.VolumeMount
}

// volumes are the volumes of a failover pod, or of a cleanup pod when
// cleanup is true (which needs no scripts).
func (p *plan) volumes(cleanup bool) []volume {
	var out []volume
	if p.keepalived() {
		// The documentation's shape: modules for modprobe ip_vs, the host
		// root for the iptables shims (chroot /host), the host's
		// /etc/sysconfig/keepalived for KEEPALIVED_OPTIONS.
		out = append(out,
			hostPath("lib-modules", "/lib/modules", "/lib/modules", nil, ""),
			hostPath("host-slash", "/", "/host", nil, corev1.MountPropagationHostToContainer),
			hostPath("etc-sysconfig", "/etc/sysconfig", "/etc/sysconfig", nil, ""),
		)
	} else if p.cfg.FirewallChain() != "" {
		out = append(out, hostPath("xtables-lock", XtablesLockPath, XtablesLockPath, ptr(corev1.HostPathFileOrCreate), ""))
		out[len(out)-1].mount.ReadOnly = false
	}
	if p.scripts != nil && !cleanup {
		out = append(out, volume{
			volume: corev1.Volume{Name: "scripts", VolumeSource: corev1.VolumeSource{
				ConfigMap: &corev1.ConfigMapVolumeSource{
					LocalObjectReference: corev1.LocalObjectReference{Name: scriptsName(p.name)},
					DefaultMode:          ptr(int32(0o755)),
				},
			}},
			mount: corev1.VolumeMount{Name: "scripts", MountPath: ScriptsDir, ReadOnly: true},
		})
	}
	return out
}

func hostPath(name, path, at string, typ *corev1.HostPathType, prop corev1.MountPropagationMode) volume {
	v := volume{
		volume: corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{
			HostPath: &corev1.HostPathVolumeSource{Path: path, Type: typ},
		}},
		mount: corev1.VolumeMount{Name: name, MountPath: at, ReadOnly: true},
	}
	if prop != "" {
		v.mount.MountPropagation = &prop
	}
	return v
}

// container is the set's container with what the failover pod and the
// cleanup pod share: image, environment, mounts, resources and privileges.
func (p *plan) container(name string, vols []volume) corev1.Container {
	c := corev1.Container{
		Name:            name,
		Image:           p.image,
		ImagePullPolicy: p.pullPolicy,
		Env:             p.env(),
	}
	for _, v := range vols {
		c.VolumeMounts = append(c.VolumeMounts, v.mount)
	}
	if r := p.ipf.Spec.Resources; r != nil {
		c.Resources = *r
	}
	if p.keepalived() {
		c.SecurityContext = &corev1.SecurityContext{Privileged: ptr(true)}
	} else {
		// Least privilege: raw sockets for VRRP and ARP/NA, netlink for
		// the VIPs and the firewall rule; nothing else.
		c.SecurityContext = &corev1.SecurityContext{
			Privileged:               ptr(false),
			AllowPrivilegeEscalation: ptr(false),
			ReadOnlyRootFilesystem:   ptr(true),
			Capabilities: &corev1.Capabilities{
				Drop: []corev1.Capability{"ALL"},
				Add:  []corev1.Capability{"NET_ADMIN", "NET_RAW"},
			},
			SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
		}
	}
	return c
}

// podSpec is the pod of the set: host network, its ServiceAccount (whose
// token it does not need), the user's scheduling extras.
func (p *plan) podSpec(c corev1.Container, vols []volume) corev1.PodSpec {
	s := &p.ipf.Spec
	spec := corev1.PodSpec{
		ServiceAccountName:           p.serviceAccountName,
		AutomountServiceAccountToken: ptr(false),
		EnableServiceLinks:           ptr(false),
		HostNetwork:                  true,
		DNSPolicy:                    corev1.DNSClusterFirstWithHostNet,
		PriorityClassName:            s.PriorityClassName,
		Tolerations:                  s.Tolerations,
		ImagePullSecrets:             s.ImagePullSecrets,
		Containers:                   []corev1.Container{c},
	}
	for _, v := range vols {
		spec.Volumes = append(spec.Volumes, v.volume)
	}
	return spec
}

// failoverContainer adds to the shared container what the long-running
// failover process needs: its entry point and probes.
func (p *plan) failoverContainer(vols []volume) corev1.Container {
	if p.keepalived() {
		c := p.container("keepalived", vols)
		c.LivenessProbe = &corev1.Probe{
			ProbeHandler:        corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"pgrep", "keepalived"}}},
			InitialDelaySeconds: 10,
		}
		return c
	}
	c := p.container("agent", vols)
	port := int32(p.cfg.HealthPort)
	c.Args = []string{"run"}
	c.Ports = []corev1.ContainerPort{{Name: "health", ContainerPort: port, HostPort: port, Protocol: corev1.ProtocolTCP}}
	c.LivenessProbe = &corev1.Probe{ProbeHandler: corev1.ProbeHandler{
		HTTPGet: &corev1.HTTPGetAction{Path: "/healthz", Port: intstr.FromString("health")},
	}}
	c.ReadinessProbe = &corev1.Probe{ProbeHandler: corev1.ProbeHandler{
		HTTPGet: &corev1.HTTPGetAction{Path: "/readyz", Port: intstr.FromString("health")},
	}}
	return c
}

// cleanupContainer runs the removal of the set's VIPs and firewall rule.
func (p *plan) cleanupContainer(vols []volume) corev1.Container {
	c := p.container("cleanup", vols)
	c.Env = p.cleanupEnv()
	if p.keepalived() {
		c.Command = []string{KeepalivedRemoveScript}
	} else {
		c.Args = []string{"cleanup"}
	}
	return c
}

// cleanupEnv is the environment without OPENSHIFT_HA_NODES: the node list
// only feeds the agent's priority rotation, which cleanup does not use, and
// writing it into each of N cleanup Jobs made the output grow with N²
// (1000 nodes: 10 of every Job's 13 KB).
func (p *plan) cleanupEnv() []corev1.EnvVar {
	var out []corev1.EnvVar
	for _, e := range p.env() {
		if e.Name != contract.EnvNodes {
			out = append(out, e)
		}
	}
	return out
}
