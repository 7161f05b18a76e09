package fn

import (
	"errors"
	"fmt"
	"strings"

	"github.com/failoverkit/ipfailover/contract"
)

// specPath is the spec field path of a contract finding, with the entry
// index for list fields: FieldVirtualIPs with Index 3 is
// "spec.virtualIPs[3]".
func specPath(f contract.Field, i int) string {
	p, ok := specFields[f]
	if !ok {
		p = "spec"
	}
	if i >= 0 {
		return index(p, i)
	}
	return p
}

// contractProblems turns the (joined) error of a contract check into
// problems at spec paths. keep filters the findings; nil keeps all.
func contractProblems(err error, keep func(*contract.FieldError) bool) problems {
	var out problems
	for _, e := range flatten(err) {
		var fe *contract.FieldError
		if !errors.As(e, &fe) {
			out.errorf("spec", "%v", e)
			continue
		}
		if keep != nil && !keep(fe) {
			continue
		}
		msg := fieldMessage(fe)
		if fe.Other >= 0 {
			msg += " (also " + specPath(fe.Field, fe.Other) + ")"
		}
		out.errorf(specPath(fe.Field, fe.Index), "%s", msg)
	}
	return out
}

// fieldMessage is the rule of a contract finding, prefixed with the
// offending value unless the rule already quotes it.
func fieldMessage(fe *contract.FieldError) string {
	if fe.Value == "" || strings.Contains(fe.Rule, fe.Value) {
		return fe.Rule
	}
	return fmt.Sprintf("%q: %s", fe.Value, fe.Rule)
}

// flatten unwraps errors.Join trees into their leaves.
func flatten(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}
