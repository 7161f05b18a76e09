package fn

import (
	"strings"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// The YAML encoder (go.yaml.in/yaml/v3 through kyaml: indent 2, compact
// sequences, no line width) is most of the cost of writing thousands of
// objects: an event per node, a copy of every string, a growing buffer.
// appendYAML writes the shapes our objects have — block mappings and
// sequences of ASCII scalars, literal blocks for multi-line mapping
// values, line comments on mapping values — byte for byte as that encoder
// does, and declines anything else (head and foot comments, anchors,
// aliases, flow style, explicit tags, non-ASCII strings, empty
// collections, multi-line keys and list entries), for the caller to use
// the encoder instead.
// TestAppendYAMLMatchesEncoder holds it to the encoder's output.

// emitOptions are the changes appendYAML makes while writing, so that the
// object itself need not be copied and changed.
type emitOptions struct {
	// quote11 writes the strings that a YAML 1.1 reader would misread
	// double-quoted, as QuoteForYAML11 marks them.
	quote11 bool
	// dropAnnotation leaves out the metadata.annotations it reports true
	// for, and the annotations mapping if none is left.
	dropAnnotation func(key string) bool
	// styles caches the style of plain strings that do not start with a
	// letter (numbers, addresses), whose checks take regular expressions
	// and number parsers: 'p' plain, 's' single, 'd' double quotes.
	styles map[string]byte
}

// YAMLWriter writes objects as AppendYAML does, remembering the quoting
// decisions that take longest from one object to the next.
type YAMLWriter struct {
	opts emitOptions
}

// NewYAMLWriter is a YAMLWriter with the options of AppendYAML.
func NewYAMLWriter(quote11 bool, drop func(key string) bool) *YAMLWriter {
	return &YAMLWriter{opts: emitOptions{quote11: quote11, dropAnnotation: drop, styles: map[string]byte{}}}
}

// Append appends obj as AppendYAML does.
func (w *YAMLWriter) Append(b []byte, obj *kfn.KubeObject) []byte {
	return appendYAML(b, obj, w.opts)
}

// AppendYAML appends obj as the YAML encoder writes it (obj.String()),
// with the YAML 1.1 quoting of QuoteForYAML11 applied when quote11 is true
// and the annotations that drop reports true for left out (with the
// annotations field when none is left; drop may be nil). obj is not
// changed. Objects the direct writer does not handle go through a copy and
// the encoder.
func AppendYAML(b []byte, obj *kfn.KubeObject, quote11 bool, drop func(key string) bool) []byte {
	return appendYAML(b, obj, emitOptions{quote11: quote11, dropAnnotation: drop})
}

func appendYAML(b []byte, obj *kfn.KubeObject, opts emitOptions) []byte {
	quote11, drop := opts.quote11, opts.dropAnnotation
	if out, ok := appendObject(b, objNode(obj), 0, false, opts); ok {
		return out
	}
	o := obj.Copy()
	if quote11 {
		QuoteForYAML11(kfn.KubeObjects{o})
	}
	if drop != nil {
		for k := range o.GetAnnotations() {
			if drop(k) {
				_ = o.RemoveAnnotation(k)
			}
		}
		_ = o.RemoveAnnotationsIfEmpty()
	}
	return append(b, o.String()...)
}

// appendObject appends the object n at column indent; inSeq tells that a
// "- " was written before its first key. It reports false, with b in an
// unknown state beyond its original length, when n holds what it does not
// write.
func appendObject(b []byte, n *yaml.Node, indent int, inSeq bool, opts emitOptions) ([]byte, bool) {
	if n.Kind != yaml.MappingNode || !plainCollection(n, "!!map") {
		return b, false
	}
	start := len(b)
	b, ok := appendMapping(b, n, indent, inSeq, opts, true)
	if !ok {
		return b[:start], false
	}
	return b, true
}

func plainCollection(n *yaml.Node, tag string) bool {
	return n.Style == 0 && n.Anchor == "" && n.HeadComment == "" && n.LineComment == "" && n.FootComment == "" &&
		(n.Tag == "" || n.Tag == tag) && len(n.Content) > 0
}

// appendMapping writes a non-empty block mapping; root is the object's
// top level, where metadata.annotations may be filtered.
func appendMapping(b []byte, n *yaml.Node, indent int, first bool, opts emitOptions, root bool) ([]byte, bool) {
	if len(n.Content)%2 != 0 {
		return b, false
	}
	for i := 0; i < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !first {
			b = appendIndent(b, indent)
		}
		first = false
		var ok bool
		if b, ok = appendScalar(b, k, true, opts); !ok {
			return b, false
		}
		b = append(b, ':')
		if root && opts.dropAnnotation != nil && k.Value == "metadata" && v.Kind == yaml.MappingNode {
			if b, ok = appendMetadata(b, v, indent+2, opts); !ok {
				return b, false
			}
			continue
		}
		if b, ok = appendValue(b, v, indent, opts); !ok {
			return b, false
		}
	}
	return b, true
}

