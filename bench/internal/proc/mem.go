package proc

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Mem is the memory of one process from /proc/<pid>/smaps_rollup, in bytes.
type Mem struct {
	// RSS is the resident set: every page mapped and present.
	RSS uint64
	// PSS is the proportional set: each shared page divided by the number
	// of processes mapping it (the fair share of the binary and libraries).
	PSS uint64
	// USS is the unique set, Private_Clean + Private_Dirty: the pages only
	// this process maps, what its exit would free.
	USS uint64
}

// ReadMem reads /proc/<pid>/smaps_rollup.
func ReadMem(pid int) (Mem, error) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "smaps_rollup"))
	if err != nil {
		return Mem{}, fmt.Errorf("reading the smaps_rollup of pid %d: %w", pid, err)
	}
	return parseRollup(b)
}

func parseRollup(b []byte) (Mem, error) {
	var m Mem
	var seen int
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		key, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		switch key {
		case "Rss", "Pss", "Private_Clean", "Private_Dirty":
		default:
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return Mem{}, fmt.Errorf("smaps_rollup line %q: want <n> kB", sc.Text())
		}
		kb, err := strconv.ParseUint(f[0], 10, 64)
		if err != nil {
			return Mem{}, fmt.Errorf("smaps_rollup line %q: %w", sc.Text(), err)
		}
		switch key {
		case "Rss":
			m.RSS = kb * 1024
		case "Pss":
			m.PSS = kb * 1024
		default:
			m.USS += kb * 1024
		}
		seen++
	}
	if seen != 4 {
		return Mem{}, fmt.Errorf("smaps_rollup lacks one of Rss, Pss, Private_Clean, Private_Dirty")
	}
	return m, nil
}
