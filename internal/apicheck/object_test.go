package apicheck

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestReadYAMLReadsAsKubectl: documents split on "---" lines only, YAML
// 1.1 words read as booleans (keys too), non-objects skipped.
func TestReadYAMLReadsAsKubectl(t *testing.T) {
	in := strings.Join([]string{
		"# a comment only",
		"---",
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  x: NO\n  y: \"NO\"\n  z: |-\n    ---\n    text",
		"--- # a comment",
		"just a scalar",
		"---",
		"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: on-call",
		"",
	}, "\n")
	objs, err := ReadYAML([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range objs {
		b, _ := json.Marshal(o)
		got = append(got, string(b))
	}
	want := []string{
		`{"apiVersion":"v1","data":{"true":"NO","x":false,"z":"---\ntext"},"kind":"ConfigMap","metadata":{"name":"a"}}`, // the key y is true too
		`{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"on-call"}}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if s := objs[1].String(); s != "Namespace on-call" {
		t.Errorf("String() = %q", s)
	}
}

func TestReadYAMLNamesTheDocument(t *testing.T) {
	_, err := ReadYAML([]byte("kind: A\n---\nkind: [\n"))
	if err == nil || !strings.HasPrefix(err.Error(), "document 2: kubectl could not read it: ") {
		t.Errorf("got %v", err)
	}
}
