// Command argocd-cmp-server is Argo CD's config management plugin server,
// the process that runs in a repo-server sidecar, built from the argo-cd
// module that go.mod pins. It exists only so that the end-to-end test of
// the ipfailover plugin runs the real server rather than an imitation.
package main

import (
	"os"

	"github.com/argoproj/argo-cd/v3/cmd/argocd-cmp-server/commands"
)

func main() {
	cmd := commands.NewCommand()
	// As Argo CD's own multi-call main does for this binary: the command
	// reports its errors in its log, not twice with a usage text.
	cmd.SilenceErrors = true
	cmd.SilenceUsage = true
	if err := cmd.Execute(); err != nil {
		os.Exit(1)
	}
}
