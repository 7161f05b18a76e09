package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"

	"github.com/failoverkit/ipfailover/fn"
)

// kustomizationFiles are the names under which kustomize finds a
// kustomization in a directory.
var kustomizationFiles = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// runDiscover is the discovery command of the Argo CD plugin
// (spec.discover.find.command): Argo CD picks the plugin for an
// application directory when the command exits 0 with output. It prints
// the files below DIR (default ".") that hold an IPFailover, read as the
// files mode reads them, and prints nothing when there are none or when
// DIR holds a kustomization, which is kustomize's to render. Files that do
// not parse are skipped: generate reports them if the plugin is chosen.
// Only an unreadable DIR is an error.
func runDiscover(env Env, args []string) int {
	if i := slices.IndexFunc(args, func(a string) bool { return len(a) > 1 && a[0] == '-' }); i >= 0 {
		fmt.Fprintf(env.Stderr, "ipfailover-render discover: unknown flag %s (it takes none); see ipfailover-render discover --help\n", args[i])
		return ExitUsage
	}
	if len(args) > 1 {
		fmt.Fprintf(env.Stderr, "ipfailover-render discover: one directory at most, got %q\n", args)
		return ExitUsage
	}
	dir := "."
	if len(args) == 1 {
		dir = args[0]
	}
	if kustomizeRoot(dir) {
		return ExitOK
	}
	files, err := yamlFiles([]string{dir})
	if err != nil {
		fmt.Fprintf(env.Stderr, "ipfailover-render discover: %v\n", err)
		return ExitError
	}
	for _, f := range files {
		if holdsIPFailover(f) {
			rel, err := filepath.Rel(dir, f)
			if err != nil {
				rel = f
			}
			fmt.Fprintln(env.Stdout, filepath.ToSlash(rel))
		}
	}
	return ExitOK
}

// holdsIPFailover reports whether the YAML file parses and holds an
// IPFailover.
func holdsIPFailover(file string) bool {
	data, err := os.ReadFile(file)
	if err != nil {
		return false
	}
	objs, err := kfn.ParseKubeObjects(data)
	if err != nil {
		return false
	}
	for _, o := range objs {
		if !o.IsEmpty() && fn.IsIPFailover(o) {
			return true
		}
	}
	return false
}

const discoverUsage = `Usage: ipfailover-render discover [DIR]

The discovery command of the Argo CD plugin: prints the files below DIR
(default .) that hold an IPFailover, one a line, and nothing when there is
none or when DIR holds a kustomization (kustomize renders those). The exit
status is 0 unless DIR cannot be read. It takes no flags.
`
