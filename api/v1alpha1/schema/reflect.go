package schema

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// QuantityPattern is the syntax of a resource.Quantity, as Kubernetes'
// own CRDs declare it (stricter than resource.ParseQuantity, which takes
// "e0"); the renderer refuses quantity strings it does not match.
const QuantityPattern = `^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$`

// Types with a schema of their own, not their Go structure.
var (
	durationType = reflect.TypeFor[metav1.Duration]()
	quantityType = reflect.TypeFor[resource.Quantity]()
	metaType     = reflect.TypeFor[metav1.ObjectMeta]()
)

// generator turns the Go types of one API package into schemas.
type generator struct {
	docs    Docs   // the API package's doc comments
	pkgPath string // the API package's import path
}

// fieldDoc is the documentation of field f of struct type parent: the doc
// comment for the API's own types, SwaggerDoc for Kubernetes types.
func (g *generator) fieldDoc(parent reflect.Type, f reflect.StructField, jsonName string) Doc {
	if parent.PkgPath() == g.pkgPath {
		return g.docs[parent.Name()+"."+f.Name]
	}
	return Doc{Text: swaggerDoc(parent)[jsonName]}
}

// typeDoc is the documentation of a named type.
func (g *generator) typeDoc(t reflect.Type) string {
	if t.PkgPath() == g.pkgPath {
		return g.docs[t.Name()].Text
	}
	return swaggerDoc(t)[""]
}

// swaggerDoc returns the field documentation a Kubernetes API type
// carries in its SwaggerDoc method, or nil.
func swaggerDoc(t reflect.Type) map[string]string {
	m, ok := t.MethodByName("SwaggerDoc")
	if !ok || m.Type.NumIn() != 1 || m.Type.NumOut() != 1 {
		return nil
	}
	out := m.Func.Call([]reflect.Value{reflect.Zero(t)})[0]
	docs, _ := out.Interface().(map[string]string)
	return docs
}

// schema returns the schema of values of type t, without a description
// (the caller knows whether the field's or the type's applies).
func (g *generator) schema(t reflect.Type) (Props, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t {
	case durationType:
		return Props{Type: "string"}, nil
	case quantityType:
		return Props{
			AnyOf:       []Props{{Type: "integer"}, {Type: "string"}},
			Pattern:     QuantityPattern,
			IntOrString: true,
		}, nil
	case metaType:
		return Props{Type: "object"}, nil
	}
	switch t.Kind() {
	case reflect.String:
		return Props{Type: "string"}, nil
	case reflect.Bool:
		return Props{Type: "boolean"}, nil
	case reflect.Int32:
		return Props{Type: "integer", Format: "int32"}, nil
	case reflect.Int64:
		return Props{Type: "integer", Format: "int64"}, nil
	case reflect.Int:
		return Props{Type: "integer"}, nil
	case reflect.Slice:
		items, err := g.schema(t.Elem())
		if err != nil {
			return Props{}, err
		}
		if e := deref(t.Elem()); e.Kind() == reflect.Struct && e.Name() != "" {
			items.Description = g.typeDoc(e)
		}
		return Props{Type: "array", Items: &items}, nil
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return Props{}, fmt.Errorf("%s: map keys must be strings", t)
		}
		values, err := g.schema(t.Elem())
		if err != nil {
			return Props{}, err
		}
		return Props{Type: "object", AdditionalProperties: &values}, nil
	case reflect.Struct:
		return g.object(t)
	}
	return Props{}, fmt.Errorf("%s: no schema for Go kind %s", t, t.Kind())
}

// object returns the schema of a struct: its JSON fields, inline fields
// merged, and the required ones listed.
func (g *generator) object(t reflect.Type) (Props, error) {
	p := Props{Type: "object", Properties: map[string]Props{}}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" && slices.Contains(strings.Split(opts, ","), "inline") {
			inner, err := g.object(deref(f.Type))
			if err != nil {
				return Props{}, err
			}
			for k, v := range inner.Properties {
				p.Properties[k] = v
			}
			p.Required = append(p.Required, inner.Required...)
			continue
		}
		if name == "" {
			return Props{}, fmt.Errorf("%s.%s: no JSON name", t, f.Name)
		}
		doc := g.fieldDoc(t, f, name)
		fp, err := g.schema(f.Type)
		if err != nil {
			return Props{}, fmt.Errorf("%s.%s: %w", t, f.Name, err)
		}
		fp.Description = doc.Text
		if deref(f.Type) == metaType {
			// The API server allows nothing under properties.metadata of
			// a CRD schema but name and generateName: no description.
			fp.Description = ""
		}
		if err := applyMarkers(&fp, doc, deref(f.Type)); err != nil {
			return Props{}, fmt.Errorf("%s.%s: %w", t, f.Name, err)
		}
		p.Properties[name] = fp
		_, optional := doc.Marker("+optional")
		if !optional && !slices.Contains(strings.Split(opts, ","), "omitempty") {
			p.Required = append(p.Required, name)
		}
	}
	slices.Sort(p.Required)
	return p, nil
}

// applyMarkers applies the kubebuilder validation markers of a field of
// type t to its schema.
func applyMarkers(p *Props, d Doc, t reflect.Type) error {
	const prefix = "+kubebuilder:validation:"
	for _, m := range d.Markers {
		rest, ok := strings.CutPrefix(m, prefix)
		if !ok {
			continue
		}
		name, value, _ := strings.Cut(rest, "=")
		switch name {
		case "Enum":
			for _, v := range strings.Split(value, ";") {
				raw, err := enumValue(v, t)
				if err != nil {
					return err
				}
				p.Enum = append(p.Enum, raw)
			}
		case "Minimum", "Maximum":
			n, err := strconv.ParseFloat(value, 64)
			if err != nil {
				return fmt.Errorf("marker %s: %w", m, err)
			}
			if name == "Minimum" {
				p.Minimum = &n
			} else {
				p.Maximum = &n
			}
		case "MinItems":
			n, err := strconv.ParseInt(value, 10, 64)
			if err != nil {
				return fmt.Errorf("marker %s: %w", m, err)
			}
			p.MinItems = &n
		default:
			return fmt.Errorf("marker %s: not supported by the schema generator", m)
		}
	}
	return nil
}

// enumValue encodes an enum value as JSON in the field's type.
func enumValue(v string, t reflect.Type) (json.RawMessage, error) {
	switch t.Kind() {
	case reflect.String:
		return json.Marshal(v)
	case reflect.Int, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("enum value %q of an integer field: %w", v, err)
		}
		return json.Marshal(n)
	}
	return nil, fmt.Errorf("enum on a %s field", t.Kind())
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}
