package cli

import (
	"flag"
	"fmt"
	"strings"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"

	"github.com/failoverkit/ipfailover/fn"
)

// runImport prints the IPFailovers equivalent to the hand-written
// Deployments and DeploymentConfigs in the files, each headed by a comment
// naming its source. On error stdout stays empty.
func runImport(env Env, args []string) int {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	var namespace string
	fs.StringVar(&namespace, "n", "", "")
	fs.StringVar(&namespace, "namespace", "", "")
	paths, ok := parseFlags(env, "import", fs, args)
	if !ok {
		return ExitUsage
	}
	if len(paths) == 0 {
		fmt.Fprint(env.Stderr, "ipfailover-render import: name the files or directories to read\n\n"+importUsage)
		return ExitUsage
	}
	objs, err := readObjects(paths)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ipfailover-render import: %v\n", err)
		return ExitError
	}
	imported, results := fn.Import(objs, namespace)
	// Check what would be rendered too: the spec must be valid as printed.
	var printed []*kfn.KubeObject
	for _, im := range imported {
		obj, err := SpecObject(im.IPFailover)
		if err != nil {
			fmt.Fprintf(env.Stderr, "ipfailover-render: %v\n", err)
			return ExitError
		}
		results = append(results, fn.Render(nil, obj).Results...)
		printed = append(printed, obj)
	}
	if code := report(env, results, false); code != ExitOK {
		return code
	}
	var b strings.Builder
	for i, obj := range printed {
		src := imported[i].Source
		if i > 0 {
			b.WriteString("---\n")
		}
		fmt.Fprintf(&b, "# Imported from %s %s/%s", src.GetKind(), src.GetNamespace(), src.GetName())
		if p := src.GetAnnotation("internal.config.kubernetes.io/path"); p != "" {
			fmt.Fprintf(&b, " (%s)", p)
		}
		b.WriteString(".\n")
		b.WriteString(obj.String())
	}
	_, err = env.Stdout.Write([]byte(b.String()))
	if err != nil {
		return ExitError
	}
	return ExitOK
}

const importUsage = `Usage: ipfailover-render import [-n NS] FILE|DIR...

Prints the IPFailover equivalent to each hand-written Deployment or
DeploymentConfig among the files that sets OPENSHIFT_HA_* variables, headed
by a comment naming it. Pass the ConfigMaps that hold its check and notify
scripts too.

  -n, --namespace NS   namespace of the IPFailovers (default: the workload's, else default)
`
