package agent

import (
	"errors"
	"fmt"
	"io"
	"net/netip"

	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/node/fw"
	"github.com/failoverkit/ipfailover/node/netif"
)

// Cleanup removes what a failover set may have left on a node: every
// configured VIP on the interface, and the VRRP accept rules of this set in
// the firewall chain. VIPs carrying our mark that this set does not
// configure are left alone: another failover set on the node may hold them.
// It is idempotent and prints each step to out, as the image's
// remove-failover.sh does.
func Cleanup(cfg contract.Config, addrs Addresses, link netif.Link, linkErr error, firewall fw.Firewall, out io.Writer) error {
	fmt.Fprintf(out, "cleanup of failover set %q\n", cfg.Name)
	var errs []error
	switch {
	case errors.Is(linkErr, netif.ErrLinkNotFound):
		fmt.Fprintf(out, "  - interface %q does not exist on this node: no VIPs to release\n", cfg.Interface)
	case linkErr != nil:
		errs = append(errs, linkErr)
	default:
		removed := 0
		current := make(map[netip.Addr]bool)
		if present, err := ownAddresses(link); err == nil {
			for _, a := range present {
				current[a] = true
			}
		} else {
			errs = append(errs, err)
		}
		for _, v := range cfg.Addrs() {
			if !current[v] {
				continue
			}
			if err := addrs.RemoveVIP(link, v); err != nil {
				errs = append(errs, fmt.Errorf("releasing VIP %s on %s: %w", v, link.Name, err))
				continue
			}
			removed++
			fmt.Fprintf(out, "  - released VIP %s on %s\n", v, link.Name)
		}
		if removed == 0 {
			fmt.Fprintf(out, "  - no VIPs of this set on %s\n", link.Name)
		}
	}
	if chain := cfg.FirewallChain(); chain != "" && firewall != nil {
		if err := firewall.Remove(chain); err != nil {
			errs = append(errs, fmt.Errorf("removing the VRRP accept rules from chain %s: %w", chain, err))
		} else {
			fmt.Fprintf(out, "  - removed the VRRP accept rules of this set from chain %s (if there were any)\n", chain)
		}
	} else {
		fmt.Fprintln(out, "  - no firewall chain configured: no rule to remove")
	}
	return errors.Join(errs...)
}
