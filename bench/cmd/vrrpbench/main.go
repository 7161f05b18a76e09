//go:build linux

// Command vrrpbench compares our node agent with keepalived 2.2 configured
// as OpenShift's keepalived-ipfailover image configures it, on a lab of
// network namespaces (three nodes and a client on a bridge), and measures
// the renderer:
//
//   - failover: graceful stop, hard failure (cable and process) and kill -9
//     of the master, at VRRPv2 1 s and VRRPv3 100 ms, as the gap a client
//     pinging the VIP every 10 ms sees and as the first advert of the new
//     master on the wire;
//   - footprint with 254 groups: CPU, RSS and PSS of master and backup,
//     time until all VIPs are on the master, time until all moved;
//   - render cost: the renderer as a process and fn.Render in-process.
//
// The implementations alternate within every repetition. It prints one
// table (min / median / max and the ratio of the medians) and writes the
// raw samples as JSON. It reports; it never passes or fails on a figure.
//
// Usage (root): vrrpbench [-quick] [-only failover,footprint,render] ...
// BENCH_QUICK=1 is the same as -quick: 2 repetitions, a 5 s footprint
// window, to exercise the harness in a few minutes.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/failoverkit/ipfailover/bench/internal/lab"
	"github.com/failoverkit/ipfailover/bench/internal/scenario"
	"github.com/failoverkit/ipfailover/bench/internal/stats"
)

// config is the command line.
type config struct {
	quick                     bool
	reps, footReps, scaleReps int
	window, settle, pingEvery time.Duration
	renderRuns, largeRuns     int
	expansionRuns             int
	largeSpecs, largeNodes    int
	nodeBin, renderBin        string
	keepalived, root, out     string
	only, impls, modes        string
	oursEnv                   stringList
	seed                      uint64
	keep                      bool
}

func parseFlags() config {
	var c config
	flag.BoolVar(&c.quick, "quick", os.Getenv("BENCH_QUICK") == "1", "smoke mode: 2 repetitions, 5s footprint window, fewer render runs (also BENCH_QUICK=1); a section that measures nothing fails the run either way")
	flag.IntVar(&c.reps, "reps", 10, "failover repetitions per mode, failure kind and implementation")
	flag.IntVar(&c.footReps, "footprint-reps", 3, "footprint runs per mode and implementation")
	flag.IntVar(&c.scaleReps, "scale-reps", 2, "scale runs per mode and implementation")
	flag.DurationVar(&c.window, "window", 30*time.Second, "CPU measurement window of a footprint run")
	flag.DurationVar(&c.settle, "settle", 3*time.Second, "wait between all VIPs on the master and the CPU window")
	flag.DurationVar(&c.pingEvery, "ping-every", 10*time.Millisecond, "the client's ping interval")
	flag.IntVar(&c.renderRuns, "render-runs", 15, "renderer process runs of the documentation's example")
	flag.IntVar(&c.largeRuns, "large-runs", 5, "renderer process runs of the large input")
	flag.IntVar(&c.expansionRuns, "expansion-runs", 3, "in-process fn.Render benchmarks per input")
	flag.IntVar(&c.largeSpecs, "large-specs", 10, "specs of the large render input")
	flag.IntVar(&c.largeNodes, "large-nodes", 1000, "nodes (cleanup Jobs) per spec of the large render input")
	flag.StringVar(&c.nodeBin, "node", "bin/ipfailover-node", "our agent's binary (make bench builds it as the image does)")
	flag.StringVar(&c.renderBin, "render", "bin/ipfailover-render", "the renderer's binary")
	flag.StringVar(&c.keepalived, "keepalived", "keepalived", "keepalived binary")
	flag.StringVar(&c.root, "root", ".", "repository root (for examples/)")
	flag.StringVar(&c.out, "out", "bench/results", "directory of the JSON results")
	flag.StringVar(&c.only, "only", "failover,footprint,scale,render", "sections to run")
	flag.StringVar(&c.modes, "modes", "v2-1s,v3-100ms", "VRRP modes to run (for experiments)")
	flag.StringVar(&c.impls, "impls", "ours,keepalived", "implementations to run: ours, keepalived, ours-script (our agent with the check as a script; for experiments, the table needs ours and keepalived)")
	flag.Var(&c.oursEnv, "ours-env", "extra KEY=VALUE for our agent's environment, repeatable (for experiments, e.g. GOMAXPROCS=2)")
	flag.Uint64Var(&c.seed, "seed", 0, "seed of the failure phases (0: random)")
	flag.BoolVar(&c.keep, "keep", false, "keep the temporary directory (configs, process logs)")
	flag.Parse()
	if c.quick {
		c.reps, c.footReps, c.scaleReps, c.window, c.settle = 2, 1, 1, 5*time.Second, time.Second
		c.renderRuns, c.largeRuns, c.expansionRuns = 3, 1, 1
	}
	if c.seed == 0 {
		c.seed = rand.Uint64()
	}
	return c
}

