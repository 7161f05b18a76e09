package fn

import (
	"net/netip"
	"path"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/failoverkit/ipfailover/api/v1alpha1"
	"github.com/failoverkit/ipfailover/contract"
)

// checkNames checks the names the generated objects are made from.
func checkNames(ipf *v1alpha1.IPFailover, out *problems) {
	if ipf.Name == "" {
		out.errorf("metadata.name", "is required")
	} else if errs := validation.IsDNS1123Label(ipf.Name); len(errs) > 0 {
		out.errorf("metadata.name", "%q cannot name the generated Deployment, ServiceAccount and pod labels: %s", ipf.Name, strings.Join(errs, "; "))
	}
	if ipf.Namespace == "" {
		out.errorf("metadata.namespace", "is required: the generated objects are created in it and the RoleBindings name the ServiceAccount by it")
	} else if errs := validation.IsDNS1123Label(ipf.Namespace); len(errs) > 0 {
		out.errorf("metadata.namespace", "%q is not a namespace name: %s", ipf.Namespace, strings.Join(errs, "; "))
	}
	if sa := ipf.Spec.ServiceAccountName; sa != "" {
		if errs := validation.IsDNS1123Subdomain(sa); len(errs) > 0 {
			out.errorf("spec.serviceAccountName", "%q is not a ServiceAccount name: %s", sa, strings.Join(errs, "; "))
		}
	}
	if pc := ipf.Spec.PriorityClassName; pc != "" {
		if errs := validation.IsDNS1123Subdomain(pc); len(errs) > 0 {
			out.errorf("spec.priorityClassName", "%q is not a PriorityClass name: %s", pc, strings.Join(errs, "; "))
		}
	}
	for i, s := range ipf.Spec.ImagePullSecrets {
		if errs := validation.IsDNS1123Subdomain(s.Name); len(errs) > 0 {
			out.errorf(index("spec.imagePullSecrets", i)+".name", "%q is not a Secret name: %s", s.Name, strings.Join(errs, "; "))
		}
	}
}

// resolveTarget applies the default target.
func resolveTarget(s *v1alpha1.IPFailoverSpec, out *problems) v1alpha1.Target {
	switch s.Target {
	case "", v1alpha1.TargetAgent:
		return v1alpha1.TargetAgent
	case v1alpha1.TargetKeepalived:
		return v1alpha1.TargetKeepalived
	}
	out.errorf("spec.target", "%q is not a target: use Agent or Keepalived", s.Target)
	return v1alpha1.TargetAgent
}

// resolveImage applies the per-target default image and pull policy, and
// rejects an image that is evidently meant for the other target.
func resolveImage(s *v1alpha1.IPFailoverSpec, target v1alpha1.Target, out *problems) (string, corev1.PullPolicy) {
	image := s.Image
	switch {
	case image == "" && target == v1alpha1.TargetKeepalived:
		image = DefaultKeepalivedImage
	case image == "":
		image = DefaultAgentImage
	case strings.ContainsAny(image, " \t\r\n"):
		out.errorf("spec.image", "%q contains white space", image)
	case imageTarget(image) != "" && imageTarget(image) != target:
		out.errorf("spec.image", "%q is an image for target %s, but the target is %s: set spec.target: %s, or use an image for %s",
			image, imageTarget(image), target, imageTarget(image), target)
	}
	policy := s.ImagePullPolicy
	switch policy {
	case "":
		policy = corev1.PullIfNotPresent
	case corev1.PullAlways, corev1.PullIfNotPresent, corev1.PullNever:
	default:
		out.errorf("spec.imagePullPolicy", "%q is not a pull policy: use Always, IfNotPresent or Never", policy)
	}
	return image, policy
}

// imageTarget recognises the two images by repository name: OpenShift's
// …/ose-keepalived-ipfailover[-rhel9] and origin-keepalived-ipfailover, and
// our …/ipfailover-node. Other images (mirrors under other names) are
// trusted to match the target.
func imageTarget(image string) v1alpha1.Target {
	repo, _, _ := strings.Cut(image, "@")
	if i := strings.LastIndex(repo, ":"); i > strings.LastIndex(repo, "/") {
		repo = repo[:i]
	}
	switch base := path.Base(repo); {
	case strings.Contains(base, "keepalived-ipfailover"):
		return v1alpha1.TargetKeepalived
	case base == "ipfailover-node":
		return v1alpha1.TargetAgent
	}
	return ""
}

// resolveInterface applies the default interface (br-ex on OVN-Kubernetes)
// and checks the name as Linux would.
func resolveInterface(s *v1alpha1.IPFailoverSpec, out *problems) string {
	switch s.ClusterNetwork {
	case "", v1alpha1.ClusterNetworkOVNKubernetes, v1alpha1.ClusterNetworkOpenShiftSDN, v1alpha1.ClusterNetworkOther:
	default:
		out.errorf("spec.clusterNetwork", "%q is not a cluster network: use OVNKubernetes, OpenShiftSDN or Other", s.ClusterNetwork)
	}
	iface := s.Interface
	if iface == "" {
		if s.ClusterNetwork == v1alpha1.ClusterNetworkOVNKubernetes {
			return contract.OVNInterface
		}
		return contract.DefaultInterface
	}
	if len(iface) > MaxInterfaceLen || strings.ContainsAny(iface, "/: \t\r\n") || iface == "." || iface == ".." {
		out.errorf("spec.interface", "%q is not a Linux interface name (at most %d characters, no '/', ':' or white space)", iface, MaxInterfaceLen)
	}
	return iface
}

