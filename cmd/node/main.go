// Command ipfailover-node is the node agent: it keeps a failover set's VIPs
// on exactly one healthy node with VRRP, reading the OPENSHIFT_HA_*
// environment of OpenShift's keepalived-ipfailover image.
//
// Run it with --help for the modes, the flags and the environment
// variables (usage.go).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"

	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/internal/suggest"
	"github.com/failoverkit/ipfailover/internal/version"
	"github.com/failoverkit/ipfailover/node/agent"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, os.LookupEnv))
}

// modes are the agent's modes; run is the default.
var modes = []string{"run", "cleanup", "version", "help"}

// run is the command line: flags anywhere, at most one mode. Help (-h,
// --help or help, anywhere) and the version are answered before anything
// else is read, so they never start the agent.
func run(args []string, stdout, stderr io.Writer, lookup contract.Lookup) int {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" {
			printUsage(stdout)
			return 0
		}
	}
	fs := flag.NewFlagSet("ipfailover-node", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	logFormat := fs.String("log-format", "text", "")
	logLevel := fs.String("log-level", "info", "")
	showVersion := fs.Bool("version", false, "")
	var pos []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				printUsage(stdout)
				return 0
			}
			return usageError(stderr, flagError(err, fs))
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	mode := "run"
	if len(pos) > 0 {
		mode = pos[0]
	}
	switch {
	case mode == "help" || slices.Contains(pos, "help"):
		printUsage(stdout)
		return 0
	case *showVersion || mode == "version":
		fmt.Fprintln(stdout, version.String("ipfailover-node"))
		return 0
	case !slices.Contains(modes, mode):
		msg := fmt.Sprintf("unknown mode %q", mode)
		if m, ok := suggest.Closest(mode, modes); ok {
			msg += fmt.Sprintf(" (did you mean %q?)", m)
		}
		return usageError(stderr, msg+"; the modes are run, cleanup, version and help")
	case len(pos) > 1:
		return usageError(stderr, fmt.Sprintf("%s takes no arguments, got %q", mode, pos[1:]))
	}
	log, err := newLogger(stderr, *logFormat, *logLevel)
	if err != nil {
		return usageError(stderr, err.Error())
	}
	cfg, err := contract.FromEnv(lookup)
	if err != nil {
		fmt.Fprintf(stderr, "ipfailover-node %s: the environment is invalid (ipfailover-node --help lists the variables):\n%v\n", mode, err)
		return 2
	}
	if mode == "cleanup" {
		if err := agent.RunCleanup(cfg, stdout); err != nil {
			fmt.Fprintln(stderr, "ipfailover-node cleanup:", err)
			return 1
		}
		return 0
	}
	return serve(cfg, log)
}

// usageError reports a wrong command line and returns its exit status.
func usageError(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "ipfailover-node: %s; see ipfailover-node --help\n", msg)
	return 2
}

// flagError words a flag parsing error, naming the flag and suggesting the
// closest one.
func flagError(err error, fs *flag.FlagSet) string {
	name, unknown := strings.CutPrefix(err.Error(), "flag provided but not defined: ")
	if !unknown {
		return err.Error()
	}
	if name = strings.TrimLeft(name, "-"); len(name) == 1 {
		name = "-" + name
	} else {
		name = "--" + name
	}
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, "--"+f.Name) })
	names = append(names, "--help")
	msg := "unknown flag " + name
	if c, ok := suggest.Closest(name, names); ok {
		msg += " (did you mean " + c + "?)"
	}
	return msg
}

func serve(cfg contract.Config, log *slog.Logger) int {
	singleProcessor()
	smallHeap()
	// The health port first: a clash is fatal before anything is opened.
	ln, err := agent.ListenHealth(cfg.HealthPort)
	if err != nil {
		log.Error("cannot start", "err", err)
		return 1
	}
	defer ln.Close()
	rt, err := agent.Setup(cfg, agent.SetupOptions{}, log)
	if err != nil {
		log.Error("cannot start", "err", err)
		return 1
	}
	defer rt.Close()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	defer stop()
	httpErr := make(chan error, 1)
	go func() { httpErr <- rt.Serve(ctx, ln) }()
	runErr := rt.Run(ctx)
	stop()
	if err := <-httpErr; err != nil && !errors.Is(err, context.Canceled) {
		log.Error("health server", "err", err)
	}
	if runErr != nil {
		log.Error("agent stopped with an error", "err", runErr)
		return 1
	}
	return 0
}

// singleProcessor runs the agent on one P unless GOMAXPROCS is set. One
// goroutine, the loop, owns every state machine; receivers and timers only
// hand it events. With more Ps every advert wakes a second OS thread
// (futex wake-up and a context switch per hand-off) for no parallel work:
// the benchmark (docs/benchmarks.md) measured a backup of 254 groups at
// 100 ms using 11.5% of a core with two Ps and 5% with one.
func singleProcessor() {
	if _, set := os.LookupEnv("GOMAXPROCS"); !set {
		runtime.GOMAXPROCS(1)
	}
}

// agentGOGC is the agent's GC target unless GOGC is set: the heap may grow
// to 1.5 times the live heap between collections, not twice. The agent's
// live heap is small (about 1.5 MiB at 254 groups) and it allocates little
// per advert, so collecting more often costs nothing measurable, while the
// memory a collection lets grow stays resident: the benchmark
// (docs/benchmarks.md) measured 1.2-1.6 MiB less PSS per node at 254
// groups with GOGC=50.
const agentGOGC = 50

// smallHeap sets agentGOGC unless GOGC is set.
func smallHeap() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(agentGOGC)
	}
}

func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: %w", level, err)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", format)
}
