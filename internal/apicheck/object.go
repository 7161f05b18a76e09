package apicheck

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	sigsyaml "sigs.k8s.io/yaml"
)

// Object is one Kubernetes object, as encoding/json decodes it.
type Object map[string]any

// Field is the string at path (keys of nested mappings), "" when there
// is none.
func (o Object) Field(path ...string) string {
	var v any = map[string]any(o)
	for _, p := range path {
		m, _ := v.(map[string]any)
		v = m[p]
	}
	s, _ := v.(string)
	return s
}

// Kind is the object's kind.
func (o Object) Kind() string { return o.Field("kind") }

// APIVersion is the object's apiVersion.
func (o Object) APIVersion() string { return o.Field("apiVersion") }

// Name is metadata.name.
func (o Object) Name() string { return o.Field("metadata", "name") }

// Namespace is metadata.namespace.
func (o Object) Namespace() string { return o.Field("metadata", "namespace") }

// String names the object: "Deployment ns/name", "Namespace name".
func (o Object) String() string {
	if ns := o.Namespace(); ns != "" {
		return o.Kind() + " " + ns + "/" + o.Name()
	}
	return o.Kind() + " " + o.Name()
}

// ReadJSON reads one object from JSON.
func ReadJSON(data []byte) (Object, error) {
	var o Object
	if err := json.Unmarshal(data, &o); err != nil {
		return nil, err
	}
	return o, nil
}

// ReadYAML reads a YAML stream as kubectl reads it: split where a line
// starts with "---" (k8s.io/apimachinery/pkg/util/yaml.YAMLReader), each
// document converted to JSON by sigs.k8s.io/yaml, a YAML 1.1 reader, so
// that a string a YAML 1.1 reader takes for a boolean reaches the server
// as a boolean. Documents that are no object with a kind (empty, a
// comment, a scalar) are skipped; a document kubectl could not read is an
// error naming its position.
func ReadYAML(data []byte) ([]Object, error) {
	var out []Object
	for i, doc := range SplitYAML(data) {
		j, err := sigsyaml.YAMLToJSON(doc)
		if err != nil {
			return nil, fmt.Errorf("document %d: kubectl could not read it: %w", i+1, err)
		}
		var o Object
		if err := json.Unmarshal(j, &o); err != nil || o == nil || o.Kind() == "" {
			continue
		}
		out = append(out, o)
	}
	return out, nil
}

// SplitYAML splits a YAML stream into its documents where kubectl does: at
// each line that is "---", alone or followed by a comment.
func SplitYAML(data []byte) [][]byte {
	var docs [][]byte
	var cur bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "---"); ok {
			if r := strings.TrimSpace(rest); r == "" || r[0] == '#' {
				if cur.Len() > 0 {
					docs = append(docs, bytes.Clone(cur.Bytes()))
					cur.Reset()
				}
				continue
			}
		}
		cur.WriteString(line + "\n")
	}
	if cur.Len() > 0 {
		docs = append(docs, cur.Bytes())
	}
	return docs
}
