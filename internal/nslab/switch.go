//go:build linux

package nslab

import (
	"fmt"
	"net/netip"
	"strings"
)

// Bridge is the bridge inside a switch namespace.
const Bridge = "br0"

// AddBridge makes sw a dumb switch: IPv6 off on its interfaces, so it stays
// silent, and a bridge that forwards every frame: no multicast snooping
// (link-local multicast such as 224.0.0.18 and ff02::12 must reach every
// port), no STP delay, no uplink.
func AddBridge(sw *NS) error {
	for _, k := range []string{"net.ipv6.conf.all.disable_ipv6", "net.ipv6.conf.default.disable_ipv6"} {
		if err := sw.Sysctl(k, "1"); err != nil {
			return err
		}
	}
	return ipSteps("creating the bridge in "+sw.Name,
		[]string{"ip", "-n", sw.Name, "link", "add", Bridge, "type", "bridge",
			"mcast_snooping", "0", "forward_delay", "0", "stp_state", "0"},
		[]string{"ip", "-n", sw.Name, "link", "set", Bridge, "up"})
}

// Plug connects host to the bridge of sw with a veth pair: port in the
// switch namespace, ifname in the host's, with addrs on ifname, both ends
// up. Both ends are created from the switch side, the host end directly in
// the host namespace: nothing ever appears in the caller's namespace. The
// pair goes with the namespaces.
func Plug(sw, host *NS, port, ifname string, addrs []netip.Prefix) error {
	steps := [][]string{
		{"ip", "-n", sw.Name, "link", "add", port, "type", "veth", "peer", "name", ifname, "netns", host.Name},
		{"ip", "-n", sw.Name, "link", "set", port, "master", Bridge, "up"},
	}
	for _, p := range addrs {
		steps = append(steps, []string{"ip", "-n", host.Name, "addr", "add", p.String(), "dev", ifname})
	}
	steps = append(steps, []string{"ip", "-n", host.Name, "link", "set", ifname, "up"})
	return ipSteps("wiring "+host.Name, steps...)
}

// SetCarrier takes the switch port down (false) or up (true); the host end
// then loses or regains its carrier, as when a cable is pulled.
func SetCarrier(sw *NS, port string, up bool) error {
	link, err := sw.NL.LinkByName(port)
	if err != nil {
		return fmt.Errorf("switch port %s in %s: %w", port, sw.Name, err)
	}
	if up {
		err = sw.NL.LinkSetUp(link)
	} else {
		err = sw.NL.LinkSetDown(link)
	}
	if err != nil {
		return fmt.Errorf("setting switch port %s up=%t: %w", port, up, err)
	}
	return nil
}

// Cut takes the switch port off the bridge, so the host's frames go
// nowhere while it keeps its carrier (a switch that filters traffic, not a
// pulled cable). Restore undoes it.
func Cut(sw *NS, port string) error {
	return ipSteps("cutting "+port, []string{"ip", "-n", sw.Name, "link", "set", port, "nomaster"})
}

// Restore puts a port taken off by Cut back on the bridge.
func Restore(sw *NS, port string) error {
	return ipSteps("restoring "+port, []string{"ip", "-n", sw.Name, "link", "set", port, "master", Bridge})
}

// ipSteps runs `ip -n` commands in order, stopping at the first failure.
func ipSteps(what string, steps ...[]string) error {
	for _, s := range steps {
		if out, err := Command(s...); err != nil {
			return fmt.Errorf("%s: %s: %w: %s", what, strings.Join(s, " "), err, out)
		}
	}
	return nil
}
