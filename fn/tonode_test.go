package fn

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// TestDirectTreeAsJSON holds directTree to the tree of the JSON encoding
// (jsonTree) for every object the renderer builds from the golden inputs
// and the examples, and for their IPFailovers: same keys in the same
// order, same tags and values.
func TestDirectTreeAsJSON(t *testing.T) {
	var ipfs []*kfn.KubeObject
	for _, pattern := range []string{"../testdata/golden/*/input.yaml", "../testdata/golden/*/fnconfig.yaml", "../examples/*/*.yaml", "testdata/*/*.yaml"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			objs, err := kfn.ParseKubeObjects(data)
			if err != nil {
				continue
			}
			for _, o := range objs {
				if IsIPFailover(o) {
					ipfs = append(ipfs, o)
				}
			}
		}
	}
	var typed []any
	for _, o := range ipfs {
		ipf, probs := decode(o)
		if ipf == nil || probs.hasErrors() {
			continue
		}
		typed = append(typed, ipf)
		p, probs := newPlan(ipf)
		if probs.hasErrors() {
			continue
		}
		typed = append(typed, p.setObjects()...)
		typed = append(typed, p.cleanupJob("node-x"), p.deployment())
	}
	if len(typed) < 50 {
		t.Fatalf("only %d objects", len(typed))
	}
	direct := 0
	for _, v := range typed {
		want, err := jsonTree(v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := directTree(reflect.ValueOf(v))
		if errors.Is(err, errIndirect) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		direct++
		if d := treeDiff(got, want, ""); d != "" {
			t.Errorf("%T: %s", v, d)
		}
	}
	t.Logf("%d of %d built directly", direct, len(typed))
	if direct < len(typed)*9/10 {
		t.Errorf("only %d of %d objects built directly", direct, len(typed))
	}
}

func treeDiff(a, b *yaml.Node, at string) string {
	switch {
	case a.Kind != b.Kind || a.Tag != b.Tag || a.Value != b.Value || a.Style != b.Style:
		return at + ": " + a.Tag + " " + a.Value + " against " + b.Tag + " " + b.Value
	case len(a.Content) != len(b.Content):
		return at + ": different lengths"
	}
	for i := range a.Content {
		sub := at + "/" + a.Content[i].Value
		if d := treeDiff(a.Content[i], b.Content[i], sub); d != "" {
			return d
		}
	}
	return ""
}
