//go:build linux

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/failoverkit/ipfailover/bench/internal/impl"
	"github.com/failoverkit/ipfailover/bench/internal/scenario"
	"github.com/failoverkit/ipfailover/bench/internal/stats"
)

// Results is everything a run measured; it is written as JSON.
type Results struct {
	Facts     Facts                      `json:"facts"`
	Config    map[string]any             `json:"config"`
	Failover  []scenario.FailoverSample  `json:"failover"`
	Footprint []scenario.FootprintSample `json:"footprint"`
	Scale     []scenario.ScaleSample     `json:"scale"`
	Render    []scenario.RenderSample    `json:"render"`
	Expansion []scenario.ExpansionSample `json:"expansion"`
	Table     string                     `json:"table"`
}

// write saves r as dir/<timestamp>.json and returns the path.
func (r *Results) write(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("creating %s: %w", dir, err)
	}
	path := filepath.Join(dir, time.Now().UTC().Format("20060102T150405Z")+".json")
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", fmt.Errorf("encoding the results: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return "", fmt.Errorf("writing %s: %w", path, err)
	}
	return path, nil
}

// split collects one figure per implementation, counting failures.
func split[T any](samples []T, implOf func(T) string, value func(T) (float64, bool)) (ours, ka []float64, oursFailed, kaFailed int) {
	for _, s := range samples {
		v, ok := value(s)
		switch implOf(s) {
		case scenario.Ours:
			if ok {
				ours = append(ours, v)
			} else {
				oursFailed++
			}
		case scenario.Keepalived:
			if ok {
				ka = append(ka, v)
			} else {
				kaFailed++
			}
		}
	}
	return ours, ka, oursFailed, kaFailed
}

func row[T any](figure, unit, bound string, samples []T, implOf func(T) string, value func(T) (float64, bool)) stats.Row {
	o, k, of, kf := split(samples, implOf, value)
	return stats.Row{Figure: figure, Unit: unit, Ours: o, Keepalived: k, OursFailed: of, KeepalivedFailed: kf, Bound: bound}
}

// failoverRows: per mode and failure kind, the client's gap and the
// takeover on the wire, with the RFC bound Master_Down_Interval of the
// backup that takes over (a graceful stop is bounded by Skew_Time).
func failoverRows(modes []scenario.Mode, samples []scenario.FailoverSample) []stats.Row {
	var rows []stats.Row
	implOf := func(s scenario.FailoverSample) string { return s.Impl }
	for _, m := range modes {
		down := impl.MasterDown(150, m.Interval)
		for _, kind := range scenario.Kinds {
			var sel []scenario.FailoverSample
			for _, s := range samples {
				if s.Kind == kind && s.Version == m.Version && s.IntervalMS == float64(m.Interval)/float64(time.Millisecond) {
					sel = append(sel, s)
				}
			}
			if len(sel) == 0 {
				continue
			}
			bound := fmt.Sprintf("%.0f", ms(down))
			if kind == scenario.Graceful {
				bound = fmt.Sprintf("%.0f (prio 0: skew %.0f)", ms(down), ms(impl.SkewTime(150, m.Interval)))
			}
			prefix := fmt.Sprintf("%s %s:", m, kind)
			rows = append(rows,
				row(prefix+" client gap", "ms", bound, sel, implOf, func(s scenario.FailoverSample) (float64, bool) { return s.GapMS, s.GapOK }),
				row(prefix+" takeover on wire", "ms", bound, sel, implOf, func(s scenario.FailoverSample) (float64, bool) { return s.TakeoverMS, s.TakeoverOK }),
			)
			if kind != scenario.Graceful {
				// Without the random phase: what Master_Down_Interval bounds.
				rows = append(rows, row(prefix+" takeover after master's last advert", "ms", bound, sel, implOf,
					func(s scenario.FailoverSample) (float64, bool) { return s.SinceAdvertMS, s.TakeoverOK }))
			}
		}
	}
	return rows
}

func footprintRows(modes []scenario.Mode, samples []scenario.FootprintSample) []stats.Row {
	var rows []stats.Row
	implOf := func(s scenario.FootprintSample) string { return s.Impl }
	const mib = 1 << 20
	for _, m := range modes {
		var sel []scenario.FootprintSample
		for _, s := range samples {
			if s.Version == m.Version && s.IntervalMS == float64(m.Interval)/float64(time.Millisecond) {
				sel = append(sel, s)
			}
		}
		if len(sel) == 0 {
			continue
		}
		measured := func(f func(scenario.FootprintSample) float64) func(scenario.FootprintSample) (float64, bool) {
			return func(s scenario.FootprintSample) (float64, bool) { return f(s), s.Measured }
		}
		p := fmt.Sprintf("254 groups %s:", m)
		rows = append(rows,
			row(p+" start until all VIPs on master", "ms", "", sel, implOf, func(s scenario.FootprintSample) (float64, bool) { return s.StartupMS, s.StartupOK }),
			row(p+" CPU master", "% core", "", sel, implOf, measured(func(s scenario.FootprintSample) float64 { return s.CPUMaster })),
			row(p+" CPU backup", "% core", "", sel, implOf, measured(func(s scenario.FootprintSample) float64 { return s.CPUBackup })),
			row(p+" CPU master incl. check scripts", "% core", "", sel, implOf, measured(func(s scenario.FootprintSample) float64 { return s.CPUMasterChildren })),
			row(p+" CPU backup incl. check scripts", "% core", "", sel, implOf, measured(func(s scenario.FootprintSample) float64 { return s.CPUBackupChildren })),
			row(p+" RSS master", "MiB", "", sel, implOf, measured(func(s scenario.FootprintSample) float64 { return float64(s.RSSMaster) / mib })),
			row(p+" PSS master", "MiB", "", sel, implOf, measured(func(s scenario.FootprintSample) float64 { return float64(s.PSSMaster) / mib })),
			row(p+" distinct pages master", "MiB", "", sel, implOf, measured(func(s scenario.FootprintSample) float64 { return float64(s.DistinctMaster) / mib })),
			row(p+" private pages master", "MiB", "", sel, implOf, measured(func(s scenario.FootprintSample) float64 { return float64(s.PrivateMaster) / mib })),
			row(p+" RSS backup", "MiB", "", sel, implOf, measured(func(s scenario.FootprintSample) float64 { return float64(s.RSSBackup) / mib })),
			row(p+" PSS backup", "MiB", "", sel, implOf, measured(func(s scenario.FootprintSample) float64 { return float64(s.PSSBackup) / mib })),
			row(p+" distinct pages backup", "MiB", "", sel, implOf, measured(func(s scenario.FootprintSample) float64 { return float64(s.DistinctBackup) / mib })),
			row(p+" private pages backup", "MiB", "", sel, implOf, measured(func(s scenario.FootprintSample) float64 { return float64(s.PrivateBackup) / mib })),
			row(p+" all VIPs moved after SIGTERM", "ms", "", sel, implOf, func(s scenario.FootprintSample) (float64, bool) { return s.MoveMS, s.MoveOK }),
			row(p+" VIPs that went to n3, not n2", "VIPs", "", sel, implOf, func(s scenario.FootprintSample) (float64, bool) { return float64(s.OnSecondBackup), s.MoveOK }),
		)
	}
	return rows
}

