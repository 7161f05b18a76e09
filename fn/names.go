package fn

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

// Names of the generated objects.
func rbName(set, role string) string { return set + "-scc-" + role }
func scriptsName(set string) string  { return set + "-scripts" }

// jobName is the name of the cleanup Job of set on node: "<set>-cleanup-
// <node>" when that is a DNS-1123 label (Job names become the job-name
// label of their pods, so at most 63 characters), else its sanitised
// prefix cut to fit, followed by "-" and the first 8 hex digits of the
// SHA-256 of the node name, which keeps it unique per node.
func jobName(set, node string) string {
	name := set + "-cleanup-" + node
	if isDNS1123Label(name) {
		return name
	}
	sum := sha256.Sum256([]byte(node))
	suffix := "-" + hex.EncodeToString(sum[:])[:8]
	prefix := sanitizeLabel(name)
	if max := validation.DNS1123LabelMaxLength - len(suffix); len(prefix) > max {
		prefix = prefix[:max]
	}
	return strings.TrimRight(prefix, "-") + suffix
}

// sanitizeLabel lower-cases s and replaces every character a DNS-1123
// label cannot hold with '-'.
func sanitizeLabel(s string) string {
	b := []byte(strings.ToLower(s))
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			b[i] = '-'
		}
	}
	return strings.Trim(string(b), "-")
}

// selectorLabels select the set's failover pods.
func selectorLabels(set string) map[string]string {
	return map[string]string{
		LabelName:      AppName,
		LabelInstance:  set,
		LabelComponent: ComponentFailover,
	}
}

// objectLabels label every generated object; component is "" for the
// objects that serve both the failover pods and the cleanup Jobs.
func objectLabels(set, component string) map[string]string {
	l := map[string]string{
		LabelName:      AppName,
		LabelInstance:  set,
		LabelManagedBy: ManagedBy,
	}
	if component != "" {
		l[LabelComponent] = component
	}
	return l
}

// scriptsHash is the SHA-256 of the scripts, keys in order, each key and
// value length-prefixed so that no two different maps hash alike.
func scriptsHash(data map[string]string) string {
	h := sha256.New()
	for _, k := range sortedKeys(data) {
		for _, s := range []string{k, data[k]} {
			var n [8]byte
			for i, l := 0, len(s); i < 8; i, l = i+1, l>>8 {
				n[i] = byte(l)
			}
			h.Write(n[:])
			h.Write([]byte(s))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// isDNS1123Label is validation.IsDNS1123Label without its regular
// expression, which took a tenth of rendering 10 000 cleanup Jobs: at most
// 63 characters of a-z, 0-9 and '-', starting and ending with a letter or
// digit.
func isDNS1123Label(s string) bool {
	if s == "" || len(s) > validation.DNS1123LabelMaxLength || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
