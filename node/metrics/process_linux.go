package metrics

import (
	"bytes"
	"os"
	"runtime"
	"strconv"
)

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat's times: 100 on
// every Linux architecture Go supports.
const clockTicks = 100

// RegisterProcess adds the few runtime series of client_golang's Go and
// process collectors that matter for a small daemon: go_goroutines,
// process_cpu_seconds_total and process_resident_memory_bytes, read at
// exposition (from the runtime and /proc/self/stat).
func (r *Registry) RegisterProcess() {
	r.NewGaugeFunc("go_goroutines", "Number of goroutines that currently exist.",
		func() float64 { return float64(runtime.NumGoroutine()) })
	r.NewCounterFunc("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", func() float64 {
		f := selfStat()
		if len(f) < 24 {
			return 0
		}
		ut, _ := strconv.ParseUint(string(f[11]), 10, 64)
		st, _ := strconv.ParseUint(string(f[12]), 10, 64)
		return float64(ut+st) / clockTicks
	})
	r.NewGaugeFunc("process_resident_memory_bytes", "Resident memory size in bytes.", func() float64 {
		f := selfStat()
		if len(f) < 24 {
			return 0
		}
		pages, _ := strconv.ParseUint(string(f[21]), 10, 64)
		return float64(pages) * float64(os.Getpagesize())
	})
}

// selfStat returns the fields of /proc/self/stat after the command name
// (field 3, the state, first); nil when it cannot be read.
func selfStat() [][]byte {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return nil
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return nil
	}
	return bytes.Fields(b[i+1:])
}