// resolveReplicas applies the default replica count: len(nodes), else the
// documentation's 2. Removal ignores it.
func resolveReplicas(s *v1alpha1.IPFailoverSpec, out *problems) int32 {
	n := int32(len(s.Nodes))
	if s.Remove {
		return min(max(n, 1), contract.MaxReplicas)
	}
	switch {
	case s.Replicas == nil && n > 0:
		return n
	case s.Replicas == nil:
		return contract.DefaultReplicaCount
	case n > 0 && *s.Replicas != n:
		out.errorf("spec.replicas", "is %d but spec.nodes lists %d nodes: the set runs one pod on each listed node, so omit replicas or make them agree", *s.Replicas, n)
	}
	return *s.Replicas
}

// resolveScripts builds the scripts ConfigMap data.
func resolveScripts(s *v1alpha1.IPFailoverSpec, out *problems) map[string]string {
	data := map[string]string{}
	size := 0
	for _, sc := range []struct{ field, key, text string }{
		{"spec.checkScript", CheckScriptKey, s.CheckScript},
		{"spec.notifyScript", NotifyScriptKey, s.NotifyScript},
	} {
		if sc.text == "" {
			continue
		}
		checkScriptLine(sc.field, sc.text, out)
		size += len(sc.text)
		data[sc.key] = sc.text
	}
	if size > MaxScriptsBytes {
		out.errorf("spec", "the scripts hold %d bytes; a ConfigMap holds at most %d here", size, MaxScriptsBytes)
	}
	if len(data) == 0 {
		return nil
	}
	return data
}

// parsePeers parses spec.vrrp.unicastPeers; the contract checks the rest.
func parsePeers(peers []string, out *problems) []netip.Addr {
	var addrs []netip.Addr
	for i, s := range peers {
		a, err := netip.ParseAddr(s)
		if err != nil {
			out.errorf(index("spec.vrrp.unicastPeers", i), "%q is not an IP address", s)
			continue
		}
		addrs = append(addrs, a)
	}
	return addrs
}

// checkTarget rejects what the Keepalived target's image cannot do.
func checkTarget(p *plan, out *problems) {
	if !p.keepalived() {
		return
	}
	s := &p.ipf.Spec
	if p.cfg.VRRPVersion != 2 {
		out.errorf("spec.vrrp.version", "the Keepalived target speaks VRRP version 2 only (the image does not configure vrrp_version): use target Agent for version 3")
	}
	if s.VRRP != nil && s.VRRP.AdvertInterval != nil && p.cfg.AdvertInterval != contract.DefaultAdvertInterval {
		out.errorf("spec.vrrp.advertInterval", "the Keepalived target advertises every 1s (the image does not configure advert_int): omit it or use target Agent")
	}
	for i, e := range s.VirtualIPs {
		if r, err := contract.ParseRange(e); err == nil && r.First.Is6() {
			out.errorf(index("spec.virtualIPs", i), "%q is IPv6, which the Keepalived target cannot fail over: the image expands IPv6 ranges only in upper-case hex, keepalived switches IPv6 groups to VRRPv3 and drops their authentication, and its cleanup deletes the addresses as /32; use target Agent", e)
		}
	}
	if s.HealthPort != nil {
		out.errorf("spec.healthPort", "the Keepalived target has no health endpoint (its liveness probe runs pgrep keepalived): omit it or use target Agent")
	}
}

// checkScheduling checks nodes, nodeSelector and removal.
func checkScheduling(p *plan, out *problems) {
	s := &p.ipf.Spec
	for i, n := range s.Nodes {
		if n == "" {
			continue // reported by the contract
		}
		if errs := validation.IsDNS1123Subdomain(n); len(errs) > 0 {
			out.errorf(index("spec.nodes", i), "%q is not a node name: %s", n, strings.Join(errs, "; "))
		}
	}
	for _, k := range sortedKeys(s.NodeSelector) {
		if errs := validation.IsQualifiedName(k); len(errs) > 0 {
			out.errorf("spec.nodeSelector", "key %q is not a label key: %s", k, strings.Join(errs, "; "))
		}
		if errs := validation.IsValidLabelValue(s.NodeSelector[k]); len(errs) > 0 {
			out.errorf("spec.nodeSelector", "value %q of %q is not a label value: %s", s.NodeSelector[k], k, strings.Join(errs, "; "))
		}
	}
	switch {
	case s.Remove && len(s.Nodes) == 0:
		out.errorf("spec.nodes", "is required when remove is true: list every node that may hold the VIPs, each gets a cleanup Job")
	case !s.Remove && len(s.Nodes) > 0 && len(s.NodeSelector) > 0:
		out.errorf("spec.nodeSelector", "and spec.nodes exclude each other: nodes pins the pods to the listed nodes; drop one")
	}
}

// checkIPTablesChain checks the chain name as iptables would.
func checkIPTablesChain(chain string, out *problems) {
	if chain == "" {
		return
	}
	if len(chain) > MaxChainLen || strings.ContainsAny(chain, " \t\r\n!") || strings.HasPrefix(chain, "-") {
		out.errorf("spec.iptablesChain", "%q is not an iptables chain name (at most %d characters, no white space, not starting with '-'); use \"\" to disable the rule", chain, MaxChainLen)
	}
}

// resolvePreemption applies the default delay and rejects never+delay.
func resolvePreemption(pre *v1alpha1.Preemption, out *problems) contract.Preemption {
	res := contract.Preemption{Delay: contract.DefaultPreemptDelay}
	if pre == nil {
		return res
	}
	if pre.Never {
		if pre.Delay != nil {
			out.errorf("spec.preemption.delay", "never and delay exclude each other: a node that never preempts has no delay")
		}
		return contract.Preemption{Never: true}
	}
	if pre.Delay != nil {
		res.Delay = pre.Delay.Duration
	}
	return res
}
