package fn

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
)

// krm runs the KRM function on a ResourceList and returns its output.
func krm(t *testing.T, in []byte) []byte {
	t.Helper()
	out, err := kfn.Run(kfn.ResourceListProcessorFunc(Process), in)
	if err != nil {
		t.Fatalf("function failed: %v\n%s", err, out)
	}
	return out
}

// TestRenderTwiceIsIdempotent feeds the output of the docs example back
// as input, as "kpt fn render" does once the output is part of the
// package: the second output must equal the first, byte for byte.
func TestRenderTwiceIsIdempotent(t *testing.T) {
	rl := &kfn.ResourceList{FunctionConfig: kfn.NewEmptyKubeObject()}
	for i, o := range exampleObjects(t, "docs-example") {
		_ = o.SetAnnotation(kioutil.PathAnnotation, "ipfailover.yaml")
		_ = o.SetAnnotation(kioutil.IndexAnnotation, string(rune('0'+i)))
		rl.Items = append(rl.Items, o)
	}
	in, err := rl.ToYAML()
	if err != nil {
		t.Fatal(err)
	}
	first := krm(t, in)
	second := krm(t, withoutResults(t, first))
	if diff := cmp.Diff(string(first), string(second)); diff != "" {
		t.Errorf("second render differs (-first +second):\n%s", diff)
	}
	third := krm(t, withoutResults(t, second))
	if diff := cmp.Diff(string(first), string(third)); diff != "" {
		t.Errorf("third render differs (-first +third):\n%s", diff)
	}
	rl2, err := kfn.ParseResourceList(first)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(rl2.Items); n != 6 {
		t.Errorf("got %d items, want 6 (IPFailover, ServiceAccount, 2 RoleBindings, ConfigMap, Deployment)", n)
	}
}

// withoutResults drops the results of a ResourceList: an orchestrator
// passes each function the items and its config, not earlier results.
func withoutResults(t *testing.T, out []byte) []byte {
	t.Helper()
	rl, err := kfn.ParseResourceList(out)
	if err != nil {
		t.Fatal(err)
	}
	rl.Results = nil
	in, err := rl.ToYAML()
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// TestRenderIsDeterministic renders every example twice from scratch.
func TestRenderIsDeterministic(t *testing.T) {
	for _, name := range exampleNames(t) {
		a := Render(exampleObjects(t, name), nil).Generated.String()
		b := Render(exampleObjects(t, name), nil).Generated.String()
		if a != b {
			t.Errorf("%s: two renders differ", name)
		}
	}
}
