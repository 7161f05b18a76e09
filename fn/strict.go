package fn

import (
	"encoding/json"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/failoverkit/ipfailover/api/v1alpha1/schema"
	suggestpkg "github.com/failoverkit/ipfailover/internal/suggest"
)

// quantitySchema is the CRD's pattern for a quantity string, stricter
// than resource.ParseQuantity (which takes "e0").
var quantitySchema = regexp.MustCompile(schema.QuantityPattern)

var (
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	durationType    = reflect.TypeFor[metav1.Duration]()
	quantityType    = reflect.TypeFor[resource.Quantity]()
)

// checkFields walks a YAML value against the Go type it will be decoded
// into and reports every mapping key that has no json field of that name
// (exactly: encoding/json would also accept other cases), and every
// duration or quantity that does not parse, and every null list entry,
// each with its field path. It
// removes what it reports from the tree, so that the rest still decodes
// and can be checked. Other type mismatches are left to the JSON decoder,
// which reports them with a path too. It returns false when n itself is
// to be removed.
func checkFields(n *yaml.Node, t reflect.Type, path string, out *problems) bool {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == durationType:
		return checkDuration(n, path, out)
	case t == quantityType:
		if n.Kind == yaml.ScalarNode {
			if _, err := resource.ParseQuantity(n.Value); err != nil {
				out.errorf(path, "%q is not a quantity such as 100m or 64Mi", n.Value)
				return false
			}
			if n.ShortTag() == yaml.NodeTagString && !quantitySchema.MatchString(n.Value) {
				out.errorf(path, "%q is not a quantity the IPFailover schema takes: write digits, then a suffix such as m, Mi or e3 (100m, 64Mi, 1e3)", n.Value)
				return false
			}
			if fractionalNumber(n) {
				// The CRD's schema, like any for a quantity, takes a
				// whole number or a string (x-kubernetes-int-or-string).
				out.errorf(path, "%s is a number with a fraction, which the IPFailover schema refuses: write it as a string, %q", n.Value, n.Value)
				return false
			}
		}
		return true
	case reflect.PointerTo(t).Implements(unmarshalerType):
		return true // decodes itself (metav1.Time, …)
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return true
		}
		fields := jsonFields(t)
		kept := n.Content[:0]
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, val := n.Content[i].Value, n.Content[i+1]
			ft, known := fields[key]
			switch {
			case !known:
				out.errorf(join(path, key), "unknown field %q%s", key, suggest(key, fields))
			case isNullNode(val) && path != "metadata" && !strings.HasPrefix(path, "metadata."):
				// Go reads null as unset; the CRD's schema refuses it
				// (metadata is the API server's own: null is unset there).
				out.errorf(join(path, key), "is empty (null): remove the field, or give it a value")
			case checkFields(val, ft, join(path, key), out):
				kept = append(kept, n.Content[i], val)
			}
		}
		n.Content = kept
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return true
		}
		kept := n.Content[:0]
		for i := 0; i+1 < len(n.Content); i += 2 {
			if isNullNode(n.Content[i+1]) {
				out.errorf(mapKey(path, n.Content[i].Value), "is empty (null): remove the entry, or give it a value")
				continue
			}
			if checkFields(n.Content[i+1], t.Elem(), mapKey(path, n.Content[i].Value), out) {
				kept = append(kept, n.Content[i], n.Content[i+1])
			}
		}
		n.Content = kept
	case reflect.Slice, reflect.Array:
		if n.Kind != yaml.SequenceNode {
			return true
		}
		for i, e := range n.Content {
			if isNullNode(e) {
				out.errorf(index(path, i), "is empty (null): remove the entry, or give it a value")
				continue
			}
			if !checkFields(e, t.Elem(), index(path, i), out) {
				e.Kind, e.Tag, e.Value, e.Content = yaml.ScalarNode, "!!null", "null", nil
			}
		}
	}
	return true
}

// isNullNode reports whether n is a null (null, ~, or nothing).
func isNullNode(n *yaml.Node) bool {
	d := deAlias(n)
	return d.Kind == yaml.ScalarNode && d.ShortTag() == yaml.NodeTagNull
}

// fractionalNumber reports whether n is a YAML number that is not whole
// (0.5, 1.5e-3): JSON carries it as such, and an integer-or-string schema
// refuses it.
func fractionalNumber(n *yaml.Node) bool {
	if n.ShortTag() != yaml.NodeTagFloat {
		return false
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
	return err == nil && f != math.Trunc(f)
}

func checkDuration(n *yaml.Node, path string, out *problems) bool {
	if n.Kind != yaml.ScalarNode {
		return true
	}
	if n.Tag == "!!int" || n.Tag == "!!float" {
		out.errorf(path, "%s has no unit: write a duration such as %ss", n.Value, n.Value)
		return false
	}
	if _, err := time.ParseDuration(n.Value); err != nil {
		out.errorf(path, "%q is not a duration such as 2s or 500ms", n.Value)
		return false
	}
	return true
}

// jsonFields maps the json names of t's fields (inline and anonymous
// embedded structs flattened) to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	fields := make(map[string]reflect.Type)
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if (f.Anonymous && name == "") || strings.Contains(opts, "inline") {
			if ft.Kind() == reflect.Struct {
				for k, v := range jsonFields(ft) {
					fields[k] = v
				}
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		fields[name] = f.Type
	}
	return fields
}

// suggest names the known field a mistyped key most likely meant, the
// closest by edit distance (internal/suggest).
func suggest(key string, fields map[string]reflect.Type) string {
	if name, ok := suggestpkg.Closest(key, sortedKeys(fields)); ok {
		return " (did you mean " + `"` + name + `"?)`
	}
	return ""
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
