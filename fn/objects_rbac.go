package fn

import (
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// meta is the metadata of a generated object of the set.
func (p *plan) meta(name, component string) metav1.ObjectMeta {
	return metav1.ObjectMeta{
		Name:        name,
		Namespace:   p.namespace,
		Labels:      objectLabels(p.name, component),
		Annotations: map[string]string{AnnotationOwner: p.owner()},
	}
}

// serviceAccount is the identity of the set's pods and Jobs.
func (p *plan) serviceAccount() *corev1.ServiceAccount {
	return &corev1.ServiceAccount{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "ServiceAccount"},
		ObjectMeta: p.meta(p.serviceAccountName, ""),
	}
}

// roleBindings grant the ServiceAccount the privileged and hostnetwork
// SCCs in the set's namespace: what "oc adm policy add-scc-to-user -z
// <sa> -n <namespace>" creates, one binding per set rather than a shared,
// appended-to one.
func (p *plan) roleBindings() []*rbacv1.RoleBinding {
	var out []*rbacv1.RoleBinding
	for _, rb := range []struct{ suffix, role string }{
		{"privileged", SCCPrivilegedRole},
		{"hostnetwork", SCCHostNetworkRole},
	} {
		out = append(out, &rbacv1.RoleBinding{
			TypeMeta:   metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "RoleBinding"},
			ObjectMeta: p.meta(rbName(p.name, rb.suffix), ""),
			RoleRef: rbacv1.RoleRef{
				APIGroup: rbacv1.GroupName,
				Kind:     "ClusterRole",
				Name:     rb.role,
			},
			Subjects: []rbacv1.Subject{{
				Kind:      rbacv1.ServiceAccountKind,
				Name:      p.serviceAccountName,
				Namespace: p.namespace,
			}},
		})
	}
	return out
}

// scriptsConfigMap holds the check and notify scripts, or is nil.
func (p *plan) scriptsConfigMap() *corev1.ConfigMap {
	if p.scripts == nil {
		return nil
	}
	return &corev1.ConfigMap{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: p.meta(scriptsName(p.name), ""),
		Data:       p.scripts,
	}
}
