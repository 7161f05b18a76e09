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
	return ranges, false, contractProblems(err, nil)
}
