package schema

import (
	"fmt"
	"reflect"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/failoverkit/ipfailover/api/v1alpha1"
)

// CRDFile is the checked-in CRD that make crd writes, relative to the
// repository root.
const CRDFile = "deploy/crd/ipfailover.failoverkit.io_ipfailovers.yaml"

// Header starts the generated CRD file.
const Header = "# Generated from the Go types of api/v1alpha1 by hack/gen-crd (make crd). Do not edit.\n"

// crd is a CustomResourceDefinition (apiextensions.k8s.io/v1), reduced to
// the fields the generator writes.
type crd struct {
	APIVersion string      `json:"apiVersion"`
	Kind       string      `json:"kind"`
	Metadata   crdMetadata `json:"metadata"`
	Spec       crdSpec     `json:"spec"`
}

type crdMetadata struct {
	Name   string            `json:"name"`
	Labels map[string]string `json:"labels,omitempty"`
}

type crdSpec struct {
	Group    string       `json:"group"`
	Names    crdNames     `json:"names"`
	Scope    string       `json:"scope"`
	Versions []crdVersion `json:"versions"`
}

type crdNames struct {
	Kind       string   `json:"kind"`
	ListKind   string   `json:"listKind"`
	Plural     string   `json:"plural"`
	Singular   string   `json:"singular"`
	ShortNames []string `json:"shortNames,omitempty"`
}

type crdVersion struct {
	Name    string    `json:"name"`
	Served  bool      `json:"served"`
	Storage bool      `json:"storage"`
	Schema  crdSchema `json:"schema"`
}

type crdSchema struct {
	OpenAPIV3Schema Props `json:"openAPIV3Schema"`
}

// OpenAPISchema returns the schema of the IPFailover object, reading the
// doc comments from the API package's source in apiDir.
func OpenAPISchema(apiDir string) (Props, error) {
	docs, err := ParseDocs(apiDir)
	if err != nil {
		return Props{}, err
	}
	t := reflect.TypeFor[v1alpha1.IPFailover]()
	g := &generator{docs: docs, pkgPath: t.PkgPath()}
	p, err := g.object(t)
	if err != nil {
		return Props{}, err
	}
	p.Description = docs[t.Name()].Text
	return p, nil
}

// CRD returns the CustomResourceDefinition of IPFailover as YAML, headed by
// Header, reading the doc comments from the API package's source in
// apiDir.
func CRD(apiDir string) ([]byte, error) {
	docs, err := ParseDocs(apiDir)
	if err != nil {
		return nil, err
	}
	if g, _ := docs[""].Marker("+groupName"); g != v1alpha1.Group {
		return nil, fmt.Errorf("the package's +groupName marker says %q, the Group constant %q", g, v1alpha1.Group)
	}
	res, err := resourceMarker(docs[v1alpha1.Kind])
	if err != nil {
		return nil, err
	}
	schema, err := OpenAPISchema(apiDir)
	if err != nil {
		return nil, err
	}
	plural := strings.ToLower(v1alpha1.Kind) + "s"
	c := crd{
		APIVersion: "apiextensions.k8s.io/v1",
		Kind:       "CustomResourceDefinition",
		Metadata: crdMetadata{
			Name:   plural + "." + v1alpha1.Group,
			Labels: map[string]string{"app.kubernetes.io/name": "ipfailover"},
		},
		Spec: crdSpec{
			Group: v1alpha1.Group,
			Names: crdNames{
				Kind:       v1alpha1.Kind,
				ListKind:   v1alpha1.Kind + "List",
				Plural:     plural,
				Singular:   strings.ToLower(v1alpha1.Kind),
				ShortNames: res.shortNames,
			},
			Scope: res.scope,
			Versions: []crdVersion{{
				Name:    v1alpha1.Version,
				Served:  true,
				Storage: true,
				Schema:  crdSchema{OpenAPIV3Schema: schema},
			}},
		},
	}
	out, err := yaml.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("writing the CRD: %w", err)
	}
	return append([]byte(Header), out...), nil
}

// resourceInfo holds what the +kubebuilder:resource marker says.
type resourceInfo struct {
	scope      string
	shortNames []string
}

// resourceMarker reads "+kubebuilder:resource:scope=Namespaced,shortName=x;y".
func resourceMarker(d Doc) (resourceInfo, error) {
	r := resourceInfo{scope: "Namespaced"}
	for _, m := range d.Markers {
		rest, ok := strings.CutPrefix(m, "+kubebuilder:resource:")
		if !ok {
			continue
		}
		for _, kv := range strings.Split(rest, ",") {
			k, v, _ := strings.Cut(kv, "=")
			switch k {
			case "scope":
				r.scope = v
			case "shortName":
				r.shortNames = strings.Split(v, ";")
			default:
				return r, fmt.Errorf("marker %s: %s is not supported by the schema generator", m, k)
			}
		}
	}
	return r, nil
}
