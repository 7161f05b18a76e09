// Package proc reads what the kernel accounts to a process tree: CPU
// ticks from /proc/<pid>/stat and memory from /proc/<pid>/smaps_rollup.
package proc

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ClockTick is USER_HZ, the unit of the tick fields of /proc/<pid>/stat.
// It is 100 on every Linux architecture Go supports.
const ClockTick = 100

// Stat holds the fields of /proc/<pid>/stat the benchmark uses.
type Stat struct {
	PID, PPID int
	Comm      string
	// UTime and STime are the process' own CPU ticks (all its threads).
	UTime, STime uint64
	// CUTime and CSTime are the ticks of its reaped children (check
	// scripts keepalived forks, for instance).
	CUTime, CSTime uint64
}

// ReadStat reads /proc/<pid>/stat.
func ReadStat(pid int) (Stat, error) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return Stat{}, fmt.Errorf("reading the stat of pid %d: %w", pid, err)
	}
	return parseStat(b)
}

// parseStat parses a stat line; comm may hold spaces and parentheses, so
// the fields after it are found from the last ')'.
func parseStat(b []byte) (Stat, error) {
	open, end := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
	if open < 0 || end < open {
		return Stat{}, fmt.Errorf("malformed stat line %q", b)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b[:open])))
	if err != nil {
		return Stat{}, fmt.Errorf("malformed pid in stat line: %w", err)
	}
	// After ")": field 3 (state) is f[0], so field k is f[k-3].
	f := strings.Fields(string(b[end+1:]))
	if len(f) < 15 {
		return Stat{}, fmt.Errorf("stat line of pid %d has %d fields after comm, want at least 15", pid, len(f))
	}
	num := func(k int) (uint64, error) {
		v, err := strconv.ParseUint(f[k-3], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("stat field %d of pid %d: %w", k, pid, err)
		}
		return v, nil
	}
	s := Stat{PID: pid, Comm: string(b[open+1 : end])}
	ppid, err := num(4)
	if err != nil {
		return Stat{}, err
	}
	s.PPID = int(ppid)
	for k, dst := range map[int]*uint64{14: &s.UTime, 15: &s.STime, 16: &s.CUTime, 17: &s.CSTime} {
		if *dst, err = num(k); err != nil {
			return Stat{}, err
		}
	}
	return s, nil
}

// Tree returns root and every live descendant of it, root first, found by
// scanning /proc for parent links (keepalived forks its VRRP child and
// check scripts).
func Tree(root int) ([]int, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, fmt.Errorf("listing /proc: %w", err)
	}
	children := map[int][]int{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		st, err := ReadStat(pid)
		if err != nil {
			continue // exited meanwhile
		}
		children[st.PPID] = append(children[st.PPID], pid)
	}
	out := []int{root}
	for i := 0; i < len(out); i++ {
		out = append(out, children[out[i]]...)
	}
	return out, nil
}
