package cluster

import (
	"context"
	"fmt"
	"net/netip"
	"os/exec"
	"strings"
	"time"
)

// cmdTimeout bounds every short command the lab runs (ip, ctr, sysctl).
const cmdTimeout = 30 * time.Second

// run runs a short command and returns its combined output.
func run(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), cmdTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, args[0], args[1:]...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return string(out), nil
}

// bridge is the bridge inside the switch namespace.
const bridge = "br0"

// addNamespace creates a network namespace with its loopback up and
// records it in st before anything else can fail.
func (st *state) addNamespace(name string) error {
	if _, err := run("ip", "netns", "add", name); err != nil {
		return err
	}
	st.Namespaces = append(st.Namespaces, name)
	if err := st.save(); err != nil {
		return err
	}
	_, err := run("ip", "-n", name, "link", "set", "lo", "up")
	return err
}

// newSwitch creates the switch namespace and its bridge; multicast
// snooping is off so VRRP adverts reach every port.
func (st *state) newSwitch(name string) error {
	if err := st.addNamespace(name); err != nil {
		return err
	}
	for _, args := range [][]string{
		{"ip", "-n", name, "link", "add", bridge, "type", "bridge", "mcast_snooping", "0"},
		{"ip", "-n", name, "link", "set", bridge, "up"},
	} {
		if _, err := run(args...); err != nil {
			return err
		}
	}
	return nil
}

// attach creates host namespace host with eth0 on the switch's bridge and
// addr on it. The veth is created inside the switch namespace with its
// peer in the host's: nothing passes through the root namespace.
func (st *state) attach(sw, host, port string, addr netip.Addr) error {
	if err := st.addNamespace(host); err != nil {
		return err
	}
	for _, args := range [][]string{
		{"ip", "-n", sw, "link", "add", port, "type", "veth", "peer", "name", Interface, "netns", host},
		{"ip", "-n", sw, "link", "set", port, "master", bridge, "up"},
		{"ip", "-n", host, "addr", "add", netip.PrefixFrom(addr, HostNet.Bits()).String(), "dev", Interface},
		{"ip", "-n", host, "link", "set", Interface, "up"},
	} {
		if _, err := run(args...); err != nil {
			return err
		}
	}
	return nil
}

// deleteNamespace removes one namespace the lab created.
func deleteNamespace(name string) error {
	if _, err := run("ip", "netns", "del", name); err != nil && !strings.Contains(err.Error(), "No such file") {
		return err
	}
	return nil
}
