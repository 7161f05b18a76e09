package fn

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// emitCorpus is every object of the golden files, the examples and the
// test inputs.
func emitCorpus(t *testing.T) kfn.KubeObjects {
	t.Helper()
	var objs kfn.KubeObjects
	for _, pattern := range []string{"../testdata/golden/*/*.yaml", "testdata/*/*.yaml", "testdata/*.yaml", "../examples/*/*.yaml"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			in, err := kfn.ParseKubeObjects(data)
			if err != nil {
				continue // not objects (a ResourceList, an error case)
			}
			for _, o := range in {
				if !o.IsEmpty() {
					objs = append(objs, o)
				}
			}
		}
	}
	if len(objs) < 50 {
		t.Fatalf("only %d objects in the corpus", len(objs))
	}
	return objs
}

// scalarCorpus are strings that the encoder writes in every style.
var scalarCorpus = []string{
	"a", "node-0001", "198.51.100.1-254", "preempt_delay 300", "system:openshift:scc:privileged", "0", "80", "-1", "1.5", ".5",
	"1e3", "0x1F", "0o17", "1_000", "true", "True", "false", "null", "Null", "~", "yes", "no", "on", "off", "y", "n", "NO",
	"<<", "=", "-", "--", "---", "...", "-a", "- a", "a:", "a: b", "a:b", ":a", ": a", "?a", "? a", "a #b", "a#b", "#a",
	" a", "a ", "a  b", "'a'", "\"a\"", "a'b", "a\"b", "a\\b", "%a", "@a", "`a", "&a", "*a", "!a", "|a", ">a", "[a]", "{a}",
	",a", "a,b", "a[b", "2001-12-14", "2001-12-14 21:59:43.10 -5", "1:20", "12:30:45", "+1", "+.inf", "-.inf", ".nan", ".inf",
	"0.0.0.0/0", "2001:db8::1", "/run/xtables.lock", "v1", "1985x", "$HOME", "a=b", "a~b", "a%b", "x@y",
	"a\tb", "a\nb", "é", strings.Repeat("k", 129), "",
	"a\nb\n", "a\n\nb\n", "#!/bin/sh\nexit 0\n", " a\nb\n", "\na\n", "a \nb\n", "a\n\n", "a\tb\nc\n", "\n", "a\n  b\n", "a\nb ",
}

// TestAppendYAMLMatchesEncoder holds the direct writer to the encoder:
// every object of the corpus, and objects holding every scalar of
// scalarCorpus as a key, a value and a list entry, in every style, come out
// byte for byte as obj.String() writes them (after QuoteForYAML11 and the
// dropped annotations, when asked).
func TestAppendYAMLMatchesEncoder(t *testing.T) {
	objs := emitCorpus(t)
	for _, s := range scalarCorpus {
		for _, style := range []string{"plain", "single", "double", "tag-str", "tag-none", "tag-int"} {
			o := kfn.NewEmptyKubeObject()
			_ = o.SetAPIVersion("v1")
			_ = o.SetKind("ConfigMap")
			_ = o.SetName("cm")
			_ = o.SetAnnotation("internal.config.kubernetes.io/path", "p.yaml")
			key := s
			if strings.Contains(s, "\n") {
				key = "k" // keys take no line breaks: test the value alone
			}
			_ = o.SetAnnotation(key, s)
			_ = o.SetNestedStringMap(map[string]string{key: s}, "data")
			if key == s {
				_ = o.SetNestedStringSlice([]string{s, "x"}, "list")
			}
			n := objNode(o)
			walkScalars(n, func(sc *yamlNode) {
				if sc.Value != s {
					return
				}
				switch style {
				case "single":
					sc.Style = singleQuoted
				case "double":
					sc.Style = doubleQuoted
				case "tag-str":
					sc.Tag = "!!str"
				case "tag-none":
					sc.Tag = ""
				case "tag-int":
					sc.Tag = "!!int"
				}
			})
			objs = append(objs, o)
		}
	}
	drop := func(k string) bool { return strings.HasPrefix(k, "internal.config.kubernetes.io/") }
	direct := 0
	modes := []struct {
		quote bool
		drop  func(string) bool
	}{{false, nil}, {true, nil}, {true, drop}}
	// One writer per mode for all objects, as a stream uses it.
	writers := []*YAMLWriter{NewYAMLWriter(false, nil), NewYAMLWriter(true, nil), NewYAMLWriter(true, drop)}
	for i, o := range objs {
		for m, mode := range modes {
			want := o.Copy()
			if mode.quote {
				QuoteForYAML11(kfn.KubeObjects{want})
			}
			if mode.drop != nil {
				for k := range want.GetAnnotations() {
					if mode.drop(k) {
						_ = want.RemoveAnnotation(k)
					}
				}
				_ = want.RemoveAnnotationsIfEmpty()
			}
			before := o.String()
			got, ok := appendObject(nil, objNode(o), 0, false, emitOptions{quote11: mode.quote, dropAnnotation: mode.drop})
			if o.String() != before {
				t.Fatalf("object %d: the writer changed the object", i)
			}
			if !ok {
				continue
			}
			direct++
			if string(got) != want.String() {
				t.Errorf("object %d (quote %v, drop %v): direct writer\n%s\nencoder\n%s", i, mode.quote, mode.drop != nil, got, want.String())
			}
			if all := string(AppendYAML(nil, o, mode.quote, mode.drop)); all != want.String() {
				t.Errorf("object %d: AppendYAML differs from the encoder", i)
			}
			if all := string(writers[m].Append(nil, o)); all != want.String() {
				t.Errorf("object %d: YAMLWriter.Append differs from the encoder", i)
			}
		}
	}
	t.Logf("%d of %d writes direct", direct, 3*len(objs))
	if direct < len(objs)/2 {
		t.Errorf("only %d of %d writes were direct: the writer declines too much to be of use", direct, 3*len(objs))
	}
}

type yamlNode = yaml.Node

var (
	singleQuoted = yaml.SingleQuotedStyle
	doubleQuoted = yaml.DoubleQuotedStyle
)

func walkScalars(n *yaml.Node, f func(*yaml.Node)) {
	if n.Kind == yaml.ScalarNode {
		f(n)
	}
	for _, c := range n.Content {
		walkScalars(c, f)
	}
}

// TestAppendYAMLDirectForRemoval checks that the objects of a removal —
// thousands of cleanup Jobs at scale — are written directly, not through
// the encoder.
func TestAppendYAMLDirectForRemoval(t *testing.T) {
	for _, target := range []string{"Agent", "Keepalived"} {
		spec := "remove: true\ntarget: " + target + "\nvirtualIPs:\n- 192.0.2.10-12\nnodes:\n- node-a\n- \"1.5\"\n"
		if target == "Agent" {
			spec += "image: registry.example/agent:v1\n"
		}
		out := Render(parse(t, ipfailover("set", "ns", spec)), nil)
		if out.Failed() || len(out.Generated) == 0 {
			t.Fatalf("%s: %v", target, out.Results)
		}
		for _, o := range out.Generated {
			if _, ok := appendObject(nil, objNode(o), 0, false, emitOptions{quote11: true}); !ok {
				t.Errorf("%s: %s %s goes through the encoder", target, o.GetKind(), o.GetName())
			}
		}
	}
}
