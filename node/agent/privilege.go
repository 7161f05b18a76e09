package agent

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
)

// Capabilities the agent needs, as a person adds them to the container's
// securityContext.capabilities (without the CAP_ prefix there).
const (
	capNetRaw   = "CAP_NET_RAW"   // raw VRRP sockets, ARP/NA packet socket, SO_BINDTODEVICE
	capNetAdmin = "CAP_NET_ADMIN" // adding and removing VIPs, iptables rules
)

// needCap names the missing capability when err is a permission error:
// EPERM from the kernel means the process lacks it.
func needCap(err error, capability, what string) error {
	if err == nil || !(errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EACCES)) {
		return err
	}
	return fmt.Errorf("%w: the agent lacks %s, which %s needs: run the container privileged or add it to securityContext.capabilities", err, capability, what)
}

// capBits are the capability numbers of linux/capability.h the agent needs.
var capBits = []struct {
	name string
	bit  uint
	why  string
}{
	{capNetAdmin, 12, "adding and removing VIPs and the iptables rule"},
	{capNetRaw, 13, "the VRRP sockets and announcing VIPs"},
}

// checkCapabilities refuses to start without the capabilities the agent
// needs, naming each one missing: without CAP_NET_ADMIN a master would
// hold no VIP while its adverts keep the backups from taking over.
// effective is the CapEff line of /proc/self/status (hexadecimal).
func checkCapabilities(effective string) error {
	var eff uint64
	if _, err := fmt.Sscanf(effective, "%x", &eff); err != nil {
		return fmt.Errorf("reading the effective capabilities %q: %w", effective, err)
	}
	var missing []string
	for _, c := range capBits {
		if eff&(1<<c.bit) == 0 {
			missing = append(missing, fmt.Sprintf("%s (for %s)", c.name, c.why))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("the agent lacks %s: run the container privileged or add them to securityContext.capabilities", strings.Join(missing, " and "))
	}
	return nil
}
