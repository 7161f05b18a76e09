package fn

import (
	"fmt"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// nodes are the YAML trees (ToKubeObject) of the set's objects in apply
// order: setObjects, then the cleanup Jobs.
//
// The cleanup Jobs of a removal differ only in the node they run on: their
// name, the node annotation and spec.template.spec.nodeName. The first is
// built as every object is; the others copy the mappings on the paths to
// those three fields and share the rest of its tree, which nothing changes
// afterwards (the location annotations go into each Job's own annotations).
// Building 1000 Jobs one by one through JSON and a YAML tree each was most
// of the time and memory of rendering a removal from 1000 nodes.
func (p *plan) nodes() ([]*yaml.Node, error) {
	var out []*yaml.Node
	for _, typed := range p.setObjects() {
		obj, err := toNode(typed)
		if err != nil {
			return nil, err
		}
		out = append(out, obj)
	}
	nodes := p.cleanupNodes()
	if len(nodes) == 0 {
		return out, nil
	}
	tmpl, err := toNode(p.cleanupJob(nodes[0]))
	if err != nil {
		return nil, err
	}
	out = append(out, tmpl)
	for _, node := range nodes[1:] {
		job, err := jobFor(tmpl, jobName(p.name, node), node)
		if err != nil {
			return nil, fmt.Errorf("cleanup Job for node %s: %w", node, err)
		}
		out = append(out, job)
	}
	return out, nil
}

// jobFor is the cleanup Job tmpl for another node: name and node
// substituted, every subtree off their paths shared with tmpl.
func jobFor(tmpl *yaml.Node, name, node string) (*yaml.Node, error) {
	root := copyMapping(tmpl, 0)
	md, err := editField(root, "metadata", 0)
	if err != nil {
		return nil, err
	}
	if err := setField(md, "name", stringNode(name)); err != nil {
		return nil, err
	}
	// Room for the location annotations that generate adds.
	ann, err := editField(md, "annotations", 4)
	if err != nil {
		return nil, err
	}
	if err := setField(ann, AnnotationNode, stringNode(node)); err != nil {
		return nil, err
	}
	spec, err := editField(root, "spec", 0)
	if err != nil {
		return nil, err
	}
	tspec, err := editField(spec, "template", 0)
	if err != nil {
		return nil, err
	}
	pod, err := editField(tspec, "spec", 0)
	if err != nil {
		return nil, err
	}
	if err := setField(pod, "nodeName", stringNode(node)); err != nil {
		return nil, err
	}
	return root, nil
}

// copyMapping copies the mapping node m and its list of keys and values,
// with room for extra more.
func copyMapping(m *yaml.Node, extra int) *yaml.Node {
	c := *m
	c.Content = make([]*yaml.Node, len(m.Content), len(m.Content)+extra)
	copy(c.Content, m.Content)
	return &c
}

// editField replaces the mapping under key in m (a copy) by a copy of it,
// and returns that.
func editField(m *yaml.Node, key string, extra int) (*yaml.Node, error) {
	i := fieldIndex(m, key)
	if i < 0 || m.Content[i].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("the template has no mapping %s", key)
	}
	c := copyMapping(m.Content[i], extra)
	m.Content[i] = c
	return c, nil
}

// setField replaces the value of key in m (a copy).
func setField(m *yaml.Node, key string, v *yaml.Node) error {
	i := fieldIndex(m, key)
	if i < 0 {
		return fmt.Errorf("the template has no field %s", key)
	}
	m.Content[i] = v
	return nil
}

// fieldIndex is the index in m.Content of the value of key, or -1.
func fieldIndex(m *yaml.Node, key string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return i + 1
		}
	}
	return -1
}

// stringNode is a string as ToKubeObject writes it: a literal block when
// it spans lines, double-quoted when a YAML 1.1 reader would misread it.
func stringNode(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagString, Value: s}
	switch {
	case strings.Contains(s, "\n"):
		n.Style = yaml.LiteralStyle
	case AmbiguousInYAML11(s):
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// setLocation sets the annotations that tell kpt which file and position
// the object root (one of ours) is written to, as KubeObject.SetAnnotation
// does, without its generic path walk: two per object on every one of
// thousands of Jobs. It reports false when root has no
// metadata.annotations mapping to add them to.
func setLocation(root *yaml.Node, file string, index int) bool {
	ann := annotationsNode(root)
	if ann == nil {
		return false
	}
	setString(ann, kioutil.PathAnnotation, file)
	setString(ann, kioutil.IndexAnnotation, strconv.Itoa(index))
	return true
}

// annotationsNode is the metadata.annotations mapping of root, or nil.
func annotationsNode(root *yaml.Node) *yaml.Node {
	i := fieldIndex(root, "metadata")
	if i < 0 || root.Content[i].Kind != yaml.MappingNode {
		return nil
	}
	md := root.Content[i]
	if i = fieldIndex(md, "annotations"); i < 0 || md.Content[i].Kind != yaml.MappingNode {
		return nil
	}
	return md.Content[i]
}

// setString sets key to the string v in the mapping m, as the SDK does
// (a plain !!str scalar).
func setString(m *yaml.Node, key, v string) {
	val := &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagString, Value: v}
	if i := fieldIndex(m, key); i >= 0 {
		m.Content[i] = val
		return
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagString, Value: key}, val)
}
