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

// mayMatchNumber is false for strings that neither yaml11Number nor
// yamlV2Float can match: two dots (every form has at most one: an IP
// address), a byte no form has, or a letter only hexadecimal digits have
// (B, c, C, d, D) without the x of 0x (a SHA-256 in hex). It spares most
// runs of the binary compiling the expressions (2% of a run of the docs
// example). TestMayMatchNumber holds it to the expressions.
func mayMatchNumber(s string) bool {
	dots, hexOnly, x := 0, false, false
	for i := range len(s) {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == '+', c == '-', c == '_', c == ':', c == ' ', c == '\t':
		case c == '.':
			if dots++; dots > 1 {
				return false
			}
		case c == 'x':
			x = true
		case c == 'B', c == 'c', c == 'C', c == 'd', c == 'D':
			hexOnly = true
		case c >= 'a' && c <= 'f', c >= 'A' && c <= 'F', c == 'i', c == 'n', c == 'I', c == 'N', c == 'T', c == 't', c == 'Z':
		default:
			return false
		}
	}
	return x || !hexOnly
}

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
	// go.yaml.in/yaml/v2 reads what strconv reads in base 0 (0o17, 0X1F,
	// 1_000) and floats without a dot. These come first: they decide most
	// numbers without compiling the expressions below.
	plain := strings.ReplaceAll(s, "_", "")
	if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return true
	}
	if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return true
	}
	if mayMatchNumber(s) && (yaml11Number().MatchString(s) || yamlV2Float().MatchString(plain)) {
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
