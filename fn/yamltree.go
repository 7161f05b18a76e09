package fn

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// The input is read as kpt and kustomize read it: by the tags of the YAML
// parser they share (go.yaml.in/yaml/v3, YAML 1.2 core schema), so that
// NO, yes, on and y are strings, not booleans as the YAML 1.1 decoder of
// sigs.k8s.io/yaml would make them.

// maxYAMLNodes bounds the nodes one object may expand to through aliases
// and merge keys (a "billion laughs" document is a few lines long).
const maxYAMLNodes = 1 << 20

// maxYAMLDepth bounds the nesting of one object.
const maxYAMLDepth = 200

// resolveMerges expands the YAML merge keys ("<<: *base") of the tree in
// place, as YAML 1.1's merge type and kustomize do (keys written in the
// mapping win over merged ones, earlier merged mappings over later ones),
// and reports every key a mapping holds twice, at the key's path with both
// lines. It returns false when the tree is too large or too deep to read.
func resolveMerges(n *yaml.Node, path string, out *problems) bool {
	budget := maxYAMLNodes
	return merges(n, path, 0, &budget, out)
}

func merges(n *yaml.Node, path string, depth int, budget *int, out *problems) bool {
	*budget--
	if *budget < 0 || depth > maxYAMLDepth {
		out.errorf(path, "is nested too deeply or expands to too many values (aliases): at most %d levels and %d values", maxYAMLDepth, maxYAMLNodes)
		return false
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return merges(n.Alias, path, depth+1, budget, out)
	}
	switch n.Kind {
	case yaml.SequenceNode:
		for i, e := range n.Content {
			if !merges(e, index(path, i), depth+1, budget, out) {
				return false
			}
		}
	case yaml.MappingNode:
		var explicit, merged []*yaml.Node
		line := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if isMergeKey(k) {
				if !merges(v, path, depth+1, budget, out) {
					return false
				}
				merged = append(merged, mergeSources(v, path, out)...)
				continue
			}
			if first, dup := line[k.Value]; dup {
				out.errorf(join(path, k.Value), "is set twice in one mapping (lines %d and %d): keep one", first, k.Line)
				continue
			}
			line[k.Value] = k.Line
			if !merges(v, join(path, k.Value), depth+1, budget, out) {
				return false
			}
			explicit = append(explicit, k, v)
		}
		for _, src := range merged {
			for i := 0; i+1 < len(src.Content); i += 2 {
				k := src.Content[i]
				if _, set := line[k.Value]; set || isMergeKey(k) {
					continue
				}
				line[k.Value] = k.Line
				*budget -= 2
				explicit = append(explicit, k, src.Content[i+1])
			}
		}
		n.Content = explicit
	}
	return true
}

// isMergeKey reports whether k is the merge key "<<" (not a quoted "<<").
func isMergeKey(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && (k.Tag == yaml.MergeTag || k.Tag == "" && k.Style == 0 && k.Value == "<<")
}

// mergeSources are the mappings a merge key's value names: one mapping,
// or a sequence of them.
func mergeSources(v *yaml.Node, path string, out *problems) []*yaml.Node {
	v = deAlias(v)
	if v.Kind == yaml.MappingNode {
		return []*yaml.Node{v}
	}
	var srcs []*yaml.Node
	if v.Kind == yaml.SequenceNode {
		for _, e := range v.Content {
			if e = deAlias(e); e.Kind == yaml.MappingNode {
				srcs = append(srcs, e)
				continue
			}
			srcs = nil
			break
		}
		if srcs != nil || len(v.Content) == 0 {
			return srcs
		}
	}
	out.errorf(join(path, "<<"), "a merge key takes a mapping or a list of mappings (such as <<: *base)")
	return nil
}

func deAlias(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// yamlToJSON reads one YAML document as the input is read (YAML 1.2 core,
// merge keys) and writes it as JSON; duplicate keys are an error.
func yamlToJSON(text string) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		return nil, err
	}
	root := deAlias(&doc)
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	var out problems
	resolveMerges(root, "", &out)
	if len(out) > 0 {
		return nil, fmt.Errorf("%s: %s", out[0].Field, out[0].Message)
	}
	return nodeJSON(root)
}

// nodeJSON writes a YAML tree (merge keys already resolved) as JSON, each
// scalar by the tag the YAML 1.2 parser gave it.
func nodeJSON(n *yaml.Node) ([]byte, error) {
	var b strings.Builder
	budget := maxYAMLNodes
	if err := writeJSON(&b, n, &budget); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

func writeJSON(b *strings.Builder, n *yaml.Node, budget *int) error {
	if *budget--; *budget < 0 {
		return fmt.Errorf("the object expands to more than %d values", maxYAMLNodes)
	}
	n = deAlias(n)
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			b.WriteString("null")
			return nil
		}
		return writeJSON(b, n.Content[0], budget)
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, e := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, e, budget); err != nil {
				return err
			}
		}
		b.WriteByte(']')
		return nil
	case yaml.MappingNode:
		b.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, deAlias(n.Content[i]).Value)
			b.WriteByte(':')
			if err := writeJSON(b, n.Content[i+1], budget); err != nil {
				return err
			}
		}
		b.WriteByte('}')
		return nil
	case yaml.ScalarNode:
		return writeScalar(b, n)
	}
	b.WriteString("null")
	return nil
}

// writeScalar writes a scalar by its resolved tag; custom and string-like
// tags (!!str, !!timestamp, !!binary, !foo) are strings.
func writeScalar(b *strings.Builder, n *yaml.Node) error {
	switch n.ShortTag() {
	case yaml.NodeTagNull:
		b.WriteString("null")
	case yaml.NodeTagBool:
		b.WriteString(strconv.FormatBool(strings.EqualFold(n.Value, "true")))
	case yaml.NodeTagInt:
		plain := strings.ReplaceAll(n.Value, "_", "")
		if i, err := strconv.ParseInt(plain, 0, 64); err == nil {
			b.WriteString(strconv.FormatInt(i, 10))
		} else if u, err := strconv.ParseUint(plain, 0, 64); err == nil {
			b.WriteString(strconv.FormatUint(u, 10))
		} else {
			return fmt.Errorf("line %d: %q is not a number", n.Line, n.Value)
		}
	case yaml.NodeTagFloat:
		f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err != nil {
			switch strings.ToLower(strings.TrimLeft(n.Value, "+-")) {
			case ".inf", ".nan":
				f = math.Inf(1)
			default:
				return fmt.Errorf("line %d: %q is not a number", n.Line, n.Value)
			}
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return fmt.Errorf("line %d: %s is not a finite number", n.Line, n.Value)
		}
		b.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
	default:
		writeString(b, n.Value)
	}
	return nil
}

func writeString(b *strings.Builder, s string) {
	data, _ := json.Marshal(s) // a string always encodes
	b.Write(data)
}
