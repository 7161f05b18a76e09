package fn

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// ToKubeObject serialises a typed Kubernetes object (k8s.io/api) the way a
// person would write it: fields in the order of the Go types with
// apiVersion, kind and metadata first, block style, multi-line strings as
// literal blocks, strings a YAML 1.1 reader would misread quoted (see
// AmbiguousInYAML11), and without the noise typed structs carry (null
// creationTimestamp, empty status, resources: {}, strategy: {} …). Env
// entries keep an explicit value: "" so that every variable is visibly set.
func ToKubeObject(v any) (*kfn.KubeObject, error) {
	root, err := toNode(v)
	if err != nil {
		return nil, err
	}
	return kfn.MoveToKubeObject(yaml.NewRNode(root)), nil
}

// toNode is the YAML tree of ToKubeObject.
func toNode(v any) (*yaml.Node, error) {
	root, err := directTree(reflect.ValueOf(v))
	if errors.Is(err, errIndirect) {
		root, err = jsonTree(v)
	}
	if err != nil {
		return nil, err
	}
	prune(root)
	restyle(root)
	quoteYAML11(root)
	orderTop(root)
	return root, nil
}

// jsonTree is the tree of v's JSON encoding.
func jsonTree(v any) (*yaml.Node, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encoding %T: %w", v, err)
	}
	root, err := parseJSON(bytes.TrimSpace(buf.Bytes()))
	if err != nil {
		return nil, fmt.Errorf("re-reading %T: %w", v, err)
	}
	return root, nil
}

// prune drops null values and empty mappings and sequences, bottom up,
// gives env entries without a value an explicit empty one, and annotates
// file modes in octal.
func prune(n *yaml.Node) {
	switch n.Kind {
	case yaml.MappingNode:
		kept := n.Content[:0]
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			prune(v)
			if k.Value == "env" && v.Kind == yaml.SequenceNode {
				explicitEnv(v)
			}
			if k.Value == "defaultMode" && v.Kind == yaml.ScalarNode {
				if mode, err := strconv.Atoi(v.Value); err == nil {
					v.LineComment = fmt.Sprintf("# 0%o", mode)
				}
			}
			if empty(v) {
				continue
			}
			kept = append(kept, k, v)
		}
		n.Content = kept
	case yaml.SequenceNode:
		for _, e := range n.Content {
			prune(e)
		}
	}
}

func empty(n *yaml.Node) bool {
	switch n.Kind {
	case yaml.MappingNode, yaml.SequenceNode:
		return len(n.Content) == 0
	case yaml.ScalarNode:
		return n.Tag == "!!null"
	}
	return false
}

// explicitEnv adds value: "" to env entries that have neither a value nor
// a valueFrom (encoding/json omits empty strings).
func explicitEnv(seq *yaml.Node) {
	for _, e := range seq.Content {
		if e.Kind != yaml.MappingNode {
			continue
		}
		has := false
		for i := 0; i < len(e.Content); i += 2 {
			if k := e.Content[i].Value; k == "value" || k == "valueFrom" {
				has = true
			}
		}
		if !has {
			e.Content = append(e.Content,
				&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "value"},
				&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: ""})
		}
	}
}

// restyle turns the JSON flow style into block style and multi-line
// strings into literal blocks.
func restyle(n *yaml.Node) {
	n.Style = 0
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" && strings.Contains(n.Value, "\n") {
		n.Style = yaml.LiteralStyle
	}
	for _, c := range n.Content {
		restyle(c)
	}
}

// orderTop moves apiVersion, kind and metadata to the front.
func orderTop(n *yaml.Node) {
	var head, tail []*yaml.Node
	for _, key := range []string{"apiVersion", "kind", "metadata"} {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				head = append(head, n.Content[i], n.Content[i+1])
			}
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch n.Content[i].Value {
		case "apiVersion", "kind", "metadata":
		default:
			tail = append(tail, n.Content[i], n.Content[i+1])
		}
	}
	n.Content = append(head, tail...)
}