func main() { os.Exit(run()) }

func run() int {
	c := parseFlags()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	kaVersion, err := preflight(c)
	if err != nil {
		fmt.Fprintln(os.Stderr, "vrrpbench:", err)
		return 2
	}
	for _, p := range []*string{&c.nodeBin, &c.renderBin} {
		if abs, err := filepath.Abs(*p); err == nil {
			*p = abs
		}
	}
	if kaPath, err := exec.LookPath(c.keepalived); err == nil {
		c.keepalived = kaPath
	}
	sections := strings.Split(c.only, ",")
	res := &Results{Facts: collectFacts(kaVersion), Config: map[string]any{
		"quick": c.quick, "reps": c.reps, "footprint_reps": c.footReps, "scale_reps": c.scaleReps, "window_s": c.window.Seconds(),
		"settle_s": c.settle.Seconds(), "ping_every_ms": ms(c.pingEvery), "render_runs": c.renderRuns, "large_runs": c.largeRuns,
		"expansion_runs": c.expansionRuns, "large_specs": c.largeSpecs, "large_nodes": c.largeNodes,
		"seed": c.seed, "sections": sections, "impls": c.impls, "modes": c.modes, "ours_env": c.oursEnv,
	}}
	log.Info("vrrpbench", "load", res.Facts.LoadStart, "nproc", res.Facts.NProc, "keepalived", kaVersion,
		"commit", res.Facts.Commit, "quick", c.quick, "estimate", estimate(c, sections).Round(time.Minute))

	cl := lab.NewCleanups(log)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		sig := <-sigs
		log.Warn("interrupted: removing every namespace and process of this run", "signal", sig)
		cl.Run()
		os.Exit(130)
	}()
	defer cl.Run()

	dir, err := os.MkdirTemp("", "vrrpbench-")
	if err != nil {
		log.Error("temporary directory", "err", err)
		return 1
	}
	if c.keep {
		log.Info("keeping the temporary directory", "dir", dir)
	} else {
		cl.Add("remove "+dir, func() error { return os.RemoveAll(dir) })
	}

	var rows []stats.Row
	var modes []scenario.Mode
	for _, m := range []scenario.Mode{{Version: 2, Interval: time.Second}, {Version: 3, Interval: 100 * time.Millisecond}} {
		if slices.Contains(strings.Split(c.modes, ","), fmt.Sprintf("v%d-%s", m.Version, m.Interval)) {
			modes = append(modes, m)
		}
	}
	if slices.Contains(sections, "failover") || slices.Contains(sections, "footprint") || slices.Contains(sections, "scale") {
		env, err := newEnv(c, cl, dir, log)
		if err != nil {
			log.Error("building the lab", "err", err)
			return 1
		}
		if slices.Contains(sections, "failover") {
			res.Failover, err = runFailover(c, env, modes)
			if err != nil {
				log.Error("failover", "err", err)
				return 1
			}
			rows = append(rows, failoverRows(modes, res.Failover)...)
		}
		if slices.Contains(sections, "footprint") {
			res.Footprint = runFootprint(c, env, modes)
			rows = append(rows, footprintRows(modes, res.Footprint)...)
		}
		if slices.Contains(sections, "scale") {
			// IPv6 VIPs: VRRPv3 at each selected interval.
			var v3 []scenario.Mode
			for _, m := range modes {
				v3 = append(v3, scenario.Mode{Version: 3, Interval: m.Interval})
			}
			res.Scale = runScale(c, env, v3)
			rows = append(rows, scaleRows(v3, res.Scale)...)
		}
	}
	if slices.Contains(sections, "render") {
		cases, err := scenario.RenderCases(c.root, dir, c.largeSpecs, c.largeNodes)
		if err != nil {
			log.Error("render inputs", "err", err)
			return 1
		}
		res.Render, res.Expansion = runRender(c, cases, log)
		rows = append(rows, renderRows(cases, res.Render, res.Expansion)...)
	}

	res.Facts.LoadEnd = loadavg()
	res.Table = stats.Table(rows)
	fmt.Println()
	fmt.Printf("vrrpbench %s, commit %s%s, %d CPUs, kernel %s, keepalived %s, load %s -> %s\n\n",
		res.Facts.Date, res.Facts.Commit, map[bool]string{true: " (dirty)"}[res.Facts.Dirty], res.Facts.NProc,
		res.Facts.Kernel, kaVersion, res.Facts.LoadStart, res.Facts.LoadEnd)
	fmt.Print(res.Table)
	path, err := res.write(c.out)
	if err != nil {
		log.Error("writing the results", "err", err)
		return 1
	}
	fmt.Printf("\nraw samples: %s\n", path)
	if err := broken(res, sections); err != nil {
		log.Error("the harness is broken: a section measured nothing", "err", err)
		return 3
	}
	return 0
}