// appendValue writes the value of a mapping key at column indent, after
// the colon.
func appendValue(b []byte, v *yaml.Node, indent int, opts emitOptions) ([]byte, bool) {
	var ok bool
	switch v.Kind {
	case yaml.ScalarNode:
		if literalBlock(v) {
			return appendLiteral(b, v.Value, indent+2)
		}
		b = append(b, ' ')
		comment := v.LineComment
		if comment != "" {
			if !strings.HasPrefix(comment, "#") || !printableASCII(comment) {
				return b, false
			}
			c := *v
			c.LineComment = ""
			v = &c
		}
		if b, ok = appendScalar(b, v, false, opts); !ok {
			return b, false
		}
		if comment != "" {
			b = append(append(b, ' '), comment...)
		}
		return append(b, '\n'), true
	case yaml.MappingNode:
		if !plainCollection(v, "!!map") {
			return b, false
		}
		b = append(b, '\n')
		return appendMapping(b, v, indent+2, false, opts, false)
	case yaml.SequenceNode:
		if !plainCollection(v, "!!seq") {
			return b, false
		}
		b = append(b, '\n')
		return appendSequence(b, v, indent, opts)
	}
	return b, false
}

// appendSequence writes a non-empty block sequence whose dashes are at
// column indent (kyaml's compact sequence indentation).
func appendSequence(b []byte, n *yaml.Node, indent int, opts emitOptions) ([]byte, bool) {
	for _, e := range n.Content {
		b = appendIndent(b, indent)
		b = append(b, '-', ' ')
		var ok bool
		switch e.Kind {
		case yaml.ScalarNode:
			if b, ok = appendScalar(b, e, false, opts); !ok {
				return b, false
			}
			b = append(b, '\n')
		case yaml.MappingNode:
			if !plainCollection(e, "!!map") {
				return b, false
			}
			if b, ok = appendMapping(b, e, indent+2, true, opts, false); !ok {
				return b, false
			}
		default:
			return b, false
		}
	}
	return b, true
}

// appendMetadata writes the metadata mapping (after "metadata:") without
// the annotations opts drops.
func appendMetadata(b []byte, md *yaml.Node, indent int, opts emitOptions) ([]byte, bool) {
	if !plainCollection(md, "!!map") || len(md.Content)%2 != 0 {
		return b, false
	}
	b = append(b, '\n')
	var ok bool
	for i := 0; i < len(md.Content); i += 2 {
		k, v := md.Content[i], md.Content[i+1]
		if k.Value != "annotations" {
			b = appendIndent(b, indent)
			if b, ok = appendScalar(b, k, true, opts); !ok {
				return b, false
			}
			b = append(b, ':')
			if b, ok = appendValue(b, v, indent, opts); !ok {
				return b, false
			}
			continue
		}
		if v.Kind != yaml.MappingNode || !plainCollection(v, "!!map") || len(v.Content)%2 != 0 {
			return b, false
		}
		kept := 0
		for j := 0; j < len(v.Content); j += 2 {
			if !opts.dropAnnotation(v.Content[j].Value) {
				kept++
			}
		}
		if kept == 0 {
			continue
		}
		b = appendIndent(b, indent)
		if b, ok = appendScalar(b, k, true, opts); !ok {
			return b, false
		}
		b = append(b, ':', '\n')
		for j := 0; j < len(v.Content); j += 2 {
			ak, av := v.Content[j], v.Content[j+1]
			if opts.dropAnnotation(ak.Value) {
				continue
			}
			b = appendIndent(b, indent+2)
			if b, ok = appendScalar(b, ak, true, opts); !ok {
				return b, false
			}
			b = append(b, ':')
			if b, ok = appendValue(b, av, indent+2, opts); !ok {
				return b, false
			}
		}
	}
	return b, true
}

const spaces = "                                                                "

func appendIndent(b []byte, n int) []byte {
	for n > len(spaces) {
		b = append(b, spaces...)
		n -= len(spaces)
	}
	return append(b, spaces[:n]...)
}

