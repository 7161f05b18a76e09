package fn

import (
	"testing"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// TestResourceListDirectAsEncoded checks the ResourceList written with
// its items directly against the one written through the encoder, for a
// removal (written directly) and the docs example (scripts: the encoder).
func TestResourceListDirectAsEncoded(t *testing.T) {
	removal := parse(t, ipfailover("set", "ns", "remove: true\nvirtualIPs:\n- 192.0.2.10-12\nnodes:\n- node-a\n- \"1.5\"\nimage: registry.example/agent:v1\n"))
	for name, items := range map[string]kfn.KubeObjects{"removal": removal, "docs-example": exampleObjects(t, "docs-example"), "empty": nil} {
		rl := &kfn.ResourceList{Items: items, FunctionConfig: kfn.NewEmptyKubeObject()}
		if _, err := Process(rl); err != nil {
			t.Fatal(err)
		}
		head := *rl
		head.Items = nil
		data, err := head.ToYAML()
		if err != nil {
			t.Fatal(err)
		}
		doc := func() *yaml.RNode {
			d, err := yaml.Parse(string(data))
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		want, err := encodeResourceList(doc(), rl.Items)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := appendResourceList(doc().YNode(), rl.Items)
		if name != "docs-example" && !ok {
			t.Errorf("%s: not written directly", name)
		}
		if ok && string(got) != string(want) {
			t.Errorf("%s: written directly\n%s\nthrough the encoder\n%s", name, got, want)
		}
		if all, err := ResourceListYAML(rl); err != nil || string(all) != string(want) {
			t.Errorf("%s: ResourceListYAML differs from the encoder (%v)", name, err)
		}
	}
}
