package schema

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// validate checks a decoded JSON value against a schema the way the API
// server's validation and strict field validation (kubectl apply's
// default) would, for the keywords the generator writes, and returns the
// problems as "path: reason".
func validate(path string, p Props, v any) []string {
	var errs []string
	add := func(format string, args ...any) { errs = append(errs, path+": "+fmt.Sprintf(format, args...)) }
	if p.IntOrString {
		switch v.(type) {
		case float64, string:
		default:
			add("want an integer or a string, got %T", v)
		}
		return errs
	}
	switch p.Type {
	case "string":
		if _, ok := v.(string); !ok {
			add("want a string, got %T", v)
			return errs
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			add("want a boolean, got %T", v)
		}
		return errs
	case "integer":
		n, ok := v.(float64)
		if !ok || n != math.Trunc(n) {
			add("want an integer, got %v", v)
			return errs
		}
		if p.Minimum != nil && n < *p.Minimum {
			add("%v is below the minimum %v", n, *p.Minimum)
		}
		if p.Maximum != nil && n > *p.Maximum {
			add("%v is above the maximum %v", n, *p.Maximum)
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			add("want an array, got %T", v)
			return errs
		}
		if p.MinItems != nil && int64(len(a)) < *p.MinItems {
			add("%d items, want at least %d", len(a), *p.MinItems)
		}
		for i, e := range a {
			errs = append(errs, validate(fmt.Sprintf("%s[%d]", path, i), *p.Items, e)...)
		}
		return errs
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			add("want an object, got %T", v)
			return errs
		}
		for _, r := range p.Required {
			if _, ok := m[r]; !ok {
				add("required field %s is missing", r)
			}
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			sub, known := p.Properties[k]
			switch {
			case known:
				errs = append(errs, validate(path+"."+k, sub, m[k])...)
			case p.AdditionalProperties != nil:
				errs = append(errs, validate(path+"."+k, *p.AdditionalProperties, m[k])...)
			case p.Properties != nil:
				add("unknown field %q", k)
			}
		}
		return errs
	}
	if len(p.Enum) > 0 {
		raw, _ := json.Marshal(v)
		if !slices.ContainsFunc(p.Enum, func(e json.RawMessage) bool { return string(e) == string(raw) }) {
			add("%s is not one of the allowed values", raw)
		}
	}
	return errs
}

// TestExamplesMatchTheSchema validates every IPFailover of examples/
// against the generated schema: the CRD must accept what the renderer
// accepts.
func TestExamplesMatchTheSchema(t *testing.T) {
	s, err := OpenAPISchema("..")
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("../../../examples/*/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples (%v)", err)
	}
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, doc := range strings.Split(string(data), "\n---\n") {
			var obj map[string]any
			if err := yaml.Unmarshal([]byte(doc), &obj); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if obj["kind"] != "IPFailover" {
				continue
			}
			n++
			for _, e := range validate("", s, obj) {
				t.Errorf("%s: %s", f, e)
			}
		}
	}
	if n < 8 {
		t.Errorf("validated %d IPFailovers; the examples hold more", n)
	}
}

// TestSchemaRejects checks that the schema catches what it can express,
// at the field's path.
func TestSchemaRejects(t *testing.T) {
	s, err := OpenAPISchema("..")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		spec string
		want string
	}{
		{"{}", ".spec: required field virtualIPs is missing"},
		{"virtualIPs: []", ".spec.virtualIPs: 0 items, want at least 1"},
		{"virtualIPs: [192.0.2.1]\ntarget: agent", `.spec.target: "agent" is not one of the allowed values`},
		{"virtualIPs: [192.0.2.1]\nvrrp: {version: 4}", ".spec.vrrp.version: 4 is not one of the allowed values"},
		{"virtualIPs: [192.0.2.1]\nvrrp: {idOffset: 255}", ".spec.vrrp.idOffset: 255 is above the maximum 254"},
		{"virtualIPs: [192.0.2.1]\nhealthPort: 0", ".spec.healthPort: 0 is below the minimum 1"},
		{"virtualIPs: [192.0.2.1]\nvirtualIps: [192.0.2.2]", `.spec: unknown field "virtualIps"`},
		{"virtualIPs: [192.0.2.1]\nreplicas: two", ".spec.replicas: want an integer, got two"},
		{"virtualIPs: [192.0.2.1]\nresources: {limits: {cpu: [1]}}", ".spec.resources.limits.cpu: want an integer or a string, got []interface {}"},
	}
	for _, tt := range tests {
		var spec any
		if err := yaml.Unmarshal([]byte(tt.spec), &spec); err != nil {
			t.Fatal(err)
		}
		obj := map[string]any{"apiVersion": "ipfailover.failoverkit.io/v1alpha1", "kind": "IPFailover", "spec": spec}
		if errs := validate("", s, obj); !slices.Contains(errs, tt.want) {
			t.Errorf("spec %q: got %q, want %q among them", tt.spec, errs, tt.want)
		}
	}
}