// broken reports a section of the run that produced no sample without an
// error: not a figure out of line, which the benchmark only reports, but
// a harness that no longer measures (what the CI smoke run catches).
func broken(res *Results, sections []string) error {
	var errs []error
	check := func(section string, n int, errOf func(int) string) {
		if !slices.Contains(sections, section) {
			return
		}
		first := ""
		for i := range n {
			if e := errOf(i); e == "" {
				return
			} else if first == "" {
				first = e
			}
		}
		errs = append(errs, fmt.Errorf("%s: none of %d samples succeeded; the first error: %s", section, n, first))
	}
	check("failover", len(res.Failover), func(i int) string { return res.Failover[i].Error })
	check("footprint", len(res.Footprint), func(i int) string { return res.Footprint[i].Error })
	check("scale", len(res.Scale), func(i int) string { return res.Scale[i].Error })
	check("render", len(res.Render), func(i int) string { return res.Render[i].Error })
	check("render", len(res.Expansion), func(i int) string { return res.Expansion[i].Error })
	return errors.Join(errs...)
}

// newEnv builds the lab and serves the health checks' port on every node.
func newEnv(c config, cl *lab.Cleanups, dir string, log *slog.Logger) (*scenario.Env, error) {
	l, err := lab.New(cl, len(scenario.Priorities))
	if err != nil {
		return nil, err
	}
	log.Info("lab ready", "namespaces", l.ID+"-*")
	env := &scenario.Env{
		Lab: l, Cleanups: cl, Dir: dir, OursBin: c.nodeBin, OursEnv: c.oursEnv, KeepalivedBin: c.keepalived, Log: log,
		Rand: rand.New(rand.NewPCG(c.seed, c.seed^0x9e3779b97f4a7c15)),
	}
	if err := env.ServeChecks(); err != nil {
		return nil, err
	}
	return env, nil
}

// order alternates which implementation goes first, keeping those chosen
// with -impls.
func order(c config, i int) []string {
	o := []string{scenario.Ours, scenario.Keepalived, scenario.OursScript}
	if i%2 == 1 {
		o = []string{scenario.OursScript, scenario.Keepalived, scenario.Ours}
	}
	return slices.DeleteFunc(o, func(name string) bool { return !slices.Contains(strings.Split(c.impls, ","), name) })
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, " ") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func runFailover(c config, env *scenario.Env, modes []scenario.Mode) ([]scenario.FailoverSample, error) {
	f, err := scenario.NewFailover(env, c.pingEvery)
	if err != nil {
		return nil, err
	}
	defer f.Pinger.Close()
	defer f.Sniffer.Close()
	var out []scenario.FailoverSample
	turn := 0
	for _, m := range modes {
		for rep := range c.reps {
			for _, kind := range scenario.Kinds {
				for _, name := range order(c, turn) {
					s := f.Run(name, kind, m, rep)
					out = append(out, s)
					attrs := []any{"mode", m.String(), "kind", kind, "rep", fmt.Sprintf("%d/%d", rep+1, c.reps), "impl", name,
						"phase_ms", round(s.PhaseMS), "gap_ms", round(s.GapMS), "takeover_ms", round(s.TakeoverMS), "new_master", s.NewMaster}
					if s.Error != "" {
						env.Log.Warn("failover", append(attrs, "err", s.Error)...)
					} else {
						env.Log.Info("failover", attrs...)
					}
				}
				turn++
			}
		}
	}
	return out, nil
}

