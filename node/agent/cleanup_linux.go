package agent

import (
	"fmt"
	"io"

	"github.com/vishvananda/netns"

	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/node/fw"
	"github.com/failoverkit/ipfailover/node/netif"
)

// RunCleanup is the cleanup mode for the calling thread's network namespace.
func RunCleanup(cfg contract.Config, out io.Writer) error {
	m, err := netif.Open(netns.None())
	if err != nil {
		return fmt.Errorf("opening netlink: %w", err)
	}
	defer m.Close()
	name := cfg.Interface
	var link netif.Link
	var linkErr error
	if name == "" {
		linkErr = fmt.Errorf("%s is not set: cleanup needs the interface the VIPs were on", contract.EnvInterface)
	} else {
		link, linkErr = m.LinkByName(name)
	}
	var firewall fw.Firewall
	if cfg.FirewallChain() != "" {
		backend, err := fw.ParseBackend(cfg.IPTablesBackend)
		if err != nil {
			return fmt.Errorf("%s: %w", contract.EnvIPTablesBackend, err)
		}
		fm, err := fw.New(fw.Config{Name: cfg.Name, Backend: backend})
		if err != nil {
			return fmt.Errorf("setting up iptables: %w", err)
		}
		firewall = fm
	}
	return Cleanup(cfg, m, link, linkErr, firewall, out)
}
