package integration_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// functionMetadata is the catalog's function descriptor (metadata.yaml).
type functionMetadata struct {
	Image              string   `json:"image"`
	Description        string   `json:"description"`
	Tags               []string `json:"tags"`
	SourceURL          string   `json:"sourceURL"`
	ExamplePackageURLs []string `json:"examplePackageURLs"`
	Emails             []string `json:"emails,omitempty"`
	License            string   `json:"license,omitempty"`
	Hidden             bool     `json:"hidden,omitempty"`
}

// TestFunctionMetadata checks metadata.yaml: only the catalog's fields,
// the image the build publishes, and links into this repository that
// exist, the examples being kpt or kustomize or Argo CD directories.
func TestFunctionMetadata(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "metadata.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var m functionMetadata
	if err := yaml.UnmarshalStrict(data, &m); err != nil {
		t.Fatalf("metadata.yaml: %v", err)
	}
	if m.Image != "ghcr.io/failoverkit/ipfailover-render" {
		t.Errorf("image %q, want the function image's repository (hack/images.mk RENDER_IMAGE, without a tag)", m.Image)
	}
	if m.Description == "" || len(m.Tags) == 0 {
		t.Error("description or tags missing")
	}
	const tree = "https://github.com/failoverkit/ipfailover/tree/main/"
	for _, u := range append([]string{m.SourceURL}, m.ExamplePackageURLs...) {
		path, ok := strings.CutPrefix(u, tree)
		if !ok {
			t.Errorf("%s does not point into the repository (%s…)", u, tree)
			continue
		}
		if _, err := os.Stat(filepath.Join(repoRoot, path)); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
	if len(m.ExamplePackageURLs) == 0 {
		t.Error("no example packages")
	}
}
