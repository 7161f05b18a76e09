package fn

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// errIndirect makes toNode take the way through encoding/json.
var errIndirect = errors.New("not built directly")

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// directTree builds the tree that parseJSON makes of v's JSON encoding,
// walking v's values rather than encoding them: encoding/json builds an
// encoder for every type a type can reach — the whole of corev1.PodSpec,
// every volume source — which was an eighth of a run of the binary on
// the docs example. It covers what our objects hold (structs with json
// tags, inlined embedded structs, pointers, strings, integers, booleans,
// string-keyed maps, slices, types with MarshalJSON) and returns
// errIndirect for anything else (floats, interfaces, byte slices, invalid
// UTF-8, ",string" fields, field name clashes), for the caller to encode.
// TestDirectTreeAsJSON holds it to the encoding.
func directTree(v reflect.Value) (*yaml.Node, error) {
	if m, ok := marshalerOf(v); ok {
		return marshaled(m)
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return scalar("!!null", "null"), nil
		}
		return directTree(v.Elem())
	case reflect.Struct:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		seen := map[string]bool{}
		if err := directFields(n, v, seen); err != nil {
			return nil, err
		}
		return n, nil
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return nil, errIndirect
		}
		if v.IsNil() {
			return scalar("!!null", "null"), nil
		}
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: make([]*yaml.Node, 0, 2*len(keys))}
		for _, k := range keys {
			if !utf8.ValidString(k.String()) {
				return nil, errIndirect
			}
			e, err := directTree(v.MapIndex(k))
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, scalar("!!str", k.String()), e)
		}
		return n, nil
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil, errIndirect // base64
		}
		if v.IsNil() {
			return scalar("!!null", "null"), nil
		}
		fallthrough
	case reflect.Array:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: make([]*yaml.Node, 0, v.Len())}
		for i := range v.Len() {
			e, err := directTree(v.Index(i))
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, e)
		}
		return n, nil
	case reflect.String:
		if !utf8.ValidString(v.String()) {
			return nil, errIndirect
		}
		return scalar("!!str", v.String()), nil
	case reflect.Bool:
		return scalar("!!bool", strconv.FormatBool(v.Bool())), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return scalar("!!int", strconv.FormatInt(v.Int(), 10)), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return scalar("!!int", strconv.FormatUint(v.Uint(), 10)), nil
	}
	return nil, errIndirect
}

// marshalerOf is v's json.Marshaler, as encoding/json finds it (a
// pointer receiver only for an addressable value); a TextMarshaler makes
// the caller encode.
func marshalerOf(v reflect.Value) (json.Marshaler, bool) {
	t := v.Type()
	switch {
	case t.Implements(jsonMarshaler):
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return nil, false
		}
		return v.Interface().(json.Marshaler), true
	case v.Kind() != reflect.Pointer && v.CanAddr() && reflect.PointerTo(t).Implements(jsonMarshaler):
		return v.Addr().Interface().(json.Marshaler), true
	case t.Implements(textMarshaler) || v.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(textMarshaler):
		return errMarshaler{}, true
	}
	return nil, false
}

type errMarshaler struct{}

func (errMarshaler) MarshalJSON() ([]byte, error) { return nil, errIndirect }

func marshaled(m json.Marshaler) (*yaml.Node, error) {
	data, err := m.MarshalJSON()
	if err != nil {
		return nil, errIndirect
	}
	// encoding/json compacts what MarshalJSON returns.
	var buf bytes.Buffer
	if err := json.Compact(&buf, data); err != nil {
		return nil, errIndirect
	}
	n, err := parseJSON(buf.Bytes())
	if err != nil {
		return nil, errIndirect
	}
	return n, nil
}

// directFields appends the JSON fields of the struct v to n, inlining
// embedded structs without a name as encoding/json does.
func directFields(n *yaml.Node, v reflect.Value, seen map[string]bool) error {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				fv := v.Field(i)
				if fv.Kind() == reflect.Pointer {
					if fv.IsNil() {
						continue
					}
					fv = fv.Elem()
				}
				if ft.Implements(jsonMarshaler) || reflect.PointerTo(ft).Implements(jsonMarshaler) {
					return errIndirect
				}
				if err := directFields(n, fv, seen); err != nil {
					return err
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		var omitEmpty, omitZero bool
		for o := range strings.SplitSeq(opts, ",") {
			switch o {
			case "omitempty":
				omitEmpty = true
			case "omitzero":
				omitZero = true
			case "", "inline":
			default:
				return errIndirect // string, ...
			}
		}
		if seen[name] {
			return errIndirect // clashes are resolved by depth and tags
		}
		seen[name] = true
		fv := v.Field(i)
		if omitEmpty && emptyValue(fv) || omitZero && zeroValue(fv) {
			continue
		}
		e, err := directTree(fv)
		if err != nil {
			return err
		}
		n.Content = append(n.Content, scalar("!!str", name), e)
	}
	return nil
}

// emptyValue is encoding/json's test for omitempty.
func emptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

type isZeroer interface{ IsZero() bool }

var isZeroerType = reflect.TypeFor[isZeroer]()

// zeroValue is encoding/json's test for omitzero: the IsZero method when
// the type has one, else the zero value.
func zeroValue(v reflect.Value) bool {
	t := v.Type()
	switch {
	case t.Implements(isZeroerType):
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return true
		}
		return v.Interface().(isZeroer).IsZero()
	case reflect.PointerTo(t).Implements(isZeroerType) && v.CanAddr():
		return v.Addr().Interface().(isZeroer).IsZero()
	case reflect.PointerTo(t).Implements(isZeroerType):
		c := reflect.New(t)
		c.Elem().Set(v)
		return c.Interface().(isZeroer).IsZero()
	}
	return v.IsZero()
}
