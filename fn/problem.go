package fn

import (
	"fmt"
	"strings"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
)

// problem is one finding about an IPFailover: an error (the set is not
// rendered) or a warning (it is, but the choice is risky).
type problem struct {
	// Severity is kfn.Error or kfn.Warning.
	Severity kfn.Severity
	// Field is the path of the offending field, e.g. "spec.virtualIPs[3]",
	// or "" when the object as a whole is at fault.
	Field string
	// Message says what is wrong and, where it helps, what to do.
	Message string
}

// problems collects the findings about one object.
type problems []problem

func (p *problems) errorf(field, format string, args ...any) {
	*p = append(*p, problem{Severity: kfn.Error, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (p *problems) warnf(field, format string, args ...any) {
	*p = append(*p, problem{Severity: kfn.Warning, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (p problems) hasErrors() bool {
	for _, x := range p {
		if x.Severity == kfn.Error {
			return true
		}
	}
	return false
}

// index is the path of entry i of a list field: "spec.nodes[2]".
func index(field string, i int) string { return fmt.Sprintf("%s[%d]", field, i) }

// mapKey is the path of key k of a map field: "spec.nodeSelector.zone",
// or "spec.resources.limits[example.com/dev]" when k holds '.' or '/'.
func mapKey(field, k string) string {
	if strings.ContainsAny(k, "./[]") {
		return field + "[" + k + "]"
	}
	return join(field, k)
}