// appendScalar writes a scalar in the style the encoder picks for it: the
// node's quoting if it asks for one; else double quotes for a string that
// would read as another type, plain when the scalar allows it, single
// quotes when not. Keys are "simple keys" (at most 128 characters).
func appendScalar(b []byte, n *yaml.Node, key bool, opts emitOptions) ([]byte, bool) {
	v := n.Value
	if n.Kind != yaml.ScalarNode || n.Anchor != "" || n.HeadComment != "" || n.LineComment != "" || n.FootComment != "" ||
		key && len(v) > 128 || !printableASCII(v) {
		return b, false
	}
	quoted := yaml.DoubleQuotedStyle | yaml.SingleQuotedStyle
	if n.Style&^quoted != 0 {
		return b, false // tagged, literal, folded or flow
	}
	if n.Style != 0 {
		if n.Tag != "" && n.Tag != "!!str" {
			return b, false
		}
		if n.Style&yaml.DoubleQuotedStyle != 0 {
			return appendDoubleQuoted(b, v), true
		}
		return appendSingleQuoted(b, v), true
	}
	if v == "" {
		if n.Tag == "!!str" {
			return append(b, '"', '"'), true // an empty plain scalar is null
		}
		return b, false
	}
	var style byte
	switch n.Tag {
	case "!!str":
		if opts.styles == nil || letter(v[0]) {
			style = plainStringStyle(v, opts.quote11)
			break
		}
		var seen bool
		if style, seen = opts.styles[v]; !seen {
			style = plainStringStyle(v, opts.quote11)
			opts.styles[v] = style
		}
	case "":
		// No tag: the encoder does not check what the value reads as.
		style = 'p'
		if opts.quote11 && plainTag(v) == "!!str" && AmbiguousInYAML11(v) {
			style = 'd'
		}
	case "!!int", "!!bool", "!!null", "!!float":
		if plainTag(v) != n.Tag {
			return b, false // the encoder would write the tag
		}
		style = 'p'
	default:
		return b, false
	}
	switch {
	case style == 'd':
		return appendDoubleQuoted(b, v), true
	case style == 's' || !plainAllowed(v):
		return appendSingleQuoted(b, v), true
	}
	return append(b, v...), true
}

// plainStringStyle is the style in which a !!str scalar asking for none is
// written: 'd' (double quotes) when it would read as another type, or
// when quote11 and a YAML 1.1 reader would misread it; else 'p' (plain)
// when plain allows it, 's' (single quotes) when not.
func plainStringStyle(v string, quote11 bool) byte {
	switch {
	case plainTag(v) != "!!str", quote11 && AmbiguousInYAML11(v):
		return 'd'
	case !plainAllowed(v):
		return 's'
	}
	return 'p'
}

func letter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// plainTag is the tag a YAML 1.2 reader gives v written plain.
func plainTag(v string) string {
	if letter(v[0]) {
		// Only true, false, null and their capitalisations start with
		// a letter and are not strings.
		switch v {
		case "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL":
		default:
			return "!!str"
		}
	}
	n := yaml.Node{Kind: yaml.ScalarNode, Value: v}
	return n.ShortTag()
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

// plainAllowed reports whether the encoder writes a single-line printable
// ASCII string plain in block context: no leading or trailing space, no
// indicator that would start another token ("- ", ": ", " #", a leading
// '&', '*', '!', '|', '>', quotes, '%', '@', '`', brackets, ',', '#'), no
// document marker.
func plainAllowed(v string) bool {
	if v[0] == ' ' || v[len(v)-1] == ' ' || strings.HasPrefix(v, "---") || strings.HasPrefix(v, "...") {
		return false
	}
	followedByBlank := func(i int) bool { return i+1 >= len(v) || v[i+1] == ' ' }
	switch v[0] {
	case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return false
	case '?', ':', '-':
		if followedByBlank(0) {
			return false
		}
	}
	for i := 1; i < len(v); i++ {
		switch v[i] {
		case ':':
			if followedByBlank(i) {
				return false
			}
		case '#':
			if v[i-1] == ' ' {
				return false
			}
		}
	}
	return true
}

func appendDoubleQuoted(b []byte, v string) []byte {
	b = append(b, '"')
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case '"', '\\':
			b = append(b, '\\', c)
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

func appendSingleQuoted(b []byte, v string) []byte {
	b = append(b, '\'')
	for i := 0; i < len(v); i++ {
		if v[i] == '\'' {
			b = append(b, '\'')
		}
		b = append(b, v[i])
	}
	return append(b, '\'')
}

// literalBlock reports whether the encoder writes the mapping value n as
// a literal block: a string that asks for one or spans lines.
func literalBlock(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && (n.Tag == "!!str" || n.Tag == "") &&
		(n.Style == yaml.LiteralStyle || n.Style == 0 && strings.Contains(n.Value, "\n"))
}

// appendLiteral writes v as a literal block whose lines are indented to
// column indent, after a mapping key: "|" ("|-" without a final line
// break), then each line, empty lines without indentation. It declines
// what the encoder writes otherwise: a string the block cannot hold
// (a space before a line break or at the end, control characters),
// one starting with a space or a line break (an indentation hint), or
// ending in more than one line break ("|+").
func appendLiteral(b []byte, v string, indent int) ([]byte, bool) {
	if v == "" || v[0] == ' ' || v[0] == '\n' || v[len(v)-1] == ' ' || strings.HasSuffix(v, "\n\n") ||
		strings.Contains(v, " \n") {
		return b, false
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c != '\n' && c != '\t' && (c < 0x20 || c > 0x7e) {
			return b, false
		}
	}
	b = append(b, ' ', '|')
	if v[len(v)-1] != '\n' {
		b = append(b, '-')
	}
	b = append(b, '\n')
	for line := range strings.SplitSeq(strings.TrimSuffix(v, "\n"), "\n") {
		if line != "" {
			b = appendIndent(b, indent)
			b = append(b, line...)
		}
		b = append(b, '\n')
	}
	return b, true
}