// scaleRows: the scale run, VRRPv3 modes only (its VIPs are IPv6). The
// moves' bounds are those of the backup that takes the groups over: n2
// after SIGTERM (Skew_Time, as the master says goodbye), n3 after n2's
// cable is pulled (Master_Down_Interval, plus up to one interval of phase).
func scaleRows(modes []scenario.Mode, samples []scenario.ScaleSample) []stats.Row {
	var rows []stats.Row
	implOf := func(s scenario.ScaleSample) string { return s.Impl }
	for _, m := range modes {
		var sel []scenario.ScaleSample
		for _, s := range samples {
			if s.Version == m.Version && s.IntervalMS == float64(m.Interval)/float64(time.Millisecond) {
				sel = append(sel, s)
			}
		}
		if len(sel) == 0 {
			continue
		}
		p := fmt.Sprintf("%d groups, %d IPv6 VIPs %s:", scenario.ScaleGroups, scenario.ScaleGroups*scenario.ScalePerGroup, m)
		hard := fmt.Sprintf("%.0f + phase ≤ %.0f", ms(impl.MasterDown(scenario.Priorities[2], m.Interval)), ms(impl.MasterDown(scenario.Priorities[2], m.Interval)+m.Interval))
		rows = append(rows,
			row(p+" start until all VIPs on master", "ms", "", sel, implOf, func(s scenario.ScaleSample) (float64, bool) { return s.StartupMS, s.StartupOK }),
			row(p+" all VIPs moved after SIGTERM", "ms", "", sel, implOf, func(s scenario.ScaleSample) (float64, bool) { return s.MoveMS, s.MoveOK }),
			row(p+" VIPs that went to n3, not n2", "VIPs", "", sel, implOf, func(s scenario.ScaleSample) (float64, bool) { return float64(s.OnSecondBackup), s.MoveOK }),
			row(p+" all VIPs on n3 after n2's cable pulled", "ms", hard, sel, implOf, func(s scenario.ScaleSample) (float64, bool) { return s.HardMS, s.HardOK }),
		)
	}
	return rows
}

func renderRows(cases []scenario.RenderCase, runs []scenario.RenderSample, exps []scenario.ExpansionSample) []stats.Row {
	var rows []stats.Row
	ours := func(string) string { return scenario.Ours }
	for _, c := range cases {
		var sel []scenario.RenderSample
		for _, s := range runs {
			if s.Case == c.Name {
				sel = append(sel, s)
			}
		}
		implOf := func(scenario.RenderSample) string { return ours("") }
		ok := func(s scenario.RenderSample) bool { return s.Error == "" }
		rows = append(rows,
			row("render process, "+c.Name+": wall", "ms", "", sel, implOf, func(s scenario.RenderSample) (float64, bool) { return s.WallMS, ok(s) }),
			row("render process, "+c.Name+": user+sys", "ms", "", sel, implOf, func(s scenario.RenderSample) (float64, bool) { return s.UserMS + s.SysMS, ok(s) }),
			row("render process, "+c.Name+": max RSS", "MiB", "", sel, implOf, func(s scenario.RenderSample) (float64, bool) { return float64(s.MaxRSSKB) / 1024, ok(s) }),
		)
		var esel []scenario.ExpansionSample
		for _, s := range exps {
			if s.Case == c.Name {
				esel = append(esel, s)
			}
		}
		eImpl := func(scenario.ExpansionSample) string { return scenario.Ours }
		eok := func(s scenario.ExpansionSample) bool { return s.Error == "" }
		rows = append(rows,
			row("fn.Render, "+c.Name+": time/op", "ms", "", esel, eImpl, func(s scenario.ExpansionSample) (float64, bool) { return s.NsPerOp / 1e6, eok(s) }),
			row("fn.Render, "+c.Name+": alloc/op", "MiB", "", esel, eImpl, func(s scenario.ExpansionSample) (float64, bool) { return float64(s.BytesPerOp) / (1 << 20), eok(s) }),
		)
	}
	return rows
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
