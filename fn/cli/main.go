package cli

import (
	"fmt"
	"io"
	"slices"
)

// Env is what a run of the binary sees of the world.
type Env struct {
	// Args are the command-line arguments without the program name.
	Args []string
	// Stdin, Stdout and Stderr are the standard streams.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// LookupEnv reads an environment variable, like os.LookupEnv.
	LookupEnv func(string) (string, bool)
	// Version is printed by --version.
	Version string
}

// Exit codes.
const (
	ExitOK    = 0
	ExitError = 1 // the input is wrong: the errors are on stderr
	ExitUsage = 2 // the command line is wrong
)

// EnvPluginConfig is the variable through which kustomize passes the config
// to a legacy exec plugin.
const EnvPluginConfig = "KUSTOMIZE_PLUGIN_CONFIG_STRING"

// Main runs ipfailover-render and returns its exit code.
func Main(env Env) int {
	args := env.Args
	switch {
	case len(args) > 0 && (args[0] == "--help" || args[0] == "-h" || args[0] == "help"):
		fmt.Fprint(env.Stdout, usage)
		return ExitOK
	case len(args) > 0 && args[0] == "--version":
		fmt.Fprintf(env.Stdout, "ipfailover-render %s\n", env.Version)
		return ExitOK
	}
	if cfg, ok := env.LookupEnv(EnvPluginConfig); ok {
		return runLegacyPlugin(env, cfg)
	}
	switch {
	case len(args) == 0:
		return runKRM(env)
	case args[0] == "ipfailover":
		return runGenerator(env, args[1:])
	case args[0] == "import":
		return runImport(env, args[1:])
	case args[0] == "discover":
		return runDiscover(env, args[1:])
	}
	if i := slices.IndexFunc(args, func(a string) bool { return len(a) > 1 && a[0] == '-' }); i >= 0 {
		fmt.Fprintf(env.Stderr, "ipfailover-render: unknown flag %s\n\n%s", args[i], usage)
		return ExitUsage
	}
	return runFiles(env, args)
}

const usage = `ipfailover-render renders IPFailover objects into the Kubernetes objects of
a VRRP IP failover set.

Usage:
  ipfailover-render < resourcelist.yaml
      KRM function (kpt fn render/eval, kustomize generators): reads a
      ResourceList, renders every IPFailover among its items and in its
      functionConfig, writes the ResourceList; error results also go to
      stderr and make the exit status 1.
  KUSTOMIZE_PLUGIN_CONFIG_STRING=<IPFailover yaml> ipfailover-render
      Legacy kustomize exec plugin (kubectl kustomize --enable-alpha-plugins):
      prints the generated objects as a YAML stream.
  ipfailover-render FILE|DIR...
      Reads every *.yaml/*.yml (directories recursively, skipping dot
      directories), renders every IPFailover and prints them, with the other
      objects, as a YAML stream (Argo CD plugin generate command).
      IPFailovers without a namespace or (target Agent) an image take them
      from IPFAILOVER_NAMESPACE (else ARGOCD_APP_NAMESPACE) and
      IPFAILOVER_AGENT_IMAGE, each also read as ARGOCD_ENV_<name>, first.
  ipfailover-render discover [DIR]
      Argo CD plugin discovery: prints the files of DIR (default .) that
      hold an IPFailover, nothing when there is none or DIR is a
      kustomization (kustomize renders those); exit status 0 unless DIR
      cannot be read.
  ipfailover-render ipfailover [NAME] --virtual-ips=... [flags]
      The flags of "oc adm ipfailover"; prints the IPFailover they describe,
      or with -o manifests the objects it renders. Run with --help for flags.
  ipfailover-render import FILE|DIR...
      Reads hand-written Deployments or DeploymentConfigs that set
      OPENSHIFT_HA_* variables (with the ConfigMaps holding their scripts)
      and prints the equivalent IPFailover objects.
  ipfailover-render --help | --version

Errors go to stderr as "<Kind>/<name> <field>: <message>"; the exit status is
1 for errors in the input and 2 for a wrong command line.
`
