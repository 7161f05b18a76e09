package fn

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// TestParseJSON checks parseJSON against encoding/json on values with
// every kind of token and the escapes encoding/json writes.
func TestParseJSON(t *testing.T) {
	for _, v := range []any{
		map[string]any{"b": []any{1, -2.5, 1e21, true, false, nil, "x"}, "a": map[string]any{}},
		"quote \" backslash \\ newline \n tab \t del \x7f nul \x00 html <&> line-sep \u2028 é 😀",
		[]any{},
		0,
	} {
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		n, err := parseJSON(data)
		if err != nil {
			t.Fatalf("parseJSON(%s): %v", data, err)
		}
		var back any
		if err := yaml.NewRNode(n).YNode().Decode(&back); err != nil {
			t.Fatal(err)
		}
		var want any
		_ = json.Unmarshal(data, &want)
		gotJSON, _ := json.Marshal(back)
		wantJSON, _ := json.Marshal(want)
		if diff := cmp.Diff(string(wantJSON), string(gotJSON)); diff != "" {
			t.Errorf("round trip of %s (-want +got):\n%s", data, diff)
		}
	}
	for _, bad := range []string{"", "{", `{"a" 1}`, `[1 2]`, `"abc`, "1 2", "?"} {
		if _, err := parseJSON([]byte(bad)); err == nil {
			t.Errorf("parseJSON(%q) succeeded", bad)
		}
	}
}
