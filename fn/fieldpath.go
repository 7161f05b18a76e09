package fn

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/failoverkit/ipfailover/contract"
)

// specFields maps each field of the env contract to the spec field that
// sets it. Fields the spec does not expose map to "spec".
var specFields = map[contract.Field]string{
	contract.FieldConfigName:     "metadata.name",
	contract.FieldVirtualIPs:     "spec.virtualIPs",
	contract.FieldVIPGroups:      "spec.groups",
	contract.FieldInterface:      "spec.interface",
	contract.FieldMonitorPort:    "spec.monitorPort",
	contract.FieldReplicaCount:   "spec.replicas",
	contract.FieldVRIDOffset:     "spec.vrrp.idOffset",
	contract.FieldExcludedVRIDs:  "spec.vrrp.excludedIDs",
	contract.FieldIPTablesChain:  "spec.iptablesChain",
	contract.FieldCheckScript:    "spec.checkScript",
	contract.FieldCheckInterval:  "spec.checkInterval",
	contract.FieldNotifyScript:   "spec.notifyScript",
	contract.FieldPreemption:     "spec.preemption.delay",
	contract.FieldUnicastPeers:   "spec.vrrp.unicastPeers",
	contract.FieldVRRPVersion:    "spec.vrrp.version",
	contract.FieldAdvertInterval: "spec.vrrp.advertInterval",
	contract.FieldHealthPort:     "spec.healthPort",
	contract.FieldNodes:          "spec.nodes",
}

// SpecPath is the spec field path of a contract finding, with the entry
// index for list fields: FieldVirtualIPs with Index 3 is
// "spec.virtualIPs[3]".
func SpecPath(f contract.Field, i int) string {
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
		out.errorf(SpecPath(fe.Field, fe.Index), "%s", specEntries(fieldMessage(fe), SpecPath(fe.Field, -1)))
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

// entryRef matches the contract's 1-based references to other entries of
// a list ("already in entry 2", "also entry 2").
var entryRef = regexp.MustCompile(`\bentry (\d+)\b`)

// specEntries rewrites the contract's 1-based "entry N" references into
// the spec's 0-based paths: "entry 2" of spec.virtualIPs becomes
// spec.virtualIPs[1].
func specEntries(msg, field string) string {
	return entryRef.ReplaceAllStringFunc(msg, func(m string) string {
		n, err := strconv.Atoi(entryRef.FindStringSubmatch(m)[1])
		if err != nil || n < 1 {
			return m
		}
		return index(field, n-1)
	})
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
