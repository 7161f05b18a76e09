package fn

import (
	"github.com/failoverkit/ipfailover/contract"
)

// parseVIPs parses spec.virtualIPs with the contract. When the list as a
// whole is valid it returns its ranges and true. Otherwise it reports every
// entry that does not parse on its own at its index, and the first
// list-level finding of contract.ParseVIPEntries (a duplicate, or too many
// VIPs) when every entry parses; and it returns, with false, the longest
// valid list it can assemble from the entries in order, so that the group
// and VRID checks can still run.
func parseVIPs(entries []string) ([]contract.Range, bool, problems) {
	ranges, _, err := contract.ParseVIPEntries(entries)
	if err == nil {
		return ranges, true, nil
	}
	var out problems
	var parsed []string
	for i, e := range entries {
		if _, perr := contract.ParseRange(e); perr != nil {
			out = append(out, contractProblems(&contract.FieldError{
				Field: contract.FieldVirtualIPs, Index: i, Value: e, Rule: perr.Error(),
			}, nil)...)
			continue
		}
		parsed = append(parsed, e)
	}
	if len(out) == 0 {
		out = contractProblems(err, nil) // every entry parses: the finding is about the list
	}
	return validPrefix(parsed), false, out
}

// maxRecheck bounds the quadratic search of validPrefix.
const maxRecheck = 256

// validPrefix keeps, in order, each entry that the contract accepts after
// the ones kept before it (skipping duplicates and overflow).
func validPrefix(entries []string) []contract.Range {
	var kept []string
	var ranges []contract.Range
	for i, e := range entries {
		if i == maxRecheck {
			break
		}
		r, _, err := contract.ParseVIPEntries(append(kept, e))
		if err != nil {
			continue
		}
		kept, ranges = append(kept, e), r
	}
	return ranges
}
