package fn

import (
	"fmt"
	"strings"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
)

// Process is the KRM function: it renders the IPFailovers of the
// ResourceList (see Render) into its items and appends the results. It
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
