// Command ipfailover-render renders IPFailover objects into the Kubernetes
// objects of a VRRP IP failover set: as a KRM function (kpt, kustomize), a
// legacy kustomize exec plugin, a file renderer for Argo CD, and the
// "oc adm ipfailover" flags. See docs/renderer.md, or run it with --help.
package main

import (
	"os"

	"github.com/failoverkit/ipfailover/fn/cli"
	"github.com/failoverkit/ipfailover/internal/version"
)

func main() {
	os.Exit(cli.Main(cli.Env{
		Args:          os.Args[1:],
		Stdin:         os.Stdin,
		Stdout:        os.Stdout,
		Stderr:        os.Stderr,
		StdinTerminal: isTerminal(os.Stdin),
		LookupEnv:     os.LookupEnv,
		Version:       version.String("ipfailover-render"),
	}))
}

// isTerminal reports whether f is a terminal: a character device other
// than /dev/null (which a script may give as an empty input).
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(fi, null)
}
