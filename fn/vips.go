package fn

import (
	"github.com/failoverkit/ipfailover/contract"
)

// parseVIPs parses spec.virtualIPs with the contract. When the list is
// valid it returns its ranges and true. Otherwise it reports every finding
// at its entry's path and returns, with false, the entries that passed, so
// that the group and VRID checks can still run.
func parseVIPs(entries []string) ([]contract.Range, bool, problems) {
	ranges, _, err := contract.ParseVIPEntries(entries)
	if err == nil {
		return ranges, true, nil
	}
	// The contract's advice for an empty entry is about the commas of the
	// variable; in the spec it is an entry to drop.
	var out problems
	for i, e := range entries {
		if e == "" {
			out.errorf(index("spec.virtualIPs", i), "is empty: remove the entry")
		}
	}
	return ranges, false, append(out, contractProblems(err, func(fe *contract.FieldError) bool {
		return fe.Index < 0 || fe.Index >= len(entries) || entries[fe.Index] != ""
	})...)
}
