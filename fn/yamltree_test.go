package fn

import (
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// TestNodeJSON checks the YAML 1.2 reading of scalars, merge keys and
// duplicate keys.
func TestNodeJSON(t *testing.T) {
	tests := []struct{ in, want, problem string }{
		{"a: NO\nb: yes\nc: on\nd: y\ne: off", `{"a":"NO","b":"yes","c":"on","d":"y","e":"off"}`, ""},
		{"a: true\nb: False\nc: ~\nd: null\ne:", `{"a":true,"b":false,"c":null,"d":null,"e":null}`, ""},
		{"a: 0x1F\nb: 0o17\nc: 1_000\nd: -7\ne: 1.5\nf: 1e3\ng: 0b101", `{"a":31,"b":15,"c":1000,"d":-7,"e":1.5,"f":1000,"g":5}`, ""},
		{"a: 2001-12-14\nb: !!binary aGk=\nc: !custom x", `{"a":"2001-12-14","b":"aGk=","c":"x"}`, ""},
		{"base: &b {x: 1, y: 2}\nm: {<<: *b, y: 3}", `{"base":{"x":1,"y":2},"m":{"y":3,"x":1}}`, ""},
		{"m: {<<: [{x: 1}, {x: 2, z: 3}]}", `{"m":{"x":1,"z":3}}`, ""},
		{"m: {\"<<\": 1}", `{"m":{"\u003c\u003c":1}}`, ""},
		{"a: 1\nb:\n  c: 1\n  c: 2", `{"a":1,"b":{"c":1}}`, "b.c: is set twice in one mapping (lines 3 and 4): keep one"},
		{"m: {<<: 5}", `{"m":{}}`, "m.<<: a merge key takes a mapping or a list of mappings (such as <<: *base)"},
	}
	for _, tt := range tests {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(tt.in), &doc); err != nil {
			t.Fatal(err)
		}
		var out problems
		root := doc.Content[0]
		resolveMerges(root, "", &out)
		got, err := nodeJSON(root)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if string(got) != tt.want {
			t.Errorf("%q: got %s, want %s", tt.in, got, tt.want)
		}
		var msgs []string
		for _, p := range out {
			msgs = append(msgs, p.Field+": "+p.Message)
		}
		if want := tt.problem; (want == "") != (len(msgs) == 0) || want != "" && msgs[0] != want {
			t.Errorf("%q: problems %q, want %q", tt.in, msgs, want)
		}
	}
}
