// Command ipfailover-render renders IPFailover objects into the Kubernetes
// objects of a VRRP IP failover set: as a KRM function (kpt, kustomize), a
// legacy kustomize exec plugin, a file renderer for Argo CD, and the
// "oc adm ipfailover" flags. See docs/renderer.md, or run it with --help.
package main

import (
	"os"

	"github.com/failoverkit/ipfailover/fn/cli"
)

// version is set at build time: -ldflags "-X main.version=v0.1.0".
var version = "dev"

func main() {
	os.Exit(cli.Main(cli.Env{
		Args:      os.Args[1:],
		Stdin:     os.Stdin,
		Stdout:    os.Stdout,
		Stderr:    os.Stderr,
		LookupEnv: os.LookupEnv,
		Version:   version,
	}))
}
