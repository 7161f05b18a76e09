//go:build linux

package scenario

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/bench/fnbench"
)

// RenderCase is one input of the renderer.
type RenderCase struct {
	// Name identifies the case in the results.
	Name string
	// Path is the file or directory given to the renderer.
	Path string
	// YAML is the same input, for the in-process benchmark.
	YAML []byte
}

// RenderCases writes the inputs into dir: the documentation's example
// (read from the repository at root) and ten specs of 254 VIPs with
// cleanup Jobs for 1000 nodes.
func RenderCases(root, dir string, specs, nodes int) ([]RenderCase, error) {
	docs, err := os.ReadFile(filepath.Join(root, fnbench.DocsExample))
	if err != nil {
		return nil, fmt.Errorf("reading the documentation's example: %w", err)
	}
	large := fnbench.Large(specs, nodes)
	path := filepath.Join(dir, "render-large.yaml")
	if err := os.WriteFile(path, large, 0o644); err != nil {
		return nil, fmt.Errorf("writing %s: %w", path, err)
	}
	return []RenderCase{
		{Name: "docs-example", Path: filepath.Join(root, fnbench.DocsExample), YAML: docs},
		{Name: fmt.Sprintf("%d specs x 254 VIPs, Jobs for %d nodes", specs, nodes), Path: path, YAML: large},
	}, nil
}

// RenderSample is one run of the renderer as a process.
type RenderSample struct {
	Case   string  `json:"case"`
	Run    int     `json:"run"`
	WallMS float64 `json:"wall_ms"`
	// UserMS and SysMS are the process' CPU time; with a garbage collector
	// running in parallel, user+sys can exceed wall.
	UserMS   float64 `json:"user_ms"`
	SysMS    float64 `json:"sys_ms"`
	MaxRSSKB int64   `json:"max_rss_kb"`
	OutBytes int64   `json:"out_bytes"`
	Error    string  `json:"error,omitempty"`
}

// RenderProcess runs bin on c once, output discarded, bounded by timeout.
func RenderProcess(bin string, c RenderCase, run int, timeout time.Duration) RenderSample {
	s := RenderSample{Case: c.Name, Run: run}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, c.Path)
	out := &countWriter{}
	cmd.Stdout, cmd.Stderr = out, io.Discard
	start := time.Now()
	err := cmd.Run()
	s.WallMS = ms(time.Since(start))
	s.OutBytes = out.n
	if err != nil {
		s.Error = fmt.Sprintf("%s %s: %v", bin, c.Path, err)
		return s
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.UserMS = ms(time.Duration(ru.Utime.Nano()))
		s.SysMS = ms(time.Duration(ru.Stime.Nano()))
		s.MaxRSSKB = ru.Maxrss
	}
	return s
}

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

// ExpansionSample is the Go benchmark of fn.Render on parsed objects.
type ExpansionSample struct {
	Case        string  `json:"case"`
	Run         int     `json:"run"`
	N           int     `json:"n"`
	NsPerOp     float64 `json:"ns_per_op"`
	BytesPerOp  int64   `json:"bytes_per_op"`
	AllocsPerOp int64   `json:"allocs_per_op"`
	Objects     int     `json:"objects"`
	Error       string  `json:"error,omitempty"`
}

// Expansion benchmarks fn.Render on c's parsed objects with
// testing.Benchmark (which runs for about a second, at least once).
func Expansion(c RenderCase, run int) ExpansionSample {
	s := ExpansionSample{Case: c.Name, Run: run}
	objs, err := fnbench.Parse(c.YAML)
	if err != nil {
		s.Error = err.Error()
		return s
	}
	if s.Objects, err = fnbench.Render(objs); err != nil {
		s.Error = err.Error()
		return s
	}
	r := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := fnbench.Render(objs); err != nil {
				b.Fatal(err)
			}
		}
	})
	s.N, s.NsPerOp = r.N, float64(r.T.Nanoseconds())/float64(max(r.N, 1))
	s.BytesPerOp, s.AllocsPerOp = r.AllocedBytesPerOp(), r.AllocsPerOp()
	return s
}
