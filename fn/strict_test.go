package fn

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	sigsyaml "sigs.k8s.io/yaml"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
)

// decodeStrict decodes a generated object into its k8s.io/api type,
// rejecting unknown fields.
func decodeStrict(t *testing.T, obj *kfn.KubeObject) {
	t.Helper()
	var typed any
	switch obj.GetKind() {
	case "ServiceAccount":
		typed = &corev1.ServiceAccount{}
	case "ConfigMap":
		typed = &corev1.ConfigMap{}
	case "RoleBinding":
		typed = &rbacv1.RoleBinding{}
	case "Deployment":
		typed = &appsv1.Deployment{}
	case "Job":
		typed = &batchv1.Job{}
	default:
		t.Fatalf("unexpected generated kind %s", obj.GetKind())
	}
	text := obj.String()
	if err := sigsyaml.UnmarshalStrict([]byte(text), typed); err != nil {
		t.Errorf("%s %s does not decode strictly: %v\n%s", obj.GetKind(), obj.GetName(), err, text)
	}
	for _, noise := range []string{"creationTimestamp", "status:", ": {}", ": []", ": null"} {
		if strings.Contains(text, noise) {
			t.Errorf("%s %s carries %q:\n%s", obj.GetKind(), obj.GetName(), noise, text)
		}
	}
}

// TestGeneratedObjectsDecodeStrictly renders every example and decodes
// every generated object strictly into its Kubernetes type.
func TestGeneratedObjectsDecodeStrictly(t *testing.T) {
	kinds := map[string]bool{}
	for _, name := range exampleNames(t) {
		t.Run(name, func(t *testing.T) {
			out := Render(exampleObjects(t, name), nil)
			if out.Failed() {
				t.Fatalf("render failed: %v", findings(out.Results))
			}
			if len(out.Generated) == 0 {
				t.Fatal("nothing generated")
			}
			for _, obj := range out.Generated {
				kinds[obj.GetKind()] = true
				decodeStrict(t, obj)
			}
		})
	}
	for _, k := range []string{"ServiceAccount", "RoleBinding", "ConfigMap", "Deployment", "Job"} {
		if !kinds[k] {
			t.Errorf("no example generates a %s: the strict decode test does not cover it", k)
		}
	}
}
