package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/failoverkit/ipfailover/contract"
)

const usageHead = `ipfailover-node keeps the virtual IPs of a failover set on exactly one
healthy node with VRRP. It reads the environment of OpenShift's
keepalived-ipfailover image, so its pods are configured like that image's.

Usage:
  ipfailover-node [flags] [run]    serve the set until SIGTERM (the default)
  ipfailover-node [flags] cleanup  remove this set's VIPs and firewall rules
                                   from the node, saying what was removed
  ipfailover-node version          print the version (also --version)
  ipfailover-node help             print this help (also -h, --help)

Flags (before or after the mode):
  --log-format text|json              log format (default text)
  --log-level debug|info|warn|error   log level (default info)

`

const usageTail = `
The defaults, formats and rules of every variable are in the README,
"The environment contract":
https://github.com/failoverkit/ipfailover#the-environment-contract

Exit status: 0 success, 1 the agent failed, 2 a wrong command line or
environment.
`

// printUsage prints the help: the modes, the flags and the environment
// variables of the contract (contract.KnownVars), the image's first, then
// those only this agent reads (contract.AgentOnly).
func printUsage(w io.Writer) {
	var image, ours []string
	for _, v := range contract.KnownVars() {
		if contract.AgentOnly(v) {
			ours = append(ours, v)
		} else {
			image = append(image, v)
		}
	}
	var b strings.Builder
	b.WriteString(usageHead)
	b.WriteString("Environment, as OpenShift's keepalived-ipfailover image reads it:\n")
	wrap(&b, image)
	b.WriteString("and the agent's own:\n")
	wrap(&b, ours)
	b.WriteString(usageTail)
	fmt.Fprint(w, b.String())
}

// wrap writes the names indented, filling lines up to 78 columns.
func wrap(b *strings.Builder, names []string) {
	line := " "
	for _, n := range names {
		if len(line)+1+len(n) > 78 {
			b.WriteString(line + "\n")
			line = " "
		}
		line += " " + n
	}
	b.WriteString(line + "\n")
}
