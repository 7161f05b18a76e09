package fn

import (
	"strconv"
	"strings"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// The output is read by YAML 1.1 parsers too: kubectl and Argo CD (through
// sigs.k8s.io/yaml and go.yaml.in/yaml/v2), PyYAML. They resolve plain
// scalars that YAML 1.2 reads as strings — NO, on, y, 0o17, 1:20, ~,
// 2001-12-14 — to booleans, numbers, nulls or timestamps. The YAML 1.2
// encoder writes such strings plain; QuoteForYAML11 quotes them.

// yaml11Words are the YAML 1.1 booleans and nulls (yaml.org/type/bool.html,
// null.html), the merge and value keys, and a lone "-".
var yaml11Words = map[string]bool{
	"y": true, "Y": true, "yes": true, "Yes": true, "YES": true,
	"n": true, "N": true, "no": true, "No": true, "NO": true,
	"true": true, "True": true, "TRUE": true, "false": true, "False": true, "FALSE": true,
	"on": true, "On": true, "ON": true, "off": true, "Off": true, "OFF": true,
	"~": true, "null": true, "Null": true, "NULL": true, "": true,
	"<<": true, "=": true, "-": true,
}

// maxYAML11Word is the length of the longest of yaml11Words ("FALSE").
const maxYAML11Word = 5

// yaml11Number matches the YAML 1.1 int, float and timestamp forms as
// PyYAML's resolver writes them (yaml.org/type/int.html, float.html,
// timestamp.html), sexagesimal included.
var yaml11Number = lazyRegexp(`^(?:` +
	`[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+` + // int
	`|[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*` + // float
	`|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)` +
	`|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?` + // timestamp
	`)$`)

// yamlV2Float is the float syntax go.yaml.in/yaml/v2 accepts besides
// YAML 1.1's (1e3: no dot).
var yamlV2Float = lazyRegexp(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// AmbiguousInYAML11 reports whether a YAML 1.1 reader (PyYAML, or
// go.yaml.in/yaml/v2 as kubectl uses it) would read s, written as a plain
// scalar, as anything but the string s.
func AmbiguousInYAML11(s string) bool {
	if len(s) <= maxYAML11Word && yaml11Words[s] {
		return true
	}
	switch c := s[0]; {
	case c >= '0' && c <= '9', c == '+', c == '-', c == '.':
	default:
		return false
	}
	if yaml11Number().MatchString(s) {
		return true
	}
	// go.yaml.in/yaml/v2 reads what strconv reads in base 0 (0o17, 0X1F,
	// 1_000) and floats without a dot.
	plain := strings.ReplaceAll(s, "_", "")
	if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return true
	}
	if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return true
	}
	if yamlV2Float().MatchString(plain) {
		return true
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil && s[0] == '.'
}

// quoteYAML11 double-quotes every plain string scalar of the tree, keys
// included, that a YAML 1.1 reader would read as something else.
func quoteYAML11(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode {
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 &&
			n.ShortTag() == yaml.NodeTagString && AmbiguousInYAML11(n.Value) {
			n.Style = yaml.DoubleQuotedStyle
		}
		return
	}
	for _, c := range n.Content {
		quoteYAML11(c)
	}
}

// QuoteForYAML11 makes objs read the same to YAML 1.1 readers (see
// AmbiguousInYAML11). Only the quoting of strings changes.
func QuoteForYAML11(objs kfn.KubeObjects) {
	for _, o := range objs {
		quoteYAML11(objNode(o))
	}
}

// objNode is the YAML tree of obj itself (not a copy).
func objNode(obj *kfn.KubeObject) *yaml.Node {
	rn := obj.MoveToResourceNode()
	n := rn.YNode()
	*obj = *kfn.MoveToKubeObject(rn)
	return n
}
