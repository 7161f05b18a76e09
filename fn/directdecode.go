package fn

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// directDecode sets v, a fresh zero value, as json.Unmarshal(nodeJSON(n))
// would, walking the YAML tree rather than going through JSON:
// encoding/json builds an encoder (and a decoder) for every type a type
// can reach, ObjectMeta's and the spec's corev1 types whole, which was 3%
// of a run of the binary on the docs example. It covers what a spec that
// decodes holds (structs with json tags, inlined embedded structs,
// pointers, strings, whole numbers, booleans, string-keyed maps, slices,
// types with UnmarshalJSON, which get the value's JSON) and returns
// errIndirect for anything else, and for every mismatch, null and
// duplicate key, for the caller to decode through encoding/json, which
// reports it. budget bounds the nodes visited, as nodeJSON's does.
// TestDirectDecodeAsJSON holds it to encoding/json.
func directDecode(n *yaml.Node, v reflect.Value, budget *int) error {
	if *budget--; *budget < 0 {
		return errIndirect
	}
	n = deAlias(n)
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) != 1 {
			return errIndirect
		}
		return directDecode(n.Content[0], v, budget)
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.ShortTag() == yaml.NodeTagNull {
			return errIndirect
		}
	case yaml.MappingNode, yaml.SequenceNode:
	default:
		return errIndirect // written as null
	}
	t := v.Type()
	if t.Kind() == reflect.Pointer {
		e := reflect.New(t.Elem())
		if err := directDecode(n, e.Elem(), budget); err != nil {
			return err
		}
		v.Set(e)
		return nil
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		var b strings.Builder
		if err := writeJSON(&b, n, budget); err != nil {
			return errIndirect
		}
		if err := v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON([]byte(b.String())); err != nil {
			return errIndirect
		}
		return nil
	}
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		return errIndirect
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode || duplicateKeys(n) {
			return errIndirect
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			f, err := fieldByJSONName(v, deAlias(n.Content[i]).Value)
			if err != nil {
				return err
			}
			if err := directDecode(n.Content[i+1], f, budget); err != nil {
				return err
			}
		}
		return nil
	case reflect.Map:
		kt := t.Key()
		if n.Kind != yaml.MappingNode || kt.Kind() != reflect.String || kt.Implements(textUnmarshaler) ||
			reflect.PointerTo(kt).Implements(textUnmarshaler) || duplicateKeys(n) {
			return errIndirect
		}
		m := reflect.MakeMapWithSize(t, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			e := reflect.New(t.Elem()).Elem()
			if err := directDecode(n.Content[i+1], e, budget); err != nil {
				return err
			}
			m.SetMapIndex(reflect.ValueOf(deAlias(n.Content[i]).Value).Convert(kt), e)
		}
		v.Set(m)
		return nil
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode || t.Elem().Kind() == reflect.Uint8 {
			return errIndirect
		}
		s := reflect.MakeSlice(t, len(n.Content), len(n.Content))
		for i, e := range n.Content {
			if err := directDecode(e, s.Index(i), budget); err != nil {
				return err
			}
		}
		v.Set(s)
		return nil
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if n.Kind != yaml.ScalarNode {
			return errIndirect
		}
		return directScalar(n, v)
	}
	return errIndirect
}

// directScalar sets v from the JSON that writeScalar makes of n, as
// encoding/json reads that literal into v's kind.
func directScalar(n *yaml.Node, v reflect.Value) error {
	var b strings.Builder
	if err := writeScalar(&b, n); err != nil {
		return errIndirect
	}
	lit := b.String()
	switch k := v.Kind(); {
	case lit == "":
		return errIndirect
	case lit[0] == '"':
		if k != reflect.String {
			return errIndirect
		}
		p := &jsonParser{b: []byte(lit)}
		s, err := p.str()
		if err != nil || p.i != len(lit) {
			return errIndirect
		}
		v.SetString(s)
	case lit == "true" || lit == "false":
		if k != reflect.Bool {
			return errIndirect
		}
		v.SetBool(lit == "true")
	case k >= reflect.Int && k <= reflect.Int64:
		i, err := strconv.ParseInt(lit, 10, 64)
		if err != nil || v.OverflowInt(i) {
			return errIndirect
		}
		v.SetInt(i)
	case k >= reflect.Uint && k <= reflect.Uint64:
		u, err := strconv.ParseUint(lit, 10, 64)
		if err != nil || v.OverflowUint(u) {
			return errIndirect
		}
		v.SetUint(u)
	default:
		return errIndirect
	}
	return nil
}

// fieldByJSONName is the field of the struct v that encoding/json fills
// for the key name: an exported field tagged or named so, or one of an
// untagged embedded struct's, the first at the least depth. A name found
// twice at one depth, an embedded pointer, a ",string" field, or no
// field (encoding/json would try other cases) make it errIndirect.
func fieldByJSONName(v reflect.Value, name string) (reflect.Value, error) {
	level := []reflect.Value{v}
	for len(level) > 0 {
		var found reflect.Value
		var next []reflect.Value
		for _, s := range level {
			t := s.Type()
			for i := range t.NumField() {
				f := t.Field(i)
				tag := f.Tag.Get("json")
				if tag == "-" {
					continue
				}
				fname, opts, _ := strings.Cut(tag, ",")
				if f.Anonymous && fname == "" {
					if f.Type.Kind() == reflect.Pointer {
						return reflect.Value{}, errIndirect
					}
					if f.Type.Kind() == reflect.Struct {
						next = append(next, s.Field(i))
						continue
					}
				}
				if !f.IsExported() {
					continue
				}
				if fname == "" {
					fname = f.Name
				}
				if fname != name {
					continue
				}
				if strings.Contains(","+opts+",", ",string,") || found.IsValid() {
					return reflect.Value{}, errIndirect
				}
				found = s.Field(i)
			}
		}
		if found.IsValid() {
			return found, nil
		}
		level = next
	}
	return reflect.Value{}, errIndirect
}

// duplicateKeys reports whether a key occurs twice in the mapping n
// (encoding/json would merge or overwrite).
func duplicateKeys(n *yaml.Node) bool {
	seen := make(map[string]bool, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := deAlias(n.Content[i]).Value
		if seen[k] {
			return true
		}
		seen[k] = true
	}
	return false
}