func runFootprint(c config, env *scenario.Env, modes []scenario.Mode) []scenario.FootprintSample {
	fp := &scenario.Footprint{Env: env, Window: c.window, Settle: c.settle}
	var out []scenario.FootprintSample
	turn := 0
	for rep := range c.footReps {
		for _, m := range modes {
			for _, name := range order(c, turn) {
				s := fp.Run(name, m, rep)
				out = append(out, s)
				attrs := []any{"mode", m.String(), "rep", fmt.Sprintf("%d/%d", rep+1, c.footReps), "impl", name,
					"startup_ms", round(s.StartupMS), "cpu_master", round(s.CPUMaster), "cpu_backup", round(s.CPUBackup),
					"rss_master_mib", round(float64(s.RSSMaster) / (1 << 20)), "move_ms", round(s.MoveMS)}
				if s.Error != "" {
					env.Log.Warn("footprint", append(attrs, "err", s.Error)...)
				} else {
					env.Log.Info("footprint", attrs...)
				}
			}
			turn++
		}
	}
	return out
}

// runScale runs the scale set (IPv6 VIPs, so VRRPv3 modes only).
func runScale(c config, env *scenario.Env, modes []scenario.Mode) []scenario.ScaleSample {
	sc := &scenario.Scale{Env: env, Settle: c.settle}
	var out []scenario.ScaleSample
	turn := 0
	for rep := range c.scaleReps {
		for _, m := range modes {
			for _, name := range order(c, turn) {
				s := sc.Run(name, m, rep)
				out = append(out, s)
				attrs := []any{"mode", m.String(), "rep", fmt.Sprintf("%d/%d", rep+1, c.scaleReps), "impl", name, "vips", s.VIPs,
					"startup_ms", round(s.StartupMS), "move_ms", round(s.MoveMS), "on_n3", s.OnSecondBackup, "hard_ms", round(s.HardMS)}
				if s.Error != "" {
					env.Log.Warn("scale", append(attrs, "err", s.Error)...)
				} else {
					env.Log.Info("scale", attrs...)
				}
			}
			turn++
		}
	}
	return out
}

func runRender(c config, cases []scenario.RenderCase, log *slog.Logger) ([]scenario.RenderSample, []scenario.ExpansionSample) {
	var runs []scenario.RenderSample
	var exps []scenario.ExpansionSample
	for k, rc := range cases {
		n := c.renderRuns
		if k > 0 {
			n = c.largeRuns
		}
		for i := range n {
			s := scenario.RenderProcess(c.renderBin, rc, i, 5*time.Minute)
			runs = append(runs, s)
			log.Info("render process", "case", rc.Name, "run", i+1, "wall_ms", round(s.WallMS), "max_rss_kb", s.MaxRSSKB, "out_bytes", s.OutBytes, "err", s.Error)
		}
		for i := range c.expansionRuns {
			s := scenario.Expansion(rc, i)
			exps = append(exps, s)
			log.Info("fn.Render", "case", rc.Name, "run", i+1, "n", s.N, "ms_per_op", round(s.NsPerOp/1e6), "alloc_mib_per_op", round(float64(s.BytesPerOp)/(1<<20)), "objects", s.Objects, "err", s.Error)
		}
	}
	return runs, exps
}

// estimate is a rough duration of the sections chosen.
func estimate(c config, sections []string) time.Duration {
	var d time.Duration
	if slices.Contains(sections, "failover") {
		d += time.Duration(c.reps) * 3 * 2 * (9*time.Second + 2*time.Second)
	}
	if slices.Contains(sections, "footprint") {
		d += time.Duration(c.footReps) * 2 * 2 * (c.window + c.settle + 8*time.Second)
	}
	if slices.Contains(sections, "scale") {
		d += time.Duration(c.scaleReps) * 2 * 2 * (c.settle + 15*time.Second)
	}
	if slices.Contains(sections, "render") {
		d += time.Duration(c.largeRuns)*20*time.Second + time.Duration(c.expansionRuns)*12*time.Second
	}
	return d
}

func round(v float64) float64 { return float64(int64(v*10+0.5)) / 10 }
