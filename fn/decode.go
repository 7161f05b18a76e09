package fn

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/failoverkit/ipfailover/api/v1alpha1"
)

// IsIPFailover reports whether obj is an IPFailover of any version of our
// group.
func IsIPFailover(obj *kfn.KubeObject) bool {
	return obj.GroupVersionKind().Group == v1alpha1.Group && obj.GetKind() == v1alpha1.Kind
}

// decode reads an IPFailover strictly: unknown fields anywhere (reported
// all at once, each with its path), type mismatches, duplicate keys and an
// unknown apiVersion are errors. As long as the object decodes at all, it
// is returned with the problems, so that the spec checks can report their
// findings too.
func decode(obj *kfn.KubeObject) (*v1alpha1.IPFailover, problems) {
	var out problems
	if v := obj.GetAPIVersion(); v != v1alpha1.APIVersion {
		out.errorf("apiVersion", "%q is not served: use %s", v, v1alpha1.APIVersion)
		return nil, out
	}
	root := copyTree(obj.CopyToResourceNode().YNode(), map[*yaml.Node]*yaml.Node{})
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if !resolveMerges(root, "", &out) {
		return nil, out
	}
	checkFields(root, reflect.TypeFor[v1alpha1.IPFailover](), "", &out)

	// Decode what is left, directly when it can be; otherwise through
	// encoding/json: on a type mismatch, report it, drop the field and
	// decode again, so that every mismatch is reported.
	var ipf v1alpha1.IPFailover
	budget := maxYAMLNodes
	if directDecode(root, reflect.ValueOf(&ipf).Elem(), &budget) == nil {
		return &ipf, out
	}
	for range maxTypeErrors {
		data, err := nodeJSON(root)
		if err != nil {
			out.errorf("", "cannot read the object: %v", err)
			return nil, out
		}
		var ipf v1alpha1.IPFailover
		err = json.Unmarshal(data, &ipf)
		if err == nil {
			return &ipf, out
		}
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) || te.Field == "" {
			out.errorf("", "cannot decode: %v", err)
			return nil, out
		}
		if !out.has(te.Field) {
			out.errorf(te.Field, "is %s, want %s", jsonKind(te.Value), kindName(te.Type))
		}
		if !removePath(root, strings.Split(te.Field, ".")) {
			return nil, out
		}
	}
	return nil, out
}

// copyTree deep-copies a YAML tree, aliases pointing into the copy, so
// that resolving merge keys leaves the input object alone.
func copyTree(n *yaml.Node, seen map[*yaml.Node]*yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	if c, ok := seen[n]; ok {
		return c
	}
	c := *n
	seen[n] = &c
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, e := range n.Content {
		c.Content[i] = copyTree(e, seen)
	}
	c.Alias = copyTree(n.Alias, seen)
	return &c
}

// jsonKind names the kind of JSON value an UnmarshalTypeError found, with
// its article: "a string", "an array", "a number (1.5)".
func jsonKind(v string) string {
	switch {
	case v == "array", v == "object":
		return "an " + v
	case v == "bool":
		return "true or false"
	case strings.HasPrefix(v, "number "):
		return "the number " + strings.TrimPrefix(v, "number ")
	}
	return "a " + v
}

// maxTypeErrors bounds the decode-and-drop loop of decode.
const maxTypeErrors = 50

// removePath deletes the mapping entry at path; false if there is none.
func removePath(n *yaml.Node, path []string) bool {
	for i := 0; n.Kind == yaml.MappingNode && i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value != path[0] {
			continue
		}
		if len(path) == 1 {
			n.Content = append(n.Content[:i], n.Content[i+2:]...)
			return true
		}
		return removePath(n.Content[i+1], path[1:])
	}
	return false
}

// unreported are the problems of later that are not about a field of p
// or a field under it: a field that decoding dropped (as the wrong type,
// say) is not reported again for the zero value left in its place.
func (p problems) unreported(later problems) problems {
	var out problems
	for _, x := range later {
		covered := false
		for _, e := range p {
			covered = covered || e.Field != "" && (x.Field == e.Field || strings.HasPrefix(x.Field, e.Field+".") || strings.HasPrefix(x.Field, e.Field+"["))
		}
		if !covered {
			out = append(out, x)
		}
	}
	return out
}

// has reports whether a problem was already reported at field.
func (p problems) has(field string) bool {
	for _, x := range p {
		if x.Field == field {
			return true
		}
	}
	return false
}

func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	}
	return t.String()
}
