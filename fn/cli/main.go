package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/failoverkit/ipfailover/internal/suggest"
)

// Env is what a run of the binary sees of the world.
type Env struct {
	// Args are the command-line arguments without the program name.
	Args []string
	// Stdin, Stdout and Stderr are the standard streams.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// StdinTerminal is true when stdin is a terminal: with no arguments
	// there is then no ResourceList to wait for, and the usage is printed.
	StdinTerminal bool
	// LookupEnv reads an environment variable, like os.LookupEnv.
	LookupEnv func(string) (string, bool)
	// Version is the line --version and version print.
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

// modeUsage is the help of each mode named by the first argument; "" is
// the program's.
var modeUsage = map[string]string{
	"":           usage,
	"ipfailover": generatorUsage,
	"import":     importUsage,
	"discover":   discoverUsage,
	"help":       usage,
	"version":    usage,
}

// modeNames are the modes in the order the usage lists them, for
// suggestions.
var modeNames = []string{"ipfailover", "import", "discover", "help", "version"}

// Main runs ipfailover-render and returns its exit code. Help (-h, --help
// or help, anywhere) and --version (or version) come first and do nothing
// else.
func Main(env Env) int {
	args := env.Args
	mode, rest := "", args
	if len(args) > 0 {
		if _, ok := modeUsage[args[0]]; ok {
			mode, rest = args[0], args[1:]
		}
	}
	switch {
	case mode == "help":
		return runHelp(env, rest)
	case wantsHelp(rest):
		fmt.Fprint(env.Stdout, modeUsage[mode])
		return ExitOK
	case mode == "version" || hasFlag(rest, "--version", "-version"):
		fmt.Fprintln(env.Stdout, env.Version)
		return ExitOK
	}
	if cfg, ok := env.LookupEnv(EnvPluginConfig); ok {
		return runLegacyPlugin(env, cfg)
	}
	switch mode {
	case "ipfailover":
		return runGenerator(env, rest)
	case "import":
		return runImport(env, rest)
	case "discover":
		return runDiscover(env, rest)
	}
	if len(args) == 0 {
		if env.StdinTerminal {
			// A person at a terminal, not kpt or kustomize with a pipe.
			fmt.Fprint(env.Stdout, usage)
			return ExitOK
		}
		return runKRM(env)
	}
	if i := slices.IndexFunc(args, func(a string) bool { return len(a) > 1 && a[0] == '-' }); i >= 0 {
		fmt.Fprintf(env.Stderr, "ipfailover-render: unknown flag %s%s; see ipfailover-render --help\n",
			args[i], didYouMean(args[i], []string{"--help", "--version"}))
		return ExitUsage
	}
	for _, a := range args {
		if _, err := os.Stat(a); errors.Is(err, fs.ErrNotExist) {
			if m, ok := suggest.Closest(a, modeNames); ok {
				fmt.Fprintf(env.Stderr, "ipfailover-render: %s is neither a file, a directory nor a mode (did you mean %q?); see ipfailover-render --help\n", a, m)
				return ExitUsage
			}
		}
	}
	return runFiles(env, args)
}

// runHelp is "help [MODE]".
func runHelp(env Env, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(env.Stdout, usage)
		return ExitOK
	}
	if u, ok := modeUsage[args[0]]; ok {
		fmt.Fprint(env.Stdout, u)
		return ExitOK
	}
	fmt.Fprintf(env.Stderr, "ipfailover-render help: unknown mode %q%s; the modes are %s\n",
		args[0], didYouMean(args[0], modeNames), strings.Join(modeNames, ", "))
	return ExitUsage
}

// wantsHelp reports whether the arguments ask for help: -h, -help or
// --help before a "--".
func wantsHelp(args []string) bool { return hasFlag(args, "-h", "-help", "--help") }

// hasFlag reports whether one of the flags is among the arguments, before
// a "--".
func hasFlag(args []string, flags ...string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if slices.Contains(flags, a) {
			return true
		}
	}
	return false
}

// didYouMean is " (did you mean X?)" for the candidate closest to word,
// or "".
func didYouMean(word string, candidates []string) string {
	if c, ok := suggest.Closest(word, candidates); ok {
		return " (did you mean " + c + "?)"
	}
	return ""
}

const usage = `ipfailover-render renders IPFailover objects into the Kubernetes objects of
a VRRP IP failover set.

Usage:
  ipfailover-render < resourcelist.yaml
      KRM function (kpt fn render/eval, kustomize generators): reads a
      ResourceList, renders every IPFailover among its items and in its
      functionConfig, writes the ResourceList; error results also go to
      stderr and make the exit status 1. With stdin a terminal it prints
      this help instead of waiting.
  KUSTOMIZE_PLUGIN_CONFIG_STRING=<IPFailover yaml> ipfailover-render
      Legacy kustomize exec plugin (kubectl kustomize --enable-alpha-plugins):
      prints the generated objects as a YAML stream.
  ipfailover-render FILE|DIR...
      Reads every *.yaml/*.yml (directories recursively, skipping dot
      directories and subdirectories holding their own kustomization),
      renders every IPFailover and prints them, with the other objects
      (not the kustomization), as a YAML stream (Argo CD plugin generate
      command); warns on stderr when there is no IPFailover.
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
  ipfailover-render help [MODE] | --help | -h
      This help, or a mode's (also "ipfailover-render MODE --help").
  ipfailover-render version | --version

Errors go to stderr as "<Kind>/<name> <field>: <message>"; the exit status is
1 for errors in the input and 2 for a wrong command line.
`
