// Command ipfailover-node is the node agent: it keeps a failover set's VIPs
// on exactly one healthy node with VRRP, reading the OPENSHIFT_HA_*
// environment of OpenShift's keepalived-ipfailover image.
//
// Usage:
//
//	ipfailover-node [run]     serve the failover set until SIGTERM (default)
//	ipfailover-node cleanup   remove this set's VIPs and firewall rules from the node
//	ipfailover-node version   print the version
//
// Flags: --log-format text|json, --log-level debug|info|warn|error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"syscall"

	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/node/agent"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "v0.1.0-dev"

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	fs := flag.NewFlagSet("ipfailover-node", flag.ContinueOnError)
	logFormat := fs.String("log-format", "text", "log format: text or json")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: ipfailover-node [flags] [run|cleanup|version]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	mode := "run"
	if fs.NArg() > 0 {
		mode = fs.Arg(0)
	}
	if mode == "version" || mode == "--version" {
		fmt.Println("ipfailover-node", version)
		return 0
	}
	log, err := newLogger(*logFormat, *logLevel)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ipfailover-node:", err)
		return 2
	}
	cfg, err := contract.FromEnv(os.LookupEnv)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ipfailover-node: the environment is invalid:\n%v\n", err)
		return 2
	}
	switch mode {
	case "run":
		return serve(cfg, log)
	case "cleanup":
		if err := agent.RunCleanup(cfg, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "ipfailover-node cleanup:", err)
			return 1
		}
		return 0
	default:
		fmt.Fprintf(os.Stderr, "ipfailover-node: unknown mode %q (run, cleanup or version)\n", mode)
		return 2
	}
}

func serve(cfg contract.Config, log *slog.Logger) int {
	singleProcessor()
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

func newLogger(format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: %w", level, err)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(os.Stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(os.Stderr, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", format)
}
