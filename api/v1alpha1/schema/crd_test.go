package schema

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"
)

// crdFile is the checked-in CRD, relative to this package.
const crdFile = "../../../" + CRDFile

// TestCRDUpToDate fails when the checked-in CRD is not what the types
// generate.
func TestCRDUpToDate(t *testing.T) {
	got, err := CRD("..")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(crdFile)
	if err != nil {
		t.Fatalf("%v (generate it with: make crd)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s does not match the types of api/v1alpha1; run make crd (go run ./hack/gen-crd -o %s). Diff (-file +generated):\n%s",
			filepath.Base(crdFile), strings.TrimPrefix(crdFile, "../../../"), diff)
	}
}

// TestCRDShape checks the CRD's identity, as kubectl and Argo CD see it.
func TestCRDShape(t *testing.T) {
	data, err := os.ReadFile(crdFile)
	if err != nil {
		t.Fatal(err)
	}
	var c crd
	if err := yaml.UnmarshalStrict(data, &c); err != nil {
		t.Fatalf("the CRD has fields the generator does not know: %v", err)
	}
	if c.Metadata.Name != "ipfailovers.ipfailover.failoverkit.io" || c.Spec.Group != "ipfailover.failoverkit.io" ||
		c.Spec.Names.Kind != "IPFailover" || c.Spec.Scope != "Namespaced" || len(c.Spec.Versions) != 1 ||
		c.Spec.Versions[0].Name != "v1alpha1" || !c.Spec.Versions[0].Storage {
		t.Errorf("unexpected identity: %+v", c)
	}
	if got := c.Spec.Names.ShortNames; len(got) != 1 || got[0] != "ipf" {
		t.Errorf("short names %v, want [ipf] (from the +kubebuilder:resource marker)", got)
	}
}

// TestSchemaIsStructural checks the rules the API server applies to a
// CRD schema (structural schemas): every node has a type, except
// int-or-string nodes; properties only on objects, items on every array.
// It also wants a description on every field of the API's own types, so
// that kubectl explain has something to say.
func TestSchemaIsStructural(t *testing.T) {
	s, err := OpenAPISchema("..")
	if err != nil {
		t.Fatal(err)
	}
	var walk func(path string, p Props, own bool)
	walk = func(path string, p Props, own bool) {
		switch {
		case p.IntOrString:
			if p.Type != "" || len(p.AnyOf) != 2 {
				t.Errorf("%s: an int-or-string node has type %q and %d anyOf", path, p.Type, len(p.AnyOf))
			}
		case p.Type == "":
			t.Errorf("%s: no type", path)
		case p.Type == "array" && p.Items == nil:
			t.Errorf("%s: an array without items", path)
		case p.Type != "object" && (p.Properties != nil || p.AdditionalProperties != nil):
			t.Errorf("%s: properties on a %s", path, p.Type)
		}
		if own && p.Description == "" && path != ".metadata" {
			t.Errorf("%s: no description (a doc comment is missing)", path)
		}
		for _, r := range p.Required {
			if _, ok := p.Properties[r]; !ok {
				t.Errorf("%s: required field %q is not a property", path, r)
			}
		}
		for name, sub := range p.Properties {
			// Fields of Kubernetes types (resources, tolerations) keep
			// their upstream docs, which a few lack.
			walk(path+"."+name, sub, own && !strings.HasPrefix(path, ".spec.resources") && !strings.HasPrefix(path, ".spec.tolerations") && !strings.HasPrefix(path, ".spec.imagePullSecrets"))
		}
		if p.Items != nil {
			walk(path+"[]", *p.Items, false)
		}
		if p.AdditionalProperties != nil {
			walk(path+"{}", *p.AdditionalProperties, false)
		}
	}
	walk("", s, true)
	// The API server rejects a CRD whose root properties.metadata holds
	// anything but type: object (and name/generateName constraints).
	if got, want := s.Properties["metadata"], (Props{Type: "object"}); !reflect.DeepEqual(got, want) {
		t.Errorf("properties.metadata is %+v; the API server allows only %+v there", got, want)
	}
	if got := s.Properties["spec"].Properties["virtualIPs"]; got.MinItems == nil || *got.MinItems != 1 {
		t.Errorf("spec.virtualIPs: minItems %v, want 1 (+kubebuilder:validation:MinItems=1)", got.MinItems)
	}
}
