package fn

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Process is the KRM function: it renders the IPFailovers of the
// ResourceList (see Render) into its items, quotes the strings of every
// item that YAML 1.1 readers would misread (QuoteForYAML11), and appends
// the results. It
// returns false, with the errors among the results and the items
// untouched, when any error was found; it never returns an error itself,
// so that the failure stays a ResourceList with results.
func Process(rl *kfn.ResourceList) (bool, error) {
	out := Render(rl.Items, rl.FunctionConfig)
	rl.Results = append(rl.Results, out.Results...)
	if out.Failed() {
		return false, nil
	}
	rl.Items = out.Items
	QuoteForYAML11(rl.Items)
	return true, nil
}

// var _ asserts that Process has the SDK's processor shape.
var _ kfn.ResourceListProcessor = kfn.ResourceListProcessorFunc(Process)

// FormatResult writes a result as one line for people, as kustomize and
// Argo CD show only stderr: "<Kind>/<name> <field>: <message>", with a
// "warning: " or "info: " prefix for those severities.
func FormatResult(r *kfn.Result) string {
	var b strings.Builder
	switch r.Severity {
	case kfn.Warning, kfn.Info:
		b.WriteString(string(r.Severity) + ": ")
	}
	if ref := r.ResourceRef; ref != nil {
		fmt.Fprintf(&b, "%s/%s", ref.Kind, ref.Name)
		if r.Field != nil && r.Field.Path != "" {
			b.WriteString(" " + r.Field.Path)
		}
		b.WriteString(": ")
	} else if r.Field != nil && r.Field.Path != "" {
		b.WriteString(r.Field.Path + ": ")
	}
	b.WriteString(r.Message)
	return b.String()
}

// ResourceListYAML writes rl as the SDK's ResourceList.ToYAML does, but
// with the items in their order: the SDK sorts them by kind and name,
// while a function should return the items it does not change as it got
// them, and the generated objects after their IPFailover.
func ResourceListYAML(rl *kfn.ResourceList) ([]byte, error) {
	head := *rl
	head.Items = nil
	data, err := head.ToYAML()
	if err != nil {
		return nil, err
	}
	doc, err := yaml.Parse(string(data))
	if err != nil {
		return nil, err
	}
	if out, ok := appendResourceList(doc.YNode(), rl.Items); ok {
		return out, nil
	}
	return encodeResourceList(doc, rl.Items)
}

// encodeResourceList writes the ResourceList doc (without items) with the
// items after its apiVersion and kind, all through the encoder.
func encodeResourceList(doc *yaml.RNode, objs kfn.KubeObjects) ([]byte, error) {
	if len(objs) > 0 {
		items := &yaml.Node{Kind: yaml.SequenceNode, Tag: yaml.NodeTagSeq}
		for _, it := range objs {
			items.Content = append(items.Content, it.CopyToResourceNode().YNode())
		}
		// After apiVersion and kind, where the SDK puts them.
		root := doc.YNode()
		key := &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagString, Value: "items"}
		at := min(4, len(root.Content))
		root.Content = append(root.Content[:at], append([]*yaml.Node{key, items}, root.Content[at:]...)...)
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	if err := enc.Encode(doc.Document()); err != nil {
		return nil, err
	}
	return b.Bytes(), enc.Close()
}

// appendResourceList writes the ResourceList root (without items) with
// the items after its apiVersion and kind, the items directly (see
// AppendYAML) and the rest through the encoder. It reports false when the
// root does not start with apiVersion and kind or an item needs the
// encoder.
func appendResourceList(root *yaml.Node, items kfn.KubeObjects) ([]byte, bool) {
	if root.Kind != yaml.MappingNode || len(root.Content) < 4 || root.Content[0].Value != "apiVersion" || root.Content[2].Value != "kind" {
		return nil, false
	}
	head := &yaml.Node{Kind: yaml.MappingNode, Tag: yaml.NodeTagMap, Content: root.Content[:4]}
	b, err := encodeNode(nil, head)
	if err != nil {
		return nil, false
	}
	if len(items) > 0 {
		b = append(b, "items:\n"...)
		opts := emitOptions{styles: map[string]byte{}}
		for _, it := range items {
			b = append(b, '-', ' ')
			var ok bool
			if b, ok = appendObject(b, objNode(it), 2, true, opts); !ok {
				return nil, false
			}
		}
	}
	if len(root.Content) > 4 {
		rest := &yaml.Node{Kind: yaml.MappingNode, Tag: yaml.NodeTagMap, Content: root.Content[4:]}
		if b, err = encodeNode(b, rest); err != nil {
			return nil, false
		}
	}
	return b, true
}

// encodeNode appends n as kyaml's encoder writes it.
func encodeNode(b []byte, n *yaml.Node) ([]byte, error) {
	buf := bytes.NewBuffer(b)
	enc := yaml.NewEncoder(buf)
	if err := enc.Encode(n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// CheckResourceList checks the shape of a ResourceList before the SDK
// reads it, whose messages for a wrong shape name its internal types:
// one YAML document, a mapping, items a list of objects, functionConfig an
// object. An empty input, or one of comments only, is an error too: a
// function that gets nothing has not been given a ResourceList.
func CheckResourceList(in []byte) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(in, &doc); err != nil {
		return fmt.Errorf("not YAML: %w", err)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	switch {
	case root.Kind == 0 || root.Kind == yaml.DocumentNode && len(root.Content) == 0:
		return fmt.Errorf("empty (or only comments), not a ResourceList")
	case root.Kind != yaml.MappingNode:
		return fmt.Errorf("line %d: a ResourceList is an object, not %s", root.Line, nodeKind(root))
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], deAlias(root.Content[i+1])
		switch {
		case k.Value == "items" && v.Kind == yaml.SequenceNode:
			for j, it := range v.Content {
				if it = deAlias(it); it.Kind != yaml.MappingNode {
					return fmt.Errorf("line %d: items[%d] is %s, not an object", it.Line, j, nodeKind(it))
				}
			}
		case k.Value == "items" && !isNull(v):
			return fmt.Errorf("line %d: items is %s, not a list of objects", v.Line, nodeKind(v))
		case k.Value == "functionConfig" && v.Kind != yaml.MappingNode && !isNull(v):
			return fmt.Errorf("line %d: functionConfig is %s, not an object", v.Line, nodeKind(v))
		}
	}
	return nil
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == yaml.NodeTagNull }

// nodeKind names the kind of a YAML node for messages: "a list".
func nodeKind(n *yaml.Node) string {
	switch deAlias(n).Kind {
	case yaml.MappingNode:
		return "an object"
	case yaml.SequenceNode:
		return "a list"
	}
	return fmt.Sprintf("the value %q", n.Value)
}

// CheckObjects checks that every document of a YAML stream is an object
// (or empty), before the SDK reads it, whose message for anything else
// names its internal node kinds ("unhandled node kind 2").
func CheckObjects(in []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(in))
	for i := 1; ; i++ {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("not YAML: %w", err)
		}
		root := &doc
		if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
			root = root.Content[0]
		}
		if root.Kind != yaml.MappingNode && root.Kind != yaml.DocumentNode && !isNull(root) {
			return fmt.Errorf("line %d: document %d is %s, not a Kubernetes object", root.Line, i, nodeKind(root))
		}
	}
}
