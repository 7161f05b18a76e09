//go:build linux

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
)

// requirements is printed when something the benchmark needs is missing.
const requirements = `vrrpbench needs:
  - root (network namespaces, raw sockets, AF_PACKET)
  - iproute2 (ip), procps (sysctl), bash (keepalived's check script)
  - keepalived 2.2.x                    Debian: apt-get install keepalived iproute2 procps
  - the two binaries: make build        (bin/ipfailover-node, bin/ipfailover-render)
It installs nothing itself.`

// preflight checks every requirement and returns keepalived's version.
func preflight(c config) (string, error) {
	var errs []error
	if os.Geteuid() != 0 {
		errs = append(errs, errors.New("not running as root"))
	}
	for _, tool := range []string{"ip", "sysctl", "bash"} {
		if _, err := exec.LookPath(tool); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", tool, err))
		}
	}
	for _, bin := range []string{c.nodeBin, c.renderBin} {
		if st, err := os.Stat(bin); err != nil || st.Mode()&0o111 == 0 {
			errs = append(errs, fmt.Errorf("%s is missing or not executable", bin))
		}
	}
	version, err := keepalivedVersion(c.keepalived)
	if err != nil {
		errs = append(errs, err)
	} else if !strings.HasPrefix(version, "2.2.") {
		fmt.Fprintf(os.Stderr, "vrrpbench: warning: keepalived %s is not 2.2.x; the comparison targets 2.2.x\n", version)
	}
	if err := errors.Join(errs...); err != nil {
		return "", fmt.Errorf("%w\n\n%s", err, requirements)
	}
	return version, nil
}

var versionRE = regexp.MustCompile(`Keepalived v(\d+\.\d+\.\d+)`)

// keepalivedVersion runs keepalived --version (it prints to stderr).
func keepalivedVersion(bin string) (string, error) {
	out, err := exec.Command(bin, "--version").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("keepalived (%s): %w", bin, err)
	}
	m := versionRE.FindSubmatch(out)
	if m == nil {
		return "", fmt.Errorf("keepalived --version printed no version: %q", out)
	}
	return string(m[1]), nil
}
