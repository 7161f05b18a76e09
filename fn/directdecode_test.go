package fn

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/failoverkit/ipfailover/api/v1alpha1"
)

// checkedTree is the tree decode hands the decoder: merges resolved,
// unknown fields, nulls and bad durations removed.
func checkedTree(t *testing.T, obj *kfn.KubeObject) *yaml.Node {
	t.Helper()
	var out problems
	root := copyTree(obj.CopyToResourceNode().YNode(), map[*yaml.Node]*yaml.Node{})
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if !resolveMerges(root, "", &out) {
		return nil
	}
	checkFields(root, reflect.TypeFor[v1alpha1.IPFailover](), "", &out)
	return root
}

// directAsJSON decodes root both ways; when the direct way decodes, the
// result must equal encoding/json's, and encoding/json must not fail.
func directAsJSON(t *testing.T, name string, root *yaml.Node) (direct bool) {
	t.Helper()
	var got v1alpha1.IPFailover
	budget := maxYAMLNodes
	err := directDecode(root, reflect.ValueOf(&got).Elem(), &budget)
	data, jerr := nodeJSON(root)
	var want v1alpha1.IPFailover
	if jerr == nil {
		jerr = json.Unmarshal(data, &want)
	}
	if err != nil {
		return false
	}
	if jerr != nil {
		t.Errorf("%s: decoded directly, but encoding/json fails: %v", name, jerr)
	} else if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: direct decoding differs from encoding/json:\ndirect %+v\njson   %+v", name, got, want)
	}
	return true
}

// TestDirectDecodeAsJSON holds directDecode to encoding/json on every
// IPFailover of the examples and the golden inputs, and on edge cases;
// the examples must all take the direct way (the point of it).
func TestDirectDecodeAsJSON(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "examples", "*", "*.yaml"))
	golden, _ := filepath.Glob(filepath.Join("..", "testdata", "golden", "*", "*.yaml"))
	if len(files) == 0 || len(golden) == 0 {
		t.Fatal("no examples or golden inputs found")
	}
	decoded := 0
	for _, f := range append(files, golden...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		objs, err := kfn.ParseKubeObjects(data)
		if err != nil {
			continue
		}
		for _, o := range objs {
			if !IsIPFailover(o) || o.GetAPIVersion() != v1alpha1.APIVersion {
				continue
			}
			root := checkedTree(t, o)
			if root == nil {
				continue
			}
			direct := directAsJSON(t, f, root)
			if direct {
				decoded++
			}
			if !direct && strings.Contains(f, "examples") {
				t.Errorf("%s: %s is not decoded directly", f, o.GetName())
			}
		}
	}
	if decoded == 0 {
		t.Error("nothing was decoded directly")
	}

	for _, tc := range []struct {
		spec   string
		direct bool
	}{
		{"virtualIPs: []\n", true},
		{"virtualIPs: [192.0.2.10]\ngroups: 2\n", true},
		{"virtualIPs: [192.0.2.10]\ngroups: 2147483648\n", false}, // overflows int32
		{"virtualIPs: [192.0.2.10]\ngroups: 1.0\n", true},         // JSON 1, as encoding/json reads it too
		{"virtualIPs: [192.0.2.10]\ngroups: \"2\"\n", false},
		{"virtualIPs: 192.0.2.10\n", false},
		{"virtualIPs: [1, true]\n", false},
		{"virtualIPs: [\"a\\u00e9\\n\"]\n", true},
		{"virtualIPs: [192.0.2.10]\ninterface: 0x1F\n", false},
		{"virtualIPs: &v [192.0.2.10]\ninterface: eth1\n", true},
	} {
		objs := parse(t, ipfailover("a", "ns", tc.spec))
		root := checkedTree(t, objs[0])
		if got := directAsJSON(t, tc.spec, root); got != tc.direct {
			t.Errorf("%q: decoded directly %t, want %t", tc.spec, got, tc.direct)
		}
	}

	// A duplicate key (which the reader refuses before) is left to
	// encoding/json, which overwrites or merges.
	dup := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
		scalar("!!str", "kind"), scalar("!!str", "A"), scalar("!!str", "kind"), scalar("!!str", "B"),
	}}
	if directAsJSON(t, "duplicate key", dup) {
		t.Error("a mapping with a duplicate key was decoded directly")
	}
}
