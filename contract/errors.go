package contract

import (
	"fmt"
	"strings"
)

// Field names a setting of the contract independently of how a caller spells
// it: the agent reports the environment variable, the renderer the spec path.
type Field int

// Fields of the contract.
const (
	FieldUnknown Field = iota
	FieldConfigName
	FieldVirtualIPs
	FieldVIPGroups
	FieldInterface
	FieldMonitorPort
	FieldReplicaCount
	FieldVRIDOffset
	FieldExcludedVRIDs
	FieldIPTablesChain
	FieldCheckScript
	FieldCheckInterval
	FieldNotifyScript
	FieldPreemption
	FieldUnicastPeers
	FieldUnicastSource
	FieldMulticastSource
	FieldVRRPVersion
	FieldAdvertInterval
	FieldHealthPort
	FieldPriority
	FieldNodes
	FieldNodeName
	FieldIPTablesBackend
	FieldCheckTCP
	FieldCheckHTTP
	FieldCheckHTTPStatus
	FieldCheckTimeout
	FieldCheckTLSInsecure
)

// EnvName is the environment variable that carries the field.
func (f Field) EnvName() string {
	if n, ok := fieldEnv[f]; ok {
		return n
	}
	return "UNKNOWN"
}

// String returns the environment variable name.
func (f Field) String() string { return f.EnvName() }

// FieldError is a value that breaks a rule of the contract. Index is the
// position of the offending entry in a list-valued field (VIP entries,
// excluded VRIDs, peers), or -1 when the whole field is at fault. Other is
// the position of an earlier entry the finding refers to (the first copy
// of a duplicate), or -1.
type FieldError struct {
	Field Field
	Index int
	Other int
	Value string
	Rule  string
}

// Error names the environment variable, the entry and the rule.
func (e *FieldError) Error() string {
	var b strings.Builder
	b.WriteString(e.Field.EnvName())
	if e.Index >= 0 {
		fmt.Fprintf(&b, " entry %d", e.Index+1)
	}
	if e.Value != "" {
		fmt.Fprintf(&b, " %q", e.Value)
	}
	b.WriteString(": ")
	b.WriteString(e.Rule)
	if e.Other >= 0 {
		fmt.Fprintf(&b, " (also entry %d)", e.Other+1)
	}
	return b.String()
}

func fieldErr(f Field, index int, value, format string, args ...any) *FieldError {
	return &FieldError{Field: f, Index: index, Other: -1, Value: value, Rule: fmt.Sprintf(format, args...)}
}

func dupErr(f Field, index, other int, value, format string, args ...any) *FieldError {
	e := fieldErr(f, index, value, format, args...)
	e.Other = other
	return e
}
